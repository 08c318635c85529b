// SPDX-License-Identifier: Apache-2.0
/* Mutexes and priority inheritance. */
#include "unit.h"

static struct rtos_mutex m1, m2;
static int r[8];
static unsigned prio[8];
static rtos_tick_t t[8];
static struct rtos_task *tk[8];

static unsigned my_prio(void)
{
	return rtos_task_priority(rtos_self());
}

static void basics(void *arg)
{
	(void)arg;
	ck_assert_int_eq(rtos_mutex_unlock(&m1), RTOS_EPERM);
	ck_assert_int_eq(rtos_mutex_lock(&m1, RTOS_NO_WAIT), RTOS_OK);
	ck_assert_ptr_eq(rtos_mutex_owner(&m1), rtos_self());
	ck_assert_int_eq(rtos_mutex_lock(&m1, RTOS_FOREVER), RTOS_EDEADLK);
	ck_assert_int_eq(rtos_mutex_unlock(&m1), RTOS_OK);
	ck_assert_ptr_null(rtos_mutex_owner(&m1));
	ck_assert_int_eq(rtos_mutex_lock(&m1, RTOS_FOREVER), RTOS_OK);
	rtos_sleep(MS(5)); /* holds it */
	ck_assert_int_eq(rtos_mutex_unlock(&m1), RTOS_OK);
	ut_log("b");
}

static void contender(void *arg)
{
	rtos_tick_t start;

	(void)arg;
	rtos_sleep(MS(1));
	ck_assert_int_eq(rtos_mutex_unlock(&m1), RTOS_EPERM); /* not ours */
	r[0] = rtos_mutex_lock(&m1, RTOS_NO_WAIT);
	start = rtos_now();
	r[1] = rtos_mutex_lock(&m1, MS(2));
	t[1] = rtos_now() - start;
	r[2] = rtos_mutex_lock(&m1, RTOS_FOREVER); /* at 5 ms */
	t[2] = rtos_now();
	rtos_mutex_unlock(&m1);
	ut_log("c");
}

START_TEST(lock_unlock)
{
	ut_setup();
	rtos_mutex_init(&m1);
	ut_spawn("basics", basics, NULL, 3);
	ut_spawn("contender", contender, NULL, 4);
	ut_run();
	ck_assert_int_eq(r[0], RTOS_EAGAIN);
	ck_assert_int_eq(r[1], RTOS_ETIMEOUT);
	ck_assert_uint_eq(t[1], MS(2));
	ck_assert_int_eq(r[2], RTOS_OK);
	ck_assert_uint_eq(t[2], MS(5));
	ck_assert_str_eq(ut_logged(), "cb");
}
END_TEST

/* ---- inheritance -------------------------------------------------------------- */

static void pi_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	ut_spin(MS(2));
	prio[0] = my_prio(); /* H blocked at 1 ms: 8 */
	ut_spin(MS(2));      /* M is ready since 2 ms, but we run */
	ut_log("u");
	rtos_mutex_unlock(&m1);
	prio[1] = my_prio();
	ut_log("L");
}

static void pi_mid(void *arg)
{
	(void)arg;
	rtos_sleep(MS(2));
	ut_spin(MS(1));
	ut_log("M");
}

static void pi_high(void *arg)
{
	(void)arg;
	rtos_sleep(MS(1));
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	t[0] = rtos_now();
	ut_log("H");
	rtos_mutex_unlock(&m1);
}

START_TEST(inheritance)
{
	ut_setup();
	rtos_mutex_init(&m1);
	ut_spawn("low", pi_low, NULL, 2);
	ut_spawn("mid", pi_mid, NULL, 5);
	ut_spawn("high", pi_high, NULL, 8);
	ut_run();
	ck_assert_str_eq(ut_logged(), "uHML");
	ck_assert_uint_eq(prio[0], 8);
	ck_assert_uint_eq(prio[1], 2);
	ck_assert_uint_eq(t[0], MS(4)); /* bounded by L's critical section only */
}
END_TEST

/* L holds m1 and m2; H1 (6) waits for m1, H2 (8) for m2. L runs at 8,
 * drops to 6 when it releases m2, to 2 when it releases m1. */
