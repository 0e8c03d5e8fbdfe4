/* test_cli_run.h - running the `migrate` CLI (pgmc_main) in-process for the
 * CLI tests: its exit status, how long it took and what it printed, and the
 * EXPECT checks that show the output when they fail. Include after
 * test_runtime_fixture.h; set fx_cli_schema before the first cli(). */
#ifndef TEST_CLI_RUN_H
#define TEST_CLI_RUN_H

#include <stdarg.h>
#include <time.h>

typedef struct run {
    int rc;
    long ms;         /* wall time of the call */
    char *out, *err; /* what it printed (malloc'd: done() frees them) */
} run;

/* The schema cli() runs over. */
static const pgmc_schema *fx_cli_schema;

static long fx_cli_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* pgmc_main over fx_cli_schema with a NULL-terminated list of (at most 22)
 * arguments after "migrate". */
static run cli(const char *first, ...)
{
    char *argv[24];
    int argc = 0;
    va_list ap;
    const char *a;
    fx_capture cap;
    run r;
    long t0;

    argv[argc++] = fx_strdup("migrate");
    va_start(ap, first);
    for (a = first; a && argc < 23; a = va_arg(ap, const char *))
        argv[argc++] = fx_strdup(a);
    va_end(ap);
    argv[argc] = NULL;
    fx_capture_begin(&cap);
    t0 = fx_cli_now_ms();
    r.rc = pgmc_main(argc, argv, fx_cli_schema);
    r.ms = fx_cli_now_ms() - t0;
    fx_capture_end(&cap, &r.out, &r.err);
    while (argc > 0)
        free(argv[--argc]);
    return r;
}

static void done(run *r)
{
    free(r->out);
    free(r->err);
}

#define EXPECT(r, code)                                                                            \
    do {                                                                                           \
        CHECK((r).rc == (code));                                                                   \
        if ((r).rc != (code))                                                                      \
            fprintf(stderr, "  rc %d\n  stdout: %s\n  stderr: %s\n", (r).rc, (r).out, (r).err);    \
    } while (0)

#define EXPECT_IN(text, needle)                                                                    \
    do {                                                                                           \
        CHECK(strstr((text), (needle)) != NULL);                                                   \
        if (!strstr((text), (needle)))                                                             \
            fprintf(stderr, "  expected \"%s\" in:\n%s\n", (needle), (text));                      \
    } while (0)

#define EXPECT_NOT_IN(text, needle)                                                                \
    do {                                                                                           \
        CHECK(strstr((text), (needle)) == NULL);                                                   \
        if (strstr((text), (needle)))                                                              \
            fprintf(stderr, "  did not expect \"%s\" in:\n%s\n", (needle), (text));                \
    } while (0)

#endif
