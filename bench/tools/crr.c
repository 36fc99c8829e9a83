// SPDX-License-Identifier: MIT
/* A small TCP load tool for the data-plane benchmarks: connection rate
 * (connect, 1-byte request, 1-byte reply, close — the path's cost per new
 * flow) and request/response latency on one connection (its cost per
 * packet).  Runs in whatever network namespace it is started in.
 *
 *   crr server PORT [THREADS]
 *   crr crr IP PORT SECONDS [THREADS]   → "<connections per second>"
 *   crr rr  IP PORT SECONDS             → "<rr per second> <p50 us> <p99 us>"
 *
 * Clients close with a RST (SO_LINGER 0) so that no TIME_WAIT runs the
 * ephemeral ports out; the conntrack entry ends either way. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in target;
static double seconds;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *serve(void *arg)
{
	int lfd = *(int *)arg;
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		char c;
		if (fd < 0)
			continue;
		int one = 1;
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		while (read(fd, &c, 1) == 1 && write(fd, &c, 1) == 1)
			;
		close(fd);
	}
	return NULL;
}

static int server(int port, int threads)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4096) < 0) {
		perror("crr server");
		return 1;
	}
	pthread_t t;
	for (int i = 1; i < threads; i++)
		pthread_create(&t, NULL, serve, &fd);
	serve(&fd);
	return 0;
}

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&target, sizeof(target)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct crr_result {
	long done, failed;
};

static void *crr_thread(void *arg)
{
	struct crr_result *r = arg;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	double end = now() + seconds;
	char c = 'x';
	while (now() < end) {
		int fd = dial();
		if (fd < 0) {
			r->failed++;
			continue;
		}
		if (write(fd, &c, 1) == 1 && read(fd, &c, 1) == 1)
			r->done++;
		else
			r->failed++;
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
	}
	return NULL;
}

static int crr(int threads)
{
	pthread_t t[64];
	struct crr_result r[64];
	memset(r, 0, sizeof(r));
	double start = now();
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, crr_thread, &r[i]);
	long done = 0, failed = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		done += r[i].done;
		failed += r[i].failed;
	}
	printf("%.0f %ld\n", (double)done / (now() - start), failed);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int rr(void)
{
	int fd = dial();
	size_t n = 0, cap = 1 << 20;
	double *lat = malloc(cap * sizeof(*lat));
	char c = 'x';
	if (fd < 0 || !lat) {
		perror("crr rr");
		return 1;
	}
	double start = now(), end = start + seconds;
	for (double t0 = now(); t0 < end; t0 = now()) {
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1) {
			perror("crr rr");
			return 1;
		}
		if (n < cap)
			lat[n++] = (now() - t0) * 1e6;
	}
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("%.0f %.1f %.1f\n", (double)n / (now() - start), lat[n / 2], lat[n * 99 / 100]);
	close(fd);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 4);
	if (argc >= 5 && (!strcmp(argv[1], "crr") || !strcmp(argv[1], "rr"))) {
		target.sin_family = AF_INET;
		target.sin_port = htons((uint16_t)atoi(argv[3]));
		if (inet_pton(AF_INET, argv[2], &target.sin_addr) != 1) {
			fprintf(stderr, "crr: bad address %s\n", argv[2]);
			return 2;
		}
		seconds = atof(argv[4]);
		if (!strcmp(argv[1], "rr"))
			return rr();
		int threads = argc > 5 ? atoi(argv[5]) : 2;
		return crr(threads < 1 ? 1 : threads > 64 ? 64 : threads);
	}
	fprintf(stderr, "usage: crr server PORT [THREADS] | crr crr IP PORT SECONDS [THREADS] |"
			" crr rr IP PORT SECONDS\n");
	return 2;
}
