/* emit.c - see emit.h. The hot path is pgmcg_emit_string: one pass that
 * finds the next byte needing an escape (16 at a time with SSE2, else a
 * byte-class table), copies the plain run before it with memcpy, and
 * reserves space per 64 KiB chunk, not per line. */
#include "emit/emit.h"

#include "emit/emit_rows.h"

#include <stdio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 1 for bytes that need an escape or special handling: control bytes,
 * non-ASCII, '"', '\\' and '?'; 0 for bytes copied as they are. */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* First byte in s[i..end) that is special (or '\n'), or end. */
static size_t next_special(const char *s, size_t i, size_t end)
{
#ifdef __SSE2__
    const __m128i ctl = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f), dq = _mm_set1_epi8('"'),
                  bs = _mm_set1_epi8('\\'), qm = _mm_set1_epi8('?');
    while (end - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* Signed compare: bytes >= 0x80 are negative, so "< 0x20" also
         * catches non-ASCII. */
        __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, ctl), _mm_cmpeq_epi8(v, del));
        m = _mm_or_si128(m,
                         _mm_or_si128(_mm_cmpeq_epi8(v, dq),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(v, qm))));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (unsigned)__builtin_ctz(bits);
        i += 16;
    }
#endif
    while (i < end && !special[(unsigned char)s[i]])
        i++;
    return i;
}

void pgmcg_emit_string(pgmcg_buf *b, const char *s, size_t n, const char *indent)
{
    size_t ind = strlen(indent);
    if (n == 0) {
        pgmcg_buf_add(b, "\"\"", 2);
        return;
    }
    /* One pass over the input in chunks; space for the worst case of a
     * chunk is reserved up front: 4 bytes out per byte in (octal escape),
     * or 4 + indent for a newline (\n" newline indent "), plus the quotes. */
    const size_t per = 4 + ind, chunk = 65536;
    size_t i = 0;
    int open = 0; /* inside a literal */
    while (i < n) {
        size_t end = n - i > chunk ? i + chunk : n;
        if (pgmcg_buf_reserve(b, (end - i) * per + 8))
            return;
        char *o = b->p + b->len;
        if (!open) {
            *o++ = '"';
            open = 1;
        }
        while (i < end) {
            size_t r = next_special(s, i, end);
            memcpy(o, s + i, r - i);
            o += r - i;
            if (r == end) {
                i = end;
                break;
            }
            unsigned char c = (unsigned char)s[r];
            i = r + 1;
            *o++ = '\\';
            switch (c) {
            case '\n':
                *o++ = 'n';
                *o++ = '"';
                if (i < n) {
                    *o++ = '\n';
                    memcpy(o, indent, ind);
                    o += ind;
                    *o++ = '"';
                } else {
                    open = 0;
                }
                break;
            case '"':
            case '\\':
                *o++ = (char)c;
                break;
            case '?':
                if (r > 0 && s[r - 1] == '?') {
                    *o++ = '?';
                } else {
                    o[-1] = '?'; /* a lone '?' needs no escape */
                }
                break;
            case '\t':
                *o++ = 't';
                break;
            case '\r':
                *o++ = 'r';
                break;
            default:
                /* Always three octal digits, so a following digit can never
                 * extend the escape (unlike \x, which is greedy). */
                *o++ = (char)('0' + (c >> 6));
                *o++ = (char)('0' + ((c >> 3) & 7));
                *o++ = (char)('0' + (c & 7));
                break;
            }
        }
        b->len = (size_t)(o - b->p);
    }
    if (open)
        pgmcg_buf_putc(b, '"');
}

/* One literal, no line splitting ("\n" escaped): for file names and notes. */
static void put_cstr(pgmcg_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (pgmcg_buf_reserve(b, n * 4 + 2))
        return;
    char *o = b->p + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!special[c]) {
            *o++ = (char)c;
        } else if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == '?') {
            if (i > 0 && s[i - 1] == '?')
                *o++ = '\\';
            *o++ = '?';
        } else {
            *o++ = '\\';
            *o++ = (char)('0' + (c >> 6));
            *o++ = (char)('0' + ((c >> 3) & 7));
            *o++ = (char)('0' + (c & 7));
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->p);
}

