// SPDX-License-Identifier: Apache-2.0
/*
 * The real-time partition's application: a 1 kHz control task that
 * measures its own wake-up latency, a heartbeat, a reporter, and
 * background load. /chosen/bootargs selects variants:
 *
 *   selftest   run the self-test scenarios instead, print a summary, power off
 *   bench=N    after 1 s of warm-up, N seconds (at most 60) of latency
 *              samples, one summary line, power off
 *   warmup=S   with bench: S seconds of warm-up instead of 1 (e.g. to let
 *              a Linux partition beside it boot first)
 *   fault[=K]  a task faults after 1.5 s (K: 1 NULL write, 2 undefined
 *              instruction, 3 write to the code); it is reported and
 *              killed, the rest goes on
 *   gpio=S     (under Umbra, holding shared device 0, the PL061) read the
 *              GPIO for S seconds, release it, then touch it once more:
 *              that access aborts, the task is reported and killed
 *   noload     no background load tasks
 *   quiet      no heartbeat or latency lines (a silent CPU hog, e.g. to
 *              load other CPUs in an experiment)
 *   keep       do not power off after selftest/bench
 *   nocanary   no DMA canary (canary.c; it runs with the demo, not with
 *              selftest, bench=N or quiet)
 *
 * Output lines (stable, parsed by the tests and scripts/bench-rtos.sh):
 *   rtos: heartbeat N                                      every 100 ms
 *   rtos: latency n=1000 min=Ans mean=Bns p99=Cns max=Dns overruns=E
 *   rtos: histogram 0-1us:N 1-2us:N ... 1ms+:N             every second
 *   rtos: load a=N b=N                                      every second
 *   rtos: bench n=N min=Ans mean=Bns p99=Cns max=Dns overruns=E
 *   rtos: selftest NAME: PASS | FAIL: why
 *   rtos: selftest: N passed, M failed
 *   rtos: rtc: T s since the epoch                          at start (if a PL031)
 *   rtos: gpio: ...                                         the gpio=S demo
 *   rtos: canary intact (N checks)                          every 5 s
 *   rtos: canary CHANGED at +0xOFF: ...                     on damage (canary.c)
 *   rtos: image confirmed (minimum SVN raised if newer)     after 1 s, signed image
 *   rtos: app version V                                      at start
 */
#include <string.h>

#include "arch.h"
#include "board.h"
#include "canary.h"
#include "chan_service.h"
#include "rtos.h"
#include "selftest.h"
#include "umbra/lib.h"
#include "umbra_device.h"

#define STACK 8192
/* which build this is (a live-update test builds a second one: -D...=2) */
#ifndef RTOS_APP_VERSION
#define RTOS_APP_VERSION 1
#endif

#define PRIO_CONTROL   30
#define PRIO_HEARTBEAT 22
#define PRIO_CHANNEL   20
#define PRIO_SELFTEST  ST_RUNNER_PRIO
#define PRIO_FAULTY    16
#define PRIO_REPORTER  12
#define PRIO_CANARY    3
#define PRIO_READER    2
#define PRIO_LOAD      1

#define WINDOW    1000 /* samples per report: one second at 1 kHz */
#define BENCH_MAX 60   /* seconds */

#define DEFINE_TASK(name)                          \
	static struct rtos_task name##_task;       \
	static uint64_t name##_stack[STACK / 8] __attribute__((aligned(16)))
