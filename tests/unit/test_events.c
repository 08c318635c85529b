// SPDX-License-Identifier: Apache-2.0
/* The security event log ring (hyp/console/events.c): order, wrap, loss
 * counting, filtering by reader, and out-of-range requests. */
#include "unit.h"
#include "umbra/log.h"

static u64 head(void)
{
	struct event_rec r;
	u64 next;

	events_read(~0ull, true, 0, &r, 1, &next);
	return next;
}

START_TEST(test_order_and_fields)
{
	u64 s = head();
	struct event_rec r[4];
	u64 next;

	log_event(1, EV_S2_FAULT, 0x1000, 0x2000, 1);
	log_event(2, EV_TRAP, 0x56000000, 0x3000, 0);
	ck_assert_uint_eq(events_read(s, true, 0, r, 4, &next), 2);
	ck_assert_uint_eq(next, s + 2);
	ck_assert_uint_eq(r[0].seq, s);
	ck_assert_uint_eq(r[0].type, EV_S2_FAULT);
	ck_assert_uint_eq(r[0].a, 0x1000);
	ck_assert_uint_eq(r[1].part, 2);
	ck_assert_uint_eq(events_read(next, true, 0, r, 4, &next), 0);
	ck_assert_uint_eq(next, s + 2);
}
END_TEST

START_TEST(test_filter_by_reader)
{
	u64 s = head();
	struct event_rec r[8];
	u64 next;

	for (u32 i = 0; i < 6; i++)
		log_event(i % 2, EV_PART_START, i, 0, 0);
	ck_assert_uint_eq(events_read(s, false, 1, r, 8, &next), 3);
	for (u32 i = 0; i < 3; i++)
		ck_assert_uint_eq(r[i].part, 1);
	ck_assert_uint_eq(next, s + 6);
	/* a short buffer: next is where the reader stopped */
	ck_assert_uint_eq(events_read(s, false, 1, r, 1, &next), 1);
	ck_assert_uint_eq(next, s + 2);
}
END_TEST

START_TEST(test_wrap_and_loss)
{
	u64 s = head();
	static struct event_rec r[EVENT_LOG_SIZE + 1];
	u64 next;

	for (u32 i = 0; i < EVENT_LOG_SIZE + 10; i++)
		log_event(0, EV_DEV_CLAIM, i, 0, 0);
	u32 n = events_read(s, true, 0, r, EVENT_LOG_SIZE + 1, &next);
	ck_assert_uint_eq(n, EVENT_LOG_SIZE + 1);
	ck_assert_uint_eq(r[0].type, EV_LOST);
	ck_assert_uint_eq(r[0].a, 10);
	ck_assert_uint_eq(r[1].seq, s + 10);
	ck_assert_uint_eq(r[1].a, 10);
	ck_assert_uint_eq(r[EVENT_LOG_SIZE].a, EVENT_LOG_SIZE + 9);
	ck_assert_uint_eq(next, s + EVENT_LOG_SIZE + 10);
}
END_TEST

START_TEST(test_out_of_range)
{
	u64 s = head();
	struct event_rec r[2];
	u64 next;

	ck_assert_uint_eq(events_read(s + 1000, true, 0, r, 2, &next), 0);
	ck_assert_uint_eq(next, s);
	log_event(0, EV_PART_STOP, 0, 0, 0);
	ck_assert_uint_eq(events_read(s, true, 0, r, 0, &next), 0);
	ck_assert_uint_eq(next, s);
}
END_TEST

Suite *events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("events");

	tcase_add_test(tc, test_order_and_fields);
	tcase_add_test(tc, test_filter_by_reader);
	tcase_add_test(tc, test_wrap_and_loss);
	tcase_add_test(tc, test_out_of_range);
	suite_add_tcase(s, tc);
	return s;
}