static void two_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	rtos_mutex_lock(&m2, RTOS_FOREVER);
	ut_spin(MS(3));
	prio[0] = my_prio();
	rtos_mutex_unlock(&m2); /* H2 runs */
	prio[1] = my_prio();
	rtos_mutex_unlock(&m1); /* H1 runs */
	prio[2] = my_prio();
	ut_log("L");
}

static void two_high(void *arg)
{
	struct rtos_mutex *m = arg;

	rtos_sleep(m == &m1 ? MS(1) : MS(2));
	rtos_mutex_lock(m, RTOS_FOREVER);
	ut_log(m == &m1 ? "1" : "2");
	rtos_mutex_unlock(m);
}

START_TEST(inheritance_two_mutexes)
{
	ut_setup();
	rtos_mutex_init(&m1);
	rtos_mutex_init(&m2);
	ut_spawn("low", two_low, NULL, 2);
	ut_spawn("h1", two_high, &m1, 6);
	ut_spawn("h2", two_high, &m2, 8);
	ut_run();
	ck_assert_uint_eq(prio[0], 8);
	ck_assert_uint_eq(prio[1], 6);
	ck_assert_uint_eq(prio[2], 2);
	ck_assert_str_eq(ut_logged(), "21L");
}
END_TEST

/* A chain: L holds m1, M holds m2 and waits for m1, H waits for m2. */
static void chain_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	ut_spin(MS(3));
	prio[0] = my_prio(); /* 8, through M */
	rtos_mutex_unlock(&m1);
	prio[1] = my_prio();
	ut_log("L");
}

static void chain_mid(void *arg)
{
	(void)arg;
	rtos_sleep(MS(1));
	rtos_mutex_lock(&m2, RTOS_FOREVER);
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	prio[2] = my_prio(); /* 8, from H */
	rtos_mutex_unlock(&m1);
	rtos_mutex_unlock(&m2);
	prio[3] = my_prio();
	ut_log("M");
}

static void chain_high(void *arg)
{
	(void)arg;
	rtos_sleep(MS(2));
	rtos_mutex_lock(&m2, RTOS_FOREVER);
	ut_log("H");
	rtos_mutex_unlock(&m2);
}

START_TEST(inheritance_chain)
{
	ut_setup();
	rtos_mutex_init(&m1);
	rtos_mutex_init(&m2);
	ut_spawn("low", chain_low, NULL, 2);
	ut_spawn("mid", chain_mid, NULL, 5);
	ut_spawn("high", chain_high, NULL, 8);
	ut_run();
	ck_assert_uint_eq(prio[0], 8);
	ck_assert_uint_eq(prio[1], 2);
	ck_assert_uint_eq(prio[2], 8);
	ck_assert_uint_eq(prio[3], 5);
	ck_assert_str_eq(ut_logged(), "HML");
}
END_TEST

/* The waiter gives up (timeout) or dies: the owner gives back what it
 * inherited at that moment. */
static void gu_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	ut_spin(MS(2));
	prio[0] = my_prio(); /* H waits: 8 */
	ut_spin(MS(2));
	prio[1] = my_prio(); /* H gave up at 3 ms; V (6) still waits */
	ut_spin(MS(2));
	prio[2] = my_prio(); /* V was killed at 5 ms */
	rtos_mutex_unlock(&m1);
}

static void gu_high(void *arg)
{
	(void)arg;
	rtos_sleep(MS(1));
	r[0] = rtos_mutex_lock(&m1, MS(2));
	t[0] = rtos_now();
}

static void gu_victim(void *arg)
{
	(void)arg;
	rtos_sleep(MS(1));
	r[1] = rtos_mutex_lock(&m1, RTOS_FOREVER);
	ut_log("never");
}

static void gu_killer(void *arg)
{
	(void)arg;
	rtos_sleep(MS(5));
	rtos_task_kill(tk[0]);
}

