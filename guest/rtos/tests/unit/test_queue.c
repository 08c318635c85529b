// SPDX-License-Identifier: Apache-2.0
/* Message queues. */
#include <stdio.h>
#include <string.h>

#include "unit.h"

struct msg {
	uint32_t id;
	char text[12];
};

static struct rtos_queue q;
static struct msg buf[3];
static int r[8];
static rtos_tick_t t[8];
static struct msg got[8];

static struct msg mk(uint32_t id)
{
	struct msg m;

	memset(&m, 0, sizeof(m));
	m.id = id;
	snprintf(m.text, sizeof(m.text), "m%u", (unsigned)id);
	return m;
}

START_TEST(fifo_and_capacity)
{
	struct msg m;
	uint32_t i;

	ut_setup();
	rtos_queue_init(&q, buf, sizeof(struct msg), 3);
	for (i = 1; i <= 3; i++) {
		m = mk(i);
		ck_assert_int_eq(rtos_queue_send(&q, &m, RTOS_NO_WAIT), RTOS_OK);
	}
	m = mk(4);
	ck_assert_int_eq(rtos_queue_send(&q, &m, RTOS_NO_WAIT), RTOS_EAGAIN);
	ck_assert_int_eq(rtos_queue_send_from_isr(&q, &m), RTOS_EAGAIN);
	ck_assert_int_eq(rtos_queue_send(&q, &m, MS(1)), RTOS_EINVAL); /* cannot block yet */
	ck_assert_uint_eq(rtos_queue_count(&q), 3);
	for (i = 1; i <= 2; i++) {
		ck_assert_int_eq(rtos_queue_recv(&q, &m, RTOS_NO_WAIT), RTOS_OK);
		ck_assert_uint_eq(m.id, i);
	}
	/* wrap around the ring */
	m = mk(5);
	ck_assert_int_eq(rtos_queue_send(&q, &m, RTOS_NO_WAIT), RTOS_OK);
	m = mk(6);
	ck_assert_int_eq(rtos_queue_send(&q, &m, RTOS_NO_WAIT), RTOS_OK);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(rtos_queue_recv_from_isr(&q, &m), RTOS_OK);
		ck_assert_uint_eq(m.id, i == 0 ? 3 : i + 4);
		ck_assert_str_eq(m.text, i == 0 ? "m3" : i == 1 ? "m5" : "m6");
	}
	ck_assert_int_eq(rtos_queue_recv(&q, &m, RTOS_NO_WAIT), RTOS_EAGAIN);
}
END_TEST

static void receiver(void *arg)
{
	uintptr_t i = (uintptr_t)arg;
	rtos_tick_t start = rtos_now();

	r[i] = rtos_queue_recv(&q, &got[i], i == 0 ? MS(4) : RTOS_FOREVER);
	t[i] = rtos_now() - start;
	ut_logf("r%lu", (unsigned long)i);
}

static void sender(void *arg)
{
	uintptr_t n = (uintptr_t)arg, i;
	rtos_tick_t start;
	struct msg m;

	rtos_sleep(MS(5)); /* receivers wait (r0 timed out at 4 ms) */
	for (i = 1; i <= n; i++) {
		m = mk((uint32_t)i);
		ut_log("s");
		rtos_queue_send(&q, &m, RTOS_FOREVER);
	}
	/* fill it and time out */
	for (i = 0; i < 3; i++) {
		m = mk(100);
		rtos_queue_send(&q, &m, RTOS_NO_WAIT);
	}
	start = rtos_now();
	r[7] = rtos_queue_send(&q, &m, MS(2));
	t[7] = rtos_now() - start;
	ut_log("S");
}

/* Waiting receivers get items straight away, by priority; a receive and a
 * send time out exactly. */
START_TEST(timeouts_and_waiting_receivers)
{
	ut_setup();
	rtos_queue_init(&q, buf, sizeof(struct msg), 3);
	ut_spawn("r0", receiver, (void *)0, 6);
	ut_spawn("r1", receiver, (void *)1, 4);
	ut_spawn("r2", receiver, (void *)2, 5);
	ut_spawn("sender", sender, (void *)2, 3);
	ut_run();
	ck_assert_int_eq(r[0], RTOS_ETIMEOUT);
	ck_assert_uint_eq(t[0], MS(4));
	ck_assert_int_eq(r[2], RTOS_OK);
	ck_assert_uint_eq(got[2].id, 1); /* the more urgent receiver first */
	ck_assert_int_eq(r[1], RTOS_OK);
	ck_assert_uint_eq(got[1].id, 2);
	ck_assert_str_eq(got[1].text, "m2");
	ck_assert_int_eq(r[7], RTOS_ETIMEOUT);
	ck_assert_uint_eq(t[7], MS(2));
	ck_assert_str_eq(ut_logged(), "r0sr2sr1S");
}
END_TEST

