// SPDX-License-Identifier: Apache-2.0
/*
 * The portable attestation library (hyp/attest/attest.c) and the
 * configuration's canonical form (config_digest.c) called directly:
 * known-answer tests, the exact canonical encoding of a small /umbra, and
 * every argument each function refuses.
 */
#include <bearssl/bearssl_hash.h>
#include <libfdt.h>
#include <stdio.h>

#include "unit.h"
#include "umbra/arch.h"
#include "attest/attest.h"
#include "attest/config_digest.h"
#include "umbra/cbor.h"

#define INVAL (-ATTEST_E_INVAL)
#define RANGE (-ATTEST_E_RANGE)

static void unhex(const char *h, u8 *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned v;

		ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (u8)v;
	}
}

/* ---- primitives -------------------------------------------------------- */

/* attest_sha256 with a block function (the CPU's instructions at EL2;
 * here the fake arch's C version of them) gives BearSSL's digest at every
 * length around block boundaries and any alignment; a block function that
 * is wrong is refused by the known-answer check and never used. */
static void broken_blocks(uint32_t state[8], const void *data, uint64_t nblocks)
{
	arch_sha256_blocks(state, data, nblocks);
	state[3] ^= 1;
}

START_TEST(test_sha256_blocks)
{
	static u8 buf[1100];
	u8 want[32], got[32];
	size_t len, off, i;
	br_sha256_context h;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 131 + 17);
	fake_arch_reset();
	ck_assert(attest_use_sha256_blocks(arch_sha256_blocks));
	for (off = 0; off < 4; off++)
		for (len = 0; len + off <= sizeof(buf); len += (len < 200 ? 1 : 61)) {
			br_sha256_init(&h);
			br_sha256_update(&h, buf + off, len);
			br_sha256_out(&h, want);
			attest_sha256(buf + off, len, got);
			ck_assert_mem_eq(got, want, 32);
		}
	ck_assert_uint_gt(fake_arch.sha256_blocks, 1000); /* the blocks went through it */
	/* FIPS 180-2 B.2: two blocks after padding */
	attest_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, got);
	unhex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", want, 32);
	ck_assert_mem_eq(got, want, 32);

	ck_assert(!attest_use_sha256_blocks(broken_blocks));
	fake_arch.sha256_blocks = 0;
	attest_sha256(buf, sizeof(buf), got); /* BearSSL's again */
	br_sha256_init(&h);
	br_sha256_update(&h, buf, sizeof(buf));
	br_sha256_out(&h, want);
	ck_assert_mem_eq(got, want, 32);
	ck_assert_uint_eq(fake_arch.sha256_blocks, 0);
	ck_assert(!attest_use_sha256_blocks(NULL));
}
END_TEST

/* RFC 5869 A.1 and A.3 (zero-length salt = absent, no info) */
START_TEST(test_hkdf_vectors)
{
	u8 ikm[22], salt[13], info[10], okm[42], want[42];
	unsigned i;

	memset(ikm, 0x0b, sizeof(ikm));
	for (i = 0; i < 13; i++)
		salt[i] = (u8)i;
	for (i = 0; i < 10; i++)
		info[i] = (u8)(0xf0 + i);
	ck_assert_int_eq(attest_hkdf(ikm, 22, salt, 13, info, 10, okm, 42), 0);
	unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	      "34007208d5b887185865", want, 42);
	ck_assert_mem_eq(okm, want, 42);
	ck_assert_int_eq(attest_hkdf(ikm, 22, NULL, 0, NULL, 0, okm, 42), 0);
	unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	      "9d201395faa4b61a96c8", want, 42);
	ck_assert_mem_eq(okm, want, 42);
	/* refused: too long an output, a missing buffer with a length */
	ck_assert_int_eq(attest_hkdf(ikm, 22, NULL, 0, NULL, 0, okm, 255 * 32 + 1), INVAL);
	ck_assert_int_eq(attest_hkdf(NULL, 22, NULL, 0, NULL, 0, okm, 42), INVAL);
	ck_assert_int_eq(attest_hkdf(ikm, 22, NULL, 0, NULL, 1, okm, 42), INVAL);
	ck_assert_int_eq(attest_hkdf(ikm, 22, NULL, 0, NULL, 0, NULL, 42), INVAL);
	ck_assert_int_eq(attest_hkdf(NULL, 0, NULL, 0, NULL, 0, NULL, 0), 0);
}
END_TEST

