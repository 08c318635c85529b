// SPDX-License-Identifier: Apache-2.0
/*
 * The configuration's canonical form (hyp/attest/config_digest.c,
 * docs/attestation.md "The configuration's canonical form"): the exact
 * encoding, what changes the digest and what must not, and malformed DTBs
 * refused without a byte read outside the buffer (ASan: every DTB here is
 * copied into a heap block of exactly the size passed).
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "attest/attest.h"
#include "attest/config_digest.h"
#include "tests.h"

/* What a test DTB looks like; the zero value is the base case. */
struct shape {
	const char *bootargs;      /* linux's; NULL: "console=ttyAMA0" */
	bool reversed;             /* every node's properties in reverse order */
	bool swap_children;        /* the shared device before the partitions */
	bool chosen_changed;       /* /chosen/bootargs and rng-seed differ */
	bool extra_node;           /* a platform node outside /umbra */
	uint32_t phandle;          /* non-zero: phandles on /umbra and linux */
	bool colour_root;          /* console-colour on /umbra */
	bool colour_part;          /* console-colour on linux (not excluded) */
	bool dup_prop;             /* linux has bootargs twice */
	bool bad_name;             /* linux has a property with a control char */
	bool unit_address;         /* linux is called linux@0 */
	bool wrong_compatible;     /* /umbra says umbra,config-v2 */
	bool more_cells;           /* memory as <0x0 base 0x0 size> vs 1 cell */
};

#define MAXPROPS 8
struct prop_spec {
	const char *name;
	const void *val;
	int len;
};

static void props(void *fdt, const struct prop_spec *p, int n, bool reversed)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct prop_spec *q = &p[reversed ? n - 1 - i : i];

		ck_assert_int_eq(fdt_property(fdt, q->name, q->val, q->len), 0);
	}
}

#define STR(s) s, (int)sizeof(s)

/* A platform with a /chosen, and an /umbra with two partitions and a
 * shared device; into a heap block of exactly its size (*size). */
