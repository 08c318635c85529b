// SPDX-License-Identifier: Apache-2.0
/*
 * Signed images at partition start and the anti-rollback store in flash
 * (hyp/attest/image_auth.c on the flash model of fake_pflash.c): the
 * store read at boot (none, blank, valid, one or both records bad), which
 * images may start, IMAGE_CONFIRM raising the minimum into the slot that
 * does not hold the newest record, and writes that fail or tear: the
 * call says busy, nothing is lost, the next boot reads the older record.
 */
#include <stdio.h>

#include "unit.h"
#include "attest/attest.h"
#include "attest/image_auth.h"
#include "fake_pflash.h"
#include "umbra/svnstore.h"
#include "umbra_abi.h"

#define RAM_SIZE 0x10000ULL
#define IMAGE_PA 0x44000000ULL
#define IMAGE_REGION 0x10000ULL
#define IMG_LEN 0x1000ULL
#define S(x) ((u64)(s64)(x))

static struct test_guest g;
static struct platform plat;
static u8 img[IMG_LEN];

static void setup(void)
{
	u8 id[32];

	fake_arch_reset();
	fake_pflash_reset();
	capture_start();
	guest_init(&g, "rtos", 1, 1, 1, RAM_SIZE);
	phys_map(IMAGE_PA, IMAGE_REGION);
	put_arm64_image((u64)(uintptr_t)img, 0, IMG_LEN, 7);
	g.cfg.image = (struct mem_range){ IMAGE_PA, IMAGE_REGION };
	attest_sha256(unit_signer("signer")->pub, ATTEST_PUBKEY_LEN, id);
	memcpy(g.cfg.signer_key, id, 32);
	g.cfg.signer_key_len = 32;
	plat.store = (struct mem_range){ fake_pflash_base(), FAKE_PFLASH_SIZE };
}

static void teardown(void)
{
	unit_free_all();
}

static u8 *slot_rec(unsigned slot)
{
	return (u8 *)&fake_pflash.array[slot * STORE_SLOT_SIZE / 4];
}

static void store_record(unsigned slot, u32 gen, const char *name, u32 svn)
{
	struct svn_store s = { .generation = gen };

	ck_assert_int_eq(svnstore_raise(&s, name, svn), 0);
	svnstore_encode(&s, slot_rec(slot));
}

/* The record in slot (valid), its minimum for rtos and its generation. */
static u32 slot_min(unsigned slot, u32 *gen)
{
	struct svn_store s;

	ck_assert_msg(svnstore_decode(slot_rec(slot), &s) == 0, "slot %u holds no valid record",
		      slot);
	if (gen)
		*gen = s.generation;
	return svnstore_get(&s, "rtos");
}

static bool slot_erased(unsigned slot)
{
	unsigned i;

	for (i = 0; i < SVN_REC_LEN / 4; i++)
		if (fake_pflash.array[slot * STORE_SLOT_SIZE / 4 + i] != 0xffffffffu)
			return false;
	return true;
}

/* rtos's staged image: signed for name with svn (key "signer"). */
static void stage(const char *name, u32 svn)
{
	put_signed_image(phys_ptr(IMAGE_PA), name, svn, unit_signer("signer"), img, IMG_LEN);
}

static u64 confirm(void)
{
	return unit_hvc(&g.p.vcpu[0], UMBRA_HC_IMAGE_CONFIRM, 0, 0, 0);
}

static void expect_log(const char *s)
{
	ck_assert_msg(strstr(captured(), s), "no '%s' in:\n%s", s, captured());
}

START_TEST(test_no_store)
{
	plat.store.size = 0;
	image_auth_boot(&plat);
	expect_log("anti-rollback: no flash store: minimum SVNs are not kept");
	stage("rtos", 3);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	expect_log("partition 'rtos': image signed by 08c08f1b..., SVN 3 (minimum 0)");
	/* nowhere to keep the minimum: busy, every time */
	ck_assert_uint_eq(confirm(), S(UMBRA_E_BUSY));
	ck_assert_uint_eq(confirm(), S(UMBRA_E_BUSY));
	ck_assert_uint_eq(fake_pflash.reads + fake_pflash.writes, 0);
}
END_TEST

/* A blank store: the first confirm writes slot 0 (generation 1); later
 * boots keep older images out. */
