// SPDX-License-Identifier: Apache-2.0
/*
 * The monitor's vsnprintf (hyp/lib/printf.c, umbra_snprintf here): what it
 * supports against the C library's output, truncation and the return
 * value, and what it does with conversions it does not support.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

/* hyp/lib/printf.c as the unit tests build it (no format checking: some
 * of the formats below are deliberately not C's) */
int umbra_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME(fmt, ...) do { \
		char want[128], got[128]; \
		int nw = snprintf(want, sizeof(want), fmt, __VA_ARGS__); \
		int ng = umbra_snprintf(got, sizeof(got), fmt, __VA_ARGS__); \
		ck_assert_msg(ng == nw && !strcmp(got, want), "'%s': '%s' (%d), not '%s' (%d)", \
			      fmt, got, ng, want, nw); \
	} while (0)

START_TEST(test_printf_as_libc)
{
	static const int ints[] = { 0, 1, -1, 42, -42, 2147483647, -2147483647 - 1 };
	static const long longs[] = { 0, -1, 1234567890123L, INT64_MIN, INT64_MAX };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(ints); i++) {
		SAME("%d|%i|%5d|%-5d|%05d|%1d", ints[i], ints[i], ints[i], ints[i], ints[i],
		     ints[i]);
		SAME("%u|%x|%X|%8x|%08X|%-8x|", (unsigned)ints[i], (unsigned)ints[i],
		     (unsigned)ints[i], (unsigned)ints[i], (unsigned)ints[i], (unsigned)ints[i]);
	}
	for (i = 0; i < ARRAY_SIZE(longs); i++) {
		SAME("%ld|%lld|%020ld|%-22ld|", longs[i], (long long)longs[i], longs[i], longs[i]);
		SAME("%lu|%lx|%llX|%zu|%016lx", (unsigned long)longs[i], (unsigned long)longs[i],
		     (unsigned long long)longs[i], (size_t)longs[i], (unsigned long)longs[i]);
	}
	SAME("%s|%10s|%-10s|%.3s|%.0s|%5.2s|%-5.1s|", "abcdef", "abc", "abc", "abcdef", "abc",
	     "abc", "abc");
	SAME("%c%c%c|%%|%d%%", 'a', ' ', '~', 100);
	SAME("%s", "");
	SAME("plain %s", "text");
}
END_TEST

START_TEST(test_printf_special)
{
	char buf[64];
	const char *null = NULL;
	int x = 0;

	/* %p: 0x and lower-case hex, NULL too */
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "%p", (void *)0x1234abcdUL), 10);
	ck_assert_str_eq(buf, "0x1234abcd");
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "[%p]", (void *)0), 5);
	ck_assert_str_eq(buf, "[0x0]");
	umbra_snprintf(buf, sizeof(buf), "%p", (void *)&x);
	ck_assert_uint_eq(strtoull(buf, NULL, 16), (uintptr_t)&x);
	/* '-' wins over '0' (C: the 0 flag is ignored), the sign first */
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "[%-05d|%05d|%-5x]", -42, -42, 0xau), 19);
	ck_assert_str_eq(buf, "[-42  |-0042|a    ]");
	/* a NULL string */
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "<%s>", null), 8);
	ck_assert_str_eq(buf, "<(null)>");
	/* unknown conversions are printed as they are, taking no argument */
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "%q %hd %d", 7), 8);
	ck_assert_str_eq(buf, "%q %hd 7");
	/* a lone % at the end, also after flags, width, length */
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "end%"), 3);
	ck_assert_str_eq(buf, "end");
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "a%-08l"), 1);
	ck_assert_str_eq(buf, "a");
}
END_TEST

/* The output is cut to the buffer, always terminated; the return value
 * is the whole length; size 0 writes nothing. */
START_TEST(test_printf_truncation)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(umbra_snprintf(buf, 5, "%s-%d", "abcdef", -12), 10);
	ck_assert_str_eq(buf, "abcd");
	ck_assert_uint_eq((u8)buf[5], 'x');
	ck_assert_int_eq(umbra_snprintf(buf, 1, "%x", 0xabcu), 3);
	ck_assert_str_eq(buf, "");
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(umbra_snprintf(buf, 0, "%s", "abc"), 3);
	ck_assert_uint_eq((u8)buf[0], 'x');
	ck_assert_int_eq(umbra_snprintf(NULL, 0, "%08d", 5), 8);
	ck_assert_int_eq(umbra_snprintf(buf, sizeof(buf), "%-8s", "ab"), 8);
	ck_assert_str_eq(buf, "ab     ");
}
END_TEST

Suite *printf_suite(void)
{
	Suite *s = suite_create("printf");
	TCase *tc = tcase_create("printf");

	tcase_add_test(tc, test_printf_as_libc);
	tcase_add_test(tc, test_printf_special);
	tcase_add_test(tc, test_printf_truncation);
	suite_add_tcase(s, tc);
	return s;
}
