// SPDX-License-Identifier: Apache-2.0
/*
 * The channel ring protocol (guest/lib/umbra_chan.h) on the host: two
 * ends over one buffer, messages of every size across the wrap, full and
 * empty, and a hostile peer's indices and lengths rejected without any
 * access outside the region (ASan watches).
 */
#include <stdlib.h>

#include "unit.h"
#include "../../guest/lib/umbra_chan.h"

#define REGION 4096u   /* two rings of 2048: cap 1920 */

static uint8_t *region;
static struct uchan a, b;   /* a: the first peer */

static void setup(void)
{
	/* exactly the region: any access past it is an ASan error */
	region = calloc(1, REGION);
	ck_assert_ptr_nonnull(region);
	ck_assert_int_eq(uchan_init(&a, region, REGION, 1), 0);
	ck_assert_int_eq(uchan_init(&b, region, REGION, 0), 0);
}

static void teardown(void)
{
	free(region);
}

START_TEST(test_layout)
{
	ck_assert_ptr_eq(a.tx, (void *)region);
	ck_assert_ptr_eq(b.rx, (void *)region);
	ck_assert_ptr_eq(a.rx, (void *)(region + REGION / 2));
	ck_assert_uint_eq(a.cap, REGION / 2 - UCHAN_HDR_SIZE);
	ck_assert_int_eq(uchan_init(&a, region, UCHAN_MIN_SIZE - 8, 1), UCHAN_E_SIZE);
}
END_TEST

START_TEST(test_round_trips_across_the_wrap)
{
	uint8_t out[UCHAN_MSG_MAX], in[UCHAN_MSG_MAX];
	unsigned k, i;

	for (k = 0; k < 2000; k++) {
		uint32_t len = (k * 37) % 600;
		int r;

		for (i = 0; i < len; i++)
			out[i] = (uint8_t)(k + i * 3);
		ck_assert_int_eq(uchan_recv(&b, in, sizeof(in)), UCHAN_E_EMPTY);
		ck_assert_int_eq(uchan_send(&a, out, len), 0);
		r = uchan_recv(&b, in, sizeof(in));
		ck_assert_int_eq(r, (int)len);
		ck_assert(memcmp(in, out, len) == 0);
		/* and back the other way */
		ck_assert_int_eq(uchan_send(&b, in, len), 0);
		ck_assert_int_eq(uchan_recv(&a, out, sizeof(out)), (int)len);
	}
}
END_TEST

START_TEST(test_full_and_too_big)
{
	uint8_t m[100] = { 1 }, in[200];
	unsigned n = 0;

	while (uchan_send(&a, m, sizeof(m)) == 0)
		n++;
	/* 104 bytes each, 4 always kept free: 1920 / 104 = 18 */
	ck_assert_uint_eq(n, 18);
	ck_assert_int_eq(uchan_send(&a, m, sizeof(m)), UCHAN_E_FULL);
	ck_assert_int_eq(uchan_recv(&b, in, 10), UCHAN_E_SIZE); /* left in the ring */
	ck_assert_int_eq(uchan_recv(&b, in, sizeof(in)), 100);
	ck_assert_int_eq(uchan_send(&a, m, sizeof(m)), 0);
	ck_assert_int_eq(uchan_send(&a, m, UCHAN_MSG_MAX + 1), UCHAN_E_SIZE);
	ck_assert_int_eq(uchan_send(&a, m, a.cap), UCHAN_E_SIZE);
	uchan_rx_flush(&b);
	ck_assert_int_eq(uchan_recv(&b, in, sizeof(in)), UCHAN_E_EMPTY);
}
END_TEST

/* A peer writing nonsense into the shared page. */
START_TEST(test_hostile_peer)
{
	static const uint32_t bad_idx[] = { 1, 2, 1920, 1924, 0x80000000u, 0xffffffffu };
	uint8_t in[UCHAN_MSG_MAX], m[8] = { 0 };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad_idx); i++) {
		a.tx->head = bad_idx[i];      /* b reads a's head */
		ck_assert_int_eq(uchan_recv(&b, in, sizeof(in)), UCHAN_E_CORRUPT);
		a.tx->head = 0;
		a.tx->tail = bad_idx[i];      /* a's writer reads b's tail */
		ck_assert_int_eq(uchan_send(&a, m, sizeof(m)), UCHAN_E_CORRUPT);
		a.tx->tail = 0;
	}
	/* a length beyond the limit, or beyond what head says was written */
	ck_assert_int_eq(uchan_send(&a, m, sizeof(m)), 0);
	a.tx_data[0] = 0xff;
	a.tx_data[1] = 0xff;
	ck_assert_int_eq(uchan_recv(&b, in, sizeof(in)), UCHAN_E_CORRUPT);
	a.tx_data[0] = 12;                /* 16 claimed, 12 written */
	a.tx_data[1] = 0;
	ck_assert_int_eq(uchan_recv(&b, in, sizeof(in)), UCHAN_E_CORRUPT);
	uchan_rx_flush(&b);
	ck_assert_int_eq(uchan_recv(&b, in, sizeof(in)), UCHAN_E_EMPTY);
	/* a flush with a corrupt head resets to 0 rather than trusting it */
	a.tx->head = 7;
	uchan_rx_flush(&b);
	ck_assert_uint_eq(b.rx->tail, 0);
}
END_TEST

Suite *chan_ring_suite(void)
{
	Suite *s = suite_create("chan_ring");
	TCase *tc = tcase_create("chan_ring");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_round_trips_across_the_wrap);
	tcase_add_test(tc, test_full_and_too_big);
	tcase_add_test(tc, test_hostile_peer);
	suite_add_tcase(s, tc);
	return s;
}
