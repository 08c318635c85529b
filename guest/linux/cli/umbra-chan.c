// SPDX-License-Identifier: Apache-2.0
/*
 * umbra-chan: talk to the rtos's channel service over /dev/umbra-chanN
 * (guest/linux/module/umbra_chan.c), speaking the ring protocol of
 * guest/lib/umbra_chan.h (docs/channels.md).
 *
 *   umbra-chan [-c ID] info          the channel as Umbra reports it
 *   umbra-chan [-c ID] time          ask the service for the time (its RTC)
 *   umbra-chan [-c ID] echo N [SIZE] N echo requests (SIZE payload bytes,
 *                                    default 64), every reply checked
 *   umbra-chan [-c ID] bench N       N echo round trips timed with
 *                                    CLOCK_MONOTONIC: min/median/p99/max ns
 *   umbra-chan [-c ID] notify-id ID2 CHANNEL_NOTIFY with any id (tests)
 *   umbra-chan [-c ID] probe         map the region read-only and read it,
 *                                    then try a writable mapping (tests)
 *
 * Exit status: 0 done, 1 failed (a wrong reply, a refused call), 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "umbra_abi.h"
#include "umbra_chan.h"
#include "umbra_chan_ioctl.h"

#define REPLY_TIMEOUT_MS 5000
#define BENCH_MAX 1000000

static int fd = -1;
static struct uchan ch;
static struct umbra_chan_info info;
static uint32_t seq;
static uint8_t msg[sizeof(struct uchan_msg_hdr) + UCHAN_MSG_MAX];
static uint8_t reply[sizeof(struct uchan_msg_hdr) + UCHAN_MSG_MAX];

static int fail(const char *what)
{
	fprintf(stderr, "umbra-chan: %s: %s\n", what, strerror(errno));
	return 1;
}

static int open_chan(unsigned id)
{
	char path[64];
	void *m;

	snprintf(path, sizeof(path), UMBRA_CHAN_DEVICE_FMT, id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "umbra-chan: %s: %s (insmod /lib/modules/umbra_chan.ko)\n", path,
			strerror(errno));
		return -1;
	}
	if (ioctl(fd, UMBRA_CHAN_IOC_INFO, &info) < 0)
		return fail("CHANNEL_INFO"), -1;
	return 0;
	(void)m;
}

static int map_chan(void)
{
	void *m;

	if (!(info.flags & UMBRA_CHAN_WRITABLE)) {
		fprintf(stderr, "umbra-chan: channel %u is read-only here\n", info.id);
		return -1;
	}
	m = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return fail("mmap"), -1;
	if (uchan_init(&ch, m, info.size, !!(info.flags & UMBRA_CHAN_FIRST))) {
		fprintf(stderr, "umbra-chan: channel too small\n");
		return -1;
	}
	/* replies to an earlier life of ours (a restart, a killed client)
	 * are not for us: the reader owns tail */
	uchan_rx_flush(&ch);
	return 0;
}

/* Wait for a doorbell (or REPLY_TIMEOUT_MS); -1 on timeout/error. */
static int wait_doorbell(void)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint32_t n;
	int r = poll(&p, 1, REPLY_TIMEOUT_MS);

	if (r <= 0) {
		if (!r)
			fprintf(stderr, "umbra-chan: no doorbell from the peer in %d ms\n",
				REPLY_TIMEOUT_MS);
		return -1;
	}
	return read(fd, &n, sizeof(n)) == sizeof(n) ? 0 : -1;
}

/* One request/reply; returns the reply's payload length or -1. */
static int transact(uint16_t op, const void *payload, uint32_t len, void *out, uint32_t max)
{
	struct uchan_msg_hdr h = { .seq = ++seq, .op = op }, r;
	int n;

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), payload, len);
	if ((n = uchan_send(&ch, msg, (uint32_t)sizeof(h) + len))) {
		fprintf(stderr, "umbra-chan: send: error %d\n", n);
		return -1;
	}
	if (write(fd, "", 1) != 1)
		return fail("CHANNEL_NOTIFY");
	for (;;) {
		n = uchan_recv(&ch, reply, sizeof(reply));
		if (n >= 0)
			break;
		if (n != UCHAN_E_EMPTY) {
			fprintf(stderr, "umbra-chan: recv: error %d\n", n);
			return -1;
		}
		if (wait_doorbell())
			return -1;
	}
	if (n < (int)sizeof(r)) {
		fprintf(stderr, "umbra-chan: short reply (%d bytes)\n", n);
		return -1;
	}
	memcpy(&r, reply, sizeof(r));
	if (r.seq != h.seq || r.op != op) {
		fprintf(stderr, "umbra-chan: reply seq %u op %u, want seq %u op %u\n", r.seq, r.op,
			h.seq, op);
		return -1;
	}
	if (r.status != UCHAN_ST_OK) {
		fprintf(stderr, "umbra-chan: the service answered status %d\n", r.status);
		return -1;
	}
	n -= (int)sizeof(r);
	if ((uint32_t)n > max) {
		fprintf(stderr, "umbra-chan: reply of %d bytes, want at most %u\n", n, max);
		return -1;
	}
	memcpy(out, reply + sizeof(r), (size_t)n);
	return n;
}

static int cmd_time(void)
{
	uint64_t s;
	time_t t;
	struct tm tm;
	char buf[64];

	if (map_chan() || transact(UCHAN_OP_TIME, NULL, 0, &s, sizeof(s)) != (int)sizeof(s))
		return 1;
	t = (time_t)s;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("rtos time: %" PRIu64 " (%s)\n", s, buf);
	return 0;
}

