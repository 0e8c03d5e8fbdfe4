/* test_runtime_password.c - a password from the connection string never
 * appears in any output: failed connects (URL and key=value, %-escaped,
 * malformed URLs libpq echoes back), the CLI's stdout/stderr, the target
 * description of a successful connection; plus pgmc_redact() itself. */
#define _POSIX_C_SOURCE 200809L

#include "test_runtime_fixture.h"

static const char *const secrets[] = {"Sup3r/S3cret-pw", "Sup3r%2FS3cret-pw", "kv s3cret!pw",
                                      "Xyzzy%zzSecret", "TrustIgnoredPw42"};

static int leaks(const char *text)
{
    size_t i;

    for (i = 0; i < sizeof secrets / sizeof *secrets; i++)
        if (strstr(text, secrets[i]))
            return 1;
    /* distinctive fragments, in case something truncated or decoded */
    return strstr(text, "S3cret") != NULL || strstr(text, "s3cret") != NULL ||
           strstr(text, "Xyzzy") != NULL || strstr(text, "TrustIgnored") != NULL;
}

static void check_connect_fails(const char *conninfo)
{
    pgmc_result res;
    PGconn *c = pgmc_connect(conninfo, NULL, &res);

    CHECK(c == NULL);
    CHECK(res.code == PGMC_ERR_CONNECT);
    CHECK(res.message[0] != '\0');
    CHECK(!leaks(res.message));
    if (leaks(res.message))
        fprintf(stderr, "leaked: %s\n", res.message);
    if (c)
        PQfinish(c);
}

static pgmc_schema empty_schema = {
    PGMC_ABI_VERSION, "test", "test", "fixture", "", NULL, 0, NULL, 0, NULL, 0, ""};

static void check_cli(char **argv, int argc, int want_rc)
{
    fx_capture cap;
    char *out, *err;
    int rc;

    fx_capture_begin(&cap);
    rc = pgmc_main(argc, argv, &empty_schema);
    fx_capture_end(&cap, &out, &err);
    CHECK(rc == want_rc);
    CHECK(!leaks(out));
    CHECK(!leaks(err));
    free(out);
    free(err);
}

static void test_redact(void)
{
    char buf[256];

    strcpy(buf, "failed for pw Sup3r/S3cret-pw and raw Sup3r%2FS3cret-pw.");
    CHECK(pgmc_redact(buf, sizeof buf, "postgresql://alice:Sup3r%2FS3cret-pw@db.example/app") == 2);
    CHECK_STR(buf, "failed for pw ******** and raw ********.");

    strcpy(buf, "x kv s3cret!pw y");
    CHECK(pgmc_redact(buf, sizeof buf, "host=h password = 'kv s3cret!pw' user=u") == 1);
    CHECK_STR(buf, "x ******** y");

    strcpy(buf, "quoted it\\'s here: it's");
    CHECK(pgmc_redact(buf, sizeof buf, "password='it\\'s' host=x") == 2);
    CHECK_STR(buf, "quoted ******** here: ********");

    strcpy(buf, "query param qp-secret-1 leaked");
    CHECK(pgmc_redact(buf, sizeof buf, "postgres://h/db?sslmode=disable&password=qp-secret-1") ==
          1);
    CHECK_STR(buf, "query param ******** leaked");

    /* a message truncated in the middle of the password loses the fragment */
    strcpy(buf, "ends with Xyzz");
    pgmc_redact(buf, sizeof buf, "password=Xyzzy-long-secret");
    CHECK_STR(buf, "ends with ");

    /* growing the text never overflows the buffer */
    strcpy(buf, "ab ab ab");
    pgmc_redact(buf, 12, "password=ab");
    CHECK(strlen(buf) == 11);
    CHECK(strstr(buf, "ab") == NULL);

    strcpy(buf, "nothing to see");
    CHECK(pgmc_redact(buf, sizeof buf, NULL) == 0 || getenv("PGPASSWORD"));
    CHECK(pgmc_redact(buf, sizeof buf, "host=x") == 0 || getenv("PGPASSWORD"));
}

int main(void)
{
    char url_arg[] = "--database-url=postgresql://alice:Sup3r%2FS3cret-pw@127.0.0.1:1/app";
    char kv_arg[] = "host=127.0.0.1 port=1 user=bob password='kv s3cret!pw' dbname=x "
                    "connect_timeout=2";
    char bad_url[] = "--database-url=postgresql://u:Xyzzy%zzSecret@127.0.0.1:1/db";
    char ok_arg[] = "password=TrustIgnoredPw42";
    char prog[] = "migrate", status[] = "status", up[] = "up", dbu[] = "--database-url";

    test_redact();

    check_connect_fails("postgresql://alice:Sup3r%2FS3cret-pw@127.0.0.1:1/app");
    check_connect_fails("postgresql://alice:Sup3r%2FS3cret-pw@nonexistent.invalid/app");
    check_connect_fails(kv_arg);
    check_connect_fails("postgresql://u:Xyzzy%zzSecret@127.0.0.1:1/db");
    check_connect_fails("postgresql://u:Xyzzy%zzSecret@127.0.0.1:notaport/db");
    check_connect_fails("host=127.0.0.1 port=1 password=Sup3r/S3cret-pw nosuchkey=1");

    {
        char *argv[] = {prog, status, url_arg, NULL};
        check_cli(argv, 3, 1);
    }
    {
        char *argv[] = {prog, up, dbu, kv_arg, NULL};
        check_cli(argv, 4, 1);
    }
    {
        char *argv[] = {prog, up, bad_url, NULL};
        check_cli(argv, 3, 1);
    }
    {
        /* DATABASE_URL from the environment, never echoed */
        char *saved = getenv("DATABASE_URL") ? fx_strdup(getenv("DATABASE_URL")) : NULL;
        char *argv[] = {prog, status, NULL};
        setenv("DATABASE_URL", "postgresql://alice:Sup3r%2FS3cret-pw@127.0.0.1:1/app", 1);
        check_cli(argv, 2, 1);
        if (saved)
            setenv("DATABASE_URL", saved, 1);
        else
            unsetenv("DATABASE_URL");
        free(saved);
    }
    {
        /* a connection that succeeds (trust auth ignores the password, the
           rest comes from PG* variables): status output is clean, and the
           target description has no password */
        char *argv[] = {prog, status, dbu, ok_arg, NULL};
        pgmc_result res;
        char target[256];
        PGconn *c;
        check_cli(argv, 4, 0);
        c = pgmc_connect(ok_arg, NULL, &res);
        CHECK(c != NULL);
        if (c) {
            pgmc_describe_target(c, target, sizeof target);
            CHECK(!leaks(target));
            CHECK(strchr(target, '@') && strchr(target, '/'));
            PQfinish(c);
        }
    }
    return fx_done("test_runtime_password");
}