START_TEST(test_blank_store_confirm)
{
	const struct image_auth *a;
	u32 gen;

	image_auth_boot(&plat);
	expect_log("anti-rollback: store at 0x");
	expect_log(", blank (generation 0, 0 entries)");
	stage("rtos", 3);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	a = image_auth_of(1);
	ck_assert(a->is_signed);
	ck_assert_uint_eq(a->svn, 3);
	ck_assert_uint_eq(a->signer_id[0], 0x08);
	ck_assert_uint_eq(fake_pflash.writes, 0);          /* starting writes nothing */
	capture_clear();
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	expect_log("partition 'rtos': confirmed: minimum SVN now 3 (store generation 1)");
	ck_assert_uint_eq(slot_min(0, &gen), 3);
	ck_assert_uint_eq(gen, 1);
	ck_assert(slot_erased(1));
	ck_assert(fake_pflash_idle());
	ck_assert_uint_eq(fake_pflash.erases, 1);
	/* once is enough: nothing more is written */
	fake_pflash.writes = 0;
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	ck_assert_uint_eq(fake_pflash.writes, 0);

	/* the next boot: SVN 2 may no longer start, SVN 3 may (nothing to
	 * raise when it confirms) */
	capture_clear();
	image_auth_boot(&plat);
	expect_log(", valid (generation 1, 1 entries)");
	stage("rtos", 2);
	{
		struct event_rec ev;
		u64 next, from = events_head();

		ck_assert_int_eq(image_auth_partition(&g.p), IMG_E_ROLLBACK);
		/* the security log says so too: refused at its start, and why */
		ck_assert_uint_eq(events_read(from, true, 0, &ev, 1, &next), 1);
		ck_assert_uint_eq(ev.type, EV_IMAGE_REFUSED);
		ck_assert_uint_eq(ev.part, g.p.id);
		ck_assert_uint_eq(ev.a, IMG_E_ROLLBACK);
		ck_assert_uint_eq(ev.b, 0);
	}
	expect_log("umbra: error [image-rollback]: partition 'rtos': its SVN is below the stored minimum: it does not start");
	stage("rtos", 3);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	expect_log("SVN 3 (minimum 3)");
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	ck_assert_uint_eq(fake_pflash.writes, 0);
}
END_TEST

/* Writes alternate between the slots; the other partition's entry and
 * the generation carry over. */
START_TEST(test_store_alternates)
{
	struct image_auth a = { .is_signed = true, .svn = 4 };
	struct svn_store s = { .generation = 5 };
	u32 gen;

	ck_assert_int_eq(svnstore_raise(&s, "linux", 9), 0);
	ck_assert_int_eq(svnstore_raise(&s, "rtos", 1), 0);
	svnstore_encode(&s, slot_rec(0));
	image_auth_boot(&plat);
	expect_log("valid (generation 5, 2 entries)");
	stage("rtos", 2);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	ck_assert_uint_eq(slot_min(1, &gen), 2);
	ck_assert_uint_eq(gen, 6);
	ck_assert_uint_eq(slot_min(0, NULL), 1);           /* the older record stays */
	ck_assert_int_eq(svnstore_decode(slot_rec(1), &s), 0);
	ck_assert_uint_eq(svnstore_get(&s, "linux"), 9);
	/* a newer image (as a live update installs it) */
	image_auth_set(&g.p, &a);
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	ck_assert_uint_eq(slot_min(0, &gen), 4);
	ck_assert_uint_eq(gen, 7);
	ck_assert_uint_eq(slot_min(1, NULL), 2);
	/* installing one not above the minimum leaves nothing to raise */
	a.svn = 4;
	image_auth_set(&g.p, &a);
	fake_pflash.writes = 0;
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	ck_assert_uint_eq(fake_pflash.writes, 0);
}
END_TEST

/* A failed erase or program (or a flash that hangs): busy; the store in
 * RAM is as before (the retry writes the next generation, not one
 * more), and a reboot reads the older record. */
START_TEST(test_store_write_fails)
{
	static const struct { bool erase, hang; } how[] = {
		{ true, false }, { false, false }, { false, true },
	};
	unsigned i;
	u32 gen;

	for (i = 0; i < ARRAY_SIZE(how); i++) {
		fake_pflash_reset();
		store_record(0, 1, "rtos", 1);
		image_auth_boot(&plat);
		stage("rtos", 2);
		ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
		if (how[i].hang)
			fake_pflash.chip[1].hang = true;
		else if (how[i].erase)
			fake_pflash.chip[0].erase_fail = 0x20;
		else {
			fake_pflash.chip[1].program_fail = 0x10;
			fake_pflash.chip[1].program_fail_after = 20;   /* torn mid-record */
		}
		ck_assert_uint_eq(confirm(), S(UMBRA_E_BUSY));
		ck_assert_uint_eq(slot_min(0, &gen), 1);           /* untouched */
		ck_assert_uint_eq(gen, 1);
		ck_assert_int_eq(svnstore_decode(slot_rec(1), &(struct svn_store){ 0 }), -1);
		/* the flash healthy again; a reboot now reads the older
		 * record, the torn one ignored */
		fake_pflash.chip[0].erase_fail = 0;
		fake_pflash.chip[1].hang = false;
		ck_assert(fake_pflash_idle());
		capture_clear();
		image_auth_boot(&plat);
		expect_log("valid (generation 1, 1 entries)");
		/* or no reboot: the retry succeeds, generation 2 */
		ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
		ck_assert_uint_eq(confirm(), UMBRA_OK);
		ck_assert_uint_eq(slot_min(1, &gen), 2);
		ck_assert_uint_eq(gen, 2);
	}
}
END_TEST