/* Scalars: 1..n-1 only; keys and signatures refuse the others. */
START_TEST(test_scalars_and_keys)
{
	u8 n[32], k[32], pub[65], sig[64];
	struct attest_keypair kp;
	char label[97];

	unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", n, 32);
	ck_assert(!attest_scalar_valid(n));
	memcpy(k, n, 32);
	k[31]--;
	ck_assert(attest_scalar_valid(k));                 /* n - 1 */
	memset(k, 0, 32);
	ck_assert(!attest_scalar_valid(k));
	ck_assert_int_eq(attest_public_key(k, pub), INVAL);
	ck_assert_int_eq(attest_sign(k, "m", 1, sig), INVAL);
	ck_assert_int_eq(attest_public_key(n, pub), INVAL);
	memset(k, 0xff, 32);
	ck_assert_int_eq(attest_sign(k, "m", 1, sig), INVAL);
	k[31] = 0;
	k[0] = 0x7f;
	ck_assert_int_eq(attest_public_key(k, pub), 0);
	ck_assert_uint_eq(pub[0], 0x04);
	/* key pairs: a label is needed, and must fit */
	ck_assert_int_eq(attest_derive_keypair("x", 1, NULL, 0, NULL, &kp), INVAL);
	ck_assert_int_eq(attest_derive_keypair("x", 1, NULL, 0, "l", NULL), INVAL);
	memset(label, 'l', sizeof(label) - 1);
	label[sizeof(label) - 1] = 0;
	ck_assert_int_eq(attest_derive_keypair("x", 1, NULL, 0, label, &kp), INVAL);
	label[sizeof(label) - 2] = 0;                    /* 95: with its counter, 96 */
	ck_assert_int_eq(attest_derive_keypair("x", 1, NULL, 0, label, &kp), 0);
	ck_assert_int_eq(attest_derive_keypair("x", 1, NULL, 0, "l", &kp), 0);
	ck_assert(attest_scalar_valid(kp.priv));
}
END_TEST

START_TEST(test_seal_labels)
{
	u8 cdi[32] = { 1 }, k1[32], k2[32], label[65] = { 0 };

	ck_assert_int_eq(attest_derive_seal_key(cdi, label, 64, k1), 0);
	ck_assert_int_eq(attest_derive_seal_key(cdi, label, 65, k2), INVAL);
	ck_assert_int_eq(attest_derive_seal_key(cdi, NULL, 1, k2), INVAL);
	ck_assert_int_eq(attest_derive_seal_key(cdi, NULL, 0, k2), 0);
	ck_assert(memcmp(k1, k2, 32) != 0);
	ck_assert_int_eq(attest_derive_seal_key(cdi, "", 0, k1), 0);
	ck_assert_mem_eq(k1, k2, 32);               /* no label: the empty one */
}
END_TEST

/* ---- components and claims --------------------------------------------- */