#define CREATE(name, label, fn, arg, prio) \
	rtos_task_create(&name##_task, label, fn, arg, prio, name##_stack, sizeof(name##_stack))

DEFINE_TASK(control);
DEFINE_TASK(heartbeat);
DEFINE_TASK(reporter);
DEFINE_TASK(load_a);
DEFINE_TASK(load_b);
DEFINE_TASK(faulty);
DEFINE_TASK(reaper);
DEFINE_TASK(selftest);
DEFINE_TASK(st_fault);
DEFINE_TASK(gpio);
DEFINE_TASK(gpio_reaper);
DEFINE_TASK(reader);

static volatile unsigned heartbeats;
static bool quiet;

/* ---- the 1 kHz control task ------------------------------------------------- */

struct window {
	uint32_t ns[WINDOW];
	unsigned n, overruns;
};
static struct window windows[2];
static struct rtos_queue full_windows;
static unsigned full_windows_buf[2];
static unsigned long windows_dropped;

/* The "control law": a fixed-point PI controller driving a first-order
 * plant, so that the task does some real work each period. */
static int32_t plant, integral;

static void control_step(void)
{
	int32_t setpoint = 1000 << 8, err = setpoint - plant, u;

	integral += err / 64;
	u = err / 4 + integral / 16;
	plant += (u - plant) / 32;
}

static void control_main(void *arg)
{
	rtos_tick_t period = rtos_ms(1), next = rtos_now() + period;
	unsigned w = 0;

	(void)arg;
	for (;;) {
		struct window *cw = &windows[w];
		int late = rtos_sleep_until(next) != RTOS_OK;
		rtos_tick_t now = rtos_now();
		uint64_t ns = rtos_ticks_to_ns(now - next);

		cw->ns[cw->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
		cw->overruns += late;
		control_step();
		/* the next deadline on the grid; periods already missed
		 * are skipped, not made up for */
		next += period;
		for (now = rtos_now(); next <= now; next += period)
			cw->overruns++;
		if (cw->n == WINDOW) {
			if (rtos_queue_send(&full_windows, &w, RTOS_NO_WAIT) == RTOS_OK)
				w ^= 1;
			else
				windows_dropped++; /* the reporter is behind: reuse */
			windows[w].n = windows[w].overruns = 0;
		}
	}
}

/* ---- statistics ------------------------------------------------------------------ */

static void sift_down(uint32_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		uint32_t t;

		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[root] >= a[c])
			return;
		t = a[root];
		a[root] = a[c];
		a[c] = t;
		root = c;
	}
}

static void heapsort_u32(uint32_t *a, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		uint32_t t = a[0];

		a[0] = a[i];
		a[i] = t;
		sift_down(a, 0, i);
	}
}

struct stats {
	size_t n;
	uint32_t min, max, p99;
	uint64_t mean;
};

/* Sorts a. p99 by nearest rank: the smallest value >= 99 % of them. */
static struct stats compute(uint32_t *a, size_t n)
{
	struct stats s = { n, 0, 0, 0, 0 };
	uint64_t sum = 0;
	size_t i;

	if (!n)
		return s;
	heapsort_u32(a, n);
	for (i = 0; i < n; i++)
		sum += a[i];
	s.min = a[0];
	s.max = a[n - 1];
	s.p99 = a[(n * 99 + 99) / 100 - 1];
	s.mean = sum / n;
	return s;
}

static const struct {
	uint32_t below_ns;
	const char *label;
} buckets[] = {
	{ 1000, "0-1us" }, { 2000, "1-2us" }, { 5000, "2-5us" }, { 10000, "5-10us" },
	{ 20000, "10-20us" }, { 50000, "20-50us" }, { 100000, "50-100us" },
	{ 1000000, "100us-1ms" }, { UINT32_MAX, "1ms+" },
};
#define NR_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

static void print_histogram(const uint32_t *sorted, size_t n)
{
	char line[200];
	size_t len = 0, i = 0, b;

	len += (size_t)snprintf(line, sizeof(line), "rtos: histogram");
	for (b = 0; b < NR_BUCKETS; b++) {
		unsigned count = 0;

		while (i < n && (sorted[i] < buckets[b].below_ns || b == NR_BUCKETS - 1)) {
			count++;
			i++;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s:%u", buckets[b].label,
					count);
		if (len >= sizeof(line))
			break;
	}
	rtos_printf("%s\n", line);
}

/* ---- reporter: one report per second, and the benchmark ------------------------- */

static uint32_t scratch[WINDOW];
static uint32_t bench_buf[BENCH_MAX * WINDOW];
static size_t bench_len, bench_want;
static unsigned bench_warmup = 1;
static unsigned long bench_overruns;
static volatile uint64_t load_count[2];