START_TEST(inheritance_undone)
{
	ut_setup();
	rtos_mutex_init(&m1);
	ut_spawn("low", gu_low, NULL, 2);
	ut_spawn("high", gu_high, NULL, 8);
	tk[0] = ut_spawn("victim", gu_victim, NULL, 6);
	ut_spawn("killer", gu_killer, NULL, 9);
	ut_run();
	ck_assert_int_eq(r[0], RTOS_ETIMEOUT);
	ck_assert_uint_eq(t[0], MS(3));
	ck_assert_uint_eq(prio[0], 8);
	ck_assert_uint_eq(prio[1], 6);
	ck_assert_uint_eq(prio[2], 2);
	ck_assert_str_eq(ut_logged(), "");
}
END_TEST

/* Changing priorities during inheritance: the owner keeps the inherited
 * priority over a lower base; a waiter raised while waiting moves up the
 * queue and lends its new priority. */
static void sp_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	ut_spin(MS(2)); /* W1 (4) and W2 (5) wait */
	prio[0] = my_prio(); /* 5 */
	rtos_task_set_priority(rtos_self(), 3);
	prio[1] = my_prio(); /* still 5 */
	rtos_task_set_priority(tk[1], 7); /* W1 raised: lends 7 */
	prio[2] = my_prio();
	rtos_mutex_unlock(&m1); /* W1 first now */
	prio[3] = my_prio(); /* base 3 */
}

static void sp_waiter(void *arg)
{
	rtos_sleep(MS(1));
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	ut_log(arg);
	rtos_mutex_unlock(&m1);
}

START_TEST(inheritance_and_set_priority)
{
	ut_setup();
	rtos_mutex_init(&m1);
	ut_spawn("low", sp_low, NULL, 2);
	tk[1] = ut_spawn("w1", sp_waiter, "1", 4);
	ut_spawn("w2", sp_waiter, "2", 5);
	ut_run();
	ck_assert_uint_eq(prio[0], 5);
	ck_assert_uint_eq(prio[1], 5);
	ck_assert_uint_eq(prio[2], 7);
	ck_assert_uint_eq(prio[3], 3);
	ck_assert_str_eq(ut_logged(), "12");
}
END_TEST

/* The owner dies holding it: the next waiter gets it, told so. */
static struct rtos_sem never;

static void od_owner(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_FOREVER);
	rtos_mutex_lock(&m2, RTOS_FOREVER);
	rtos_sem_take(&never, RTOS_FOREVER);
}

static void od_heir(void *arg)
{
	struct rtos_mutex *m = arg;
	int i = m == &m1 ? 0 : 1;

	rtos_sleep(MS(1));
	r[i] = rtos_mutex_lock(m, RTOS_FOREVER);
	ck_assert_ptr_eq(rtos_mutex_owner(m), rtos_self());
	rtos_mutex_unlock(m);
}

START_TEST(owner_dies)
{
	struct rtos_task *o;

	ut_setup();
	rtos_mutex_init(&m1);
	rtos_mutex_init(&m2);
	rtos_sem_init(&never, 0, 1);
	o = ut_spawn("owner", od_owner, NULL, 2);
	ut_spawn("heir1", od_heir, &m1, 5);
	ut_spawn("heir2", od_heir, &m2, 5);
	ut_run(); /* everyone waits */
	ck_assert_uint_eq(rtos_task_priority(o), 5);
	ck_assert_int_eq(rtos_task_kill(o), RTOS_OK);
	ut_run();
	ck_assert_int_eq(r[0], RTOS_EOWNERDEAD);
	ck_assert_int_eq(r[1], RTOS_EOWNERDEAD);
	ck_assert_ptr_null(rtos_mutex_owner(&m1));
	ck_assert_ptr_null(rtos_mutex_owner(&m2));
}
END_TEST

Suite *mutex_suite(void)
{
	Suite *s = suite_create("mutex");
	TCase *tc = tcase_create("mutex");

	tcase_add_test(tc, lock_unlock);
	tcase_add_test(tc, inheritance);
	tcase_add_test(tc, inheritance_two_mutexes);
	tcase_add_test(tc, inheritance_chain);
	tcase_add_test(tc, inheritance_undone);
	tcase_add_test(tc, inheritance_and_set_priority);
	tcase_add_test(tc, owner_dies);
	suite_add_tcase(s, tc);
	return s;
}
