// SPDX-License-Identifier: Apache-2.0
/*
 * hyp/lib/cbor.c: every head length boundary (23/24, 255/256, 65535/65536,
 * 2^32 - 1 / 2^32), negative integers, strings, containers, tags, and the
 * overflow tracking the token builder relies on.
 */
#include <stdlib.h>
#include <string.h>

#include "umbra/cbor.h"
#include "tests.h"

static size_t enc_uint(uint64_t v, uint8_t *buf, size_t cap)
{
	struct cbor_enc e;

	cbor_init(&e, buf, cap);
	cbor_put_uint(&e, v);
	ck_assert(cbor_ok(&e));
	return cbor_len(&e);
}

static const struct {
	uint64_t v;
	const char *hex;
} uints[] = {
	{ 0, "00" },
	{ 1, "01" },
	{ 23, "17" },
	{ 24, "1818" },
	{ 255, "18ff" },
	{ 256, "190100" },
	{ 65535, "19ffff" },
	{ 65536, "1a00010000" },
	{ 0xffffffffu, "1affffffff" },
	{ UINT64_C(0x100000000), "1b0000000100000000" },
	{ UINT64_MAX, "1bffffffffffffffff" },
};

START_TEST(uint_boundaries)
{
	uint8_t buf[16];
	size_t n = enc_uint(uints[_i].v, buf, sizeof(buf));

	ck_assert_hex(buf, n, uints[_i].hex);
	ck_assert_uint_eq(cbor_head_len(uints[_i].v), n);
}
END_TEST

static const struct {
	int64_t v;
	const char *hex;
} ints[] = {
	{ 0, "00" },
	{ -1, "20" },
	{ -24, "37" },
	{ -25, "3818" },
	{ -256, "38ff" },
	{ -257, "390100" },
	{ -65536, "39ffff" },
	{ -65537, "3a00010000" },
	{ -INT64_C(4294967296), "3affffffff" },
	{ -INT64_C(4294967297), "3b0000000100000000" },
	{ INT64_MIN, "3b7fffffffffffffff" },
	{ INT64_MAX, "1b7fffffffffffffff" },
	{ 24, "1818" },
};

START_TEST(int_boundaries)
{
	uint8_t buf[16];
	struct cbor_enc e;

	cbor_init(&e, buf, sizeof(buf));
	cbor_put_int(&e, ints[_i].v);
	ck_assert(cbor_ok(&e));
	ck_assert_hex(buf, cbor_len(&e), ints[_i].hex);
}
END_TEST

static const struct {
	size_t len;
	const char *head;
} string_lengths[] = {
	{ 0, "40" },
	{ 1, "41" },
	{ 23, "57" },
	{ 24, "5818" },
	{ 255, "58ff" },
	{ 256, "590100" },
	{ 65535, "59ffff" },
	{ 65536, "5a00010000" },
};

/* Byte and text strings of every boundary length, contents intact. */
START_TEST(string_boundaries)
{
	size_t len = string_lengths[_i].len, hl, i;
	uint8_t head[9], *data = malloc(len + 1), *buf = malloc(len + 16);
	struct cbor_enc e;

	ck_assert(data && buf);
	for (i = 0; i < len; i++)
		data[i] = (uint8_t)('a' + i % 26);
	hl = unhex(string_lengths[_i].head, head, sizeof(head));

	cbor_init(&e, buf, len + 16);
	cbor_put_bstr(&e, data, len);
	ck_assert(cbor_ok(&e));
	ck_assert_uint_eq(cbor_len(&e), hl + len);
	ck_assert_mem_eq(buf, head, hl);
	if (len)
		ck_assert_mem_eq(buf + hl, data, len);

	/* the same length as text: major type 3 (0x60 instead of 0x40) */
	head[0] += 0x20;
	data[len] = 0;
	cbor_init(&e, buf, len + 16);
	cbor_put_tstr_z(&e, (const char *)data);
	ck_assert_uint_eq(cbor_len(&e), hl + len);
	ck_assert_mem_eq(buf, head, hl);
	if (len)
		ck_assert_mem_eq(buf + hl, data, len);

	/* a buffer one byte short: nothing of the string, exact length known */
	memset(buf, 0xaa, len + 16);
	cbor_init(&e, buf, hl + len - 1 + (len == 0));
	cbor_put_bstr(&e, data, len);
	ck_assert_uint_eq(cbor_len(&e), hl + len);
	if (len) {
		ck_assert(!cbor_ok(&e));
		ck_assert_uint_eq(buf[0], 0xaa);
	}
	free(data);
	free(buf);
}
END_TEST

/* 2^32-byte strings: only the head is real; the length is still exact. */
START_TEST(string_4g)
{
	uint8_t buf[16];
	struct cbor_enc e;

	cbor_init(&e, buf, sizeof(buf));
	cbor_put_head(&e, CBOR_MT_BSTR, UINT64_C(1) << 32);
	ck_assert_hex(buf, cbor_len(&e), "5b0000000100000000");
	cbor_init(&e, buf, sizeof(buf));
	cbor_put_head(&e, CBOR_MT_TSTR, 0xffffffffu);
	ck_assert_hex(buf, cbor_len(&e), "7affffffff");
#if SIZE_MAX > 0xffffffffu
	/* dry run of a 4 GiB string: the data pointer is never read */
	cbor_init(&e, NULL, 0);
	cbor_put_bstr(&e, NULL, (size_t)(UINT64_C(1) << 32));
	ck_assert_uint_eq(cbor_len(&e), 9 + (UINT64_C(1) << 32));
	ck_assert(!cbor_ok(&e));
#endif
}
END_TEST