START_TEST(test_components)
{
	static const u8 v[32] = { 7 };
	struct attest_component c[ATTEST_MAX_COMPONENTS + 1];
	char type[40];
	u8 m[32], m0[32], empty = 0x80;
	unsigned i;

	ck_assert_int_eq(attest_component_set(&c[0], "umbra/image", v, "1.0", v), 0);
	ck_assert_str_eq(c[0].version, "1.0");
	ck_assert_mem_eq(c[0].signer, v, 32);
	ck_assert_int_eq(attest_component_set(&c[0], "", v, NULL, NULL), INVAL);
	ck_assert_int_eq(attest_component_set(&c[0], NULL, v, NULL, NULL), INVAL);
	ck_assert_int_eq(attest_component_set(&c[0], "a", NULL, NULL, NULL), INVAL);
	ck_assert_int_eq(attest_component_set(&c[0], "umbra/\x01", v, NULL, NULL), INVAL);
	ck_assert_int_eq(attest_component_set(&c[0], "umbra/x", v, "\x7f", NULL), INVAL);
	memset(type, 'a', sizeof(type) - 1);
	type[sizeof(type) - 1] = 0;
	type[ATTEST_TYPE_MAX] = 0;                  /* 31: the longest */
	ck_assert_int_eq(attest_component_set(&c[0], type, v, type, NULL), 0);
	type[ATTEST_TYPE_MAX] = 'a';
	type[ATTEST_TYPE_MAX + 1] = 0;
	ck_assert_int_eq(attest_component_set(&c[0], type, v, NULL, NULL), INVAL);
	ck_assert_int_eq(attest_component_set(&c[0], "a", v, type, NULL), INVAL);

	/* the layer measurement: the empty layer is SHA-256 of an empty
	 * CBOR array; stored components are checked again */
	ck_assert_int_eq(attest_layer_measure(NULL, 0, m0), 0);
	attest_sha256(&empty, 1, m);
	ck_assert_mem_eq(m0, m, 32);
	for (i = 0; i <= ATTEST_MAX_COMPONENTS; i++)
		ck_assert_int_eq(attest_component_set(&c[i], "umbra/x", v, NULL, NULL), 0);
	ck_assert_int_eq(attest_layer_measure(c, ATTEST_MAX_COMPONENTS, m), 0);
	ck_assert_int_eq(attest_layer_measure(c, ATTEST_MAX_COMPONENTS + 1, m), INVAL);
	ck_assert_int_eq(attest_layer_measure(NULL, 1, m), INVAL);
	memset(c[1].type, 'a', sizeof(c[1].type));          /* no NUL */
	ck_assert_int_eq(attest_layer_measure(c, 2, m), INVAL);
	ck_assert_int_eq(attest_component_set(&c[1], "umbra/x", v, NULL, NULL), 0);
	c[1].version[0] = '\n';
	ck_assert_int_eq(attest_layer_measure(c, 2, m), INVAL);
}
END_TEST

static struct attest_component umbra_c, part_c;
static u8 nonce[64], iid[ATTEST_INSTANCE_ID_LEN] = { 0x01 }, impl[32], seed[32];
static u8 rmr[ATTEST_NR_RMR][32];

static struct attest_claims good_claims(void)
{
	static const u8 v[32] = { 3 };

	ck_assert_int_eq(attest_component_set(&umbra_c, "umbra/image", v, NULL, NULL), 0);
	ck_assert_int_eq(attest_component_set(&part_c, "partition/image", v, "2", v), 0);
	return (struct attest_claims){
		.nonce = nonce, .nonce_len = 32, .instance_id = iid, .implementation_id = impl,
		.client_id = -1, .lifecycle = ATTEST_LIFECYCLE_SECURED,
		.umbra = &umbra_c, .nr_umbra = 1, .part = &part_c, .nr_part = 1,
		.rmr = (const u8 (*)[32])rmr, .nr_rmr = ATTEST_NR_RMR,
	};
}

static int encode(const struct attest_claims *cl, u8 *buf, size_t cap, size_t *len)
{
	struct cbor_enc e;
	int r;

	cbor_init(&e, buf, cap);
	r = attest_encode_claims(&e, cl);
	*len = cbor_len(&e);
	return r;
}

static bool has(const u8 *p, size_t n, const u8 *s, size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (!memcmp(p + i, s, m))
			return true;
	return false;
}

