/* conn.c - opening connections (DATABASE_URL / libpq defaults), describing
 * the target without secrets, and scrubbing passwords out of messages. */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

#define PGMC_MASK     "********"
#define PGMC_MASK_LEN 8
#define MAX_SECRETS   8
#define SECRET_CAP    512

typedef struct secrets {
    char s[MAX_SECRETS][SECRET_CAP];
    int n;
} secrets;

static void add_secret(secrets *z, const char *p, size_t len)
{
    int i;

    if (len == 0 || len >= SECRET_CAP || z->n >= MAX_SECRETS)
        return;
    for (i = 0; i < z->n; i++)
        if (strlen(z->s[i]) == len && memcmp(z->s[i], p, len) == 0)
            return;
    memcpy(z->s[z->n], p, len);
    z->s[z->n][len] = '\0';
    z->n++;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Add both the raw text and its %-decoded form. */
static void add_url_secret(secrets *z, const char *p, size_t len)
{
    char dec[SECRET_CAP];
    size_t i, o = 0;

    add_secret(z, p, len);
    for (i = 0; i < len && o + 1 < sizeof dec; i++) {
        if (p[i] == '%' && i + 2 < len && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
            dec[o++] = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
            i += 2;
        } else {
            dec[o++] = p[i];
        }
    }
    add_secret(z, dec, o);
}

/* Find passwords by hand too, in case libpq cannot parse the string (its
 * parse error could quote the text around the password). */
static void scan_secrets(secrets *z, const char *ci)
{
    const char *p, *q;
    int is_url = strncmp(ci, "postgresql://", 13) == 0 || strncmp(ci, "postgres://", 11) == 0;

    if (is_url) {
        const char *end, *at = NULL, *colon, *f;
        p = strstr(ci, "://") + 3;
        for (q = p; *q && *q != '@' && *q != '/'; q++)
            ;
        if (*q == '@') {
            colon = memchr(p, ':', (size_t)(q - p));
            if (colon)
                add_url_secret(z, colon + 1, (size_t)(q - colon - 1));
        }
        /* A password with an unencoded '/' or '@' (base64, say) defeats the
         * parse above and libpq's alike, and libpq's error then quotes a
         * piece of it: take everything from the first ':' to the last '@'
         * before the query, and its pieces between '/', '@' and ':' too. */
        end = strchr(p, '?');
        if (!end)
            end = p + strlen(p);
        for (q = p; q < end; q++)
            if (*q == '@')
                at = q;
        colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
        if (colon) {
            add_url_secret(z, colon + 1, (size_t)(at - colon - 1));
            for (f = colon + 1; f < at;) {
                const char *g = f;
                while (g < at && *g != '/' && *g != '@' && *g != ':')
                    g++;
                if (g - f >= 4)
                    add_url_secret(z, f, (size_t)(g - f));
                f = g + 1;
            }
        }
    }
    for (p = ci; (p = strstr(p, "password")) != NULL;) {
        p += 8;
        q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '=')
            continue;
        q++;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '\'') {
            char val[SECRET_CAP];
            size_t o = 0;
            const char *start = ++q;
            for (; *q && *q != '\''; q++) {
                if (*q == '\\' && q[1])
                    q++;
                if (o + 1 < sizeof val)
                    val[o++] = *q;
            }
            add_secret(z, val, o);
            add_secret(z, start, (size_t)(q - start));
        } else {
            const char *start = q;
            while (*q && !isspace((unsigned char)*q) && !(is_url && *q == '&'))
                q++;
            if (is_url)
                add_url_secret(z, start, (size_t)(q - start));
            else
                add_secret(z, start, (size_t)(q - start));
        }
        p = q;
    }
}

