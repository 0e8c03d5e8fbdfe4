/* sha256.c - SHA-256 after FIPS 180-4, written for pgmc.
 *
 * Two block functions: a portable C one, and on x86 one built on the SHA
 * extensions (SHA-NI: sha256rnds2/msg1/msg2), picked once at run time by
 * CPUID. SHA-NI is ~8x faster, which matters because every input byte is
 * hashed (inputs hash and checksums). pgmcg_sha256_set_impl forces a choice,
 * so tests cover both.
 */
#include "util/sha256.h"

#include <stdatomic.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define PGMC_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* Portable block function: n blocks of 64 bytes at p. */
static void compress_c(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 =
            k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

static void blocks_c(uint32_t h[8], const uint8_t *p, size_t n)
{
    for (; n; n--, p += 64)
        compress_c(h, p);
}

#ifdef PGMC_SHA_NI
/* SHA-NI block function, after Intel's reference ("Intel SHA Extensions",
 * 2013) as used by many public-domain implementations. The state is kept as
 * ABEF / CDGH in two registers, as sha256rnds2 wants it. */
__attribute__((target("sha,sse4.1"))) static void blocks_ni(uint32_t h[8], const uint8_t *p,
                                                            size_t n)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i t = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);  /* DCBA */
    __m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]); /* HGFE */
    t = _mm_shuffle_epi32(t, 0xB1);                                     /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);                                   /* EFGH */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);                             /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);                                  /* CDGH */

    for (; n; n--, p += 64) {
        __m128i a0 = s0, c0 = s1, msg, m0, m1, m2, m3;
        const __m128i *k = (const __m128i *)(const void *)K;

        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 0)), bswap);
        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);

/* Four rounds with message words mi, then extend the schedule. */
#define ROUNDS4(mi, k4)                                                                            \
    do {                                                                                           \
        msg = _mm_add_epi32(mi, _mm_loadu_si128(k + (k4)));                                        \
        s1 = _mm_sha256rnds2_epu32(s1, s0, msg);                                                   \
        s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));                          \
    } while (0)
/* W[i..i+3] into ma, from ma (i-16), mb (i-12), mc (i-8), md (i-4). */
#define SCHED(ma, mb, mc, md)                                                                      \
    do {                                                                                           \
        ma = _mm_sha256msg1_epu32(ma, mb);                                                         \
        ma = _mm_add_epi32(ma, _mm_alignr_epi8(md, mc, 4));                                        \
        ma = _mm_sha256msg2_epu32(ma, md);                                                         \
    } while (0)

        ROUNDS4(m0, 0);
        ROUNDS4(m1, 1);
        ROUNDS4(m2, 2);
        ROUNDS4(m3, 3);
        for (int i = 4; i < 16; i += 4) {
            SCHED(m0, m1, m2, m3);
            ROUNDS4(m0, i);
            SCHED(m1, m2, m3, m0);
            ROUNDS4(m1, i + 1);
            SCHED(m2, m3, m0, m1);
            ROUNDS4(m2, i + 2);
            SCHED(m3, m0, m1, m2);
            ROUNDS4(m3, i + 3);
        }
#undef ROUNDS4
#undef SCHED
        s0 = _mm_add_epi32(s0, a0);
        s1 = _mm_add_epi32(s1, c0);
    }

    t = _mm_shuffle_epi32(s0, 0x1B);   /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);  /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0); /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)(void *)&h[0], s0);
    _mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}

/* 1 if the CPU has SHA-NI, SSSE3 and SSE4.1. */
static int cpu_has_sha_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
        return 0;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1;
}
#endif

typedef void (*blocks_fn)(uint32_t h[8], const uint8_t *p, size_t n);
/* Chosen on first use. Atomic because the generator hashes from several
 * threads; every value it can hold is a correct function. */
static _Atomic(blocks_fn) blocks_ptr;

static blocks_fn best(void)
{
#ifdef PGMC_SHA_NI
    if (cpu_has_sha_ni())
        return blocks_ni;
#endif
    return blocks_c;
}

static void blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
    blocks_fn f = atomic_load_explicit(&blocks_ptr, memory_order_relaxed);
    if (!f) {
        f = best();
        atomic_store_explicit(&blocks_ptr, f, memory_order_relaxed);
    }
    f(h, p, n);
}

const char *pgmcg_sha256_set_impl(const char *name)
{
    blocks_fn f = name && !strcmp(name, "portable") ? blocks_c : best();
    atomic_store(&blocks_ptr, f);
    return f == blocks_c ? "portable" : "sha-ni";
}

void pgmcg_sha256_init(pgmcg_sha256_ctx *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->total = 0;
    c->fill = 0;
}

void pgmcg_sha256_update(pgmcg_sha256_ctx *c, const void *data, size_t n)
{
    const uint8_t *p = data;
    c->total += n;
    if (c->fill) {
        size_t take = 64 - c->fill < n ? 64 - c->fill : n;
        memcpy(c->block + c->fill, p, take);
        c->fill += take;
        p += take;
        n -= take;
        if (c->fill < 64)
            return;
        blocks(c->h, c->block, 1);
        c->fill = 0;
    }
    if (n >= 64) {
        blocks(c->h, p, n / 64);
        p += n / 64 * 64;
        n %= 64;
    }
    if (n) {
        memcpy(c->block, p, n);
        c->fill = n;
    }
}

void pgmcg_sha256_final(pgmcg_sha256_ctx *c, uint8_t out[32])
{
    uint64_t bits = c->total * 8;
    uint8_t pad[72] = {0x80};
    size_t padlen = (c->fill < 56 ? 56 : 120) - c->fill;
    for (int i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
    pgmcg_sha256_update(c, pad, padlen + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
}

void pgmcg_sha256(const void *p, size_t n, uint8_t out[32])
{
    pgmcg_sha256_ctx c;
    pgmcg_sha256_init(&c);
    pgmcg_sha256_update(&c, p, n);
    pgmcg_sha256_final(&c, out);
}

void pgmcg_sha256_hex(const uint8_t digest[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}