static void blocked_sender(void *arg)
{
	uintptr_t id = (uintptr_t)arg;
	struct msg m = mk((uint32_t)id);

	r[id] = rtos_queue_send(&q, &m, RTOS_FOREVER);
	ut_logf("w%lu", (unsigned long)id);
}

static void drainer(void *arg)
{
	struct msg m;
	int i;

	(void)arg;
	rtos_sleep(MS(1)); /* both senders wait on the full queue */
	for (i = 0; i < 5; i++) {
		rtos_queue_recv(&q, &m, RTOS_NO_WAIT);
		ut_logf("d%u", (unsigned)m.id);
	}
}

/* Blocked senders' items go in as room appears, by priority; nothing is
 * reordered. */
START_TEST(waiting_senders)
{
	struct msg m;
	uint32_t i;

	ut_setup();
	rtos_queue_init(&q, buf, sizeof(struct msg), 3);
	for (i = 1; i <= 3; i++) {
		m = mk(i * 10);
		rtos_queue_send(&q, &m, RTOS_NO_WAIT);
	}
	ut_spawn("w5", blocked_sender, (void *)5, 4);
	ut_spawn("w6", blocked_sender, (void *)6, 5);
	ut_spawn("drainer", drainer, NULL, 2);
	ut_run();
	ck_assert_int_eq(r[5], RTOS_OK);
	ck_assert_int_eq(r[6], RTOS_OK);
	ck_assert_str_eq(ut_logged(), "w6d10w5d20d30d6d5");
}
END_TEST

static void rv_sender(void *arg)
{
	struct msg m = mk(77);

	(void)arg;
	t[0] = rtos_now();
	r[0] = rtos_queue_send(&q, &m, RTOS_FOREVER); /* waits for a receiver */
	t[1] = rtos_now();
	ut_log("s");
}

static void rv_receiver(void *arg)
{
	(void)arg;
	rtos_sleep(MS(3));
	r[1] = rtos_queue_recv(&q, &got[0], RTOS_NO_WAIT);
	ut_log("r");
}

/* Capacity 0: a rendezvous. */
START_TEST(rendezvous)
{
	ut_setup();
	rtos_queue_init(&q, NULL, sizeof(struct msg), 0);
	ut_spawn("sender", rv_sender, NULL, 5);
	ut_spawn("receiver", rv_receiver, NULL, 4);
	ut_run();
	ck_assert_int_eq(r[0], RTOS_OK);
	ck_assert_int_eq(r[1], RTOS_OK);
	ck_assert_uint_eq(got[0].id, 77);
	ck_assert_uint_eq(t[1] - t[0], MS(3));
	ck_assert_str_eq(ut_logged(), "sr");
}
END_TEST

static void isr_send(void)
{
	struct msg m = mk(9);

	r[3] = rtos_queue_send_from_isr(&q, &m);
	r[4] = rtos_queue_send(&q, &m, MS(1)); /* would block: refused */
}

START_TEST(send_from_isr)
{
	ut_setup();
	rtos_queue_init(&q, buf, sizeof(struct msg), 1);
	ut_spawn("r1", receiver, (void *)1, 4);
	port_host_raise_at(MS(2), isr_send);
	ut_run();
	ck_assert_int_eq(r[3], RTOS_OK);
	ck_assert_int_eq(r[4], RTOS_OK); /* the queue had room after the handover */
	ck_assert_int_eq(r[1], RTOS_OK);
	ck_assert_uint_eq(got[1].id, 9);
	ck_assert_uint_eq(t[1], MS(2));
	ck_assert_uint_eq(rtos_queue_count(&q), 1);
}
END_TEST

Suite *queue_suite(void)
{
	Suite *s = suite_create("queue");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, fifo_and_capacity);
	tcase_add_test(tc, timeouts_and_waiting_receivers);
	tcase_add_test(tc, waiting_senders);
	tcase_add_test(tc, rendezvous);
	tcase_add_test(tc, send_from_isr);
	suite_add_tcase(s, tc);
	return s;
}
