/*
 * echo_epoll.c - minimal single-threaded, level-triggered epoll echo server.
 *
 * Each connection owns one buffer. Read into it, write it back; when a write
 * is partial the rest stays in the buffer and the connection waits for
 * EPOLLOUT only (no reading meanwhile, which is the backpressure), then goes
 * back to EPOLLIN once the buffer is drained.
 *
 * A yardstick of bench (see bench/README.md): the limit of this model on a
 * machine is what a tight C server does on it.
 *
 *   gcc -O2 -Wall -o echo_epoll echo_epoll.c && ./echo_epoll -addr 127.0.0.1:7002
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ 65536
#define MAXEV 512

struct conn {
	int fd;
	int want_out;    /* registered for EPOLLOUT instead of EPOLLIN */
	size_t len, off; /* pending output is buf[off:len] */
	char buf[BUFSZ];
};

static int ep;

/* announce prints "listening on ip:port" with the port the system chose
 * (so -addr 127.0.0.1:0 works), as the course's servers do. */
static void announce(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	char ip[INET_ADDRSTRLEN];
	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		perror("getsockname");
		exit(1);
	}
	inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip);
	printf("listening on %s:%d\n", ip, ntohs(sa.sin_port));
	fflush(stdout);
}

static void die(const char *what) { perror(what); exit(1); }

/* listen_on parses "a.b.c.d:port" and returns a listening socket. */
static int listen_on(const char *addr, int flags)
{
	char host[64];
	const char *colon = strrchr(addr, ':');
	if (!colon || colon - addr >= (long)sizeof host) {
		fprintf(stderr, "bad -addr %s (want ip:port)\n", addr);
		exit(2);
	}
	memcpy(host, addr, colon - addr);
	host[colon - addr] = 0;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(colon + 1)) };
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "bad -addr %s (want ip:port)\n", addr);
		exit(2);
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0), one = 1;
	if (fd < 0) die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
	if (listen(fd, 4096) < 0) die("listen");
	return fd;
}

static void set_interest(struct conn *c, int out)
{
	struct epoll_event ev = { .events = out ? EPOLLOUT : EPOLLIN, .data.ptr = c };
	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl mod");
	c->want_out = out;
}

static void close_conn(struct conn *c)
{
	close(c->fd); /* also removes it from the epoll set */
	free(c);
}

/* flush writes pending output; returns -1 if the connection is dead. */
static int flush(struct conn *c)
{
	while (c->off < c->len) {
		ssize_t w = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR) continue;
			if (errno != EAGAIN) return -1;
			if (!c->want_out) set_interest(c, 1);
			return 0;
		}
		c->off += w;
	}
	c->off = c->len = 0;
	if (c->want_out) set_interest(c, 0);
	return 0;
}

static void accept_all(int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				perror("accept4"); /* e.g. EMFILE; retried on the next event */
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		struct conn *c = calloc(1, sizeof *c);
		if (!c) die("calloc");
		c->fd = fd;
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl add");
	}
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1:7002";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-addr") && i + 1 < argc) addr = argv[++i];
		else { fprintf(stderr, "usage: %s [-addr ip:port]\n", argv[0]); return 2; }
	}
	signal(SIGPIPE, SIG_IGN);
	int lfd = listen_on(addr, SOCK_NONBLOCK);
	announce(lfd);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) die("epoll_create1");
	struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL }; /* NULL = listener */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev) < 0) die("epoll_ctl listener");

	struct epoll_event evs[MAXEV];
	for (;;) {
		int n = epoll_wait(ep, evs, MAXEV, -1);
		if (n < 0) {
			if (errno == EINTR) continue;
			die("epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			if (!c) {
				accept_all(lfd);
				continue;
			}
			if (c->want_out) { /* EPOLLOUT, or an error the send will see */
				if (flush(c) < 0) close_conn(c);
				continue;
			}
			ssize_t r = read(c->fd, c->buf, BUFSZ);
			if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
			if (r <= 0) { /* EOF or error */
				close_conn(c);
				continue;
			}
			c->len = r;
			c->off = 0;
			if (flush(c) < 0) close_conn(c);
		}
	}
}