static void *make(const struct shape *sh, size_t *size)
{
	static uint8_t tmp[8192];
	const char *bootargs = sh->bootargs ? sh->bootargs : "console=ttyAMA0";
	const uint32_t one = cpu_to_fdt32(1), two = cpu_to_fdt32(2);
	const uint32_t mem1[2] = { cpu_to_fdt32(0x50000000), cpu_to_fdt32(0x20000000) };
	const uint32_t mem2[4] = { 0, cpu_to_fdt32(0x50000000), 0, cpu_to_fdt32(0x20000000) };
	const uint32_t ph = cpu_to_fdt32(sh->phandle);
	const uint32_t cpus = cpu_to_fdt32(3);
	struct prop_spec root[MAXPROPS], linux_[MAXPROPS], rtos[MAXPROPS], gpio[MAXPROPS];
	int nr = 0, nl = 0, nt = 0, ng = 0, i;
	void *out;

	root[nr++] = (struct prop_spec){ "compatible",
		sh->wrong_compatible ? "umbra,config-v2" : "umbra,config-v1", 16 };
	root[nr++] = (struct prop_spec){ "#address-cells", sh->more_cells ? &two : &one, 4 };
	root[nr++] = (struct prop_spec){ "#size-cells", sh->more_cells ? &two : &one, 4 };
	root[nr++] = (struct prop_spec){ "console-focus", STR("linux") };
	if (sh->colour_root)
		root[nr++] = (struct prop_spec){ "console-colour", NULL, 0 };
	if (sh->phandle)
		root[nr++] = (struct prop_spec){ "phandle", &ph, 4 };

	linux_[nl++] = (struct prop_spec){ "compatible", STR("umbra,partition") };
	linux_[nl++] = (struct prop_spec){ "cpus", &one, 4 };
	if (sh->more_cells)
		linux_[nl++] = (struct prop_spec){ "memory", mem2, sizeof(mem2) };
	else
		linux_[nl++] = (struct prop_spec){ "memory", mem1, sizeof(mem1) };
	linux_[nl++] = (struct prop_spec){ "bootargs", bootargs, (int)strlen(bootargs) + 1 };
	if (sh->dup_prop)
		linux_[nl++] = (struct prop_spec){ "bootargs", "x", 2 };
	if (sh->bad_name)
		linux_[nl++] = (struct prop_spec){ "bad\x01name", "x", 2 };
	if (sh->colour_part)
		linux_[nl++] = (struct prop_spec){ "console-colour", NULL, 0 };
	if (sh->phandle) {
		linux_[nl++] = (struct prop_spec){ "linux,phandle", &ph, 4 };
		linux_[nl++] = (struct prop_spec){ "phandle", &ph, 4 };
	}

	rtos[nt++] = (struct prop_spec){ "compatible", STR("umbra,partition") };
	rtos[nt++] = (struct prop_spec){ "cpus", &cpus, 4 };
	rtos[nt++] = (struct prop_spec){ "bootargs", STR("demo") };

	gpio[ng++] = (struct prop_spec){ "compatible", STR("umbra,shared-device") };
	gpio[ng++] = (struct prop_spec){ "holders", STR("rtos\0linux") };

	ck_assert_int_eq(fdt_create(tmp, sizeof(tmp)), 0);
	ck_assert_int_eq(fdt_finish_reservemap(tmp), 0);
	ck_assert_int_eq(fdt_begin_node(tmp, ""), 0);
	ck_assert_int_eq(fdt_property_string(tmp, "compatible", "linux,dummy-virt"), 0);
	ck_assert_int_eq(fdt_begin_node(tmp, "chosen"), 0);
	ck_assert_int_eq(fdt_property_string(tmp, "bootargs",
					     sh->chosen_changed ? "quiet" : "verbose"), 0);
	ck_assert_int_eq(fdt_property_u32(tmp, "rng-seed", sh->chosen_changed ? 2 : 1), 0);
	ck_assert_int_eq(fdt_end_node(tmp), 0);
	if (sh->extra_node) {
		ck_assert_int_eq(fdt_begin_node(tmp, "pl031@9010000"), 0);
		ck_assert_int_eq(fdt_property_string(tmp, "compatible", "arm,pl031"), 0);
		ck_assert_int_eq(fdt_end_node(tmp), 0);
	}
	ck_assert_int_eq(fdt_begin_node(tmp, "umbra"), 0);
	props(tmp, root, nr, sh->reversed);
	for (i = 0; i < 3; i++) {
		int which = sh->swap_children ? (i + 2) % 3 : i;

		if (which == 0) {
			ck_assert_int_eq(fdt_begin_node(tmp, sh->unit_address ? "linux@0" : "linux"), 0);
			props(tmp, linux_, nl, sh->reversed);
		} else if (which == 1) {
			ck_assert_int_eq(fdt_begin_node(tmp, "rtos"), 0);
			props(tmp, rtos, nt, sh->reversed);
		} else {
			ck_assert_int_eq(fdt_begin_node(tmp, "gpio"), 0);
			props(tmp, gpio, ng, sh->reversed);
		}
		ck_assert_int_eq(fdt_end_node(tmp), 0);
	}
	ck_assert_int_eq(fdt_end_node(tmp), 0);   /* umbra */
	ck_assert_int_eq(fdt_end_node(tmp), 0);   /* root */
	ck_assert_int_eq(fdt_finish(tmp), 0);
	*size = fdt_totalsize(tmp);
	out = malloc(*size);
	ck_assert_ptr_nonnull(out);
	memcpy(out, tmp, *size);
	return out;
}

/* digest of /umbra (part NULL) or of a partition; the return code */
static int digest(const struct shape *sh, const char *part, uint8_t d[ATTEST_DIGEST_LEN])
{
	size_t size;
	void *fdt = make(sh, &size);
	int ret = attest_config_digest(fdt, size, part, d);

	free(fdt);
	return ret;
}

static bool same(const struct shape *a, const struct shape *b, const char *part)
{
	uint8_t da[ATTEST_DIGEST_LEN], db[ATTEST_DIGEST_LEN];

	ck_assert_int_eq(digest(a, part, da), 0);
	ck_assert_int_eq(digest(b, part, db), 0);
	return memcmp(da, db, sizeof(da)) == 0;
}

/* The exact bytes of a small tree, worked out by hand from the doc:
 * /umbra { #size-cells = <1>; compatible = "umbra,config-v1";
 *          p@1 { compatible = "umbra,partition"; bootargs = "x"; }; } */
