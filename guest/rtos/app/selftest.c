// SPDX-License-Identifier: Apache-2.0
/*
 * Self-test scenarios (see selftest.h). Each one records what its tasks
 * did in a little log of letters and compares it with what a correct
 * preemptive, priority-inheriting kernel must produce. Where a scenario
 * depends on "task X is blocked by now", a flag set just before the
 * blocking call says so (a lower-priority task runs only once the
 * higher-priority ones have blocked), rather than the clock: the scenarios
 * must also pass on a CPU whose clock jumps (an emulator on a busy host).
 */
#include <string.h>

#if __STDC_HOSTED__
#include <stdio.h>
#else
#include "umbra/lib.h"
#endif

#include "selftest.h"

#define ST_TASKS 6
#define ST_STACK (RTOS_STACK_MIN > 8192 ? RTOS_STACK_MIN : 8192)
#define U        st_unit()

static struct rtos_task tasks[ST_TASKS];
static uint64_t stacks[ST_TASKS][ST_STACK / 8] __attribute__((aligned(16)));
static unsigned nr_tasks;

static char log_buf[64];
static unsigned log_len;

static struct rtos_sem sem, sem2;
static struct rtos_mutex m1, m2;
static struct rtos_queue queue;
static uint32_t queue_buf[2];
static rtos_tick_t t0;
static volatile bool flag_a, flag_b;
static volatile unsigned seen[4];
static volatile int res[4];
static volatile rtos_tick_t took[4];

static void st_log(char c)
{
	rtos_irqflags_t f = rtos_irq_save();

	if (log_len < sizeof(log_buf) - 1)
		log_buf[log_len++] = c;
	log_buf[log_len] = '\0';
	rtos_irq_restore(f);
}

/* Log c unless it is the last letter already. */
static void st_log_change(char c)
{
	rtos_irqflags_t f = rtos_irq_save();

	if (!log_len || log_buf[log_len - 1] != c)
		st_log(c);
	rtos_irq_restore(f);
}

static void reset(void)
{
	nr_tasks = 0;
	log_len = 0;
	log_buf[0] = '\0';
	flag_a = flag_b = false;
	memset((void *)seen, 0, sizeof(seen));
	memset((void *)res, 0, sizeof(res));
	memset((void *)took, 0, sizeof(took));
	rtos_sem_init(&sem, 0, 10);
	rtos_sem_init(&sem2, 0, 1);
	rtos_mutex_init(&m1);
	rtos_mutex_init(&m2);
	rtos_queue_init(&queue, queue_buf, sizeof(queue_buf[0]), 2);
	t0 = rtos_now() + U;
}

static struct rtos_task *spawn(const char *name, void (*fn)(void *), void *arg, unsigned prio)
{
	struct rtos_task *t;

	if (nr_tasks >= ST_TASKS)
		return NULL;
	t = &tasks[nr_tasks++];
	if (rtos_task_create(t, name, fn, arg, prio, stacks[t - tasks], sizeof(stacks[0])))
		return NULL;
	return t;
}

/* Wait for every task spawned (also those spawned meanwhile); a task that
 * does not end in time is killed. Returns how many were killed, by us or
 * by a fault. */
static int join_all(void)
{
	unsigned i;
	int killed = 0;

	for (i = 0; i < nr_tasks; i++) {
		int r = rtos_task_join(&tasks[i], rtos_ms(5000));

		if (r == RTOS_ETIMEOUT) {
			rtos_task_kill(&tasks[i]);
			r = rtos_task_join(&tasks[i], RTOS_FOREVER);
		}
		killed += r == RTOS_EKILLED;
	}
	return killed;
}

/* Spin until *flag is set, for at most `limit` ticks. */
static void spin_for_flag(volatile bool *flag, rtos_tick_t limit)
{
	rtos_tick_t end = rtos_now() + limit;

	while (!*flag && rtos_now() < end)
		st_spin_until(rtos_now() + U / 8);
}

#define EXPECT(cond, ...)                                  \
	do {                                                   \
		if (!(cond)) {                                 \
			snprintf(msg, size, __VA_ARGS__);      \
			return 1;                              \
		}                                              \
	} while (0)