void pgmcg_emit_comment_text(pgmcg_buf *b, const char *s, size_t n, size_t max)
{
    /* Every input byte writes at most two, and writing stops after max. */
    if (pgmcg_buf_reserve(b, max + 8))
        return;
    char *o = b->p + b->len;
    size_t out = 0, i = 0;
    char prev = ' '; /* suppress leading spaces */
    for (; i < n && out < max; i++) {
        char c = s[i];
        unsigned char u = (unsigned char)c;
        if (u > ' ' && u < 0x7f && c != '*' && c != '/' && c != '?') {
            *o++ = c; /* the common case: printable, cannot form a pair */
            prev = c;
            out++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            if (prev == ' ')
                continue;
            c = ' ';
        } else if (u < 0x20 || u >= 0x7f) {
            c = '.';
        }
        /* Never form a comment opener or closer, nor a trigraph. */
        if ((prev == '*' && c == '/') || (prev == '/' && c == '*') || (prev == '?' && c == '?')) {
            *o++ = ' ';
            out++;
        }
        *o++ = c;
        prev = c;
        out++;
    }
    b->len = (size_t)(o - b->p);
    if (i < n) {
        /* Something was left out: skip if it is only whitespace. */
        size_t j = i;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
            j++;
        if (j < n)
            pgmcg_buf_add(b, prev == '.' ? " ..." : "...", prev == '.' ? 4 : 3);
    }
    while (b->len && b->p[b->len - 1] == ' ')
        b->len--;
}

/* ---- the .c file ---- */

/* C identifier stem for a migration: "m" + version as spelled ("m0003",
 * "m1_2"), "r<n>" for the n-th repeatable one. */
static void ident(char *out, size_t n, const pgmcg_gen_migration *m, size_t repeat_no)
{
    if (m->kind == PGMC_REPEATABLE) {
        snprintf(out, n, "r%zu", repeat_no);
        return;
    }
    size_t o = 0;
    out[o++] = 'm';
    for (const char *s = m->version_raw; *s && o + 1 < n; s++) {
        char c = *s;
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        out[o++] = ok ? c : '_';
    }
    out[o] = '\0';
}

static const char *mode_word(pgmc_tx_mode m)
{
    return m == PGMC_TX_NONE ? "no transaction" : "transactional";
}

/* Header comment of one migration. */
static void migration_comment(pgmcg_buf *b, const pgmcg_gen_migration *m)
{
    pgmcg_buf_puts(b, "/* ");
    if (m->kind == PGMC_REPEATABLE) {
        pgmcg_buf_puts(b, "repeatable ");
    } else {
        pgmcg_emit_comment_text(b, m->version_raw, strlen(m->version_raw), 64);
        pgmcg_buf_putc(b, ' ');
    }
    pgmcg_emit_comment_text(b, m->name, strlen(m->name), 80);
    pgmcg_buf_puts(b, ": ");
    const char *up = m->up.input->rel;
    pgmcg_emit_comment_text(b, up, strlen(up), 120);
    if (m->down.input) {
        const char *dn = m->down.input->rel;
        size_t ul = strlen(up), dl = strlen(dn);
        if (m->down.input == m->up.input) {
            pgmcg_buf_puts(b, " (up and down sections)");
        } else if (ul > 7 && dl > 9 && !strcmp(up + ul - 7, ".up.sql") &&
                   !strcmp(dn + dl - 9, ".down.sql") && ul - 7 == dl - 9 &&
                   !memcmp(up, dn, ul - 7)) {
            pgmcg_buf_puts(b, " / .down.sql");
        } else {
            pgmcg_buf_puts(b, " / ");
            pgmcg_emit_comment_text(b, dn, dl, 120);
        }
        if (m->up.tx_mode == m->down.tx_mode) {
            pgmcg_buf_puts(b, ", ");
            pgmcg_buf_puts(b, mode_word(m->up.tx_mode));
        } else {
            pgmcg_buf_puts(b, ", up ");
            pgmcg_buf_puts(b, mode_word(m->up.tx_mode));
            pgmcg_buf_puts(b, ", down ");
            pgmcg_buf_puts(b, mode_word(m->down.tx_mode));
        }
    } else {
        pgmcg_buf_puts(b, ", ");
        pgmcg_buf_puts(b, mode_word(m->up.tx_mode));
        pgmcg_buf_puts(b, ", no down");
    }
    pgmcg_buf_puts(b, " */\n");
}

