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

static u64 le(const u8 *p, unsigned n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* The wire form partitions see and reports hash: 48 bytes, little-endian. */
START_TEST(test_encode)
{
	struct event_rec r = { .seq = 0x0102030405060708ull, .time = 9, .part = 0xaabbccdd,
			       .type = EV_S2_FAULT, .a = 0x1000, .b = 0x2000, .c = 1 };
	u8 w[EVENT_WIRE_SIZE];

	event_encode(&r, w);
	ck_assert_uint_eq(w[0], 0x08);
	ck_assert_uint_eq(le(w, 8), r.seq);
	ck_assert_uint_eq(le(w + 8, 8), 9);
	ck_assert_uint_eq(le(w + 16, 4), 0xaabbccdd);
	ck_assert_uint_eq(le(w + 20, 4), EV_S2_FAULT);
	ck_assert_uint_eq(le(w + 24, 8), 0x1000);
	ck_assert_uint_eq(le(w + 32, 8), 0x2000);
	ck_assert_uint_eq(le(w + 40, 8), 1);
}
END_TEST

/* A report: header (magic, from, next, count, flags), then the records;
 * a reader that fell behind gets the loss first, and the report's
 * sequence numbers cover from..next-1 without a gap. */
START_TEST(test_report_wrap)
{
	static u8 out[EVENT_REPORT_HDR + 64 * EVENT_WIRE_SIZE];
	u64 s = head(), next;

	for (u32 i = 0; i < EVENT_LOG_SIZE + 5; i++)
		log_event(3, EV_TRAP, i, 0, 0);
	size_t len = events_report(s, true, 0, out, 64, &next);

	ck_assert_uint_eq(len, EVENT_REPORT_HDR + 64 * EVENT_WIRE_SIZE);
	ck_assert(memcmp(out, "UMBRAEV1", 8) == 0);
	ck_assert_uint_eq(le(out + 8, 8), s);
	ck_assert_uint_eq(le(out + 16, 8), next);
	ck_assert_uint_eq(le(out + 24, 4), 64);
	ck_assert_uint_eq(le(out + 28, 4), 1);
	const u8 *r = out + EVENT_REPORT_HDR;

	ck_assert_uint_eq(le(r + 20, 4), EV_LOST);
	ck_assert_uint_eq(le(r + 24, 8), 5);         /* 5 lost ... */
	ck_assert_uint_eq(le(r, 8), s + 4);          /* ... s..s+4, this record stands for them */
	for (u32 i = 1; i < 64; i++)
		ck_assert_uint_eq(le(r + i * EVENT_WIRE_SIZE, 8), s + 4 + i);
	ck_assert_uint_eq(next, s + 68);
	/* not a reader: only its own, and an empty report past the end */
	log_event(4, EV_PART_PANIC, 0, 0, 0);
	len = events_report(s + EVENT_LOG_SIZE + 5, false, 4, out, 64, &next);
	ck_assert_uint_eq(len, EVENT_REPORT_HDR + EVENT_WIRE_SIZE);
	ck_assert_uint_eq(le(out + 28, 4), 0);
	ck_assert_uint_eq(le(out + EVENT_REPORT_HDR + 16, 4), 4);
	len = events_report(next, false, 4, out, 64, &next);
	ck_assert_uint_eq(len, EVENT_REPORT_HDR);
	ck_assert_uint_eq(next, events_head());
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
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_report_wrap);
	suite_add_tcase(s, tc);
	return s;
}