/* A retry without a reboot: the failed write did not count. */
START_TEST(test_store_retry_same_boot)
{
	u32 gen;

	store_record(1, 8, "rtos", 1);
	image_auth_boot(&plat);
	stage("rtos", 3);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	fake_pflash.chip[0].erase_fail = 0x20;
	ck_assert_uint_eq(confirm(), S(UMBRA_E_BUSY));
	fake_pflash.chip[0].erase_fail = 0;
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	ck_assert_uint_eq(slot_min(0, &gen), 3);
	ck_assert_uint_eq(gen, 9);
	ck_assert_uint_eq(slot_min(1, NULL), 1);
}
END_TEST

/* Both records bad: fail closed, signed images refused; unsigned ones
 * (no signer-key) still start. One bad, one good: the good one. */
/* The newer record bad: the older one counts, and the next write goes
 * over the bad one. */
START_TEST(test_store_one_bad)
{
	u32 gen;

	store_record(0, 4, "rtos", 2);
	store_record(1, 5, "rtos", 3);
	slot_rec(1)[40] ^= 1;
	image_auth_boot(&plat);
	expect_log("valid (generation 4, 1 entries)");
	stage("rtos", 1);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_E_ROLLBACK);
	stage("rtos", 3);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	ck_assert_uint_eq(confirm(), UMBRA_OK);
	ck_assert_uint_eq(slot_min(1, &gen), 3);
	ck_assert_uint_eq(gen, 5);
	ck_assert_uint_eq(slot_min(0, NULL), 2);
}
END_TEST

START_TEST(test_store_both_bad)
{
	store_record(0, 4, "rtos", 2);
	store_record(1, 5, "rtos", 3);
	slot_rec(0)[40] ^= 1;
	slot_rec(1)[41] ^= 1;
	image_auth_boot(&plat);
	expect_log("anti-rollback: both store records are bad: signed images are refused");
	stage("rtos", 9);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_E_ROLLBACK);
	expect_log("umbra: error [image-rollback]: partition 'rtos': the anti-rollback store is unreadable: it does not start");
	g.cfg.signer_key_len = 0;
	put_arm64_image(IMAGE_PA, 0, IMG_LEN, 1);
	capture_clear();
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	expect_log("partition 'rtos': unsigned image (development only; its token says so)");
	ck_assert(!image_auth_of(1)->is_signed);
	ck_assert_uint_eq(confirm(), S(UMBRA_E_DENIED));   /* nothing to confirm */
	ck_assert_uint_eq(fake_pflash.writes, 0);
}
END_TEST

/* A full store (8 other partitions) cannot take rtos: busy, no write. */
START_TEST(test_store_full)
{
	struct svn_store s = { .generation = 1 };
	unsigned i;

	for (i = 0; i < SVN_MAX_ENTRIES; i++) {
		char n[4] = { 'p', (char)('0' + i), 0 };

		ck_assert_int_eq(svnstore_raise(&s, n, 1), 0);
	}
	svnstore_encode(&s, slot_rec(0));
	image_auth_boot(&plat);
	stage("rtos", 2);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_OK);
	ck_assert_uint_eq(confirm(), S(UMBRA_E_BUSY));
	ck_assert_uint_eq(fake_pflash.writes, 0);
}
END_TEST

/* What the config already refused, and partition ids out of range. */
START_TEST(test_refused_and_out_of_range)
{
	struct image_auth a = { .is_signed = true, .svn = 5 };

	image_auth_boot(&plat);
	stage("rtos", 2);
	g.cfg.image_err = IMG_E_FORMAT;
	g.cfg.image_why = "no arm64 Image inside the envelope";
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_E_FORMAT);
	expect_log("umbra: error [image-format]: partition 'rtos': no arm64 Image inside the envelope: it does not start");
	g.cfg.image_err = 0;
	stage("linux", 2);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_E_NAME);
	expect_log("umbra: error [image-name]: partition 'rtos': signed for another partition");
	ck_assert(!image_auth_of(1)->is_signed);
	/* ids beyond the table: refused, ignored, none, denied */
	g.p.id = MAX_PARTITIONS;
	stage("rtos", 2);
	ck_assert_int_eq(image_auth_partition(&g.p), IMG_E_ENVELOPE);
	image_auth_set(&g.p, &a);
	ck_assert_ptr_null(image_auth_of(MAX_PARTITIONS));
	ck_assert_uint_eq(confirm(), S(UMBRA_E_DENIED));
	g.p.id = 1;
	ck_assert(!image_auth_of(1)->is_signed);
}
END_TEST

Suite *image_auth_suite(void)
{
	Suite *s = suite_create("image_auth");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_no_store);
	tcase_add_test(tc, test_blank_store_confirm);
	tcase_add_test(tc, test_store_alternates);
	tcase_add_test(tc, test_store_write_fails);
	tcase_add_test(tc, test_store_retry_same_boot);
	tcase_add_test(tc, test_store_one_bad);
	tcase_add_test(tc, test_store_both_bad);
	tcase_add_test(tc, test_store_full);
	tcase_add_test(tc, test_refused_and_out_of_range);
	suite_add_tcase(s, tc);
	return s;
}
