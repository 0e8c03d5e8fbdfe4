/* decode_common.h - what every contender of bench/case_decode.sh shares: a
 * checksum over the decoded values (so all of them provably decode the
 * same data) and the text parsers a careful libpq/ECPG user writes. */
#ifndef PGMC_BENCH_DECODE_COMMON_H
#define PGMC_BENCH_DECODE_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Per-column sums over all rows; wrap around on overflow. */
typedef struct bench_acc {
    uint64_t rows, id, qty, price, active, name, note, ts, token;
} bench_acc;

/* Add one row: ts_us is µs since 1970-01-01 UTC, tok the uuid's 16 bytes,
 * note_len is ignored when note_null. */
void bench_acc_row(bench_acc *a, int64_t id, int32_t qty, double price, int active, size_t name_len,
                   int note_null, size_t note_len, int64_t ts_us, const uint8_t tok[16]);

/* One number from all the sums. */
uint64_t bench_acc_sum(const bench_acc *a);

/* "YYYY-MM-DD HH:MM:SS[.ffffff]+00" (TimeZone UTC) -> µs since 1970. Exits
 * with a message on anything else. */
int64_t bench_parse_ts(const char *s);

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" -> 16 bytes. Exits on bad input. */
void bench_parse_uuid(const char *s, uint8_t out[16]);

/* Print "<mode> <rows> <seconds> <maxrss KB> <checksum>" (the line
 * case_decode.sh reads); seconds from t0 (bench_now()). */
void bench_report(const char *mode, const bench_acc *a, double t0);

/* CLOCK_MONOTONIC seconds. */
double bench_now(void);

#endif