static void fill(uint8_t *p, uint32_t len, uint32_t k)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(k * 131u + i * 7u + (i >> 8));
}

static int cmd_echo(unsigned long n, unsigned long size)
{
	static uint8_t out[UCHAN_MSG_MAX], back[UCHAN_MSG_MAX];
	unsigned long k;

	if (map_chan())
		return 1;
	for (k = 0; k < n; k++) {
		uint32_t len = size ? (uint32_t)size : (uint32_t)(k % 200);
		int r;

		fill(out, len, (uint32_t)k);
		r = transact(UCHAN_OP_ECHO, out, len, back, sizeof(back));
		if (r != (int)len || memcmp(out, back, len)) {
			fprintf(stderr, "umbra-chan: echo %lu: reply differs (%d bytes, want %u)\n",
				k, r, len);
			printf("echo: FAILED at %lu of %lu\n", k, n);
			return 1;
		}
	}
	printf("echo: %lu messages, every reply checked: OK\n", n);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmd_bench(unsigned long n)
{
	uint64_t *ns = calloc(n, sizeof(*ns));
	uint8_t out[32], back[32];
	unsigned long k;

	if (!ns || map_chan())
		return 1;
	fill(out, sizeof(out), 1);
	for (k = 0; k < n; k++) {
		uint64_t t0 = now_ns();

		if (transact(UCHAN_OP_ECHO, out, sizeof(out), back, sizeof(back)) != sizeof(out) ||
		    memcmp(out, back, sizeof(out))) {
			printf("bench: FAILED at %lu\n", k);
			return 1;
		}
		ns[k] = now_ns() - t0;
	}
	qsort(ns, n, sizeof(*ns), cmp_u64);
	/* p99 by nearest rank, as the RTOS's figures */
	printf("bench: n=%lu min=%" PRIu64 "ns median=%" PRIu64 "ns p99=%" PRIu64
	       "ns max=%" PRIu64 "ns\n", n, ns[0], ns[(n - 1) / 2], ns[(n * 99 + 99) / 100 - 1],
	       ns[n - 1]);
	free(ns);
	return 0;
}

static int cmd_notify_id(const char *s)
{
	char *end;
	uint64_t id;

	errno = 0;
	id = strtoull(s, &end, 0);
	if (errno || *end)
		return 2;
	if (ioctl(fd, UMBRA_CHAN_IOC_NOTIFY_ID, &id) < 0) {
		printf("notify-id %s: %s\n", s, strerror(errno));
		return 1;
	}
	printf("notify-id %s: ok\n", s);
	return 0;
}

/* What the driver allows: a read-only mapping always, a writable one
 * only on a writable channel. */
static int cmd_probe(void)
{
	volatile uint32_t *m = mmap(NULL, info.size, PROT_READ, MAP_SHARED, fd, 0);
	void *w;

	if (m == MAP_FAILED)
		return fail("mmap read-only");
	printf("probe: read mapping ok, first word 0x%x\n", m[0]);
	munmap((void *)m, info.size);
	w = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED) {
		printf("probe: write mapping: %s\n", strerror(errno));
		return 0;
	}
	printf("probe: write mapping ok\n");
	munmap(w, info.size);
	w = mmap(NULL, info.size + 4096, PROT_READ, MAP_SHARED, fd, 0);
	printf("probe: mapping beyond the region: %s\n", w == MAP_FAILED ? strerror(errno) : "ok?!");
	return 0;
}

static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	return errno || *end || !*s || v > max ? (unsigned long)-1 : v;
}

static int usage(void)
{
	fputs("usage: umbra-chan [-c ID] info | time | echo N [SIZE] | bench N | probe | notify-id ID\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long id = 0, n, size = 0;
	int a = 1;

	if (argc > 2 && !strcmp(argv[1], "-c")) {
		if ((id = number(argv[2], 0xffff)) == (unsigned long)-1)
			return usage();
		a = 3;
	}
	if (a >= argc)
		return usage();
	if (open_chan((unsigned)id))
		return 1;
	if (!strcmp(argv[a], "info") && argc == a + 1) {
		printf("channel %u: base 0x%llx size 0x%llx flags 0x%x%s%s doorbell SPI %u\n",
		       info.id, (unsigned long long)info.base, (unsigned long long)info.size,
		       info.flags, info.flags & UMBRA_CHAN_WRITABLE ? " writable" : " read-only",
		       info.flags & UMBRA_CHAN_FIRST ? " first" : "",
		       info.flags >> UMBRA_CHAN_SPI_SHIFT);
		return 0;
	}
	if (!strcmp(argv[a], "time") && argc == a + 1)
		return cmd_time();
	if (!strcmp(argv[a], "echo") && (argc == a + 2 || argc == a + 3)) {
		n = number(argv[a + 1], BENCH_MAX);
		if (argc == a + 3)
			size = number(argv[a + 2], UCHAN_MSG_MAX);
		if (n == (unsigned long)-1 || size == (unsigned long)-1)
			return usage();
		return cmd_echo(n, size);
	}
	if (!strcmp(argv[a], "bench") && argc == a + 2) {
		n = number(argv[a + 1], BENCH_MAX);
		if (n == (unsigned long)-1 || !n)
			return usage();
		return cmd_bench(n);
	}
	if (!strcmp(argv[a], "probe") && argc == a + 1)
		return cmd_probe();
	if (!strcmp(argv[a], "notify-id") && argc == a + 2)
		return cmd_notify_id(argv[a + 1]);
	return usage();
}