#define EXPECT_LOG(want) \
	EXPECT(!strcmp(log_buf, want), "order '%s', want '%s'", log_buf, want)

/* ---- preemption: a give or a create hands the CPU over at once --------- */

static void pre_high(void *a)
{
	(void)a;
	rtos_sem_take(&sem, RTOS_FOREVER);
	st_log('H');
}

static void pre_top(void *a)
{
	(void)a;
	st_log('X');
}

static void pre_low(void *a)
{
	(void)a;
	st_log('a');
	rtos_sem_give(&sem);
	st_log('b');
	spawn("top", pre_top, NULL, 6);
	st_log('c');
}

static int t_preemption(char *msg, size_t size)
{
	spawn("high", pre_high, NULL, 5);
	spawn("low", pre_low, NULL, 3);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT_LOG("aHbXc");
	return 0;
}

/* ---- equal priorities: rtos_yield and the time slice ------------------ */

static void yield_task(void *a)
{
	int i;

	for (i = 0; i < 3; i++) {
		st_log(*(const char *)a);
		rtos_yield();
	}
}

static int t_yield(char *msg, size_t size)
{
	spawn("c", yield_task, "C", 4);
	spawn("d", yield_task, "D", 4);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT_LOG("CDCDCD");
	return 0;
}

static void rr_task(void *a)
{
	int i;

	/* 40 half-units of CPU each, in a slice of RTOS_SLICE_US (5 ms) */
	for (i = 0; i < 40; i++) {
		st_spin_until(rtos_now() + U / 2);
		st_log_change(*(const char *)a);
	}
}

static int t_round_robin(char *msg, size_t size)
{
	unsigned i, changes = 0;

	spawn("a", rr_task, "A", 4);
	spawn("b", rr_task, "B", 4);
	EXPECT(join_all() == 0, "a task was killed");
	for (i = 1; i < log_len; i++)
		changes += log_buf[i] != log_buf[i - 1];
	EXPECT(log_len >= 4 && changes >= 3, "no time slicing: '%s'", log_buf);
	return 0;
}

/* ---- priority inheritance ------------------------------------------------- */

/* L (2) holds m1; H (8) blocks on it; M (5) becomes ready meanwhile.
 * With inheritance L runs at 8 until it unlocks, so H gets m1 before M
 * runs: "HML". Without, M would preempt L: "MHL". */
static void pi_low(void *a)
{
	(void)a;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	spin_for_flag(&flag_a, 20 * U);            /* H is blocked on m1 */
	seen[0] = rtos_task_priority(rtos_self()); /* inherited: 8 */
	st_spin_until(t0 + 6 * U);                 /* M woke at t0 + 3U */
	rtos_mutex_unlock(&m1);
	seen[1] = rtos_task_priority(rtos_self()); /* back to 2 */
	st_log('L');
}

static void pi_mid(void *a)
{
	(void)a;
	rtos_sleep_until(t0 + 3 * U);
	st_spin_until(rtos_now() + U);
	st_log('M');
}

static void pi_high(void *a)
{
	(void)a;
	rtos_sleep_until(t0 + 2 * U);
	flag_a = true;
	res[0] = rtos_mutex_lock(&m1, RTOS_FOREVER);
	st_log('H');
	rtos_mutex_unlock(&m1);
}

static int t_pi(char *msg, size_t size)
{
	spawn("pi-low", pi_low, NULL, 2);
	spawn("pi-mid", pi_mid, NULL, 5);
	spawn("pi-high", pi_high, NULL, 8);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT(res[0] == RTOS_OK, "lock: %d", res[0]);
	EXPECT_LOG("HML");
	EXPECT(seen[0] == 8, "owner ran at %u while the waiter had 8", seen[0]);
	EXPECT(seen[1] == 2, "owner kept %u after unlocking, want 2", seen[1]);
	return 0;
}

/* L (2) holds m1; M (5) holds m2 and blocks on m1; H (8) blocks on m2:
 * L inherits 8 through M. */
static void chain_low(void *a)
{
	(void)a;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	spin_for_flag(&flag_b, 20 * U);            /* H is blocked on m2 */
	seen[0] = rtos_task_priority(rtos_self()); /* 8, through M */
	rtos_mutex_unlock(&m1);
	seen[1] = rtos_task_priority(rtos_self()); /* 2 */
	st_log('L');
}