static void bench_finish(void)
{
	struct stats s = compute(bench_buf, bench_len);

	rtos_printf("rtos: bench n=%lu min=%uns mean=%luns p99=%uns max=%uns overruns=%lu\n",
		    (unsigned long)s.n, s.min, (unsigned long)s.mean, s.p99, s.max, bench_overruns);
	print_histogram(bench_buf, bench_len);
	rtos_printf("rtos: bench done\n");
	if (!board_option("keep"))
		board_poweroff();
}

static void reporter_main(void *arg)
{
	unsigned idx, seconds = 0;
	uint64_t last_load[2] = { 0, 0 };

	(void)arg;
	for (;;) {
		struct stats s;
		unsigned overruns;
		uint64_t la, lb;

		rtos_queue_recv(&full_windows, &idx, RTOS_FOREVER);
		memcpy(scratch, windows[idx].ns, sizeof(scratch));
		overruns = windows[idx].overruns;
		seconds++;

		if (bench_want && seconds > bench_warmup && bench_len < bench_want) {
			memcpy(&bench_buf[bench_len], scratch, sizeof(scratch));
			bench_len += WINDOW;
			bench_overruns += overruns;
		}
		s = compute(scratch, WINDOW);
		if (quiet)
			continue;
		rtos_printf("rtos: latency n=%lu min=%uns mean=%luns p99=%uns max=%uns overruns=%u\n",
			    (unsigned long)s.n, s.min, (unsigned long)s.mean, s.p99, s.max, overruns);
		print_histogram(scratch, WINDOW);
		la = load_count[0];
		lb = load_count[1];
		if (rtos_task_state(&load_a_task) != RTOS_TASK_FREE)
			rtos_printf("rtos: load a=%lu b=%lu\n", (unsigned long)(la - last_load[0]),
				    (unsigned long)(lb - last_load[1]));
		last_load[0] = la;
		last_load[1] = lb;
		if (bench_want && bench_len >= bench_want)
			bench_finish();
	}
}

/* ---- heartbeat and load ------------------------------------------------------------- */

static void heartbeat_main(void *arg)
{
	rtos_tick_t period = rtos_ms(100), next = rtos_now();

	(void)arg;
	for (;;) {
		next += period;
		if (rtos_sleep_until(next) != RTOS_OK && rtos_now() - next > period)
			next = rtos_now(); /* stalled: resynchronise, no burst */
		heartbeats++;
		if (!quiet && RTOS_APP_VERSION == 1)
			rtos_printf("rtos: heartbeat %u\n", heartbeats - 1);
		else if (!quiet)
			rtos_printf("rtos: heartbeat %u (v%u)\n", heartbeats - 1, RTOS_APP_VERSION);
		/* a second of running is "started well": let Umbra raise the
		 * stored minimum SVN to this image's (docs/signing.md); an
		 * unsigned image is told no (DENIED), silently */
		if (heartbeats == 10 && board_under_umbra() &&
		    umbra_hvc(UMBRA_HC_IMAGE_CONFIRM, 0, 0, 0, 0, 0, 0).x0 == UMBRA_OK)
			rtos_printf("rtos: image confirmed (minimum SVN raised if newer)\n");
	}
}

/* Two CPU hogs at the same low priority: the time slice alternates them,
 * and everything above preempts them. */
static void load_main(void *arg)
{
	volatile uint64_t *count = arg;

	for (;;)
		(*count)++;
}

/* ---- fault demo ------------------------------------------------------------------------- */

/* Addresses the compiler cannot see through: the faults are the point. */
static volatile uintptr_t null_field = 8, null_field2 = 16;

static void faulty_main(void *arg)
{
	long kind = (long)(uintptr_t)arg;

	rtos_sleep(rtos_ms(1500));
	rtos_printf("rtos: task 'faulty' is about to fault (kind %ld)\n", kind);
	switch (kind) {
	case 2:
		__asm__ volatile("udf #0");
		break;
	case 3:
		*(volatile uint32_t *)(uintptr_t)control_main = 0; /* W^X */
		break;
	default:
		*(volatile uint32_t *)null_field = 1; /* a NULL structure pointer */
		break;
	}
	rtos_printf("rtos: task 'faulty' survived its fault?!\n");
}

