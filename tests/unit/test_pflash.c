// SPDX-License-Identifier: Apache-2.0
/*
 * The CFI flash driver (hyp/drivers/pflash.c) against the chip model of
 * fake_pflash.c: reads, block erase and word program on both chips of the
 * bank, range checks that issue no bus cycle, and every failure a chip can
 * report (erase, program, Vpp, locked block, one chip only, never ready):
 * an error, never a hang, and the bank left clear and in read-array mode.
 */
#include "unit.h"
#include "drivers/pflash.h"
#include "fake_pflash.h"

#define WORDS (FAKE_PFLASH_SIZE / 4)
#define BLOCK_WORDS (FAKE_PFLASH_BLOCK / 4)
#define WAIT_SPINS (1u << 22)    /* as pflash.c */

static struct pflash flash;

static void setup(void)
{
	fake_pflash_reset();
	flash.base = (volatile u32 *)(uintptr_t)fake_pflash_base();
	flash.size = FAKE_PFLASH_SIZE;
}

static void fill(u32 seed)
{
	unsigned i;

	for (i = 0; i < WORDS; i++)
		fake_pflash.array[i] = seed ^ (i * 0x9e3779b9u);
}

static bool all(u64 first_word, u64 n, u32 v)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (fake_pflash.array[first_word + i] != v)
			return false;
	return true;
}

START_TEST(test_pflash_read)
{
	u32 buf[64];
	unsigned i;

	fill(0x12345678);
	pflash_read(&flash, 0x1000, buf, sizeof(buf));
	for (i = 0; i < 64; i++)
		ck_assert_uint_eq(buf[i], fake_pflash.array[0x400 + i]);
	pflash_read(&flash, FAKE_PFLASH_SIZE - 8, buf, 8);   /* the last word */
	ck_assert_uint_eq(buf[1], fake_pflash.array[WORDS - 1]);
	ck_assert_uint_eq(fake_pflash.reads, 66);
	ck_assert_uint_eq(fake_pflash.writes, 0);             /* reading needs no command */
	ck_assert_uint_eq(fake_pflash.status_reads, 0);
}
END_TEST

START_TEST(test_pflash_erase)
{
	fill(0xa5a5a5a5);
	ck_assert_int_eq(pflash_erase(&flash, FAKE_PFLASH_BLOCK + 0x100), 0);
	/* the whole block of that address, in both chips, and nothing else */
	ck_assert(all(BLOCK_WORDS, BLOCK_WORDS, 0xffffffffu));
	ck_assert_uint_eq(fake_pflash.array[BLOCK_WORDS - 1],
			  (u32)(0xa5a5a5a5 ^ (BLOCK_WORDS - 1) * 0x9e3779b9u));
	ck_assert_uint_eq(fake_pflash.erases, 1);
	ck_assert_uint_eq(fake_pflash.bad_commands, 0);
	ck_assert(fake_pflash_idle());                         /* back in read-array mode */
	ck_assert_int_eq(pflash_erase(&flash, 0), 0);
	ck_assert(all(0, WORDS, 0xffffffffu));
	/* outside the bank: refused without a bus cycle */
	fake_pflash.writes = 0;
	ck_assert_int_eq(pflash_erase(&flash, FAKE_PFLASH_SIZE), -1);
	ck_assert_int_eq(pflash_erase(&flash, ~0ULL), -1);
	ck_assert_uint_eq(fake_pflash.writes, 0);
}
END_TEST

START_TEST(test_pflash_program)
{
	u32 data[64], back[64];
	unsigned i;

	for (i = 0; i < 64; i++)
		data[i] = 0x01020304u * (i + 1);
	ck_assert_int_eq(pflash_program(&flash, FAKE_PFLASH_BLOCK, data, sizeof(data)), 0);
	ck_assert_mem_eq(&fake_pflash.array[BLOCK_WORDS], data, sizeof(data));
	ck_assert(all(BLOCK_WORDS + 64, 16, 0xffffffffu));     /* no more than asked */
	ck_assert(all(0, BLOCK_WORDS, 0xffffffffu));
	ck_assert_uint_eq(fake_pflash.programs, 64);
	ck_assert_uint_eq(fake_pflash.bad_commands, 0);
	ck_assert(fake_pflash_idle());
	pflash_read(&flash, FAKE_PFLASH_BLOCK, back, sizeof(back));
	ck_assert_mem_eq(back, data, sizeof(data));
	/* up to the very end; zero bytes at the end */
	ck_assert_int_eq(pflash_program(&flash, FAKE_PFLASH_SIZE - 4, data, 4), 0);
	ck_assert_uint_eq(fake_pflash.array[WORDS - 1], data[0]);
	ck_assert_int_eq(pflash_program(&flash, FAKE_PFLASH_SIZE, data, 0), 0);
	/* past it, or wrapping: refused without a bus cycle */
	fake_pflash.writes = 0;
	ck_assert_int_eq(pflash_program(&flash, FAKE_PFLASH_SIZE - 4, data, 8), -1);
	ck_assert_int_eq(pflash_program(&flash, FAKE_PFLASH_SIZE + 4, data, 0), -1);
	ck_assert_int_eq(pflash_program(&flash, 8, data, ~0ULL - 4), -1);
	ck_assert_uint_eq(fake_pflash.writes, 0);
}
END_TEST

