// SPDX-License-Identifier: Apache-2.0
/*
 * Device and partition state, key endorsements and the PSA token: COSE
 * structure, claim set and its key order, the needed-length convention,
 * size bounds, determinism, argument checks, and the verifier's verdict
 * on good and tampered tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/attest.h"
#include "umbra/cbor.h"
#include "attest_verify.h"
#include "tests.h"

struct fixture {
	struct attest_device dev;
	struct attest_partition part;
	struct attest_component uc[2], pc[1];
	uint8_t uds[32], impl[32], seed[32], nonce[64];
	struct av_reference ref;
	uint8_t tok[ATTEST_TOKEN_MAX];
	size_t len;
};

static struct fixture *f;

static void comp(struct attest_component *c, const char *type, const char *data)
{
	uint8_t d[32];

	attest_sha256(data, strlen(data), d);
	ck_assert_int_eq(attest_component_set(c, type, d, NULL, NULL), 0);
}

static void setup(void)
{
	struct attest_device_params dp;
	uint8_t ev[32];
	unsigned i;

	f = calloc(1, sizeof(*f));
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 32; i++) {
		f->uds[i] = (uint8_t)(0x40 + i);
		f->seed[i] = (uint8_t)(0x80 + i);
	}
	for (i = 0; i < 64; i++)
		f->nonce[i] = (uint8_t)(0xa0 + i);
	attest_implementation_id("unit", f->impl);
	comp(&f->uc[0], "umbra/image", "monitor");
	comp(&f->uc[1], "umbra/config", "config");
	comp(&f->pc[0], "partition/image", "guest");
	dp = (struct attest_device_params){
		.uds = f->uds, .comp = f->uc, .nr_comp = 2,
		.implementation_id = f->impl, .lifecycle = ATTEST_LIFECYCLE_SECURED,
		.boot_seed = f->seed, .boot_seed_len = 32,
	};
	ck_assert_int_eq(attest_device_init(&f->dev, &dp), 0);
	ck_assert_int_eq(attest_partition_init(&f->part, &f->dev, f->pc, 1, -1), 0);
	attest_sha256("event", 5, ev);
	ck_assert_int_eq(attest_partition_extend(&f->part, 0, ev), 0);
	ck_assert_int_eq(attest_partition_token(&f->dev, &f->part, f->nonce, 32, f->tok,
						sizeof(f->tok), &f->len), 0);

	f->ref.has_impl_id = true;
	memcpy(f->ref.impl_id, f->impl, 32);
	f->ref.nr_comp = 3;
	strcpy(f->ref.comp[0].type, "umbra/image");
	memcpy(f->ref.comp[0].value, f->uc[0].value, 32);
	strcpy(f->ref.comp[1].type, "umbra/config");
	memcpy(f->ref.comp[1].value, f->uc[1].value, 32);
	strcpy(f->ref.comp[2].type, "partition/image");
	memcpy(f->ref.comp[2].value, f->pc[0].value, 32);
}

static void teardown(void)
{
	free(f);
}

static bool failed(const struct av_report *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->check[i].status == AV_FAIL && !strcmp(r->check[i].name, name))
			return true;
	return false;
}

static unsigned verify(const uint8_t *tok, size_t len, const uint8_t *ek,
		       const uint8_t *nonce, size_t nlen, struct av_report *r)
{
	return av_verify_token(tok, len, ek, nonce, nlen, &f->ref, r);
}

START_TEST(device_state)
{
	struct attest_keypair ek;
	uint8_t m[32], id[33];
	struct av_sign1 s;
	char err[96];

	ck_assert_int_eq(attest_derive_ek(f->uds, &ek), 0);
	ck_assert_mem_eq(f->dev.ek_pub, ek.pub, 65);
	attest_instance_id(ek.pub, id);
	ck_assert_mem_eq(f->dev.instance_id, id, 33);
	ck_assert_int_eq(attest_layer_measure(f->uc, 2, m), 0);
	ck_assert_mem_eq(f->dev.m_umbra, m, 32);
	/* the alias endorsement verifies with the EK, the partition's with AK */
	ck_assert_uint_le(f->dev.alias_end_len, ATTEST_ENDORSEMENT_MAX);
	ck_assert(av_decode_sign1(f->dev.alias_end, f->dev.alias_end_len, &s, err, sizeof(err)));
	ck_assert(s.tagged);
	ck_assert_int_eq(s.alg, -7);
	ck_assert(av_verify_sign1(&s, ek.pub));
	ck_assert(!av_verify_sign1(&s, f->dev.alias.pub));
	ck_assert(av_decode_sign1(f->part.end, f->part.end_len, &s, err, sizeof(err)));
	ck_assert(av_verify_sign1(&s, f->dev.alias.pub));
	/* nothing of the EK private key is kept */
	ck_assert(memmem(&f->dev, sizeof(f->dev), ek.priv, 32) == NULL);
}
END_TEST

