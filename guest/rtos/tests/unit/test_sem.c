// SPDX-License-Identifier: Apache-2.0
/* Counting semaphores. */
#include "unit.h"

static struct rtos_sem s;
static int r[8];
static rtos_tick_t t[8];

START_TEST(counts_and_limits)
{
	ut_setup();
	rtos_sem_init(&s, 5, 3); /* clamped to the maximum */
	ck_assert_uint_eq(rtos_sem_count(&s), 3);
	ck_assert_int_eq(rtos_sem_give(&s), RTOS_EOVERFLOW);
	ck_assert_int_eq(rtos_sem_take(&s, RTOS_NO_WAIT), RTOS_OK);
	ck_assert_int_eq(rtos_sem_try_take_from_isr(&s), RTOS_OK);
	ck_assert_int_eq(rtos_sem_take(&s, RTOS_NO_WAIT), RTOS_OK);
	ck_assert_int_eq(rtos_sem_take(&s, RTOS_NO_WAIT), RTOS_EAGAIN);
	/* before the scheduler runs, nothing can block */
	ck_assert_int_eq(rtos_sem_take(&s, MS(1)), RTOS_EINVAL);
	ck_assert_int_eq(rtos_sem_give(&s), RTOS_OK);
	ck_assert_uint_eq(rtos_sem_count(&s), 1);
	rtos_sem_init(&s, 0, 0); /* max 0 means a binary semaphore */
	ck_assert_int_eq(rtos_sem_give(&s), RTOS_OK);
	ck_assert_int_eq(rtos_sem_give(&s), RTOS_EOVERFLOW);
}
END_TEST

static void taker(void *arg)
{
	uintptr_t i = (uintptr_t)arg;
	rtos_tick_t start = rtos_now();

	r[i] = rtos_sem_take(&s, i == 0 ? MS(3) : RTOS_FOREVER);
	t[i] = rtos_now() - start;
	ut_logf("%lu", (unsigned long)i);
}

START_TEST(timeout_exact)
{
	ut_setup();
	rtos_sem_init(&s, 0, 1);
	ut_spawn("t0", taker, (void *)0, 5);
	ut_run();
	ck_assert_int_eq(r[0], RTOS_ETIMEOUT);
	ck_assert_uint_eq(t[0], MS(3));
}
END_TEST

static void giver(void *arg)
{
	int n = (int)(uintptr_t)arg;

	rtos_sleep(MS(1)); /* every taker waits by now */
	while (n--) {
		ut_log("g");
		rtos_sem_give(&s);
	}
	ut_log("G");
}

/* Waiters are served by priority, FIFO among equals, each at once. */
START_TEST(wake_order)
{
	ut_setup();
	rtos_sem_init(&s, 0, 10);
	ut_spawn("t1", taker, (void *)1, 4);
	ut_spawn("t2", taker, (void *)2, 6);
	ut_spawn("t3", taker, (void *)3, 4);
	ut_spawn("t4", taker, (void *)4, 5);
	ut_spawn("giver", giver, (void *)4, 3);
	ut_run();
	ck_assert_str_eq(ut_logged(), "g2g4g1g3G");
}
END_TEST

static void thief(void *arg)
{
	(void)arg;
	rtos_sleep(MS(1));
	/* the giver's unit went to the waiter: nothing to steal */
	r[6] = rtos_sem_take(&s, RTOS_NO_WAIT);
	ut_log("T");
}

/* A lower-priority waiter gets the unit even though a higher-priority
 * task asks right after the give: no stealing. */
START_TEST(handover_no_steal)
{
	ut_setup();
	rtos_sem_init(&s, 0, 1);
	ut_spawn("t1", taker, (void *)1, 2);
	ut_spawn("giver", giver, (void *)1, 9);
	ut_spawn("thief", thief, NULL, 8);
	ut_run();
	ck_assert_int_eq(r[1], RTOS_OK);
	ck_assert_int_eq(r[6], RTOS_EAGAIN);
	ck_assert_str_eq(ut_logged(), "gGT1");
}
END_TEST

static void isr_give(void)
{
	rtos_sem_give_from_isr(&s);
	rtos_sem_give_from_isr(&s);
}

START_TEST(give_from_isr)
{
	ut_setup();
	rtos_sem_init(&s, 0, 5);
	ut_spawn("t1", taker, (void *)1, 4);
	ut_spawn("t2", taker, (void *)2, 4);
	port_host_raise_at(MS(7), isr_give);
	ut_run();
	ck_assert_str_eq(ut_logged(), "12");
	ck_assert_uint_eq(t[1], MS(7));
	ck_assert_uint_eq(t[2], MS(7));
}
END_TEST

Suite *sem_suite(void)
{
	Suite *su = suite_create("semaphore");
	TCase *tc = tcase_create("semaphore");

	tcase_add_test(tc, counts_and_limits);
	tcase_add_test(tc, timeout_exact);
	tcase_add_test(tc, wake_order);
	tcase_add_test(tc, handover_no_steal);
	tcase_add_test(tc, give_from_isr);
	suite_add_tcase(su, tc);
	return su;
}