static void chain_mid(void *a)
{
	(void)a;
	rtos_sleep(U);
	rtos_mutex_lock(&m2, RTOS_FOREVER);
	flag_a = true;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	seen[2] = rtos_task_priority(rtos_self()); /* 8, from H */
	rtos_mutex_unlock(&m1);
	rtos_mutex_unlock(&m2);
	seen[3] = rtos_task_priority(rtos_self()); /* 5 */
	st_log('M');
}

static void chain_high(void *a)
{
	(void)a;
	while (!flag_a)
		rtos_sleep(U / 4);
	flag_b = true;
	rtos_mutex_lock(&m2, RTOS_FOREVER);
	st_log('H');
	rtos_mutex_unlock(&m2);
}

static int t_pi_chain(char *msg, size_t size)
{
	spawn("ch-low", chain_low, NULL, 2);
	spawn("ch-mid", chain_mid, NULL, 5);
	spawn("ch-high", chain_high, NULL, 8);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT_LOG("HML");
	EXPECT(seen[0] == 8, "L ran at %u, want 8 (inherited through M)", seen[0]);
	EXPECT(seen[1] == 2, "L kept %u, want 2", seen[1]);
	EXPECT(seen[2] == 8, "M ran at %u, want 8", seen[2]);
	EXPECT(seen[3] == 5, "M kept %u, want 5", seen[3]);
	return 0;
}

/* H (8) waits for L's (2) mutex with a timeout: L inherits 8, and gives
 * it back when H gives up. */
static void pito_low(void *a)
{
	(void)a;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	spin_for_flag(&flag_a, 20 * U);            /* H is waiting */
	seen[0] = rtos_task_priority(rtos_self()); /* 8 */
	spin_for_flag(&flag_b, 20 * U);            /* H has given up */
	seen[1] = rtos_task_priority(rtos_self()); /* 2 */
	rtos_mutex_unlock(&m1);
}

static void pito_high(void *a)
{
	rtos_tick_t start;

	(void)a;
	rtos_sleep_until(t0 + U);
	flag_a = true;
	start = rtos_now();
	res[0] = rtos_mutex_lock(&m1, 2 * U);
	took[0] = rtos_now() - start;
	flag_b = true;
}

static int t_pi_timeout(char *msg, size_t size)
{
	spawn("to-low", pito_low, NULL, 2);
	spawn("to-high", pito_high, NULL, 8);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT(res[0] == RTOS_ETIMEOUT, "lock returned %d, want a timeout", res[0]);
	EXPECT(took[0] >= 2 * U && took[0] <= 2 * U + st_tolerance(),
	       "timed out after %lu ticks, want %lu", (unsigned long)took[0],
	       (unsigned long)(2 * U));
	EXPECT(seen[0] == 8, "owner ran at %u while waited for, want 8", seen[0]);
	EXPECT(seen[1] == 2, "owner kept %u after the timeout, want 2", seen[1]);
	return 0;
}

/* ---- message queues --------------------------------------------------------------- */

static void q_receiver(void *a)
{
	uint32_t v = 0;
	rtos_tick_t start = rtos_now();

	(void)a;
	res[0] = rtos_queue_recv(&queue, &v, 2 * U); /* empty: times out */
	took[0] = rtos_now() - start;
	res[1] = rtos_queue_recv(&queue, &v, RTOS_FOREVER);
	seen[0] = v;
	st_log('R');
}

static void q_blocked_sender(void *a)
{
	uint32_t v = 12;

	(void)a;
	res[3] = rtos_queue_send(&queue, &v, RTOS_FOREVER); /* full: waits */
	st_log('T');
}

