/* sha256.h - a small SHA-256 (FIPS 180-4), for migration checksums and the
 * inputs hash in the generated banner. No allocation; the context lives
 * wherever the caller puts it.
 */
#ifndef PGMC_SHA256_H
#define PGMC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct pgmcg_sha256 {
    uint32_t h[8];
    uint64_t total; /* bytes fed so far */
    uint8_t block[64];
    size_t fill; /* bytes in block */
} pgmcg_sha256_ctx;

/* Start a new hash. */
void pgmcg_sha256_init(pgmcg_sha256_ctx *c);
/* Feed `n` bytes at `p` (p may be NULL when n == 0). */
void pgmcg_sha256_update(pgmcg_sha256_ctx *c, const void *p, size_t n);
/* Finish and write the 32-byte digest to out. The context is spent. */
void pgmcg_sha256_final(pgmcg_sha256_ctx *c, uint8_t out[32]);
/* One-shot convenience: digest of p[0..n). */
void pgmcg_sha256(const void *p, size_t n, uint8_t out[32]);
/* Choose the block function: "portable" forces the C one; anything else
 * (or NULL) picks the fastest the CPU supports (SHA-NI on x86 when present).
 * Returns the name in use: "portable" or "sha-ni". The choice is global and
 * made automatically on first use, so callers need not call this (tests do,
 * to cover both); call it while no other thread is hashing. */
const char *pgmcg_sha256_set_impl(const char *name);
/* Write 64 lowercase hex digits and a NUL to hex[65]. */
void pgmcg_sha256_hex(const uint8_t digest[32], char hex[65]);

#endif