/* Each error bit a chip can report, from either chip: -1, and the status
 * cleared (the bits are sticky: left set, the next operation would fail
 * too) with the bank back in read-array mode. */
START_TEST(test_pflash_erase_errors)
{
	static const u8 bits[] = { 0x20, 0x08, 0x02 };     /* erase, Vpp, locked */
	unsigned b, c;

	for (b = 0; b < ARRAY_SIZE(bits); b++)
		for (c = 0; c < FAKE_PFLASH_CHIPS; c++) {
			fake_pflash_reset();
			fill(0);
			fake_pflash.chip[c].erase_fail = bits[b];
			ck_assert_int_eq(pflash_erase(&flash, 0), -1);
			ck_assert_msg(fake_pflash_idle(), "status 0x%x chip %u: not cleared", bits[b], c);
			/* torn: half the block of that chip erased */
			ck_assert_uint_eq(fake_pflash.array[0] >> (16 * c) & 0xffff, 0xffff);
			ck_assert_uint_ne(fake_pflash.array[BLOCK_WORDS - 1] >> (16 * c) & 0xffff, 0xffff);
			ck_assert(!all(0, BLOCK_WORDS, 0xffffffffu));
			/* the next try, the chip healthy again, succeeds */
			fake_pflash.chip[c].erase_fail = 0;
			ck_assert_int_eq(pflash_erase(&flash, 0), 0);
			ck_assert(all(0, BLOCK_WORDS, 0xffffffffu));
		}
	ck_assert_uint_eq(fake_pflash.bad_commands, 0);
}
END_TEST

/* A program error stops at the failing word: the words before are
 * written, the failing one is half done, none after it is touched. */
START_TEST(test_pflash_program_errors)
{
	static const u8 bits[] = { 0x10, 0x08, 0x02 };     /* program, Vpp, locked */
	u32 data[32];
	unsigned b, c, i;

	for (i = 0; i < 32; i++)
		data[i] = 0x11111111u * (i % 15);
	for (b = 0; b < ARRAY_SIZE(bits); b++)
		for (c = 0; c < FAKE_PFLASH_CHIPS; c++) {
			fake_pflash_reset();
			fake_pflash.chip[c].program_fail = bits[b];
			fake_pflash.chip[c].program_fail_after = 5;
			ck_assert_int_eq(pflash_program(&flash, 0x100, data, sizeof(data)), -1);
			ck_assert(fake_pflash_idle());
			ck_assert_uint_eq(fake_pflash.programs, 6);
			ck_assert_uint_eq(fake_pflash.torn_words, 1);
			ck_assert_mem_eq(&fake_pflash.array[0x40], data, 5 * 4);
			ck_assert_uint_ne(fake_pflash.array[0x40 + 5], data[5]);
			ck_assert(all(0x40 + 6, 32 - 6, 0xffffffffu));
			/* erased again, the same program succeeds */
			ck_assert_int_eq(pflash_erase(&flash, 0), 0);
			ck_assert_int_eq(pflash_program(&flash, 0x100, data, sizeof(data)), 0);
			ck_assert_mem_eq(&fake_pflash.array[0x40], data, sizeof(data));
		}
	ck_assert_uint_eq(fake_pflash.bad_commands, 0);
}
END_TEST

/* A chip that never reports ready: -1 after a bounded wait, not a hang;
 * one ready chip is not enough. */
START_TEST(test_pflash_never_ready)
{
	u32 v = 0;
	unsigned c;

	for (c = 0; c < FAKE_PFLASH_CHIPS; c++) {
		fake_pflash_reset();
		fake_pflash.chip[c].hang = true;
		ck_assert_int_eq(pflash_erase(&flash, 0), -1);
		ck_assert_uint_eq(fake_pflash.status_reads, WAIT_SPINS);
		fake_pflash.status_reads = 0;
		ck_assert_int_eq(pflash_program(&flash, 0, &v, 4), -1);
		ck_assert_uint_eq(fake_pflash.status_reads, WAIT_SPINS);
		ck_assert_uint_eq(fake_pflash.programs, 1);   /* the first word only */
		/* it gave up with clear status, read array */
		ck_assert_uint_eq(fake_pflash.chip[c].mode, FAKE_PF_READ_ARRAY);
		ck_assert_uint_eq(fake_pflash.chip[c ^ 1].mode, FAKE_PF_READ_ARRAY);
		ck_assert_uint_eq(fake_pflash.chip[c ^ 1].status, 0x80);
	}
}
END_TEST

Suite *pflash_suite(void)
{
	Suite *s = suite_create("pflash");
	TCase *tc = tcase_create("cfi");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_pflash_read);
	tcase_add_test(tc, test_pflash_erase);
	tcase_add_test(tc, test_pflash_program);
	tcase_add_test(tc, test_pflash_erase_errors);
	tcase_add_test(tc, test_pflash_program_errors);
	tcase_add_test(tc, test_pflash_never_ready);
	suite_add_tcase(s, tc);
	return s;
}
