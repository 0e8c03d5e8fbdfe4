/* decode_common.c - see decode_common.h. */
#define _POSIX_C_SOURCE 200809L
#include "decode_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

void bench_acc_row(bench_acc *a, int64_t id, int32_t qty, double price, int active, size_t name_len,
                   int note_null, size_t note_len, int64_t ts_us, const uint8_t tok[16])
{
    a->rows++;
    a->id += (uint64_t)id;
    a->qty += (uint64_t)(int64_t)qty;
    a->price += (uint64_t)llround(price * 4);
    a->active += active ? 1 : 0;
    a->name += name_len;
    a->note += note_null ? 1000003 : note_len;
    a->ts += (uint64_t)ts_us;
    a->token += (uint64_t)tok[0] * 256 + tok[15];
}

uint64_t bench_acc_sum(const bench_acc *a)
{
    return a->rows + a->id * 3 + a->qty * 5 + a->price * 7 + a->active * 11 + a->name * 13 +
           a->note * 17 + a->ts * 19 + a->token * 23;
}

static void bad(const char *what, const char *s)
{
    fprintf(stderr, "bad %s: \"%s\"\n", what, s);
    exit(1);
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int64_t bench_parse_ts(const char *s)
{
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2),
        mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (y < 0 || mo < 1 || d < 1 || h < 0 || mi < 0 || se < 0 || s[4] != '-' || s[7] != '-' ||
        s[10] != ' ' || s[13] != ':' || s[16] != ':')
        bad("timestamp", s);
    const char *p = s + 19;
    int64_t us = 0;
    if (*p == '.') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++)
            us = us * 10 + (*p - '0');
        if (n < 1 || n > 6)
            bad("timestamp", s);
        for (; n < 6; n++)
            us *= 10;
    }
    if (p[0] != '+' || p[1] != '0' || p[2] != '0' || p[3] != '\0')
        bad("timestamp (want TimeZone UTC)", s);
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    return ((days * 86400 + h * 3600 + mi * 60 + se) * INT64_C(1000000)) + us;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void bench_parse_uuid(const char *s, uint8_t out[16])
{
    const char *p = s;
    for (int i = 0; i < 16; i++) {
        if (*p == '-')
            p++;
        int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
        if (lo < 0)
            bad("uuid", s);
        out[i] = (uint8_t)(hi * 16 + lo);
        p += 2;
    }
    if (*p)
        bad("uuid", s);
}

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void bench_report(const char *mode, const bench_acc *a, double t0)
{
    double t = bench_now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s %llu %.6f %ld %016llx\n", mode, (unsigned long long)a->rows, t, ru.ru_maxrss,
           (unsigned long long)bench_acc_sum(a));
}