START_TEST(config_exact_encoding)
{
	static const char want_umbra[] =
		"83 60 a2"                                   /* [ "", {2 props}, */
		"6a 636f6d70617469626c65"                    /* "compatible" (10 first) */
		"50 756d6272612c636f6e6669672d763100"        /* h'umbra,config-v1\0' */
		"6b 2373697a652d63656c6c73"                  /* "#size-cells" (11) */
		"44 00000001"                                /* h'00000001' */
		"81";                                        /* [1 child] */
	static const char want_p[] =
		"83 63 704031 a2"                            /* [ "p@1", {2}, */
		"68 626f6f7461726773 42 7800"                /* "bootargs": h'7800' */
		"6a 636f6d70617469626c65"                    /* "compatible": */
		"50 756d6272612c706172746974696f6e00"        /* h'umbra,partition\0' */
		"80";                                        /* [] ] */
	uint8_t tmp[1024], enc[256], want[256], d[ATTEST_DIGEST_LEN], h[ATTEST_DIGEST_LEN];
	size_t len = 0, n, size;
	void *fdt;

	ck_assert_int_eq(fdt_create(tmp, sizeof(tmp)), 0);
	ck_assert_int_eq(fdt_finish_reservemap(tmp), 0);
	ck_assert_int_eq(fdt_begin_node(tmp, ""), 0);
	ck_assert_int_eq(fdt_begin_node(tmp, "umbra"), 0);
	ck_assert_int_eq(fdt_property_u32(tmp, "#size-cells", 1), 0);
	ck_assert_int_eq(fdt_property_string(tmp, "compatible", "umbra,config-v1"), 0);
	ck_assert_int_eq(fdt_begin_node(tmp, "p@1"), 0);
	ck_assert_int_eq(fdt_property_string(tmp, "compatible", "umbra,partition"), 0);
	ck_assert_int_eq(fdt_property_string(tmp, "bootargs", "x"), 0);
	ck_assert_int_eq(fdt_end_node(tmp), 0);
	ck_assert_int_eq(fdt_end_node(tmp), 0);
	ck_assert_int_eq(fdt_end_node(tmp), 0);
	ck_assert_int_eq(fdt_finish(tmp), 0);
	size = fdt_totalsize(tmp);
	fdt = malloc(size);
	memcpy(fdt, tmp, size);

	n = unhex(want_umbra, want, sizeof(want));
	n += unhex(want_p, want + n, sizeof(want) - n);
	ck_assert_int_eq(attest_config_encode(fdt, size, NULL, enc, sizeof(enc), &len), 0);
	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(enc, want, n);
	/* the digest is SHA-256 of the encoding */
	ck_assert_int_eq(attest_config_digest(fdt, size, NULL, d), 0);
	attest_sha256(want, n, h);
	ck_assert_mem_eq(d, h, sizeof(d));
	/* the partition's own node: the same bytes as in the tree */
	n = unhex(want_p, want, sizeof(want));
	ck_assert_int_eq(attest_config_encode(fdt, size, "p@1", enc, sizeof(enc), &len), 0);
	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(enc, want, n);
	/* found by its whole name only */
	ck_assert_int_eq(attest_config_digest(fdt, size, "p", d), -ATTEST_E_INVAL);
	free(fdt);
}
END_TEST

START_TEST(config_needed_length)
{
	struct shape sh = { 0 };
	uint8_t buf[512];
	size_t size, len = 0, need, cap;
	void *fdt = make(&sh, &size);

	ck_assert_int_eq(attest_config_encode(fdt, size, NULL, NULL, 0, &need), -ATTEST_E_RANGE);
	ck_assert_uint_gt(need, 100);
	ck_assert_uint_le(need, sizeof(buf));
	for (cap = 0; cap < need; cap++) {
		memset(buf, 0xee, sizeof(buf));
		ck_assert_int_eq(attest_config_encode(fdt, size, NULL, buf, cap, &len),
				 -ATTEST_E_RANGE);
		ck_assert_uint_eq(len, need);
		ck_assert_uint_eq(buf[cap], 0xee);   /* nothing past cap */
	}
	ck_assert_int_eq(attest_config_encode(fdt, size, NULL, buf, need, &len), 0);
	ck_assert_uint_eq(len, need);
	ck_assert_int_eq(attest_config_encode(fdt, size, NULL, buf, 4, NULL), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_config_encode(fdt, size, NULL, NULL, 4, &len), -ATTEST_E_INVAL);
	free(fdt);
}
END_TEST