/* Tagged COSE_Sign1: d2 84 | 43 a1 01 26 | a1 3a 00010000 82 <2 bstr> | payload | sig */
START_TEST(cose_structure)
{
	struct av_sign1 s;
	struct cbor_dec d;
	uint64_t n, tag;
	const uint8_t *b;
	size_t blen;
	int64_t key;
	char err[96];
	static const int64_t keys[] = { 10, 256, 265, 268, 2394, 2395, 2396, 2399 };

	ck_assert_hex(f->tok, 12, "d28443a10126a13a00010000");
	cdec_init(&d, f->tok, f->len);
	ck_assert(cdec_tag(&d, &tag) && tag == 18);
	ck_assert(cdec_array(&d, &n) && n == 4);
	ck_assert(cdec_bstr(&d, &b, &blen));
	ck_assert_hex(b, blen, "a10126");
	ck_assert(cdec_map(&d, &n) && n == 1);
	ck_assert(cdec_int(&d, &key) && key == -65537);
	ck_assert(cdec_array(&d, &n) && n == 2);
	ck_assert(cdec_bstr(&d, &b, &blen));
	ck_assert_mem_eq(b, f->dev.alias_end, blen);
	ck_assert(cdec_bstr(&d, &b, &blen));
	ck_assert_mem_eq(b, f->part.end, blen);
	ck_assert(av_decode_sign1(f->tok, f->len, &s, err, sizeof(err)));
	ck_assert_uint_eq(s.sig_len, 64);
	ck_assert_ptr_eq(s.sig + 64, f->tok + f->len);
	ck_assert(av_verify_sign1(&s, f->part.key.pub));

	/* claims: eight, keys in deterministic (ascending) order */
	cdec_init(&d, s.payload, s.payload_len);
	ck_assert(cdec_map(&d, &n) && n == 8);
	for (size_t i = 0; i < 8; i++) {
		ck_assert(cdec_int(&d, &key));
		ck_assert_int_eq(key, keys[i]);
		if (key == 265) {
			const char *t;

			ck_assert(cdec_tstr(&d, &t, &blen));
			ck_assert_uint_eq(blen, strlen(ATTEST_PROFILE));
			ck_assert(!memcmp(t, ATTEST_PROFILE, blen));
		} else if (key == 2394) {
			ck_assert(cdec_int(&d, &key) && key == -1);
		} else if (key == 2395) {
			ck_assert(cdec_uint(&d, &n) && n == 0x3000);
		} else if (key == 2399) {
			ck_assert(cdec_array(&d, &n) && n == 2 + 1 + ATTEST_NR_RMR);
			for (uint64_t j = 0; j < n; j++)
				ck_assert(cdec_skip(&d));
		} else {
			ck_assert(cdec_bstr(&d, &b, &blen));
			if (key == 10)
				ck_assert_mem_eq(b, f->nonce, 32);
			if (key == 256)
				ck_assert_mem_eq(b, f->dev.instance_id, 33);
			if (key == 268)
				ck_assert_mem_eq(b, f->seed, 32);
			if (key == 2396)
				ck_assert_mem_eq(b, f->impl, 32);
		}
	}
	ck_assert(cdec_done(&d));
}
END_TEST

START_TEST(token_verifies)
{
	struct av_report r;

	ck_assert_uint_eq(verify(f->tok, f->len, f->dev.ek_pub, f->nonce, 32, &r), 0);
	ck_assert_uint_ge(r.n, 20);
}
END_TEST