/* static const char <id>_<dir>_sql[]. */
static void script_sql(pgmcg_buf *b, const char *id, const char *dir, const pgmcg_gen_script *s)
{
    pgmcg_buf_printf(b, "static const char %s_%s_sql[] =\n    ", id, dir);
    pgmcg_emit_string(b, s->sql, s->sql_len, "    ");
    pgmcg_buf_puts(b, ";\n");
}

/* The rows of one script in the shared statement table, under a heading. */
static void script_statements(pgmcg_buf *b, const char *id, const char *dir,
                              const pgmcg_gen_script *s)
{
    if (!s->stmts.n)
        return;
    unsigned w[4] = {1, 1, 1, 1};
    for (size_t i = 0; i < s->stmts.n; i++) {
        const pgmc_statement *st = &s->stmts.v[i];
        const uint32_t f[4] = {st->offset, st->length, st->line, st->column};
        for (int k = 0; k < 4; k++) {
            unsigned d = pgmcg_udigits(f[k]);
            if (d > w[k])
                w[k] = d;
        }
    }
    pgmcg_buf_printf(b, "    /* %s_%s_sql: ", id, dir);
    pgmcg_emit_comment_text(b, s->input->rel, strlen(s->input->rel), 120);
    pgmcg_buf_puts(b, " */\n");
    for (size_t i = 0; i < s->stmts.n; i++) {
        const pgmc_statement *st = &s->stmts.v[i];
        pgmcg_buf_puts(b, "    {");
        pgmcg_buf_putu(b, st->offset, w[0]);
        pgmcg_buf_puts(b, ", ");
        pgmcg_buf_putu(b, st->length, w[1]);
        pgmcg_buf_puts(b, ", ");
        pgmcg_buf_putu(b, st->line, w[2]);
        pgmcg_buf_puts(b, ", ");
        pgmcg_buf_putu(b, st->column, w[3]);
        pgmcg_buf_puts(b, "}, /* ");
        pgmcg_emit_comment_text(b, s->sql + st->offset, st->length, 40);
        pgmcg_buf_puts(b, " */\n");
    }
}

static void script_init(pgmcg_buf *b, const char *prefix, const char *id, const char *dir,
                        const pgmcg_gen_script *s, size_t *first_stmt)
{
    pgmcg_buf_printf(b, "        .%s = {\n            .file = ", dir);
    put_cstr(b, s->input->rel);
    pgmcg_buf_printf(b, ",\n            .sql = %s_%s_sql,\n            .sql_len = ", id, dir);
    pgmcg_buf_putu(b, s->sql_len, 0);
    if (s->stmts.n) {
        pgmcg_buf_printf(b, ",\n            .statements = %s_statements + ", prefix);
        pgmcg_buf_putu(b, *first_stmt, 0);
        pgmcg_buf_puts(b, ",\n");
        *first_stmt += s->stmts.n;
    } else
        pgmcg_buf_puts(b, ",\n            .statements = NULL,\n");
    pgmcg_buf_puts(b, "            .n_statements = ");
    pgmcg_buf_putu(b, s->stmts.n, 0);
    pgmcg_buf_puts(b, s->tx_mode == PGMC_TX_NONE
                          ? ",\n            .tx_mode = PGMC_TX_NONE,\n"
                          : ",\n            .tx_mode = PGMC_TX_TRANSACTION,\n");
    pgmcg_buf_puts(b, "            .tx_note = ");
    if (s->tx_note)
        put_cstr(b, s->tx_note);
    else
        pgmcg_buf_puts(b, "NULL");
    pgmcg_buf_puts(b, ",\n        },\n");
}

static void banner(pgmcg_buf *b, const char *file, const pgmcg_project *p, const char *hex)
{
    pgmcg_buf_printf(b,
                     "/* %s - generated by pgmc " PGMC_VERSION_STRING ". DO NOT EDIT.\n"
                     " * From %zu %s migration%s; inputs sha256 %s\n"
                     " */\n",
                     file, p->n_migs, p->format, p->n_migs == 1 ? "" : "s", hex);
}

