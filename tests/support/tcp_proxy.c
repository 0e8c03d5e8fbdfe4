/* tcp_proxy.c - a TCP-to-unix-socket forwarder for the fault tests
 * (tests/integration/fault_matrix.sh), so that a test can cut a migrator's
 * connection to PostgreSQL by killing the proxy.
 *
 *   tcp_proxy UNIX_SOCKET_PATH PORT_FILE
 *
 * Listens on 127.0.0.1 on a free port (chosen by the kernel), writes the
 * port number to PORT_FILE (written to a temporary name and renamed, so a
 * reader never sees half of it), then forwards every accepted connection to
 * UNIX_SOCKET_PATH (a server's $PGHOST/.s.PGSQL.$PGPORT) and back, byte for
 * byte, until either side closes. One process and one poll loop serve every
 * connection: `kill -9` of this process closes all of them at once, which is
 * the cut. No forked children that would keep a connection alive. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_PAIRS 64
#define BUF_SIZE  65536

typedef struct {
    int fd[2];             /* 0: the TCP client, 1: the unix socket server */
    char buf[2][BUF_SIZE]; /* buf[k]: read from fd[k], not yet written to fd[1-k] */
    size_t len[2], off[2];
    int eof[2]; /* fd[k] reached end of file */
} pair;

static pair *pairs[MAX_PAIRS];

static void die(const char *what)
{
    fprintf(stderr, "tcp_proxy: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int connect_unix(const char *path)
{
    struct sockaddr_un a;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
        close(fd);
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(a.sun_path, path);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void close_pair(int i)
{
    close(pairs[i]->fd[0]);
    close(pairs[i]->fd[1]);
    free(pairs[i]);
    pairs[i] = NULL;
}

static void accept_one(int lfd, const char *path)
{
    int c = accept(lfd, NULL, NULL), s, i, one = 1;
    pair *p;

    if (c < 0)
        return;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (i = 0; i < MAX_PAIRS && pairs[i]; i++)
        ;
    if (i == MAX_PAIRS || (s = connect_unix(path)) < 0 || !(p = calloc(1, sizeof *p))) {
        if (i < MAX_PAIRS)
            fprintf(stderr, "tcp_proxy: cannot reach %s: %s\n", path, strerror(errno));
        close(c);
        return;
    }
    fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK);
    fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
    p->fd[0] = c;
    p->fd[1] = s;
    pairs[i] = p;
}

/* Move data for pair i in direction k (fd[k] -> fd[1-k]); returns -1 when
 * the pair is done. */
static int pump(pair *p, int k, short rev_in, short rev_out)
{
    ssize_t n;

    if ((rev_in & (POLLIN | POLLHUP | POLLERR)) && !p->eof[k] && p->len[k] == 0) {
        n = read(p->fd[k], p->buf[k], BUF_SIZE);
        if (n > 0) {
            p->len[k] = (size_t)n;
            p->off[k] = 0;
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            p->eof[k] = 1;
        }
    }
    (void)rev_out; /* non-blocking: try the write whenever data waits */
    if (p->len[k]) {
        n = write(p->fd[1 - k], p->buf[k] + p->off[k], p->len[k] - p->off[k]);
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return -1;
        if (n > 0) {
            p->off[k] += (size_t)n;
            if (p->off[k] == p->len[k])
                p->len[k] = p->off[k] = 0;
        }
    }
    /* either side gone and nothing left to deliver: close both, as a cut would */
    if (p->eof[k] && p->len[k] == 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    struct pollfd pf[1 + 2 * MAX_PAIRS];
    int map[1 + 2 * MAX_PAIRS];
    char tmp[4096];
    FILE *f;
    int lfd, one = 1, i, n;

    if (argc != 3) {
        fprintf(stderr, "usage: tcp_proxy UNIX_SOCKET_PATH PORT_FILE\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
        die("socket");
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 64) < 0)
        die("bind/listen on 127.0.0.1");
    if (getsockname(lfd, (struct sockaddr *)&a, &alen) < 0)
        die("getsockname");
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[2]);
    if (!(f = fopen(tmp, "w")) || fprintf(f, "%u\n", (unsigned)ntohs(a.sin_port)) < 0 ||
        fclose(f) != 0 || rename(tmp, argv[2]) != 0)
        die(argv[2]);

    for (;;) {
        n = 0;
        pf[n].fd = lfd;
        pf[n].events = POLLIN;
        map[n++] = -1;
        for (i = 0; i < MAX_PAIRS; i++) {
            pair *p = pairs[i];
            int k;
            if (!p)
                continue;
            for (k = 0; k < 2; k++) {
                pf[n].fd = p->fd[k];
                pf[n].events = 0;
                if (!p->eof[k] && p->len[k] == 0)
                    pf[n].events |= POLLIN; /* room to read from fd[k] */
                if (p->len[1 - k])
                    pf[n].events |= POLLOUT; /* data waiting for fd[k] */
                map[n++] = i;
            }
        }
        if (poll(pf, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        if (pf[0].revents & POLLIN)
            accept_one(lfd, argv[1]);
        for (i = 1; i < n; i += 2) {
            int pi = map[i];
            pair *p = pairs[pi];
            if (!p)
                continue;
            if (!pf[i].revents && !pf[i + 1].revents)
                continue;
            if (pump(p, 0, pf[i].revents, pf[i + 1].revents) < 0 ||
                pump(p, 1, pf[i + 1].revents, pf[i].revents) < 0)
                close_pair(pi);
        }
    }
}