/* Too short: -E_RANGE with the exact size, and nothing past the buffer. */
START_TEST(needed_length)
{
	uint8_t *buf = malloc(f->len + 64);
	size_t need = 0, cap, i;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(attest_partition_token(&f->dev, &f->part, f->nonce, 32, NULL, 0, &need),
			 -ATTEST_E_RANGE);
	ck_assert_uint_eq(need, f->len);
	for (cap = 0; cap < f->len; cap++) {
		memset(buf, 0x5a, f->len + 64);
		need = 0;
		ck_assert_int_eq(attest_partition_token(&f->dev, &f->part, f->nonce, 32, buf,
							cap, &need), -ATTEST_E_RANGE);
		ck_assert_uint_eq(need, f->len);
		for (i = cap; i < f->len + 64 && buf[i] == 0x5a; i++)
			;
		ck_assert_msg(i == f->len + 64, "cap %zu: byte %zu written", cap, i);
	}
	ck_assert_int_eq(attest_partition_token(&f->dev, &f->part, f->nonce, 32, buf, f->len,
						&need), 0);
	ck_assert_uint_eq(need, f->len);
	ck_assert_mem_eq(buf, f->tok, f->len);   /* deterministic */
	free(buf);
}
END_TEST

START_TEST(nonce_sizes)
{
	static const size_t ok[] = { 32, 48, 64 }, bad[] = { 0, 1, 31, 33, 47, 63, 65 };
	uint8_t buf[ATTEST_TOKEN_MAX];
	struct av_report r;
	size_t len, i;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(attest_partition_token(&f->dev, &f->part, f->nonce, ok[i], buf,
							sizeof(buf), &len), 0);
		ck_assert_uint_eq(verify(buf, len, f->dev.ek_pub, f->nonce, ok[i], &r), 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(attest_partition_token(&f->dev, &f->part, f->nonce, bad[i], buf,
							sizeof(buf), &len), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_partition_token(&f->dev, &f->part, NULL, 32, buf, sizeof(buf),
						&len), -ATTEST_E_INVAL);
}
END_TEST

START_TEST(argument_checks)
{
	struct attest_partition *p = calloc(1, sizeof(*p));
	struct attest_device *d = calloc(1, sizeof(*d));
	struct attest_device_params dp = {
		.uds = f->uds, .comp = f->uc, .nr_comp = 2, .implementation_id = f->impl,
		.boot_seed = f->seed, .boot_seed_len = 7,
	};

	ck_assert(p && d);
	ck_assert_int_eq(attest_device_init(d, &dp), -ATTEST_E_INVAL);
	dp.boot_seed_len = 33;
	ck_assert_int_eq(attest_device_init(d, &dp), -ATTEST_E_INVAL);
	dp.boot_seed_len = 8;
	ck_assert_int_eq(attest_device_init(d, &dp), 0);
	dp.comp = f->pc;          /* a partition component in Umbra's layer */
	dp.nr_comp = 1;
	ck_assert_int_eq(attest_device_init(d, &dp), -ATTEST_E_INVAL);
	dp.comp = f->uc;
	dp.nr_comp = ATTEST_MAX_COMPONENTS + 1;
	ck_assert_int_eq(attest_device_init(d, &dp), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_partition_init(p, &f->dev, f->pc, 1, 0), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_partition_init(p, &f->dev, f->uc, 1, 1), -ATTEST_E_INVAL);
	/* "partition/" alone names no component */
	struct attest_component c = f->pc[0];

	strcpy(c.type, "partition/");
	ck_assert_int_eq(attest_partition_init(p, &f->dev, &c, 1, 1), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_partition_init(p, &f->dev, NULL, 0, 5), 0);
	free(p);
	free(d);
}
END_TEST

/* The largest token the limits allow fits ATTEST_TOKEN_MAX. */
START_TEST(size_bounds)
{
	struct attest_component uc[ATTEST_MAX_COMPONENTS], pc[ATTEST_MAX_COMPONENTS];
	struct attest_device *d = calloc(1, sizeof(*d));
	struct attest_partition *p = calloc(1, sizeof(*p));
	char type[ATTEST_TYPE_MAX + 1], ver[ATTEST_VERSION_MAX + 1];
	uint8_t v[32] = { 7 }, buf[ATTEST_TOKEN_MAX];
	size_t len, i;

	ck_assert(d && p);
	memset(ver, '9', ATTEST_VERSION_MAX);
	ver[ATTEST_VERSION_MAX] = 0;
	for (i = 0; i < ATTEST_MAX_COMPONENTS; i++) {
		memset(type, 'u', ATTEST_TYPE_MAX);
		type[ATTEST_TYPE_MAX] = 0;
		memcpy(type, "umbra/", 6);
		type[7] = (char)('0' + i);
		ck_assert_int_eq(attest_component_set(&uc[i], type, v, ver, v), 0);
		memcpy(type, "partition/", 10);
		ck_assert_int_eq(attest_component_set(&pc[i], type, v, ver, v), 0);
	}
	ck_assert_int_eq(attest_device_init(d, &(struct attest_device_params){
		.uds = f->uds, .comp = uc, .nr_comp = ATTEST_MAX_COMPONENTS,
		.implementation_id = f->impl, .lifecycle = 0x30ff,
		.boot_seed = f->seed, .boot_seed_len = ATTEST_BOOT_SEED_MAX }), 0);
	ck_assert_int_eq(attest_partition_init(p, d, pc, ATTEST_MAX_COMPONENTS, INT32_MIN), 0);
	ck_assert_uint_le(d->alias_end_len, ATTEST_ENDORSEMENT_MAX);
	ck_assert_uint_le(p->end_len, ATTEST_ENDORSEMENT_MAX);
	ck_assert_int_eq(attest_partition_token(d, p, f->nonce, 64, NULL, 0, &len),
			 -ATTEST_E_RANGE);
	ck_assert_uint_le(len, ATTEST_TOKEN_MAX);
	ck_assert_int_eq(attest_partition_token(d, p, f->nonce, 64, buf, sizeof(buf), &len), 0);
	free(d);
	free(p);
}
END_TEST

START_TEST(image_change_changes_key)
{
	struct attest_partition *p = calloc(1, sizeof(*p));
	struct attest_component c;
	uint8_t k1[32], k2[32];

	ck_assert_ptr_nonnull(p);
	comp(&c, "partition/image", "guest v2");
	ck_assert_int_eq(attest_partition_init(p, &f->dev, &c, 1, -1), 0);
	ck_assert_mem_ne(p->key.pub, f->part.key.pub, 65);
	ck_assert_int_eq(attest_partition_seal_key(p, "k", 1, k1), 0);
	ck_assert_int_eq(attest_partition_seal_key(&f->part, "k", 1, k2), 0);
	ck_assert_mem_ne(k1, k2, 32);
	/* the same image again: the same key (it is derived, not random) */
	ck_assert_int_eq(attest_partition_init(p, &f->dev, f->pc, 1, -1), 0);
	ck_assert_mem_eq(p->key.pub, f->part.key.pub, 65);
	free(p);
}
END_TEST

/* ---- the verifier on tampered tokens ----------------------------------- */

START_TEST(reject_flipped_bytes)
{
	uint8_t *t = malloc(f->len);
	struct av_report r;
	size_t i;

	ck_assert_ptr_nonnull(t);
	/* one byte at a time, never accepted: every byte of the COSE framing
	 * and the endorsements' start, then a sample of the rest (each check
	 * costs up to three ECDSA verifications) */
	for (i = 0; i < f->len; i += i < 160 || i >= f->len - 80 ? 1 : 7) {
		memcpy(t, f->tok, f->len);
		t[i] ^= 0x01;
		ck_assert_msg(verify(t, f->len, f->dev.ek_pub, f->nonce, 32, &r) > 0,
			      "flipped byte %zu accepted", i);
	}
	/* in the payload (its last byte, before the 66-byte signature item) */
	memcpy(t, f->tok, f->len);
	t[f->len - 66 - 1] ^= 0x01;
	ck_assert_uint_gt(verify(t, f->len, f->dev.ek_pub, f->nonce, 32, &r), 0);
	ck_assert(failed(&r, "signature"));
	/* in the signature itself */
	memcpy(t, f->tok, f->len);
	t[f->len - 1] ^= 0x01;
	ck_assert_uint_eq(verify(t, f->len, f->dev.ek_pub, f->nonce, 32, &r), 1);
	ck_assert(failed(&r, "signature"));
	free(t);
}
END_TEST

START_TEST(reject_wrong_nonce)
{
	uint8_t n[64];
	struct av_report r;

	memcpy(n, f->nonce, 64);
	n[5] ^= 1;
	ck_assert_uint_eq(verify(f->tok, f->len, f->dev.ek_pub, n, 32, &r), 1);
	ck_assert(failed(&r, "nonce"));
	ck_assert_uint_eq(verify(f->tok, f->len, f->dev.ek_pub, f->nonce, 64, &r), 1);
	ck_assert(failed(&r, "nonce"));
}
END_TEST

START_TEST(reject_wrong_ek)
{
	struct attest_keypair other;
	uint8_t u[32] = { 9 };
	struct av_report r;

	ck_assert_int_eq(attest_derive_ek(u, &other), 0);
	ck_assert_uint_eq(verify(f->tok, f->len, other.pub, f->nonce, 32, &r), 2);
	ck_assert(failed(&r, "alias-endorsement"));
	ck_assert(failed(&r, "instance-id"));
}
END_TEST

START_TEST(reject_truncated)
{
	struct av_report r;
	size_t n;

	for (n = 0; n < f->len; n++) {
		ck_assert_uint_gt(verify(f->tok, n, f->dev.ek_pub, f->nonce, 32, &r), 0);
		ck_assert(failed(&r, "cose-structure"));
	}
}
END_TEST

START_TEST(reject_wrong_measurement)
{
	struct av_report r;

	f->ref.comp[2].value[0] ^= 1;
	ck_assert_uint_eq(verify(f->tok, f->len, f->dev.ek_pub, f->nonce, 32, &r), 1);
	ck_assert(failed(&r, "component:partition/image"));
	f->ref.comp[2].value[0] ^= 1;
	strcpy(f->ref.comp[f->ref.nr_comp].type, "umbra/missing");
	f->ref.nr_comp++;
	ck_assert_uint_eq(verify(f->tok, f->len, f->dev.ek_pub, f->nonce, 32, &r), 1);
	ck_assert(failed(&r, "component:umbra/missing"));
	/* a component the reference does not know */
	f->ref.nr_comp = 2;
	ck_assert_uint_eq(verify(f->tok, f->len, f->dev.ek_pub, f->nonce, 32, &r), 1);
	ck_assert(failed(&r, "component:partition/image"));
}
END_TEST

/*
 * A partition key that signs claims about other software (say, Umbra was
 * coaxed into it): the signature is good, but the claimed components do
 * not give the endorsed measurement.
 */
START_TEST(reject_inconsistent_claims)
{
	struct attest_component pc;
	struct attest_claims cl;
	uint8_t buf[ATTEST_TOKEN_MAX];
	struct av_report r;
	size_t len;

	comp(&pc, "partition/image", "something else");
	cl = (struct attest_claims){
		.nonce = f->nonce, .nonce_len = 32,
		.instance_id = f->dev.instance_id, .implementation_id = f->impl,
		.client_id = -1, .lifecycle = ATTEST_LIFECYCLE_SECURED,
		.umbra = f->uc, .nr_umbra = 2, .part = &pc, .nr_part = 1,
	};
	ck_assert_int_eq(attest_token(&cl, f->dev.alias_end, f->dev.alias_end_len, f->part.end,
				      f->part.end_len, f->part.key.priv, buf, sizeof(buf), &len), 0);
	memcpy(f->ref.comp[2].value, pc.value, 32);
	ck_assert_uint_eq(verify(buf, len, f->dev.ek_pub, f->nonce, 32, &r), 1);
	ck_assert(failed(&r, "partition-measurement"));
}
END_TEST

Suite *token_suite(void)
{
	Suite *s = suite_create("token");
	TCase *tc = tcase_create("token");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, device_state);
	tcase_add_test(tc, cose_structure);
	tcase_add_test(tc, token_verifies);
	tcase_add_test(tc, needed_length);
	tcase_add_test(tc, nonce_sizes);
	tcase_add_test(tc, argument_checks);
	tcase_add_test(tc, size_bounds);
	tcase_add_test(tc, image_change_changes_key);
	tcase_add_test(tc, reject_flipped_bytes);
	tcase_add_test(tc, reject_wrong_nonce);
	tcase_add_test(tc, reject_wrong_ek);
	tcase_add_test(tc, reject_truncated);
	tcase_add_test(tc, reject_wrong_measurement);
	tcase_add_test(tc, reject_inconsistent_claims);
	suite_add_tcase(s, tc);
	return s;
}
