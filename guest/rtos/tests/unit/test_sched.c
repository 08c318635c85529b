// SPDX-License-Identifier: Apache-2.0
/* The scheduler: priorities, preemption, round-robin, task life cycle,
 * interrupts. */
#include <string.h>

#include "unit.h"

static void say(void *arg)
{
	ut_log(arg);
}

START_TEST(start_by_priority)
{
	ut_setup();
	ut_spawn("3", say, "3", 3);
	ut_spawn("7", say, "7", 7);
	ut_spawn("5", say, "5", 5);
	ut_spawn("5b", say, "b", 5); /* FIFO among equals */
	ut_run();
	ck_assert_str_eq(ut_logged(), "75b3");
}
END_TEST

static void creator(void *arg)
{
	(void)arg;
	ut_log("a");
	ut_spawn("high", say, "H", 9); /* runs before create returns */
	ut_log("b");
	ut_spawn("low", say, "L", 1); /* waits */
	ut_log("c");
}

START_TEST(create_preempts)
{
	ut_setup();
	ut_spawn("creator", creator, NULL, 5);
	ut_run();
	ck_assert_str_eq(ut_logged(), "aHbcL");
}
END_TEST

static void bad_create(void *arg)
{
	static uint64_t stack[2048] __attribute__((aligned(16)));
	struct rtos_task t;

	(void)arg;
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(rtos_task_create(&t, "x", say, "", 0, stack, sizeof(stack)), RTOS_EINVAL);
	ck_assert_int_eq(rtos_task_create(&t, "x", say, "", 32, stack, sizeof(stack)), RTOS_EINVAL);
	ck_assert_int_eq(rtos_task_create(&t, "x", say, "", 3, stack, 64), RTOS_EINVAL);
	ck_assert_int_eq(rtos_task_create(&t, "x", say, "", 3, (char *)stack + 8,
					  sizeof(stack) - 16), RTOS_EINVAL);
	ck_assert_int_eq(rtos_task_create(&t, "x", NULL, "", 3, stack, sizeof(stack)), RTOS_EINVAL);
	/* a live task cannot be created again */
	ck_assert_int_eq(rtos_task_create(rtos_self(), "x", say, "", 3, stack, sizeof(stack)),
			 RTOS_EINVAL);
	ut_log("ok");
}

START_TEST(create_rejects)
{
	ut_setup();
	ut_spawn("bad", bad_create, NULL, 4);
	ut_run();
	ck_assert_str_eq(ut_logged(), "ok");
}
END_TEST

static void yielder(void *arg)
{
	int i;

	for (i = 0; i < 3; i++) {
		ut_log(arg);
		rtos_yield();
	}
}

START_TEST(yield_alternates)
{
	ut_setup();
	ut_spawn("a", yielder, "A", 4);
	ut_spawn("b", yielder, "B", 4);
	ut_spawn("alone", yielder, "z", 2); /* no peer: yield keeps running */
	ut_run();
	ck_assert_str_eq(ut_logged(), "ABABABzzz");
}
END_TEST

/* Two hogs at one priority: each runs a whole slice (5 ms), in turn. */
static void hog(void *arg)
{
	int i;

	for (i = 0; i < 40; i++) {
		ut_spin(500);
		ut_logf("%s%lu ", (const char *)arg, (unsigned long)rtos_now() / 1000);
	}
}

START_TEST(round_robin_slices)
{
	ut_setup();
	ut_spawn("a", hog, "a", 3);
	ut_spawn("b", hog, "b", 3);
	ut_run();
	/* a runs 0-5 ms, b 5-10, a 10-15, ... */
	ck_assert_msg(strstr(ut_logged(), "a4 b5 ") && strstr(ut_logged(), "b9 a10 ") &&
		      strstr(ut_logged(), "a14 b15 "), "slices: %s", ut_logged());
	ck_assert_uint_eq(rtos_now(), MS(40));
}
END_TEST

static unsigned long spun[2];

static void counter(void *arg)
{
	uintptr_t i = (uintptr_t)arg;

	while (rtos_now() < MS(100)) {
		ut_spin(100);
		spun[i]++;
	}
}

static void ticker(void *arg)
{
	rtos_tick_t next = 0;

	(void)arg;
	while (next < MS(100)) {
		next += MS(1);
		rtos_sleep_until(next);
		ut_spin(50);
	}
}

/* A 1 kHz task above two hogs must not reset their slices: both hogs get
 * their half (this once failed: every preemption restarted the slice). */