START_TEST(test_claims)
{
	static const u8 seed_key[] = { 0x19, 0x01, 0x0c };   /* 268 */
	static u8 buf[2048];
	struct attest_claims cl = good_claims(), bad;
	size_t len, plain;

	ck_assert_int_eq(encode(&cl, buf, sizeof(buf), &plain), 0);
	ck_assert_uint_eq(buf[0], 0xa7);                     /* 7 claims */
	ck_assert(!has(buf, plain, seed_key, 3));
	cl.boot_seed = seed;
	cl.boot_seed_len = ATTEST_BOOT_SEED_MIN;
	ck_assert_int_eq(encode(&cl, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(buf[0], 0xa8);
	ck_assert(has(buf, len, seed_key, 3));
	ck_assert_uint_eq(len, plain + 3 + 1 + ATTEST_BOOT_SEED_MIN);
	ck_assert_int_eq(encode(&cl, buf, 16, &len), RANGE);
	ck_assert_int_eq(encode(NULL, buf, sizeof(buf), &len), INVAL);

#define BAD(stmt) do { bad = good_claims(); stmt; \
		ck_assert_int_eq(encode(&bad, buf, sizeof(buf), &len), INVAL); } while (0)
	BAD(bad.nonce = NULL);
	BAD(bad.nonce_len = 33);
	BAD(bad.instance_id = NULL);
	BAD(iid[0] = 0x02);
	iid[0] = 0x01;
	BAD(bad.implementation_id = NULL);
	BAD(bad.client_id = 0);
	BAD((bad.boot_seed = seed, bad.boot_seed_len = ATTEST_BOOT_SEED_MIN - 1));
	BAD((bad.boot_seed = seed, bad.boot_seed_len = ATTEST_BOOT_SEED_MAX + 1));
	BAD(bad.umbra = &part_c);                            /* wrong layer */
	BAD(bad.part = &umbra_c);
	BAD(strcpy(part_c.type, "partition/"));              /* the prefix alone */
	BAD(bad.nr_rmr = ATTEST_NR_RMR + 1);
	BAD(bad.rmr = NULL);
	BAD((bad.nr_umbra = 0, bad.nr_part = 0, bad.nr_rmr = 0));  /* no component */
#undef BAD
	/* 48 and 64 byte nonces are fine */
	cl = good_claims();
	cl.nonce_len = 48;
	ck_assert_int_eq(encode(&cl, buf, sizeof(buf), &len), 0);
	cl.nonce_len = 64;
	ck_assert_int_eq(encode(&cl, buf, sizeof(buf), &len), 0);
}
END_TEST

/* Endorsements and tokens: what they refuse, and sizes. */
START_TEST(test_endorse_and_token)
{
	static u8 buf[ATTEST_TOKEN_MAX];
	struct attest_keypair kp;
	struct attest_claims cl = good_claims();
	u8 m[32] = { 5 }, end[ATTEST_ENDORSEMENT_MAX], bad_pub[65];
	size_t len, need;

	ck_assert_int_eq(attest_derive_keypair("k", 1, NULL, 0, "t", &kp), 0);
	ck_assert_int_eq(attest_endorse(kp.priv, "r", kp.pub, m, end, 8, &need), RANGE);
	ck_assert_int_eq(attest_endorse(kp.priv, "r", kp.pub, m, end, sizeof(end), &len), 0);
	ck_assert_uint_eq(len, need);
	ck_assert_uint_eq(end[0], 0xd2);                     /* tag 18 */
	ck_assert_int_eq(attest_endorse(kp.priv, "r", kp.pub, m, end, need, &len), 0);
	ck_assert_int_eq(attest_endorse(NULL, "r", kp.pub, m, end, sizeof(end), &len), INVAL);
	ck_assert_int_eq(attest_endorse(kp.priv, NULL, kp.pub, m, end, sizeof(end), &len), INVAL);
	ck_assert_int_eq(attest_endorse(kp.priv, "", kp.pub, m, end, sizeof(end), &len), INVAL);
	ck_assert_int_eq(attest_endorse(kp.priv, "r", NULL, m, end, sizeof(end), &len), INVAL);
	ck_assert_int_eq(attest_endorse(kp.priv, "r", kp.pub, NULL, end, sizeof(end), &len), INVAL);
	ck_assert_int_eq(attest_endorse(kp.priv, "r", kp.pub, m, end, sizeof(end), NULL), INVAL);
	memcpy(bad_pub, kp.pub, 65);
	bad_pub[0] = 0x02;
	ck_assert_int_eq(attest_endorse(kp.priv, "r", bad_pub, m, end, sizeof(end), &len), INVAL);
	memset(kp.priv, 0, 32);                              /* a signer that is no key */
	ck_assert_int_eq(attest_endorse(kp.priv, "r", kp.pub, m, end, sizeof(end), &len), INVAL);

	ck_assert_int_eq(attest_derive_keypair("k", 1, NULL, 0, "t", &kp), 0);
	ck_assert_int_eq(attest_token(&cl, end, need, end, need, kp.priv, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(attest_token(&cl, end, need, end, need, kp.priv, buf, 100, &need), RANGE);
	ck_assert_uint_eq(need, len);
	ck_assert_int_eq(attest_token(NULL, end, 1, end, 1, kp.priv, buf, sizeof(buf), &len), INVAL);
	ck_assert_int_eq(attest_token(&cl, NULL, 1, end, 1, kp.priv, buf, sizeof(buf), &len), INVAL);
	ck_assert_int_eq(attest_token(&cl, end, 0, end, 1, kp.priv, buf, sizeof(buf), &len), INVAL);
	ck_assert_int_eq(attest_token(&cl, end, 1, NULL, 1, kp.priv, buf, sizeof(buf), &len), INVAL);
	ck_assert_int_eq(attest_token(&cl, end, 1, end, 0, kp.priv, buf, sizeof(buf), &len), INVAL);
	ck_assert_int_eq(attest_token(&cl, end, 1, end, 1, NULL, buf, sizeof(buf), &len), INVAL);
	ck_assert_int_eq(attest_token(&cl, end, 1, end, 1, kp.priv, buf, sizeof(buf), NULL), INVAL);
	cl.client_id = 0;
	ck_assert_int_eq(attest_token(&cl, end, 1, end, 1, kp.priv, buf, sizeof(buf), &len), INVAL);
}
END_TEST

/* Device and partition state: what they refuse; a boot seed travels
 * into the token. */
START_TEST(test_device_and_partition)
{
	static const u8 uds[32] = { 1 }, v[32] = { 2 };
	static struct attest_device d;
	static struct attest_partition p;
	static u8 tok[ATTEST_TOKEN_MAX];
	struct attest_component uc, pc;
	struct attest_device_params prm = {
		.uds = uds, .comp = &uc, .nr_comp = 1, .implementation_id = impl,
		.lifecycle = ATTEST_LIFECYCLE_SECURED, .boot_seed = seed, .boot_seed_len = 16,
	};
	u8 key[32];
	size_t len;

	memset(seed, 0x5e, sizeof(seed));
	ck_assert_int_eq(attest_component_set(&uc, "umbra/image", v, NULL, NULL), 0);
	ck_assert_int_eq(attest_component_set(&pc, "partition/image", v, NULL, NULL), 0);
	ck_assert_int_eq(attest_device_init(&d, &prm), 0);
	ck_assert_uint_eq(d.boot_seed_len, 16);
	ck_assert_mem_eq(d.boot_seed, seed, 16);
	ck_assert_int_eq(attest_partition_init(&p, &d, &pc, 1, 1), 0);
	memset(nonce, 0x11, 32);
	ck_assert_int_eq(attest_partition_token(&d, &p, nonce, 32, tok, sizeof(tok), &len), 0);
	ck_assert(has(tok, len, (const u8[]){ 0x19, 0x01, 0x0c, 0x50, 0x5e, 0x5e }, 6));
	ck_assert_int_eq(attest_partition_report_token(&d, &p, nonce, 32, v, tok, sizeof(tok),
						       &len), 0);
	ck_assert_int_eq(attest_partition_report_token(&d, &p, nonce, 32, NULL, tok, sizeof(tok),
						       &len), INVAL);
	ck_assert_int_eq(attest_partition_token(NULL, &p, nonce, 32, tok, sizeof(tok), &len), INVAL);
	ck_assert_int_eq(attest_partition_token(&d, NULL, nonce, 32, tok, sizeof(tok), &len), INVAL);
	ck_assert_int_eq(attest_partition_seal_key(NULL, "a", 1, key), INVAL);
	ck_assert_int_eq(attest_partition_seal_key(&p, "a", 1, NULL), INVAL);
	ck_assert_int_eq(attest_partition_extend(&p, ATTEST_NR_RMR, v), INVAL);
	ck_assert_int_eq(attest_partition_extend(NULL, 0, v), INVAL);
	ck_assert_int_eq(attest_partition_extend(&p, 0, NULL), INVAL);

	ck_assert_int_eq(attest_partition_init(&p, &d, &pc, 1, 0), INVAL);
	ck_assert_int_eq(attest_partition_init(&p, &d, &uc, 1, 1), INVAL);
	ck_assert_int_eq(attest_partition_init(NULL, &d, &pc, 1, 1), INVAL);
	ck_assert_int_eq(attest_partition_init(&p, NULL, &pc, 1, 1), INVAL);
	prm.boot_seed_len = ATTEST_BOOT_SEED_MIN - 1;
	ck_assert_int_eq(attest_device_init(&d, &prm), INVAL);
	prm.boot_seed_len = ATTEST_BOOT_SEED_MAX + 1;
	ck_assert_int_eq(attest_device_init(&d, &prm), INVAL);
	prm.boot_seed_len = ATTEST_BOOT_SEED_MAX;
	prm.comp = &pc;                                      /* not Umbra's layer */
	ck_assert_int_eq(attest_device_init(&d, &prm), INVAL);
	prm.comp = &uc;
	prm.uds = NULL;
	ck_assert_int_eq(attest_device_init(&d, &prm), INVAL);
	prm.uds = uds;
	prm.implementation_id = NULL;
	ck_assert_int_eq(attest_device_init(&d, &prm), INVAL);
	ck_assert_int_eq(attest_device_init(&d, NULL), INVAL);
	ck_assert_int_eq(attest_device_init(NULL, &prm), INVAL);
}
END_TEST

/* ---- the configuration's canonical form --------------------------------- */

enum shape {
	GOOD,
	DUP_PROP,          /* a property twice in /umbra/p */
	BLANK_PROP,        /* a property name with a space */
	EMPTY_PROP,        /* an empty property name */
	BAD_NODE,          /* a node name with a control character */
	NOT_UMBRA,         /* /umbra's compatible is another */
	NO_UMBRA,
};

static u8 dtb[4096];

/* /umbra { compatible; b = <1>; phandle; console-colour;
 *          p { compatible (partition); z = [ab]; aa; console-colour = [01];
 *              phandle; linux,phandle; c { x = [05]; }; };
 *          q { compatible (partition); }; }; /chosen { bootargs; } */
static const void *build(enum shape s)
{
	static const u8 ab = 0xab, one = 1, five = 5;

	ck_assert_int_eq(fdt_create(dtb, sizeof(dtb)), 0);
	ck_assert_int_eq(fdt_finish_reservemap(dtb), 0);
	ck_assert_int_eq(fdt_begin_node(dtb, ""), 0);
	if (s != NO_UMBRA) {
		ck_assert_int_eq(fdt_begin_node(dtb, "umbra"), 0);
		ck_assert_int_eq(fdt_property_string(dtb, "compatible",
						     s == NOT_UMBRA ? "umbra,config-v2" :
						     "umbra,config-v1"), 0);
		ck_assert_int_eq(fdt_property_u32(dtb, "b", 1), 0);
		ck_assert_int_eq(fdt_property_u32(dtb, "phandle", 9), 0);
		ck_assert_int_eq(fdt_property(dtb, "console-colour", &one, 0), 0);
		ck_assert_int_eq(fdt_begin_node(dtb, s == BAD_NODE ? "p\x01" : "p"), 0);
		ck_assert_int_eq(fdt_property_string(dtb, "compatible", "umbra,partition"), 0);
		ck_assert_int_eq(fdt_property(dtb, "z", &ab, 1), 0);
		ck_assert_int_eq(fdt_property(dtb, "aa", &ab, 0), 0);
		ck_assert_int_eq(fdt_property(dtb, "console-colour", &one, 1), 0);
		ck_assert_int_eq(fdt_property_u32(dtb, "phandle", 10), 0);
		ck_assert_int_eq(fdt_property_u32(dtb, "linux,phandle", 10), 0);
		if (s == DUP_PROP)
			ck_assert_int_eq(fdt_property(dtb, "z", &one, 1), 0);
		if (s == BLANK_PROP)
			ck_assert_int_eq(fdt_property(dtb, "a b", &one, 1), 0);
		if (s == EMPTY_PROP)
			ck_assert_int_eq(fdt_property(dtb, "", &one, 1), 0);
		ck_assert_int_eq(fdt_begin_node(dtb, "c"), 0);
		ck_assert_int_eq(fdt_property(dtb, "x", &five, 1), 0);
		ck_assert_int_eq(fdt_end_node(dtb), 0);
		ck_assert_int_eq(fdt_end_node(dtb), 0);
		ck_assert_int_eq(fdt_begin_node(dtb, "q"), 0);
		ck_assert_int_eq(fdt_property_string(dtb, "compatible", "umbra,partition"), 0);
		ck_assert_int_eq(fdt_end_node(dtb), 0);
		ck_assert_int_eq(fdt_end_node(dtb), 0);
	}
	ck_assert_int_eq(fdt_begin_node(dtb, "chosen"), 0);
	ck_assert_int_eq(fdt_property_string(dtb, "bootargs", "quiet"), 0);
	ck_assert_int_eq(fdt_end_node(dtb), 0);
	ck_assert_int_eq(fdt_end_node(dtb), 0);
	ck_assert_int_eq(fdt_finish(dtb), 0);
	return dtb;
}

/* [ "p", { "z": h'ab', "aa": h'', "compatible": ..., "console-colour": h'01' },
 *   [1] ] then [ "c", { "x": h'05' }, [0] ] */
static const u8 enc_p[] = {
	0x83, 0x61, 'p', 0xa4,
	0x61, 'z', 0x41, 0xab,
	0x62, 'a', 'a', 0x40,
	0x6a, 'c', 'o', 'm', 'p', 'a', 't', 'i', 'b', 'l', 'e',
	0x50, 'u', 'm', 'b', 'r', 'a', ',', 'p', 'a', 'r', 't', 'i', 't', 'i', 'o', 'n', 0,
	0x6e, 'c', 'o', 'n', 's', 'o', 'l', 'e', '-', 'c', 'o', 'l', 'o', 'u', 'r', 0x41, 0x01,
	0x81,
	0x83, 0x61, 'c', 0xa1, 0x61, 'x', 0x41, 0x05, 0x80,
};
/* [ "", { "b": h'00000001', "compatible": ... }, [2] ], p, c, q */
static const u8 enc_umbra_head[] = {
	0x83, 0x60, 0xa2,
	0x61, 'b', 0x44, 0, 0, 0, 1,
	0x6a, 'c', 'o', 'm', 'p', 'a', 't', 'i', 'b', 'l', 'e',
	0x50, 'u', 'm', 'b', 'r', 'a', ',', 'c', 'o', 'n', 'f', 'i', 'g', '-', 'v', '1', 0,
	0x82,
};
static const u8 enc_q[] = {
	0x83, 0x61, 'q', 0xa1,
	0x6a, 'c', 'o', 'm', 'p', 'a', 't', 'i', 'b', 'l', 'e',
	0x50, 'u', 'm', 'b', 'r', 'a', ',', 'p', 'a', 'r', 't', 'i', 't', 'i', 'o', 'n', 0,
	0x80,
};

START_TEST(test_config_canonical_form)
{
	const void *f = build(GOOD);
	size_t size = fdt_totalsize(f), len, need;
	u8 out[512], want[512], d[32], h[32];

	/* a partition's node: its subtree only, keys shortest first,
	 * phandles out, console-colour kept below /umbra */
	ck_assert_int_eq(attest_config_encode(f, size, "p", out, sizeof(out), &len), 0);
	ck_assert_uint_eq(len, sizeof(enc_p));
	ck_assert_mem_eq(out, enc_p, sizeof(enc_p));
	ck_assert_int_eq(attest_config_digest(f, size, "p", d), 0);
	attest_sha256(enc_p, sizeof(enc_p), h);
	ck_assert_mem_eq(d, h, 32);
	ck_assert_int_eq(attest_config_encode(f, size, "q", out, sizeof(out), &len), 0);
	ck_assert_mem_eq(out, enc_q, sizeof(enc_q));
	/* /umbra: no name, console-colour left out, then every node in
	 * DTB order; nothing outside /umbra */
	memcpy(want, enc_umbra_head, sizeof(enc_umbra_head));
	memcpy(want + sizeof(enc_umbra_head), enc_p, sizeof(enc_p));
	memcpy(want + sizeof(enc_umbra_head) + sizeof(enc_p), enc_q, sizeof(enc_q));
	ck_assert_int_eq(attest_config_encode(f, size, NULL, out, sizeof(out), &len), 0);
	ck_assert_uint_eq(len, sizeof(enc_umbra_head) + sizeof(enc_p) + sizeof(enc_q));
	ck_assert_mem_eq(out, want, len);
	ck_assert_int_eq(attest_config_digest(f, size, NULL, d), 0);
	attest_sha256(want, len, h);
	ck_assert_mem_eq(d, h, 32);
	/* short buffers: how much is needed; none at all is fine */
	ck_assert_int_eq(attest_config_encode(f, size, "p", out, 10, &need), RANGE);
	ck_assert_uint_eq(need, sizeof(enc_p));
	ck_assert_int_eq(attest_config_encode(f, size, "p", NULL, 0, &need), RANGE);
	ck_assert_uint_eq(need, sizeof(enc_p));
	/* arguments */
	ck_assert_int_eq(attest_config_encode(f, size, "p", NULL, 10, &len), INVAL);
	ck_assert_int_eq(attest_config_encode(f, size, "p", out, sizeof(out), NULL), INVAL);
	ck_assert_int_eq(attest_config_digest(f, size, "p", NULL), INVAL);
	ck_assert_int_eq(attest_config_digest(NULL, size, "p", d), INVAL);
	ck_assert_int_eq(attest_config_digest(f, size - 1, "p", d), INVAL);
	/* not a partition: no such node, a node not a partition, a prefix */
	ck_assert_int_eq(attest_config_digest(f, size, "chosen", d), INVAL);
	ck_assert_int_eq(attest_config_digest(f, size, "r", d), INVAL);
	ck_assert_int_eq(attest_config_digest(f, size, "", d), INVAL);
}
END_TEST

START_TEST(test_config_malformed)
{
	static const enum shape bad[] = { DUP_PROP, BLANK_PROP, EMPTY_PROP, BAD_NODE };
	u8 d[32];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const void *f = build(bad[i]);

		/* in /umbra, and as the partition itself (BAD_NODE has none) */
		ck_assert_msg(attest_config_digest(f, fdt_totalsize(f), NULL, d) == INVAL,
			      "shape %u measured", bad[i]);
		ck_assert_int_eq(attest_config_digest(f, fdt_totalsize(f), "p", d), INVAL);
	}
	ck_assert_int_eq(attest_config_digest(build(NOT_UMBRA), sizeof(dtb), NULL, d), INVAL);
	ck_assert_int_eq(attest_config_digest(build(NO_UMBRA), sizeof(dtb), NULL, d), INVAL);
}
END_TEST

Suite *attest_lib_suite(void)
{
	Suite *s = suite_create("attest_lib");
	TCase *tc = tcase_create("lib");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_sha256_blocks);
	tcase_add_test(tc, test_hkdf_vectors);
	tcase_add_test(tc, test_scalars_and_keys);
	tcase_add_test(tc, test_seal_labels);
	tcase_add_test(tc, test_components);
	tcase_add_test(tc, test_claims);
	tcase_add_test(tc, test_endorse_and_token);
	tcase_add_test(tc, test_device_and_partition);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_test(tc, test_config_canonical_form);
	tcase_add_test(tc, test_config_malformed);
	suite_add_tcase(s, tc);
	return s;
}