START_TEST(config_property_order)
{
	struct shape a = { 0 }, b = { .reversed = true };

	ck_assert(same(&a, &b, NULL));
	ck_assert(same(&a, &b, "linux"));
	ck_assert(same(&a, &b, "rtos"));
}
END_TEST

START_TEST(config_bootargs)
{
	struct shape a = { 0 }, b = { .bootargs = "console=ttyAMA0 rdinit=/bin/sh" };

	ck_assert(!same(&a, &b, NULL));
	ck_assert(!same(&a, &b, "linux"));
	ck_assert(same(&a, &b, "rtos"));          /* only linux's node changed */
	/* one more byte of the same string is another config too */
	b.bootargs = "console=ttyAMA0 ";
	ck_assert(!same(&a, &b, "linux"));
}
END_TEST

START_TEST(config_outside_umbra)
{
	struct shape a = { 0 }, b = { .chosen_changed = true, .extra_node = true };

	ck_assert(same(&a, &b, NULL));
	ck_assert(same(&a, &b, "linux"));
}
END_TEST

START_TEST(config_left_out)
{
	struct shape a = { 0 }, b = { .phandle = 7 }, c = { .phandle = 0x8001 };
	struct shape d = { .colour_root = true }, e = { .colour_part = true };

	/* phandle numbers are the DT compiler's, console-colour the launcher's */
	ck_assert(same(&a, &b, NULL));
	ck_assert(same(&b, &c, NULL));
	ck_assert(same(&a, &b, "linux"));
	ck_assert(same(&a, &d, NULL));
	/* console-colour means nothing in a partition node: measured there */
	ck_assert(!same(&a, &e, NULL));
	ck_assert(!same(&a, &e, "linux"));
}
END_TEST

START_TEST(config_structure_counts)
{
	struct shape a = { 0 }, b = { .swap_children = true }, c = { .unit_address = true };
	struct shape d = { .more_cells = true };
	uint8_t x[ATTEST_DIGEST_LEN];

	/* node order gives partition, shared-device and channel ids */
	ck_assert(!same(&a, &b, NULL));
	ck_assert(same(&a, &b, "linux"));
	/* the node name with its unit address is the partition's name */
	ck_assert(!same(&a, &c, NULL));
	ck_assert_int_eq(digest(&c, "linux", x), -ATTEST_E_INVAL);
	ck_assert_int_eq(digest(&c, "linux@0", x), 0);
	/* bytes, not meaning: other cells are another config */
	ck_assert(!same(&a, &d, NULL));
	ck_assert(!same(&a, &d, "linux"));
}
END_TEST

START_TEST(config_refused)
{
	struct shape dup = { .dup_prop = true }, bad = { .bad_name = true };
	struct shape wrong = { .wrong_compatible = true }, ok = { 0 };
	uint8_t x[ATTEST_DIGEST_LEN], y[ATTEST_DIGEST_LEN];

	memset(x, 0x5a, sizeof(x));
	memcpy(y, x, sizeof(x));
	ck_assert_int_eq(digest(&dup, NULL, x), -ATTEST_E_INVAL);
	ck_assert_int_eq(digest(&dup, "linux", x), -ATTEST_E_INVAL);
	ck_assert_int_eq(digest(&dup, "rtos", x), 0);   /* only linux's node is bad */
	memcpy(x, y, sizeof(x));
	ck_assert_int_eq(digest(&bad, NULL, x), -ATTEST_E_INVAL);
	ck_assert_int_eq(digest(&wrong, NULL, x), -ATTEST_E_INVAL);
	ck_assert_int_eq(digest(&ok, "nobody", x), -ATTEST_E_INVAL);
	ck_assert_int_eq(digest(&ok, "gpio", x), -ATTEST_E_INVAL);   /* not a partition */
	ck_assert_int_eq(digest(&ok, "", x), -ATTEST_E_INVAL);
	ck_assert_mem_eq(x, y, sizeof(x));   /* untouched on error */
	ck_assert_int_eq(attest_config_digest(NULL, 4096, NULL, x), -ATTEST_E_INVAL);
}
END_TEST