START_TEST(round_robin_under_preemption)
{
	ut_setup();
	ut_spawn("ticker", ticker, NULL, 9);
	ut_spawn("c0", counter, (void *)0, 2);
	ut_spawn("c1", counter, (void *)1, 2);
	ut_run();
	ck_assert_uint_gt(spun[0], 400);
	ck_assert_uint_gt(spun[1], 400);
}
END_TEST

/* ---- life cycle ----------------------------------------------------------------- */

static void nested_exit(void)
{
	ut_log("x");
	rtos_task_exit();
}

static void exiter(void *arg)
{
	(void)arg;
	nested_exit();
	ut_log("never");
}

static struct rtos_sem never;

static void blocker(void *arg)
{
	(void)arg;
	rtos_sem_take(&never, RTOS_FOREVER);
	ut_log("never");
}

static void sleeper(void *arg)
{
	(void)arg;
	rtos_sleep(MS(1000));
	ut_log("never");
}

static void spinner(void *arg)
{
	(void)arg;
	for (;;)
		ut_spin(100);
}

static int joins[6];

static void killer(void *arg)
{
	struct rtos_task **t = arg;

	rtos_sleep(MS(1)); /* let them all start */
	joins[0] = rtos_task_join(t[0], MS(1)); /* exited by itself */
	ck_assert_int_eq(rtos_task_kill(t[1]), RTOS_OK); /* blocked */
	ck_assert_int_eq(rtos_task_kill(t[2]), RTOS_OK); /* sleeping */
	ck_assert_int_eq(rtos_task_kill(t[3]), RTOS_OK); /* ready */
	joins[1] = rtos_task_join(t[1], RTOS_NO_WAIT);
	joins[2] = rtos_task_join(t[2], RTOS_FOREVER);
	joins[3] = rtos_task_join(t[3], RTOS_FOREVER);
	joins[4] = rtos_task_kill(t[3]);  /* dead already */
	joins[5] = rtos_task_join(rtos_self(), RTOS_FOREVER);
	/* a joined task's struct can be used again */
	ck_assert_int_eq(rtos_task_create(t[0], "again", say, "again", 6, t[0]->stack,
					  t[0]->stack_size), RTOS_OK);
	ut_log("k");
}

START_TEST(kill_and_join)
{
	struct rtos_task *t[4];

	ut_setup();
	rtos_sem_init(&never, 0, 1);
	t[0] = ut_spawn("exiter", exiter, NULL, 5);
	t[1] = ut_spawn("blocker", blocker, NULL, 5);
	t[2] = ut_spawn("sleeper", sleeper, NULL, 5);
	t[3] = ut_spawn("spinner", spinner, NULL, 1);
	ut_spawn("killer", killer, t, 8);
	ut_run();
	ck_assert_str_eq(ut_logged(), "xkagain");
	ck_assert_int_eq(joins[0], RTOS_OK);
	ck_assert_int_eq(joins[1], RTOS_EKILLED);
	ck_assert_int_eq(joins[2], RTOS_EKILLED);
	ck_assert_int_eq(joins[3], RTOS_EKILLED);
	ck_assert_int_eq(joins[4], RTOS_EINVAL);
	ck_assert_int_eq(joins[5], RTOS_EINVAL);
	ck_assert_int_eq(rtos_task_state(t[1]), RTOS_TASK_DEAD);
}
END_TEST

static void smasher(void *arg)
{
	(void)arg;
	memset(rtos_self()->stack, 0x55, 16); /* what an overflow does */
	rtos_yield();
	rtos_sleep(1);
	ut_log("never");
}

START_TEST(stack_canary)
{
	struct rtos_task *t;

	ut_setup();
	t = ut_spawn("smasher", smasher, NULL, 4);
	ut_run();
	ck_assert_str_eq(ut_logged(), "");
	ck_assert_uint_eq(port_host_kills(), 1);
	ck_assert_str_eq(port_host_last_kill(), "smasher: stack overflow (canary overwritten)");
	ck_assert_int_eq(t->exit_status, RTOS_EKILLED);
}
END_TEST

static void deep(void *arg)
{
	volatile char buf[10000];

	(void)arg;
	memset((char *)buf, 1, sizeof(buf));
}