int pgmcg_emit(const pgmcg_project *p, const char *prefix, const char *inputs_hex, pgmcg_buf *h,
               pgmcg_buf *c)
{
    return pgmcg_emit_full(p, prefix, inputs_hex, NULL, NULL, h, c);
}

int pgmcg_emit_full(const pgmcg_project *p, const char *prefix, const char *inputs_hex,
                    const pgmcg_catalog *cat, const char *catalog_flat, pgmcg_buf *h, pgmcg_buf *c)
{
    char fname[300];

    /* ---- <prefix>.h ---- */
    snprintf(fname, sizeof fname, "%s.h", prefix);
    banner(h, fname, p, inputs_hex);
    pgmcg_buf_printf(h,
                     "#ifndef PGMC_GENERATED_%s_H\n"
                     "#define PGMC_GENERATED_%s_H\n\n"
                     "#include \"pgmc_schema.h\"\n\n"
                     "#if PGMC_ABI_VERSION != 2\n"
                     "#error Regenerate this file with pgmc " PGMC_VERSION_STRING "\n"
                     "#endif\n\n"
                     "#ifdef __cplusplus\n"
                     "extern \"C\" {\n"
                     "#endif\n\n"
                     "/* Pass to pgmc_main() or the pgmc_up() family. */\n"
                     "extern const pgmc_schema %s_schema;\n",
                     prefix, prefix, prefix);
    pgmcg_buf rows_c = {0};
    size_t n_tables = 0, n_enums = 0;
    if (pgmcg_emit_rows(cat, prefix, h, &rows_c, &n_tables, &n_enums)) {
        pgmcg_buf_free(&rows_c);
        return -1;
    }
    pgmcg_buf_puts(h, "\n#ifdef __cplusplus\n"
                      "}\n"
                      "#endif\n\n"
                      "#endif\n");

    /* ---- <prefix>.c ---- */
    snprintf(fname, sizeof fname, "%s.c", prefix);
    banner(c, fname, p, inputs_hex);
    pgmcg_buf_printf(c, "#include \"%s.h\"\n\n#include <stddef.h>\n%s\n", prefix,
                     n_enums ? "#include <string.h>\n" : "");
    pgmcg_buf_puts(c, "/* Each script is one string literal, one source line per C line. C11 only\n"
                      " * promises 4095 characters per literal, so -Wpedantic warns about longer\n"
                      " * ones (-Woverlength-strings); gcc and clang accept any length, so that\n"
                      " * warning is switched off for this file. */\n"
                      "#if defined(__GNUC__)\n"
                      "#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n"
                      "#endif\n");

    char id[96];
    size_t repeat_no = 0;
    for (size_t i = 0; i < p->n_migs; i++) {
        const pgmcg_gen_migration *m = &p->migs[i];
        if (m->kind == PGMC_REPEATABLE)
            repeat_no++;
        ident(id, sizeof id, m, repeat_no);
        pgmcg_buf_putc(c, '\n');
        migration_comment(c, m);
        script_sql(c, id, "up", &m->up);
        if (m->down.input)
            script_sql(c, id, "down", &m->down);
    }

    /* One statement table for all scripts: thousands of small tables, many
     * with equal contents, make gcc -O2's identical-code folding (ipa-icf)
     * take minutes; one array keeps compile time linear. */
    size_t n_stmts = 0;
    for (size_t i = 0; i < p->n_migs; i++)
        n_stmts += p->migs[i].up.stmts.n + p->migs[i].down.stmts.n;
    if (n_stmts) {
        pgmcg_buf_printf(c,
                         "\n/* {offset, length, line, column} of every statement. */\n"
                         "static const pgmc_statement %s_statements[] = {\n",
                         prefix);
        repeat_no = 0;
        for (size_t i = 0; i < p->n_migs; i++) {
            const pgmcg_gen_migration *m = &p->migs[i];
            if (m->kind == PGMC_REPEATABLE)
                repeat_no++;
            ident(id, sizeof id, m, repeat_no);
            script_statements(c, id, "up", &m->up);
            if (m->down.input)
                script_statements(c, id, "down", &m->down);
        }
        pgmcg_buf_puts(c, "};\n");
    }

    /* C has no empty initializer lists: no migrations, no array. */
    if (p->n_migs)
        pgmcg_buf_printf(c, "\nstatic const pgmc_migration %s_migrations[] = {\n", prefix);
    repeat_no = 0;
    size_t first_stmt = 0;
    static const char hexd[] = "0123456789abcdef";
    for (size_t i = 0; i < p->n_migs; i++) {
        const pgmcg_gen_migration *m = &p->migs[i];
        if (m->kind == PGMC_REPEATABLE)
            repeat_no++;
        ident(id, sizeof id, m, repeat_no);
        pgmcg_buf_puts(c, "    {\n        .version = ");
        put_cstr(c, m->version);
        pgmcg_buf_puts(c, ",\n        .name = ");
        put_cstr(c, m->name);
        pgmcg_buf_puts(c, m->kind == PGMC_REPEATABLE ? ",\n        .kind = PGMC_REPEATABLE,\n"
                                                     : ",\n        .kind = PGMC_VERSIONED,\n");
        script_init(c, prefix, id, "up", &m->up, &first_stmt);
        if (m->down.input)
            script_init(c, prefix, id, "down", &m->down, &first_stmt);
        pgmcg_buf_puts(c, "        .checksum = {");
        char hex[65];
        for (int k = 0; k < 32; k++) {
            if (k == 16)
                pgmcg_buf_puts(c, "\n                     ");
            char x[6] = {'0', 'x', hexd[m->checksum[k] >> 4], hexd[m->checksum[k] & 15], ',', ' '};
            pgmcg_buf_add(c, x, k == 31 ? 4 : k == 15 ? 5 : 6);
            hex[2 * k] = x[2];
            hex[2 * k + 1] = x[3];
        }
        hex[64] = '\0';
        pgmcg_buf_printf(c, "},\n        .checksum_hex = \"%s\",\n    },\n", hex);
    }
    if (p->n_migs)
        pgmcg_buf_puts(c, "};\n");
    if (rows_c.len)
        pgmcg_buf_add(c, rows_c.p, rows_c.len);
    pgmcg_buf_free(&rows_c);
    pgmcg_buf_puts(c, "\n/* The final schema's flat form (pgmc_catalog_flat), for `verify`. */\n"
                      "static const char ");
    pgmcg_buf_puts(c, prefix);
    pgmcg_buf_puts(c, "_catalog_flat[] =\n    ");
    pgmcg_emit_string(c, catalog_flat ? catalog_flat : "", catalog_flat ? strlen(catalog_flat) : 0,
                      "    ");
    pgmcg_buf_puts(c, ";\n\n");
    pgmcg_buf_printf(c,
                     "const pgmc_schema %s_schema = {\n"
                     "    .abi_version = 2,\n"
                     "    .generator = \"pgmc " PGMC_VERSION_STRING "\",\n"
                     "    .prefix = \"%s\",\n"
                     "    .format = \"%s\",\n"
                     "    .inputs_hash = \"%s\",\n"
                     "    .migrations = %s%s,\n"
                     "    .n_migrations = %zu,\n",
                     prefix, prefix, p->format, inputs_hex, p->n_migs ? prefix : "NULL",
                     p->n_migs ? "_migrations" : "", p->n_migs);
    if (n_tables)
        pgmcg_buf_printf(c, "    .tables = %s_table_list,\n    .n_tables = %zu,\n", prefix,
                         n_tables);
    else
        pgmcg_buf_puts(c, "    .tables = NULL,\n    .n_tables = 0,\n");
    if (n_enums)
        pgmcg_buf_printf(c, "    .enums = %s_enum_list,\n    .n_enums = %zu,\n", prefix, n_enums);
    else
        pgmcg_buf_puts(c, "    .enums = NULL,\n    .n_enums = 0,\n");
    pgmcg_buf_printf(c, "    .catalog_flat = %s_catalog_flat,\n};\n", prefix);
    return h->oom || c->oom ? -1 : 0;
}