static void q_sender(void *a)
{
	uint32_t v, got[3] = { 0, 0, 0 };
	rtos_tick_t start;

	(void)a;
	rtos_sleep(3 * U); /* the receiver timed out and waits again */
	v = 42;
	rtos_queue_send(&queue, &v, RTOS_NO_WAIT); /* hands over: R runs now */
	st_log('S');

	v = 1;
	rtos_queue_send(&queue, &v, RTOS_NO_WAIT);
	v = 2;
	rtos_queue_send_from_isr(&queue, &v);
	v = 3;
	start = rtos_now();
	res[2] = rtos_queue_send(&queue, &v, 2 * U); /* full: times out */
	took[1] = rtos_now() - start;
	rtos_queue_recv(&queue, &got[0], RTOS_NO_WAIT);
	rtos_queue_recv(&queue, &got[1], RTOS_NO_WAIT);
	seen[1] = got[0] * 10 + got[1];                   /* 12: FIFO */
	seen[2] = (unsigned)-rtos_queue_recv_from_isr(&queue, &v); /* empty */

	v = 10;
	rtos_queue_send(&queue, &v, RTOS_NO_WAIT);
	v = 11;
	rtos_queue_send(&queue, &v, RTOS_NO_WAIT);
	spawn("q-blocked", q_blocked_sender, NULL, 5); /* blocks: full */
	rtos_queue_recv(&queue, &got[0], RTOS_NO_WAIT); /* its 12 goes in, it runs */
	rtos_queue_recv(&queue, &got[1], RTOS_NO_WAIT);
	rtos_queue_recv(&queue, &got[2], RTOS_NO_WAIT);
	seen[3] = got[0] * 10000 + got[1] * 100 + got[2]; /* 101112 */
}

static int t_queue(char *msg, size_t size)
{
	spawn("q-recv", q_receiver, NULL, 6);
	spawn("q-send", q_sender, NULL, 4);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT(res[0] == RTOS_ETIMEOUT, "receive from empty: %d, want a timeout", res[0]);
	EXPECT(took[0] >= 2 * U && took[0] <= 2 * U + st_tolerance(),
	       "receive timed out after %lu ticks, want %lu", (unsigned long)took[0],
	       (unsigned long)(2 * U));
	EXPECT(res[1] == RTOS_OK && seen[0] == 42, "waiting receiver got %u (%d)", seen[0], res[1]);
	EXPECT(res[2] == RTOS_ETIMEOUT, "send to full: %d, want a timeout", res[2]);
	EXPECT(took[1] >= 2 * U && took[1] <= 2 * U + st_tolerance(),
	       "send timed out after %lu ticks, want %lu", (unsigned long)took[1],
	       (unsigned long)(2 * U));
	EXPECT(seen[1] == 12, "order %u, want 1 then 2", seen[1]);
	EXPECT(seen[2] == (unsigned)-RTOS_EAGAIN, "receive from empty without waiting: -%u",
	       seen[2]);
	EXPECT(res[3] == RTOS_OK && seen[3] == 101112, "blocked sender: %d, order %u", res[3],
	       seen[3]);
	EXPECT_LOG("RST");
	return 0;
}

/* ---- semaphores: by priority, timeouts, limits ------------------------------ */

static void sem_waiter(void *a)
{
	if (rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK)
		st_log(*(const char *)a);
}

static void sem_giver(void *a)
{
	rtos_tick_t start;

	(void)a;
	rtos_sleep(U); /* everybody waits */
	rtos_sem_give(&sem);
	rtos_sem_give(&sem);
	rtos_sem_give_from_isr(&sem);
	start = rtos_now();
	res[0] = rtos_sem_take(&sem, U);
	took[0] = rtos_now() - start;
	res[1] = rtos_sem_give(&sem2);
	res[2] = rtos_sem_give(&sem2); /* max 1 */
	res[3] = rtos_sem_try_take_from_isr(&sem2);
	seen[0] = (unsigned)-rtos_sem_try_take_from_isr(&sem2);
}

static int t_semaphore(char *msg, size_t size)
{
	spawn("w3", sem_waiter, "3", 3);
	spawn("w6", sem_waiter, "6", 6);
	spawn("w4", sem_waiter, "4", 4);
	spawn("giver", sem_giver, NULL, 2);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT_LOG("643");
	EXPECT(res[0] == RTOS_ETIMEOUT, "take from 0: %d, want a timeout", res[0]);
	EXPECT(took[0] >= U && took[0] <= U + st_tolerance(), "timed out after %lu ticks, want %lu",
	       (unsigned long)took[0], (unsigned long)U);
	EXPECT(res[1] == RTOS_OK && res[2] == RTOS_EOVERFLOW, "gives to max 1: %d %d", res[1],
	       res[2]);
	EXPECT(res[3] == RTOS_OK && seen[0] == (unsigned)-RTOS_EAGAIN, "try-takes: %d -%u", res[3],
	       seen[0]);
	return 0;
}

