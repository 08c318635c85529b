// SPDX-License-Identifier: Apache-2.0
/* The timer list, time units, tickless timing, sleep and sleep_until. */
#include "unit.h"

/* ---- the timer list on its own ---------------------------------------- */

static struct rtos_task tt[5];

static void tt_setup(void)
{
	unsigned i;

	ut_setup();
	for (i = 0; i < 5; i++) {
		tt[i].timed = false;
		list_init(&tt[i].tnode);
	}
}

/* Pop everything due at `now`, as the timer interrupt does. */
static int pop(rtos_tick_t now)
{
	struct rtos_task *t = timer_due(now);

	if (!t)
		return -1;
	timer_del(t);
	return (int)(t - tt);
}

START_TEST(timer_sorted)
{
	tt_setup();
	ck_assert_uint_eq(timer_next(), RTOS_NEVER);
	timer_add(&tt[0], 50);
	timer_add(&tt[1], 10);
	timer_add(&tt[2], 30);
	timer_add(&tt[3], 10); /* same time as tt[1]: after it */
	timer_add(&tt[4], 70);
	ck_assert_uint_eq(timer_next(), 10);
	ck_assert_int_eq(pop(9), -1);
	ck_assert_int_eq(pop(10), 1);
	ck_assert_int_eq(pop(10), 3);
	ck_assert_int_eq(pop(10), -1);
	ck_assert_uint_eq(timer_next(), 30);
	ck_assert_int_eq(pop(100), 2);
	ck_assert_int_eq(pop(100), 0);
	ck_assert_int_eq(pop(100), 4);
	ck_assert_int_eq(pop(100), -1);
	ck_assert_uint_eq(timer_next(), RTOS_NEVER);
}
END_TEST

START_TEST(timer_delete_and_move)
{
	tt_setup();
	timer_add(&tt[0], 10);
	timer_add(&tt[1], 20);
	timer_add(&tt[2], 30);
	timer_del(&tt[1]);
	ck_assert(!tt[1].timed);
	timer_del(&tt[1]); /* not in the list: nothing happens */
	timer_add(&tt[0], 40); /* re-adding moves it */
	ck_assert_uint_eq(timer_next(), 30);
	ck_assert_int_eq(pop(1000), 2);
	ck_assert_int_eq(pop(1000), 0);
	ck_assert_int_eq(pop(1000), -1);
	/* the head */
	timer_add(&tt[3], 5);
	timer_add(&tt[4], 6);
	timer_del(&tt[3]);
	ck_assert_uint_eq(timer_next(), 6);
}
END_TEST

START_TEST(timer_extremes)
{
	tt_setup();
	timer_add(&tt[0], RTOS_NEVER - 1);
	timer_add(&tt[1], 0);
	ck_assert_int_eq(pop(0), 1);
	ck_assert_int_eq(pop(RTOS_NEVER - 2), -1);
	ck_assert_int_eq(pop(RTOS_NEVER - 1), 0);
}
END_TEST

START_TEST(units)
{
	ut_setup();
	ck_assert_uint_eq(rtos_tick_hz(), 1000000);
	ck_assert_uint_eq(rtos_ms(1), 1000);
	ck_assert_uint_eq(rtos_us(7), 7);
	ck_assert_uint_eq(rtos_ns(1), 1); /* rounded up: never shorter */
	ck_assert_uint_eq(rtos_ns(1000), 1);
	ck_assert_uint_eq(rtos_ns(1001), 2);
	ck_assert_uint_eq(rtos_ticks_to_ns(3), 3000);
	/* no overflow for large values */
	ck_assert_uint_eq(rtos_ticks_to_ns(UINT64_MAX / 1000), UINT64_MAX / 1000 * 1000);
	ck_assert_uint_eq(rtos_ms(UINT64_MAX / 1000), UINT64_MAX / 1000 * 1000);
}
END_TEST

/* ---- timing through the scheduler -------------------------------------- */

static rtos_tick_t woke[8];

static void sleeper(void *arg)
{
	uintptr_t i = (uintptr_t)arg;

	rtos_sleep(MS(10 * (i + 1)));
	woke[i] = rtos_now();
	ut_logf("%lu", (unsigned long)i);
}

START_TEST(sleep_order_exact)
{
	ut_setup();
	ut_spawn("s2", sleeper, (void *)2, 5);
	ut_spawn("s0", sleeper, (void *)0, 5);
	ut_spawn("s1", sleeper, (void *)1, 5);
	ut_run();
	ck_assert_str_eq(ut_logged(), "012");
	ck_assert_uint_eq(woke[0], MS(10));
	ck_assert_uint_eq(woke[1], MS(20));
	ck_assert_uint_eq(woke[2], MS(30));
}
END_TEST

/* Tickless: a sleep of any length costs one timer interrupt. */
START_TEST(tickless)
{
	ut_setup();
	ut_spawn("s0", sleeper, (void *)0, 5);
	ut_spawn("s4", sleeper, (void *)4, 5);
	ut_run();
	ck_assert_uint_eq(woke[4], MS(50));
	ck_assert_uint_eq(port_host_irqs(), 2);
}
END_TEST

static rtos_tick_t late_max;
static int not_ok;

/* 100 periods of 1 ms, 300 us of work each: every wake exactly on the
 * grid (no drift), and never a late return. */
static void periodic(void *arg)
{
	rtos_tick_t start = rtos_now(), next = start;
	int k;

	(void)arg;
	for (k = 0; k < 100; k++) {
		next += MS(1);
		not_ok += rtos_sleep_until(next) != RTOS_OK;
		if (rtos_now() - next > late_max)
			late_max = rtos_now() - next;
		ut_spin(300);
	}
	woke[0] = rtos_now();
}

/* A background hog at lower priority does not disturb it either. */
static void hog(void *arg)
{
	(void)arg;
	ut_spin(MS(200));
}

START_TEST(sleep_until_no_drift)
{
	ut_setup();
	ut_spawn("periodic", periodic, NULL, 9);
	ut_spawn("hog", hog, NULL, 1);
	ut_run();
	ck_assert_int_eq(not_ok, 0);
	ck_assert_uint_eq(late_max, 0);
	ck_assert_uint_eq(woke[0], MS(100) + 300);
}
END_TEST

static int r_past, r_zero;

static void past(void *arg)
{
	(void)arg;
	ut_spin(MS(2));
	r_past = rtos_sleep_until(MS(1)); /* already gone: no sleep */
	woke[0] = rtos_now();
	r_zero = rtos_sleep(0); /* a yield */
}

START_TEST(sleep_until_past)
{
	ut_setup();
	ut_spawn("past", past, NULL, 3);
	ut_run();
	ck_assert_int_eq(r_past, RTOS_ETIMEOUT);
	ck_assert_int_eq(r_zero, RTOS_OK);
	ck_assert_uint_eq(woke[0], MS(2));
}
END_TEST

Suite *timer_suite(void)
{
	Suite *s = suite_create("timer");
	TCase *tc = tcase_create("timer");

	tcase_add_test(tc, timer_sorted);
	tcase_add_test(tc, timer_delete_and_move);
	tcase_add_test(tc, timer_extremes);
	tcase_add_test(tc, units);
	tcase_add_test(tc, sleep_order_exact);
	tcase_add_test(tc, tickless);
	tcase_add_test(tc, sleep_until_no_drift);
	tcase_add_test(tc, sleep_until_past);
	suite_add_tcase(s, tc);
	return s;
}
