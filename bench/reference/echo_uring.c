/*
 * echo_uring.c - minimal single-threaded io_uring echo server (liburing).
 *
 * One accept is always in flight; it is re-armed after each completion.
 * Each connection has exactly one operation in flight: a recv into its
 * buffer, or a send of what is left of it. A short send is resubmitted for
 * the remainder before the next recv, so partial sends are handled and the
 * connection stops reading until its echo is out (backpressure).
 * No multishot, no provided buffers, no registered files: the plain model.
 *
 * A yardstick of bench (see bench/README.md): the limit of this model on a
 * machine is what a tight C server does on it.
 *
 *   gcc -O2 -Wall -o echo_uring echo_uring.c -luring && ./echo_uring -addr 127.0.0.1:7003
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ 65536
#define QD 4096

enum op { OP_RECV, OP_SEND };

struct conn {
	enum op op; /* the one operation in flight */
	int fd;
	unsigned len, off; /* pending output is buf[off:len] */
	char buf[BUFSZ];
};

static struct io_uring ring;
static int lfd;

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

static void die(const char *what, int err)
{
	fprintf(stderr, "%s: %s\n", what, strerror(err));
	exit(1);
}

/* listen_on parses "a.b.c.d:port" and returns a (blocking) listening socket. */
static int listen_on(const char *addr)
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
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0) die("socket", errno);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind", errno);
	if (listen(fd, 4096) < 0) die("listen", errno);
	return fd;
}

static struct io_uring_sqe *get_sqe(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	if (!sqe) { /* submission queue full: flush it and retry once */
		io_uring_submit(&ring);
		sqe = io_uring_get_sqe(&ring);
		if (!sqe) die("io_uring_get_sqe", EBUSY);
	}
	return sqe;
}

static void queue_accept(void)
{
	struct io_uring_sqe *sqe = get_sqe();
	io_uring_prep_accept(sqe, lfd, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data(sqe, NULL); /* NULL user_data = the accept */
}

static void queue_recv(struct conn *c)
{
	struct io_uring_sqe *sqe = get_sqe();
	c->op = OP_RECV;
	io_uring_prep_recv(sqe, c->fd, c->buf, BUFSZ, 0);
	io_uring_sqe_set_data(sqe, c);
}

static void queue_send(struct conn *c)
{
	struct io_uring_sqe *sqe = get_sqe();
	c->op = OP_SEND;
	io_uring_prep_send(sqe, c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
	io_uring_sqe_set_data(sqe, c);
}

static void accepted(int res)
{
	if (res >= 0) {
		int one = 1;
		struct conn *c = malloc(sizeof *c);
		if (!c) die("malloc", ENOMEM);
		c->fd = res;
		setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		queue_recv(c);
	} else if (res != -EINTR && res != -ECONNABORTED) {
		fprintf(stderr, "accept: %s\n", strerror(-res)); /* e.g. EMFILE */
	}
	queue_accept();
}

static void complete(struct conn *c, int res)
{
	if (!c) {
		accepted(res);
		return;
	}
	switch (c->op) {
	case OP_RECV:
		if (res <= 0) { /* EOF or error; nothing else is in flight on c */
			close(c->fd);
			free(c);
			break;
		}
		c->len = res;
		c->off = 0;
		queue_send(c);
		break;
	case OP_SEND:
		if (res < 0) {
			close(c->fd);
			free(c);
			break;
		}
		c->off += res;
		if (c->off < c->len) queue_send(c); /* partial send: push the rest */
		else queue_recv(c);
		break;
	}
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1:7003";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-addr") && i + 1 < argc) addr = argv[++i];
		else { fprintf(stderr, "usage: %s [-addr ip:port]\n", argv[0]); return 2; }
	}
	signal(SIGPIPE, SIG_IGN);
	lfd = listen_on(addr);
	announce(lfd);

	/* One thread submits and reaps, so let the kernel defer its task work to
	 * our io_uring_enter calls; fall back to defaults on older kernels. */
	struct io_uring_params p = { .flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN };
	int ret = io_uring_queue_init_params(QD, &ring, &p);
	if (ret == -EINVAL) {
		memset(&p, 0, sizeof p);
		ret = io_uring_queue_init_params(QD, &ring, &p);
	}
	if (ret < 0) die("io_uring_queue_init", -ret);

	queue_accept();
	for (;;) {
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0 && ret != -EINTR) die("io_uring_submit_and_wait", -ret);
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			complete(io_uring_cqe_get_data(cqe), cqe->res);
			seen++;
		}
		io_uring_cq_advance(&ring, seen);
	}
}