static void collect_secrets(secrets *z, const char *conninfo)
{
    const char *env = getenv("PGPASSWORD");

    memset(z, 0, sizeof *z);
    if (conninfo && conninfo[0]) {
        char *err = NULL;
        PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
        if (opts) {
            PQconninfoOption *o;
            for (o = opts; o->keyword; o++)
                if (strcmp(o->keyword, "password") == 0 && o->val)
                    add_secret(z, o->val, strlen(o->val));
            PQconninfoFree(opts);
        }
        PQfreemem(err);
        scan_secrets(z, conninfo);
    }
    if (env)
        add_secret(z, env, strlen(env));
}

size_t pgmc__mask_secret(char *buf, size_t cap, const char *secret)
{
    size_t sl = secret ? strlen(secret) : 0, count = 0, len, k;
    char *p = buf;

    if (sl == 0 || cap == 0)
        return 0;
    while ((p = strstr(p, secret)) != NULL) {
        size_t pos = (size_t)(p - buf);
        size_t tail;
        /* A very short secret is masked where it stands alone, not inside
         * every word that happens to contain it. */
        if (sl < 4 &&
            ((pos > 0 && isalnum((unsigned char)p[-1])) || isalnum((unsigned char)p[sl]))) {
            p++;
            continue;
        }
        len = strlen(buf);
        tail = len - pos - sl;
        if (pos + PGMC_MASK_LEN + tail >= cap) {
            if (pos + PGMC_MASK_LEN >= cap) {
                memcpy(p, PGMC_MASK, cap - 1 - pos);
                buf[cap - 1] = '\0';
                return count + 1;
            }
            tail = cap - 1 - pos - PGMC_MASK_LEN;
        }
        memmove(p + PGMC_MASK_LEN, p + sl, tail);
        memcpy(p, PGMC_MASK, PGMC_MASK_LEN);
        buf[pos + PGMC_MASK_LEN + tail] = '\0';
        p += PGMC_MASK_LEN;
        count++;
    }
    /* A truncated message must not end in the first characters of it. */
    len = strlen(buf);
    for (k = sl - 1 < len ? sl - 1 : len; k >= 3; k--)
        if (memcmp(buf + len - k, secret, k) == 0) {
            buf[len - k] = '\0';
            count++;
            break;
        }
    return count;
}

size_t pgmc_redact(char *buf, size_t cap, const char *conninfo)
{
    secrets z;
    size_t n = 0;
    int i;

    if (!buf || cap == 0)
        return 0;
    collect_secrets(&z, conninfo);
    for (i = 0; i < z.n; i++)
        n += pgmc__mask_secret(buf, cap, z.s[i]);
    return n;
}

/* 1 if `ci` is a URL whose userinfo (up to the last '@' before the query)
 * holds an unencoded '@' or '/': libpq would split it in the wrong place,
 * take part of the password for a host or port, and quote it in its error. */
static int url_userinfo_malformed(const char *ci)
{
    const char *p, *end, *q, *at = NULL;

    if (strncmp(ci, "postgresql://", 13) != 0 && strncmp(ci, "postgres://", 11) != 0)
        return 0;
    p = strstr(ci, "://") + 3;
    end = strchr(p, '?');
    if (!end)
        end = p + strlen(p);
    for (q = p; q < end; q++)
        if (*q == '@')
            at = q;
    if (!at)
        return 0;
    for (q = p; q < at; q++)
        if (*q == '@' || *q == '/')
            return 1;
    return 0;
}

