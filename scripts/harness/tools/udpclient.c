// SPDX-License-Identifier: GPL-2.0
/*
 * udpclient: a real UDP client for the guest (busybox nc has no UDP). Built static on the
 * host and shipped in the initramfs.
 *
 *   udpclient ADDR PORT COUNT [EXPECT [COPIES]]
 *   udpclient wait PORT [LABEL]
 *   udpclient send ADDR PORT COUNT [SPORT]
 *
 * Connects a UDP socket to ADDR:PORT (IPv4 or IPv6), then COUNT times sends "PING <i>" and
 * waits up to 5 s for one reply, which must be EXPECT (default "PONG"); COPIES (default 1)
 * replies per request where the server's side sends each one that often (a broadcast bond):
 * a request counts as answered when all its copies came. A connected UDP socket
 * reports an ICMP error (port unreachable) as ECONNREFUSED on a later call: after the last
 * reply it waits a second and checks once more that none arrived. With COUNT 0 it instead
 * sends one datagram and expects ECONNREFUSED (the positive control for a closed port).
 * Prints one summary line; exit status 0 iff everything was as expected. `wait` blocks until
 * one datagram arrives on PORT (IPv4 or IPv6): how the harness says "go"; with LABEL it first
 * prints "VMTEST: client-wait LABEL" once the socket is bound, the harness's cue. `send` sends
 * COUNT datagrams "SEND <i>" without waiting for anything (traffic for the host to count), from
 * source port SPORT if given (a flow the same in every run).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int open_connected(const char *addr, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd;

	if (inet_pton(AF_INET, addr, &a4.sin_addr) == 1) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a4, sizeof(a4)) == 0)
			return fd;
	} else if (inet_pton(AF_INET6, addr, &a6.sin6_addr) == 1) {
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a6, sizeof(a6)) == 0)
			return fd;
	} else {
		fprintf(stderr, "udpclient: bad address %s\n", addr);
		return -1;
	}
	perror("udpclient: socket/connect");
	return -1;
}

/* One reply within timeout_ms: its length, 0 on timeout, -errno on a socket error. */
static int recv_reply(int fd, char *buf, size_t size, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	n = recv(fd, buf, size - 1, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return n ? n : -ENODATA;	/* an empty reply is not "PONG" either */
}

static int wait_for_datagram(int port, const char *label)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), off = 0;
	char buf[256];

	if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("udpclient: wait");
		return 2;
	}
	if (label) {
		printf("VMTEST: client-wait %s\n", label);
		fflush(stdout);
	}
	if (recv(fd, buf, sizeof(buf), 0) < 0) {
		perror("udpclient: wait");
		return 2;
	}
	return 0;
}

/* As open_connected, from a fixed local port (0: any). IPv4 only. */
static int open_bound_connected(const char *addr, int port, int sport)
{
	struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(sport) };
	int fd;

	if (!sport)
		return open_connected(addr, port);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		perror("udpclient: bind");
		return -1;
	}
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (inet_pton(AF_INET, addr, &a4.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&a4, sizeof(a4)) < 0) {
		perror("udpclient: connect");
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *expect = argc > 4 ? argv[4] : "PONG";
	const int copies = argc > 5 ? atoi(argv[5]) : 1;
	int count, fd, i, c, ok = 0, wrong = 0, timeouts = 0, refused = 0, other = 0;
	char buf[2048], msg[64];

	if ((argc == 3 || argc == 4) && strcmp(argv[1], "wait") == 0)
		return wait_for_datagram(atoi(argv[2]), argc == 4 ? argv[3] : NULL);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "send") == 0) {
		count = atoi(argv[4]);
		fd = open_bound_connected(argv[2], atoi(argv[3]), argc == 6 ? atoi(argv[5]) : 0);
		if (fd < 0)
			return 2;
		for (i = 0; i < count; i++) {
			int len = snprintf(msg, sizeof(msg), "SEND %d", i);

			if (send(fd, msg, len, 0) < 0)
				other++;
			usleep(500);	/* no ENOBUFS from a full slave queue */
		}
		printf("udpclient: sent %d of %d to %s port %s\n", count - other, count, argv[2],
		       argv[3]);
		return other ? 1 : 0;
	}
	if (argc < 4 || argc > 6 || copies < 1) {
		fprintf(stderr, "usage: udpclient ADDR PORT COUNT [EXPECT [COPIES]]\n");
		return 2;
	}
	count = atoi(argv[3]);
	fd = open_connected(argv[1], atoi(argv[2]));
	if (fd < 0)
		return 2;
	if (count == 0) {
		int n = send(fd, "PING closed", 11, 0);

		n = n < 0 ? -errno : recv_reply(fd, buf, sizeof(buf), 5000);
		printf("udpclient: closed port %s: %s\n", argv[2],
		       n == -ECONNREFUSED ? "ECONNREFUSED" : "no error");
		return n == -ECONNREFUSED ? 0 : 1;
	}
	for (i = 0; i < count; i++) {
		int n, len = snprintf(msg, sizeof(msg), "PING %d", i);

		n = send(fd, msg, len, 0);
		if (n < 0)
			n = -errno;
		for (c = 0; c < copies && n >= 0; c++) {
			n = recv_reply(fd, buf, sizeof(buf), 5000);
			if (n > 0 && strcmp(buf, expect) != 0)
				n = -EBADMSG;
		}
		if (n > 0)
			ok++;
		else if (n == -EBADMSG)
			wrong++;
		else if (n == 0)
			timeouts++;
		else if (n == -ECONNREFUSED)
			refused++;
		else
			other++;
	}
	/* An ICMP error that arrived after the last reply shows up now. */
	{
		int n = recv_reply(fd, buf, sizeof(buf), 1000);

		if (n == -ECONNREFUSED)
			refused++;
		else if (n != 0)
			other++;
	}
	printf("udpclient: %d/%d %s, wrong %d, timeouts %d, ECONNREFUSED %d, other errors %d\n",
	       ok, count, expect, wrong, timeouts, refused, other);
	return ok == count && !wrong && !timeouts && !refused && !other ? 0 : 1;
}
