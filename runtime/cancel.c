/* cancel.c - stopping a pgmc call from outside it: pgmc_cancel() (safe in a
 * signal handler) cancels the statement in flight on every connection a
 * pgmc call is using (PQcancel) and makes every wait and every loop of the
 * runtime give up, so the call rolls back what it can, releases the lock,
 * and returns PGMC_ERR_CANCELED with the database's state in its note.
 *
 * The registry is a fixed array of slots holding each running call's
 * PGcancel. A signal handler may read a slot while the owning thread
 * clears it, so clearing follows a small protocol: store NULL, then wait
 * until no canceller is inside the array (`readers`), then free. Both sides
 * use sequentially consistent atomics: either the handler sees NULL, or the
 * owner sees it reading and waits. */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pgmc_internal.h"

#define SLOTS 32

static _Atomic(PGcancel *) slots[SLOTS];
static atomic_int readers;
static atomic_int requested;

void pgmc_cancel(void)
{
    int i;

    atomic_store(&requested, 1);
    atomic_fetch_add(&readers, 1);
    for (i = 0; i < SLOTS; i++) {
        PGcancel *p = atomic_load(&slots[i]);
        char err[128];
        if (p)
            PQcancel(p, err, (int)sizeof err); /* async-signal-safe per libpq's docs */
    }
    atomic_fetch_sub(&readers, 1);
}

void pgmc_cancel_reset(void)
{
    atomic_store(&requested, 0);
}

int pgmc_cancel_requested(void)
{
    return atomic_load(&requested);
}

int pgmc__cancel_register(PGconn *conn)
{
    PGcancel *p = PQgetCancel(conn);
    int i;

    if (!p)
        return -1;
    for (i = 0; i < SLOTS; i++) {
        PGcancel *expected = NULL;
        if (atomic_compare_exchange_strong(&slots[i], &expected, p))
            return i;
    }
    PQfreeCancel(p); /* more than SLOTS calls at once: the flag still stops this one */
    return -1;
}

void pgmc__cancel_unregister(int slot)
{
    PGcancel *p;

    if (slot < 0 || slot >= SLOTS)
        return;
    p = atomic_exchange(&slots[slot], NULL);
    while (atomic_load(&readers) > 0) {
        struct timespec ts = {0, 100000}; /* a handler is inside PQcancel */
        nanosleep(&ts, NULL);
    }
    if (p)
        PQfreeCancel(p);
}

int pgmc__canceled(pgmc_ctx *c)
{
    if (!atomic_load(&requested))
        return 0;
    if (c->res->code != PGMC_ERR_CANCELED) {
        pgmc__fail(c, PGMC_ERR_CANCELED, "canceled (pgmc_cancel: a signal or the service asked)");
    }
    return 1;
}

int pgmc__cancel_error(const PGresult *r)
{
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

    return atomic_load(&requested) && st && strcmp(st, "57014") == 0;
}

/* --- the CLI's signal handling ------------------------------------------- */

static volatile sig_atomic_t caught;
static struct sigaction old_int, old_term;

static void on_signal(int sig)
{
    if (caught) {
        /* a second signal: stop now, whatever state things are in */
        static const char msg[] = "\nsecond signal: exiting at once\n";
        ssize_t w = write(2, msg, sizeof msg - 1);
        (void)w;
        _exit(128 + sig);
    }
    caught = sig;
    {
        static const char msg[] = "\ninterrupted: canceling the statement in flight and "
                                  "stopping (a second signal exits at once)\n";
        ssize_t w = write(2, msg, sizeof msg - 1);
        (void)w;
    }
    pgmc_cancel();
}

void pgmc__signals_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: waits return EINTR and look at the flag */
    caught = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
}

int pgmc__signals_restore(void)
{
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return (int)caught;
}