/* Cut short anywhere: refused, and ASan sees no read past the block. */
START_TEST(config_truncated)
{
	struct shape sh = { 0 };
	uint8_t d[ATTEST_DIGEST_LEN];
	size_t size, n;
	void *fdt = make(&sh, &size);

	for (n = 0; n < size; n++) {
		void *cut = malloc(n ? n : 1);

		memcpy(cut, fdt, n);
		ck_assert_int_eq(attest_config_digest(cut, n, NULL, d), -ATTEST_E_INVAL);
		ck_assert_int_eq(attest_config_digest(cut, n, "linux", d), -ATTEST_E_INVAL);
		free(cut);
	}
	free(fdt);
}
END_TEST

/* A lying length or string offset inside the blob. */
START_TEST(config_bad_fields)
{
	struct shape sh = { 0 };
	uint8_t d[ATTEST_DIGEST_LEN];
	size_t size;
	uint8_t *fdt = make(&sh, &size);
	int node = fdt_path_offset(fdt, "/umbra/linux"), len;
	const struct fdt_property *p = fdt_get_property(fdt, node, "bootargs", &len);
	size_t at = (size_t)((const uint8_t *)p - fdt);
	fdt32_t saved_len = p->len, saved_off = p->nameoff;

	ck_assert_ptr_nonnull(p);
	((struct fdt_property *)(fdt + at))->len = cpu_to_fdt32(0x7ffffff0);
	ck_assert_int_eq(attest_config_digest(fdt, size, NULL, d), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_config_digest(fdt, size, "linux", d), -ATTEST_E_INVAL);
	((struct fdt_property *)(fdt + at))->len = saved_len;
	((struct fdt_property *)(fdt + at))->nameoff = cpu_to_fdt32(0x10000);
	ck_assert_int_eq(attest_config_digest(fdt, size, NULL, d), -ATTEST_E_INVAL);
	((struct fdt_property *)(fdt + at))->nameoff = saved_off;
	ck_assert_int_eq(attest_config_digest(fdt, size, NULL, d), 0);
	/* a totalsize beyond the buffer */
	fdt_set_totalsize(fdt, (uint32_t)size + 64);
	ck_assert_int_eq(attest_config_digest(fdt, size, NULL, d), -ATTEST_E_INVAL);
	free(fdt);
}
END_TEST

/* Every byte flipped in turn (three ways): a digest or a refusal, never a
 * read outside the buffer (ASan) or a crash. */
START_TEST(config_flipped_bytes)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	struct shape sh = { 0 };
	uint8_t d[ATTEST_DIGEST_LEN];
	size_t size, i, f;
	uint8_t *fdt = make(&sh, &size);
	unsigned refused = 0;

	for (i = 0; i < size; i++)
		for (f = 0; f < sizeof(flips); f++) {
			int r1, r2;

			fdt[i] ^= flips[f];
			r1 = attest_config_digest(fdt, size, NULL, d);
			r2 = attest_config_digest(fdt, size, "linux", d);
			ck_assert(r1 == 0 || r1 == -ATTEST_E_INVAL);
			ck_assert(r2 == 0 || r2 == -ATTEST_E_INVAL);
			refused += r1 != 0;
			fdt[i] ^= flips[f];
		}
	ck_assert_uint_gt(refused, size / 2);
	free(fdt);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("canonical");

	tcase_add_test(tc, config_exact_encoding);
	tcase_add_test(tc, config_needed_length);
	tcase_add_test(tc, config_property_order);
	tcase_add_test(tc, config_bootargs);
	tcase_add_test(tc, config_outside_umbra);
	tcase_add_test(tc, config_left_out);
	tcase_add_test(tc, config_structure_counts);
	tcase_add_test(tc, config_refused);
	tcase_add_test(tc, config_truncated);
	tcase_add_test(tc, config_bad_fields);
	tcase_add_test(tc, config_flipped_bytes);
	suite_add_tcase(s, tc);
	return s;
}
