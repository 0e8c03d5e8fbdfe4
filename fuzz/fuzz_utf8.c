/* fuzz_utf8.c - libFuzzer target for gen/inputcheck.c.
 *
 * Checks the fast UTF-8 validator against a byte-at-a-time reference
 * decoder (RFC 3629 by code point value), that the validator never reads
 * past n (ASan, on an exact-size copy), and that escaping a name gives
 * printable text: no control byte, valid UTF-8, within the buffer.
 */
#include "util/inputcheck.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t ref_invalid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], len, cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0)
            len = 2, cp = c & 0x1f;
        else if ((c & 0xf0) == 0xe0)
            len = 3, cp = c & 0x0f;
        else if ((c & 0xf8) == 0xf0)
            len = 4, cp = c & 0x07;
        else
            return i;
        if (n - i < len)
            return i;
        for (unsigned k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *exact = malloc(size ? size : 1); /* no NUL after it: reads past n trap */
    if (!exact)
        return 0;
    memcpy(exact, data, size);
    if (pgmcg_utf8_invalid(exact, size) != ref_invalid(data, size))
        abort();
    free(exact);

    char *name = malloc(size + 1);
    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';
    size_t cap = size % 64 + 1;
    char out[80];
    memset(out, 'Z', sizeof out);
    pgmcg_escape_name(name, out, cap);
    size_t n = strlen(out);
    if (n >= cap || (cap < sizeof out && out[cap] != 'Z'))
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c < 0x20 || c == 0x7f ||
            (c == 0xc2 && (unsigned char)out[i + 1] < 0xa0 && (unsigned char)out[i + 1] >= 0x80))
            abort();
    }
    if (pgmcg_utf8_invalid(out, n) != n || pgmcg_name_problem(out) != NULL)
        abort();
    free(name);
    return 0;
}