START_TEST(stack_high_water)
{
	struct rtos_task *t;

	ut_setup();
	t = ut_spawn("deep", deep, NULL, 4);
	/* all of it but what the port's initial frame took */
	ck_assert_uint_gt(rtos_task_stack_unused(t), UT_STACK - 256);
	ut_run();
	ck_assert_uint_lt(rtos_task_stack_unused(t), UT_STACK - 10000);
	ck_assert_uint_gt(rtos_task_stack_unused(t), 0);
}
END_TEST

static void reprioritiser(void *arg)
{
	struct rtos_task *other = arg;

	ut_log("a");
	rtos_task_set_priority(other, 7); /* above us: runs now */
	ut_log("b");
	rtos_task_set_priority(rtos_self(), 2); /* below "late": it runs */
	ut_log("c");
	ck_assert_int_eq(rtos_task_set_priority(rtos_self(), 0), RTOS_EINVAL);
	ck_assert_int_eq(rtos_task_base_priority(rtos_self()), 2);
}

START_TEST(set_priority)
{
	struct rtos_task *o;

	ut_setup();
	o = ut_spawn("other", say, "O", 1);
	ut_spawn("reprio", reprioritiser, o, 5);
	ut_spawn("late", say, "L", 3);
	ut_run();
	ck_assert_str_eq(ut_logged(), "aObLc");
}
END_TEST

/* ---- interrupts ---------------------------------------------------------------------- */

static struct rtos_sem irq_sem;
static int isr_results[4];
static rtos_tick_t handled_at;

static void device_isr(void)
{
	ck_assert(rtos_in_isr());
	/* nothing may block here */
	isr_results[0] = rtos_sem_take(&irq_sem, MS(1));
	isr_results[1] = rtos_sleep(MS(1));
	isr_results[2] = rtos_mutex_lock(&(struct rtos_mutex){ 0 }, MS(1));
	isr_results[3] = rtos_sem_give_from_isr(&irq_sem);
	ut_log("I");
}

static void handler_task(void *arg)
{
	(void)arg;
	rtos_sem_take(&irq_sem, RTOS_FOREVER);
	handled_at = rtos_now();
	ut_log("H");
}

static void busy(void *arg)
{
	(void)arg;
	ut_spin(MS(10));
	ut_log("B");
}

/* A device interrupt at 5 ms gives a semaphore: the task waiting for it
 * preempts the busy one on the way out of the interrupt. */
START_TEST(isr_wakes_task)
{
	ut_setup();
	rtos_sem_init(&irq_sem, 0, 1);
	ut_spawn("handler", handler_task, NULL, 8);
	ut_spawn("busy", busy, NULL, 2);
	port_host_raise_at(MS(5), device_isr);
	ut_run();
	ck_assert_str_eq(ut_logged(), "IHB");
	ck_assert_uint_eq(handled_at, MS(5));
	ck_assert_int_eq(isr_results[0], RTOS_EINVAL);
	ck_assert_int_eq(isr_results[1], RTOS_EINVAL);
	ck_assert_int_eq(isr_results[2], RTOS_EINVAL);
	ck_assert_int_eq(isr_results[3], RTOS_OK);
	ck_assert(!rtos_in_isr());
}
END_TEST

static void masker(void *arg)
{
	rtos_irqflags_t f;

	(void)arg;
	f = rtos_irq_save();
	ut_spin(MS(10)); /* the interrupt waits */
	ut_log("m");
	rtos_irq_restore(f); /* taken here; the handler preempts */
	ut_log("M");
}

START_TEST(critical_section_defers_irq)
{
	ut_setup();
	rtos_sem_init(&irq_sem, 0, 1);
	ut_spawn("handler", handler_task, NULL, 8);
	ut_spawn("masker", masker, NULL, 2);
	port_host_raise_at(MS(5), device_isr);
	ut_run();
	ck_assert_str_eq(ut_logged(), "mIHM");
	ck_assert_uint_eq(handled_at, MS(10));
}
END_TEST

Suite *sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("sched");

	tcase_add_test(tc, start_by_priority);
	tcase_add_test(tc, create_preempts);
	tcase_add_test(tc, create_rejects);
	tcase_add_test(tc, yield_alternates);
	tcase_add_test(tc, round_robin_slices);
	tcase_add_test(tc, round_robin_under_preemption);
	tcase_add_test(tc, kill_and_join);
	tcase_add_test(tc, stack_canary);
	tcase_add_test(tc, stack_high_water);
	tcase_add_test(tc, set_priority);
	tcase_add_test(tc, isr_wakes_task);
	tcase_add_test(tc, critical_section_defers_irq);
	suite_add_tcase(s, tc);
	return s;
}