START_TEST(containers_and_simple)
{
	static const struct {
		unsigned major;
		uint64_t n;
		const char *hex;
	} heads[] = {
		{ CBOR_MT_ARRAY, 0, "80" }, { CBOR_MT_ARRAY, 23, "97" },
		{ CBOR_MT_ARRAY, 24, "9818" }, { CBOR_MT_ARRAY, 256, "990100" },
		{ CBOR_MT_MAP, 0, "a0" }, { CBOR_MT_MAP, 24, "b818" },
		{ CBOR_MT_MAP, 65536, "ba00010000" },
		{ CBOR_MT_TAG, 18, "d2" }, { CBOR_MT_TAG, 24, "d818" },
		{ CBOR_MT_TAG, 55799, "d9d9f7" },
	};
	uint8_t buf[32];
	struct cbor_enc e;
	size_t i;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		cbor_init(&e, buf, sizeof(buf));
		if (heads[i].major == CBOR_MT_ARRAY)
			cbor_put_array(&e, heads[i].n);
		else if (heads[i].major == CBOR_MT_MAP)
			cbor_put_map(&e, heads[i].n);
		else
			cbor_put_tag(&e, heads[i].n);
		ck_assert_hex(buf, cbor_len(&e), heads[i].hex);
	}
	cbor_init(&e, buf, sizeof(buf));
	cbor_put_bool(&e, false);
	cbor_put_bool(&e, true);
	cbor_put_null(&e);
	ck_assert_hex(buf, cbor_len(&e), "f4f5f6");
}
END_TEST

/* {1: [1, "a", h'01'], -1: true}, keys in deterministic order */
static void nested(struct cbor_enc *e, size_t *bounds, size_t *nb)
{
	static const uint8_t one = 1;
	size_t n = 0;

#define STEP(x) do { x; if (bounds) bounds[n] = cbor_len(e); n++; } while (0)
	STEP(cbor_put_map(e, 2));
	STEP(cbor_put_uint(e, 1));
	STEP(cbor_put_array(e, 3));
	STEP(cbor_put_int(e, 1));
	STEP(cbor_put_tstr_z(e, "a"));
	STEP(cbor_put_bstr(e, &one, 1));
	STEP(cbor_put_int(e, -1));
	STEP(cbor_put_bool(e, true));
#undef STEP
	if (nb)
		*nb = n;
}

START_TEST(nested_items)
{
	uint8_t buf[32];
	struct cbor_enc e;

	cbor_init(&e, buf, sizeof(buf));
	nested(&e, NULL, NULL);
	ck_assert(cbor_ok(&e));
	ck_assert_hex(buf, cbor_len(&e), "a201830161614101 20f5");
}
END_TEST

/*
 * For every capacity below the needed size: the needed size is still
 * reported exactly, no byte past the capacity is touched, and what was
 * written is a prefix of the full encoding ending at an item boundary.
 */
START_TEST(overflow_tracking)
{
	uint8_t full[32], buf[48];
	size_t bounds[16], nb, need, cap, i, last;
	struct cbor_enc e;

	cbor_init(&e, full, sizeof(full));
	nested(&e, bounds, &nb);
	need = cbor_len(&e);
	cbor_init(&e, NULL, 0);
	nested(&e, NULL, NULL);
	ck_assert_uint_eq(cbor_len(&e), need);
	ck_assert(!cbor_ok(&e));

	for (cap = 0; cap <= need; cap++) {
		memset(buf, 0xaa, sizeof(buf));
		cbor_init(&e, buf, cap);
		nested(&e, NULL, NULL);
		ck_assert_uint_eq(cbor_len(&e), need);
		ck_assert(cbor_ok(&e) == (cap >= need));
		for (last = 0, i = 0; i < nb && bounds[i] <= cap; i++)
			last = bounds[i];
		ck_assert_mem_eq(buf, full, last);
		for (i = last; i < sizeof(buf) && buf[i] == 0xaa; i++)
			;
		ck_assert_msg(i == sizeof(buf), "cap %zu: byte %zu written", cap, i);
	}
}
END_TEST

START_TEST(length_saturates)
{
	struct cbor_enc e;
	uint8_t b = 0;

	cbor_init(&e, NULL, 100);   /* no buffer: capacity forced to 0 */
	ck_assert_uint_eq(e.cap, 0);
	e.len = SIZE_MAX - 2;
	cbor_put_raw(&e, &b, 5);
	ck_assert_uint_eq(cbor_len(&e), SIZE_MAX);
	cbor_put_uint(&e, 1000);
	ck_assert_uint_eq(cbor_len(&e), SIZE_MAX);
	ck_assert(!cbor_ok(&e));
}
END_TEST

Suite *cbor_suite(void)
{
	Suite *s = suite_create("cbor");
	TCase *tc = tcase_create("encode");

	tcase_add_loop_test(tc, uint_boundaries, 0, sizeof(uints) / sizeof(uints[0]));
	tcase_add_loop_test(tc, int_boundaries, 0, sizeof(ints) / sizeof(ints[0]));
	tcase_add_loop_test(tc, string_boundaries, 0,
			    sizeof(string_lengths) / sizeof(string_lengths[0]));
	tcase_add_test(tc, string_4g);
	tcase_add_test(tc, containers_and_simple);
	tcase_add_test(tc, nested_items);
	tcase_add_test(tc, overflow_tracking);
	tcase_add_test(tc, length_saturates);
	suite_add_tcase(s, tc);
	return s;
}