/* ---- periodic: sleep_until on a grid does not drift ---------------------- */

static void periodic(void *a)
{
	rtos_tick_t start = rtos_now(), late = 0;
	int k, early = 0, missed = 0;

	(void)a;
	for (k = 1; k <= 20; k++) {
		rtos_tick_t due = start + (rtos_tick_t)k * U, now;

		/* RTOS_ETIMEOUT: the last wake-up was so late that this
		 * deadline has passed already (the lateness check covers it) */
		missed += rtos_sleep_until(due) != RTOS_OK;
		now = rtos_now();
		if (now < due)
			early++;
		else if (now - due > late)
			late = now - due;
	}
	res[0] = early;
	res[1] = missed;
	took[0] = late;
}

static int t_periodic(char *msg, size_t size)
{
	spawn("periodic", periodic, NULL, 7);
	EXPECT(join_all() == 0, "a task was killed");
	EXPECT(res[0] == 0, "%d wake-ups before their deadline", res[0]);
	EXPECT(took[0] <= st_tolerance(), "woke %lu ticks late", (unsigned long)took[0]);
	EXPECT(res[1] == 0 || st_tolerance() > 0, "%d deadlines passed before sleeping", res[1]);
	return 0;
}

/* ---- kill and join; robust mutexes; the stack canary ------------------------ */

static void victim(void *a)
{
	(void)a;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	rtos_sem_take(&sem, RTOS_FOREVER); /* never given */
}

static void heir(void *a)
{
	(void)a;
	rtos_sleep(U);
	res[0] = rtos_mutex_lock(&m1, RTOS_FOREVER);
	if (res[0] == RTOS_OK || res[0] == RTOS_EOWNERDEAD)
		rtos_mutex_unlock(&m1);
}

static void smasher(void *a)
{
	(void)a;
	/* what a stack overflow does to the bottom of the stack */
	memset(stacks[nr_tasks - 1], 0, 8);
	rtos_sleep(U);
	res[1] = 1; /* not reached: killed at the switch */
}

static int t_kill(char *msg, size_t size)
{
	struct rtos_task *v = spawn("victim", victim, NULL, 6);

	spawn("heir", heir, NULL, 5);
	rtos_sleep(2 * U);
	EXPECT(rtos_task_kill(v) == RTOS_OK, "kill failed");
	EXPECT(rtos_task_join(v, RTOS_NO_WAIT) == RTOS_EKILLED, "join of the killed task");
	EXPECT(rtos_task_kill(v) == RTOS_EINVAL, "killed a dead task");
	EXPECT(join_all() == 1, "tasks killed: want exactly the victim");
	EXPECT(res[0] == RTOS_EOWNERDEAD, "heir's lock: %d, want EOWNERDEAD", res[0]);
	EXPECT(rtos_mutex_owner(&m1) == NULL, "mutex still owned");

	nr_tasks = 0;
	spawn("smasher", smasher, NULL, 6);
	EXPECT(join_all() == 1 && res[1] == 0, "a smashed stack went unnoticed");
	return 0;
}

static const struct {
	const char *name;
	int (*run)(char *msg, size_t size);
} selftests[] = {
	{ "preemption", t_preemption },
	{ "yield", t_yield },
	{ "round-robin", t_round_robin },
	{ "priority-inheritance", t_pi },
	{ "pi-chain", t_pi_chain },
	{ "pi-timeout", t_pi_timeout },
	{ "queue", t_queue },
	{ "semaphore", t_semaphore },
	{ "periodic", t_periodic },
	{ "kill-join", t_kill },
};
const unsigned selftest_count = sizeof(selftests) / sizeof(selftests[0]);

const char *selftest_name(unsigned i)
{
	return i < selftest_count ? selftests[i].name : NULL;
}

int selftest_run(unsigned i, char *msg, size_t size)
{
	if (i >= selftest_count)
		return -1;
	msg[0] = '\0';
	reset();
	return selftests[i].run(msg, size);
}
