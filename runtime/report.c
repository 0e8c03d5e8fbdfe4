/* report.c - turning a pgmc_result into the human error report, with
 * every text that came from the database or a file name escaped. */
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

static void field(FILE *f, const char *label, const char *text)
{
    if (!text[0])
        return;
    fprintf(f, "  %s: ", label);
    pgmc__fputs_lines(f, text, "    ");
    fputc('\n', f);
}

/* What happened to a migration at a statement, by the kind of failure: a
 * statement that failed, a connection that broke under it, a run canceled
 * (pgmc_cancel, SIGINT/SIGTERM), or a refusal before running it. */
static const char *outcome(pgmc_code code)
{
    switch (code) {
    case PGMC_ERR_SQL:
        return "failed";
    case PGMC_ERR_CONNECT:
        return "lost the database connection";
    case PGMC_ERR_LOCK:
        return "lost the migration lock";
    case PGMC_ERR_CANCELED:
        return "canceled";
    default:
        return "refused";
    }
}

void pgmc_print_error(FILE *f, const pgmc_result *res)
{
    if (!f || !res || res->code == PGMC_OK)
        return;
    if (res->file[0] && res->statement) {
        fprintf(f, "error: %s", res->down ? "reverting " : "");
        if (res->version[0]) {
            fputs("migration ", f);
            pgmc__fputs_esc(f, res->version, 0);
        } else {
            fputs("repeatable migration", f);
        }
        fputc(' ', f);
        pgmc__fputs_esc(f, res->name, 0);
        fprintf(f, " %s at ", outcome(res->code));
        pgmc__fputs_esc(f, res->file, 0);
        fprintf(f, ":%u:%u\n", (unsigned)res->line, (unsigned)res->column);
        if (res->sqlstate[0] || res->code == PGMC_ERR_SQL)
            fprintf(f, "  ERROR %s: ", res->sqlstate[0] ? res->sqlstate : "-----");
        else
            fputs("  ", f);
        pgmc__fputs_lines(f, res->message, "    ");
        fputc('\n', f);
    } else if (res->sqlstate[0]) {
        fputs("error: ", f);
        pgmc__fputs_lines(f, res->message, "  ");
        fprintf(f, "\n  SQLSTATE: %s\n", res->sqlstate);
    } else {
        fputs("error: ", f);
        pgmc__fputs_lines(f, res->message, "  ");
        fputc('\n', f);
    }
    field(f, "DETAIL", res->detail);
    field(f, "HINT", res->hint);
    field(f, "CONTEXT", res->context);
    if (res->statement)
        fprintf(f, "  STATEMENT: %u of %u\n", (unsigned)res->statement,
                (unsigned)res->n_statements);
    if (res->error_line) {
        fputs("  POSITION: ", f);
        pgmc__fputs_esc(f, res->file, 0);
        fprintf(f, ":%u:%u\n", (unsigned)res->error_line, (unsigned)res->error_column);
    }
    if (res->note[0]) { /* one paragraph: a newline in it came from a name */
        pgmc__fputs_esc(f, res->note, 0);
        fputc('\n', f);
    }
    fflush(f);
}