static void reaper_main(void *arg)
{
	int r = rtos_task_join(arg, RTOS_FOREVER);
	unsigned hb = heartbeats;

	rtos_sleep(rtos_ms(300));
	rtos_printf("rtos: task '%s' ended (%s); heartbeats went on: %u -> %u\n",
		    rtos_task_name(arg), r == RTOS_EKILLED ? "killed" : "returned", hb, heartbeats);
}

/* ---- shared-device demo ------------------------------------------------------------------ */

#define GPIO_SHARED_ID 0     /* shared device 0 of the run config */
#define PL061_DATA     0x3fc /* GPIODATA with every address-mask bit: all 8 lines */
#define PL031_DR       0x000 /* RTC data register: seconds */

static void gpio_main(void *arg)
{
	long secs = (long)(uintptr_t)arg, r;
	volatile uint32_t *data = (volatile uint32_t *)(uintptr_t)(board_gpio() + PL061_DATA);
	rtos_tick_t until = rtos_now() + rtos_ms((uint64_t)secs * 1000);
	unsigned reads = 0;
	uint32_t v = *data;

	rtos_printf("rtos: gpio: holding the PL061 at 0x%lx: data 0x%02x; releasing it in %ld s\n",
		    (unsigned long)board_gpio(), (unsigned)(v & 0xff), secs);
	while (rtos_now() < until) {
		v = *data;
		reads++;
		rtos_sleep(rtos_ms(100));
	}
	r = umbra_device_release(GPIO_SHARED_ID);
	rtos_printf("rtos: gpio: released shared device %d (status %ld) after %u reads (last 0x%02x)\n",
		    GPIO_SHARED_ID, r, reads, (unsigned)(v & 0xff));
	rtos_sleep(rtos_ms(1000));
	rtos_printf("rtos: gpio: one more access after the release\n");
	v = *data;
	rtos_printf("rtos: gpio: the access after the release did not fault (0x%x)?!\n", (unsigned)v);
}

/* ---- selftest ---------------------------------------------------------------------------- */

void st_spin_until(rtos_tick_t when)
{
	while (rtos_now() < when)
		;
}

rtos_tick_t st_unit(void)
{
	return rtos_ms(2);
}

rtos_tick_t st_tolerance(void)
{
	return rtos_ms(20); /* an emulator's clock may jump under host load */
}

static void st_fault_main(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)null_field2 = 0;
}

/* On the target only: a task that really faults is killed, the others
 * (the heartbeat) keep running. */
static int fault_scenario(char *msg, size_t size)
{
	unsigned hb;
	int r;

	if (CREATE(st_fault, "st-fault", st_fault_main, NULL, 5))
		return snprintf(msg, size, "cannot create the task"), 1;
	r = rtos_task_join(&st_fault_task, rtos_ms(1000));
	hb = heartbeats;
	rtos_sleep(rtos_ms(250));
	if (r != RTOS_EKILLED)
		return snprintf(msg, size, "join: %d, want EKILLED", r), 1;
	if (heartbeats < hb + 2)
		return snprintf(msg, size, "heartbeat stopped (%u -> %u)", hb, heartbeats), 1;
	return 0;
}

static void selftest_main(void *arg)
{
	unsigned i, passed = 0, failed = 0;
	char msg[160];

	(void)arg;
	rtos_printf("rtos: selftest: %u scenarios\n", selftest_count + 1);
	for (i = 0; i <= selftest_count; i++) {
		const char *name = i < selftest_count ? selftest_name(i) : "fault";
		int r = i < selftest_count ? selftest_run(i, msg, sizeof(msg))
					   : fault_scenario(msg, sizeof(msg));

		if (r) {
			failed++;
			rtos_printf("rtos: selftest %s: FAIL: %s\n", name, msg);
		} else {
			passed++;
			rtos_printf("rtos: selftest %s: PASS\n", name);
		}
	}
	rtos_printf("rtos: selftest: %u passed, %u failed\n", passed, failed);
	if (!board_option("keep"))
		board_poweroff();
}

