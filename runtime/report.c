/* report.c - turning a pgmc_result into the human error report. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "pgmc_internal.h"

const char *pgmc_code_name(pgmc_code code)
{
    switch (code) {
    case PGMC_OK:
        return "ok";
    case PGMC_ERR_USAGE:
        return "usage";
    case PGMC_ERR_CONNECT:
        return "connect";
    case PGMC_ERR_SCHEMA:
        return "schema";
    case PGMC_ERR_SQL:
        return "sql";
    case PGMC_ERR_HISTORY:
        return "history";
    case PGMC_ERR_LOCK:
        return "lock";
    case PGMC_ERR_DIRTY:
        return "dirty";
    case PGMC_ERR_CHECKSUM:
        return "checksum";
    case PGMC_ERR_ORDER:
        return "order";
    case PGMC_ERR_UNKNOWN:
        return "unknown";
    case PGMC_ERR_NO_DOWN:
        return "no-down";
    case PGMC_ERR_NOMEM:
        return "nomem";
    case PGMC_ERR_VALIDATE:
        return "validate";
    case PGMC_ERR_REFUSED:
        return "refused";
    case PGMC_ERR_DECODE:
        return "decode";
    case PGMC_ERR_CANCELED:
        return "canceled";
    }
    return "error";
}

/* Print `text` with every line after the first indented like the first. */
static void field(FILE *f, const char *label, const char *text)
{
    const char *p = text, *nl;

    if (!text[0])
        return;
    fprintf(f, "  %s: ", label);
    while ((nl = strchr(p, '\n')) != NULL) {
        fprintf(f, "%.*s\n    ", (int)(nl - p), p);
        p = nl + 1;
    }
    fprintf(f, "%s\n", p);
}

void pgmc_print_error(FILE *f, const pgmc_result *res)
{
    if (!f || !res || res->code == PGMC_OK)
        return;
    if (res->file[0] && res->statement) {
        const char *how = res->code == PGMC_ERR_SQL        ? "failed"
                          : res->code == PGMC_ERR_CANCELED ? "canceled"
                                                           : "refused";
        if (res->version[0])
            fprintf(f, "error: %smigration %s %s %s at %s:%u:%u\n", res->down ? "reverting " : "",
                    res->version, res->name, how, res->file, (unsigned)res->line,
                    (unsigned)res->column);
        else
            fprintf(f, "error: %srepeatable migration %s %s at %s:%u:%u\n",
                    res->down ? "reverting " : "", res->name, how, res->file, (unsigned)res->line,
                    (unsigned)res->column);
        if (res->sqlstate[0] || res->code == PGMC_ERR_SQL)
            fprintf(f, "  ERROR %s: %s\n", res->sqlstate[0] ? res->sqlstate : "-----",
                    res->message);
        else
            fprintf(f, "  %s\n", res->message);
    } else if (res->sqlstate[0]) {
        fprintf(f, "error: %s\n  SQLSTATE: %s\n", res->message, res->sqlstate);
    } else {
        fprintf(f, "error: %s\n", res->message);
    }
    field(f, "DETAIL", res->detail);
    field(f, "HINT", res->hint);
    field(f, "CONTEXT", res->context);
    if (res->statement)
        fprintf(f, "  STATEMENT: %u of %u\n", (unsigned)res->statement,
                (unsigned)res->n_statements);
    if (res->error_line)
        fprintf(f, "  POSITION: %s:%u:%u\n", res->file, (unsigned)res->error_line,
                (unsigned)res->error_column);
    if (res->note[0])
        fprintf(f, "%s\n", res->note);
    fflush(f);
}