/* One attempt; NULL with res filled (password-free) on failure. */
static PGconn *connect_once(const char *conninfo, pgmc_result *res)
{
    const char *const kw[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {NULL, "pgmc", NULL};
    PGconn *conn;
    size_t n;

    if (url_userinfo_malformed(conninfo)) {
        res->code = PGMC_ERR_CONNECT;
        res->statement = 1; /* final: waiting will not fix it */
        pgmc__copy(res->message, sizeof res->message,
                   "the connection URL's user or password contains an unencoded '@' or '/': "
                   "percent-encode them (%40, %2F)");
        return NULL;
    }
    vals[0] = conninfo;
    conn = PQconnectdbParams(kw, vals, 1);
    if (!conn) {
        res->code = PGMC_ERR_NOMEM;
        pgmc__copy(res->message, sizeof res->message, "out of memory");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        pgmc__copy(res->message, sizeof res->message, PQerrorMessage(conn));
        n = strlen(res->message);
        while (n > 0 && (res->message[n - 1] == '\n' || res->message[n - 1] == ' '))
            res->message[--n] = '\0';
        if (!res->message[0])
            pgmc__copy(res->message, sizeof res->message, "could not connect");
        pgmc_redact(res->message, sizeof res->message, conninfo);
        res->code = PGMC_ERR_CONNECT;
        /* A wrong or missing password will not fix itself by waiting. */
        if (PQconnectionNeedsPassword(conn) || PQconnectionUsedPassword(conn))
            res->statement = 1; /* marks "do not retry" for pgmc_connect only */
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, pgmc__quiet_notices, NULL);
    return conn;
}

/* libpq's message on one line, for a log line: each line break and the
 * tabs that indent the next line become "; ". */
static void one_line(char *dst, size_t cap, const char *src)
{
    size_t o = 0;

    for (; *src && o + 3 < cap; src++) {
        if (*src == '\n') {
            while (src[1] == '\t' || src[1] == ' ')
                src++;
            if (src[1])
                dst[o++] = ';', dst[o++] = ' ';
        } else {
            dst[o++] = *src;
        }
    }
    dst[o] = '\0';
}

PGconn *pgmc_connect(const char *conninfo, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_result scratch;
    PGconn *conn;
    pgmc_backoff b;
    int64_t start = pgmc__now_ms();
    long wait_ms = opt ? opt->connect_wait_ms : 0;
    unsigned attempts = 1;

    if (!res)
        res = &scratch;
    memset(res, 0, sizeof *res);
    if (!conninfo) {
        const char *env = getenv("DATABASE_URL");
        conninfo = env && env[0] ? env : "";
    }
    pgmc__backoff_init(&b, 100, 2000);
    while (!(conn = connect_once(conninfo, res))) {
        int64_t left = wait_ms - (pgmc__now_ms() - start);
        long d;
        int final = res->statement != 0 || res->code == PGMC_ERR_NOMEM;
        res->statement = 0;
        if (final || left <= 0 || pgmc_cancel_requested())
            break;
        d = pgmc__backoff_next(&b);
        if (d > left)
            d = (long)left;
        if (attempts == 1 && opt && opt->verbosity >= PGMC_LOG_INFO) {
            char line[1200], reason[sizeof res->message];
            one_line(reason, sizeof reason, res->message);
            pgmc__fmt(line, sizeof line, "cannot connect yet (%s); retrying for up to %ld s",
                      reason, (wait_ms + 999) / 1000);
            if (opt->log)
                opt->log(opt->log_ctx, PGMC_LOG_INFO, line);
            else if (opt->out)
                fprintf(opt->out, "%s\n", line), fflush(opt->out);
        }
        pgmc__sleep_ms(d);
        attempts++;
    }
    if (!conn && attempts > 1) {
        char tmp[sizeof res->message];
        pgmc__fmt(tmp, sizeof tmp, "%s (gave up after %u attempts in %lld ms)", res->message,
                  attempts, (long long)(pgmc__now_ms() - start));
        pgmc__copy(res->message, sizeof res->message, tmp);
    }
    return conn;
}

char *pgmc_describe_target(PGconn *conn, char *buf, size_t cap)
{
    const char *u, *h, *p, *d;

    if (!buf || cap == 0)
        return buf;
    if (!conn) {
        pgmc__copy(buf, cap, "(not connected)");
        return buf;
    }
    u = PQuser(conn);
    h = PQhost(conn);
    p = PQport(conn);
    d = PQdb(conn);
    snprintf(buf, cap, "%s@%s:%s/%s", u ? u : "", h ? h : "", p ? p : "", d ? d : "");
    return buf;
}