/* ---- console reader ---------------------------------------------------------------------- */

/* What is typed on the console (polled every 20 ms: no interrupt needed),
 * echoed back a line at a time: "rtos: got '...'". */
static void reader_main(void *arg)
{
	char line[65];
	size_t n = 0;
	int c;

	(void)arg;
	for (;;) {
		while ((c = console_getc()) >= 0) {
			if (c == '\r' || c == '\n') {
				line[n] = '\0';
				if (n)
					rtos_printf("rtos: got '%s'\n", line);
				n = 0;
			} else if (n < sizeof(line) - 1 && c >= 0x20 && c < 0x7f) {
				line[n++] = (char)c;
			}
		}
		rtos_sleep(rtos_ms(20));
	}
}

/* ---- main ---------------------------------------------------------------------------------- */

void app_main(void)
{
	long bench = board_option_value("bench", 0), fault = board_option_value("fault", 1);

	quiet = board_option("quiet");
	rtos_printf("rtos: app version %u\n", RTOS_APP_VERSION);
	rtos_queue_init(&full_windows, full_windows_buf, sizeof(unsigned), 2);
	CREATE(heartbeat, "heartbeat", heartbeat_main, NULL, PRIO_HEARTBEAT);
	if (board_option("selftest")) {
		rtos_printf("rtos: self-test mode\n");
		CREATE(selftest, "selftest", selftest_main, NULL, PRIO_SELFTEST);
		rtos_start();
		return;
	}
	if (bench > 0) {
		long w = board_option_value("warmup", 1);

		bench_want = (size_t)(bench > BENCH_MAX ? BENCH_MAX : bench) * WINDOW;
		bench_warmup = w < 0 ? 0 : w > 3600 ? 3600 : (unsigned)w;
		rtos_printf("rtos: benchmark: %lu samples after %u s of warm-up\n",
			    (unsigned long)bench_want, bench_warmup);
	}
	CREATE(control, "control", control_main, NULL, PRIO_CONTROL);
	chan_service_start(PRIO_CHANNEL);
	if (console_readable())
		CREATE(reader, "reader", reader_main, NULL, PRIO_READER);
	CREATE(reporter, "reporter", reporter_main, NULL, PRIO_REPORTER);
	if (!board_option("noload")) {
		CREATE(load_a, "load-a", load_main, (void *)&load_count[0], PRIO_LOAD);
		CREATE(load_b, "load-b", load_main, (void *)&load_count[1], PRIO_LOAD);
	}
	if (board_option("fault")) {
		CREATE(faulty, "faulty", faulty_main, (void *)(uintptr_t)fault, PRIO_FAULTY);
		CREATE(reaper, "reaper", reaper_main, &faulty_task, PRIO_FAULTY);
	}
	if (!bench && !quiet && !board_option("nocanary"))
		canary_start(PRIO_CANARY);
	if (board_rtc())
		rtos_printf("rtos: rtc: %u s since the epoch\n",
			    *(volatile uint32_t *)(uintptr_t)(board_rtc() + PL031_DR));
	if (board_option("gpio")) {
		long secs = board_option_value("gpio", 10);

		if (!board_under_umbra() || !board_gpio() || board_gpio_disabled())
			rtos_printf("rtos: gpio: no PL061 of ours to share: no demo\n");
		else {
			CREATE(gpio, "gpio", gpio_main,
			       (void *)(uintptr_t)(secs < 0 ? 0 : secs > 3600 ? 3600 : secs),
			       PRIO_FAULTY);
			CREATE(gpio_reaper, "gpio-reaper", reaper_main, &gpio_task, PRIO_FAULTY);
		}
	}
	rtos_printf("rtos: tasks: control 1 kHz (prio %d), heartbeat 10 Hz (%d), reporter (%d)%s%s\n",
		    PRIO_CONTROL, PRIO_HEARTBEAT, PRIO_REPORTER,
		    board_option("noload") ? "" : ", load-a + load-b (1, round-robin)",
		    board_option("fault") ? ", faulty (16)" : "");
	rtos_start();
}
