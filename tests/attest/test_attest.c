// SPDX-License-Identifier: Apache-2.0
/*
 * hyp/attest/attest.c: KDF and derivation known answers, scalar range,
 * measurements, runtime registers, sealing keys, argument checks.
 *
 * The derivation answers were computed independently from
 * docs/attestation.md with python3-cryptography (tests/attest/crosscheck.py
 * has the same derivation): UDS = 00 01 .. 1f, M_U = SHA-256("umbra"),
 * M_P = SHA-256("partition").
 */
#include <stdlib.h>
#include <string.h>

#include "attest/attest.h"
#include "umbra/cbor.h"
#include "tests.h"

#define COMPONENT_BUF 256

static uint8_t uds[ATTEST_UDS_LEN];
static uint8_t m_u[ATTEST_DIGEST_LEN], m_p[ATTEST_DIGEST_LEN];

static void setup(void)
{
	for (unsigned i = 0; i < sizeof(uds); i++)
		uds[i] = (uint8_t)i;
	attest_sha256("umbra", 5, m_u);
	attest_sha256("partition", 9, m_p);
}

START_TEST(hkdf_rfc5869_case1)
{
	uint8_t ikm[22], salt[13], info[10], okm[42];

	memset(ikm, 0x0b, sizeof(ikm));
	for (unsigned i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)i;
	for (unsigned i = 0; i < sizeof(info); i++)
		info[i] = (uint8_t)(0xf0 + i);
	ck_assert_int_eq(attest_hkdf(ikm, sizeof(ikm), salt, sizeof(salt), info,
				     sizeof(info), okm, sizeof(okm)), 0);
	ck_assert_hex(okm, sizeof(okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c"
		      "5db02d56ecc4c5bf34007208d5b887185865");
}
END_TEST

START_TEST(hkdf_salt_and_limits)
{
	uint8_t a[32], b[32], zeros[32] = { 0 }, big[255 * 32 + 1];

	/* an absent salt is HashLen zero bytes (RFC 5869 2.2) */
	ck_assert_int_eq(attest_hkdf(uds, 32, NULL, 0, "x", 1, a, 32), 0);
	ck_assert_int_eq(attest_hkdf(uds, 32, zeros, 32, "x", 1, b, 32), 0);
	ck_assert_mem_eq(a, b, 32);
	ck_assert_int_eq(attest_hkdf(uds, 32, NULL, 0, "x", 1, big, 255 * 32), 0);
	ck_assert_int_eq(attest_hkdf(uds, 32, NULL, 0, "x", 1, big, sizeof(big)),
			 -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_hkdf(NULL, 3, NULL, 0, "x", 1, a, 32), -ATTEST_E_INVAL);
}
END_TEST

START_TEST(scalar_range)
{
	static const char *const cases[][2] = {
		{ "0000000000000000000000000000000000000000000000000000000000000000", "0" },
		{ "0000000000000000000000000000000000000000000000000000000000000001", "1" },
		{ "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", "1" },
		{ "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", "0" },
		{ "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552", "0" },
		{ "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc622551", "1" },
		{ "ffffffff00000001000000000000000000000000000000000000000000000000", "0" },
		{ "fffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "1" },
		{ "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0" },
		{ "8000000000000000000000000000000000000000000000000000000000000000", "1" },
	};
	uint8_t k[32], pub[ATTEST_PUBKEY_LEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unhex(cases[i][0], k, sizeof(k));
		ck_assert_msg(attest_scalar_valid(k) == (cases[i][1][0] == '1'),
			      "scalar %s", cases[i][0]);
		if (cases[i][1][0] == '0')
			ck_assert_int_eq(attest_public_key(k, pub), -ATTEST_E_INVAL);
	}
	/* k = 1: the public key is the generator */
	unhex(cases[1][0], k, sizeof(k));
	ck_assert_int_eq(attest_public_key(k, pub), 0);
	ck_assert_hex(pub, sizeof(pub), "04"
		      "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		      "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
}
END_TEST

START_TEST(derivation_kat)
{
	struct attest_keypair ek, ak, pak;
	uint8_t cdi[32], cdi_p[32], key[32], id[ATTEST_INSTANCE_ID_LEN];

	ck_assert_int_eq(attest_derive_ek(uds, &ek), 0);
	ck_assert_hex(ek.priv, 32, "92f2cefe7a27b64d5e8bcd04107c542a080038deceac9a93384fb1ba261c6b9a");
	ck_assert_hex(ek.pub, 65, "043477cbaabe0bfc60888f6688caf2017d8c3d73172059cf99f4dc80cae781760e"
		      "27b2b5023510169487a135d774e02f5f990d77ae787703ee2e6525bf631c2012");
	attest_instance_id(ek.pub, id);
	ck_assert_hex(id, sizeof(id), "017846643654e54472e0865841fdb5951873e61fcb88b5591e5dc3743100543a34");

	attest_derive_cdi(uds, m_u, cdi);
	ck_assert_hex(cdi, 32, "e436dfe67f0275e6dfaa0e7eb69458e2955deff42d8debd8c946a98813017d42");
	ck_assert_int_eq(attest_derive_alias(cdi, &ak), 0);
	ck_assert_hex(ak.priv, 32, "dc8a1028d2dddd7b0227d1a88b6120024500725f274f1d988a71b21d33083f89");
	ck_assert_hex(ak.pub, 65, "043a0ee8a29f93b5d14505765a54d6dca0f0c4fe416577e084b7cd6719c8c2ff5c"
		      "2d981fac147fefc06691b2439c7dad7727c3e0cda198e32db5de68a6c38b97c7");

	attest_derive_partition_cdi(cdi, m_p, cdi_p);
	ck_assert_hex(cdi_p, 32, "85597d1dbb0ff5e5c25bac56e3f4d9db1b9f64653aabe9b1d5574d613584d9bb");
	ck_assert_int_eq(attest_derive_partition_key(cdi_p, &pak), 0);
	ck_assert_hex(pak.priv, 32, "a30a7bf50076853614bdc29e8f128216e3cfab345a584cee4462b7914e6eb5fb");
	ck_assert_hex(pak.pub, 65, "0435f81fa9993ea29b5060971290453894c39dda1c6f4edfef14c5b9e6127fc66a"
		      "a7c82a948149bb8e0fe6e1ddf180ef29936874255076019533779aa891f720e8");

	ck_assert_int_eq(attest_derive_seal_key(cdi_p, NULL, 0, key), 0);
	ck_assert_hex(key, 32, "fd214289af2c721f787bdeec0eae5a9c469cd9dc2899a35e0d46628ceebba43e");
	ck_assert_int_eq(attest_derive_seal_key(cdi_p, "disk", 4, key), 0);
	ck_assert_hex(key, 32, "8700bf41d9814c816feabce5d9a837697ed74683fbf8dc526016197e7c0d93c5");
}
END_TEST

START_TEST(derivation_binds_measurements)
{
	uint8_t cdi1[32], cdi2[32], p1[32], p2[32], other[32];
	struct attest_keypair k1, k2;

	memcpy(other, m_p, 32);
	other[31] ^= 1;
	attest_derive_cdi(uds, m_u, cdi1);
	attest_derive_cdi(uds, other, cdi2);
	ck_assert_mem_ne(cdi1, cdi2, 32);
	attest_derive_partition_cdi(cdi1, m_p, p1);
	attest_derive_partition_cdi(cdi1, other, p2);
	ck_assert_mem_ne(p1, p2, 32);
	ck_assert_int_eq(attest_derive_partition_key(p1, &k1), 0);
	ck_assert_int_eq(attest_derive_partition_key(p2, &k2), 0);
	ck_assert_mem_ne(k1.pub, k2.pub, 65);
}
END_TEST

START_TEST(seal_labels)
{
	uint8_t cdi_p[32] = { 1 }, a[32], b[32], label[ATTEST_SEAL_LABEL_MAX + 1];

	memset(label, 'L', sizeof(label));
	ck_assert_int_eq(attest_derive_seal_key(cdi_p, label, ATTEST_SEAL_LABEL_MAX, a), 0);
	ck_assert_int_eq(attest_derive_seal_key(cdi_p, label, ATTEST_SEAL_LABEL_MAX + 1, b),
			 -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_derive_seal_key(cdi_p, label, ATTEST_SEAL_LABEL_MAX - 1, b), 0);
	ck_assert_mem_ne(a, b, 32);
	ck_assert_int_eq(attest_derive_seal_key(cdi_p, NULL, 1, b), -ATTEST_E_INVAL);
}
END_TEST

START_TEST(implementation_id_kat)
{
	uint8_t id[32];

	attest_implementation_id("qemu-virt", id);
	ck_assert_hex(id, 32, "2dc1691d45ed80126a209a0fca653257c76ccfaa28e6ab05c59cad7fbdc5bf43");
}
END_TEST

static void component(struct attest_component *c, const char *type, const char *data,
		      const char *version)
{
	uint8_t d[32];

	attest_sha256(data, strlen(data), d);
	ck_assert_int_eq(attest_component_set(c, type, d, version, NULL), 0);
}

START_TEST(measurement_kat)
{
	struct attest_component c[2];
	uint8_t m[32], buf[COMPONENT_BUF];
	struct cbor_enc e;

	component(&c[0], "umbra/image", "x", NULL);
	component(&c[1], "umbra/config", "y", "1.0");
	cbor_init(&e, buf, sizeof(buf));
	attest_encode_component(&e, &c[1]);
	ck_assert_hex(buf, cbor_len(&e),
		      "a5016c756d6272612f636f6e666967025820a1fce4363854ff888cff4b8e7875d600"
		      "c2682390412a8cf79b37d0b11148b0fa0463312e300558200000000000000000000000"
		      "00000000000000000000000000000000000000000006677368612d323536");
	ck_assert_int_eq(attest_layer_measure(c, 2, m), 0);
	ck_assert_hex(m, 32, "b56f2aafcc226dba25ea1e44adef33259fae662475cc6c2ecef222129b077c3f");
	ck_assert_int_eq(attest_layer_measure(NULL, 0, m), 0);
	ck_assert_hex(m, 32, "76be8b528d0075f7aae98d6fa57a6d3c83ae480a8469e668d7b0af968995ac71");
	/* order matters */
	struct attest_component r[2] = { c[1], c[0] };
	uint8_t m2[32];

	ck_assert_int_eq(attest_layer_measure(r, 2, m2), 0);
	ck_assert_int_eq(attest_layer_measure(c, 2, m), 0);
	ck_assert_mem_ne(m, m2, 32);
}
END_TEST

START_TEST(component_checks)
{
	struct attest_component c;
	uint8_t d[32] = { 0 };
	char t[ATTEST_TYPE_MAX + 2];

	memset(t, 'a', sizeof(t));
	t[ATTEST_TYPE_MAX] = 0;
	ck_assert_int_eq(attest_component_set(&c, t, d, NULL, NULL), 0);
	t[ATTEST_TYPE_MAX] = 'a';
	t[ATTEST_TYPE_MAX + 1] = 0;
	ck_assert_int_eq(attest_component_set(&c, t, d, NULL, NULL), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_component_set(&c, "", d, NULL, NULL), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_component_set(&c, "a\tb", d, NULL, NULL), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_component_set(&c, "a\xc3\xa9", d, NULL, NULL), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_component_set(&c, "ok", d, t, NULL), -ATTEST_E_INVAL);
	ck_assert_int_eq(attest_component_set(&c, "ok", d, "", NULL), 0);
	ck_assert_int_eq(attest_component_set(&c, NULL, d, NULL, NULL), -ATTEST_E_INVAL);
	/* a stored component without its NUL is refused by the measurement */
	memset(c.type, 'x', sizeof(c.type));
	ck_assert_int_eq(attest_layer_measure(&c, 1, d), -ATTEST_E_INVAL);
}
END_TEST

START_TEST(rmr_extend_kat)
{
	uint8_t reg[32] = { 0 }, ev[32];
	struct attest_partition *p = calloc(1, sizeof(*p));

	attest_sha256("event", 5, ev);
	attest_rmr_extend(reg, ev);
	ck_assert_hex(reg, 32, "12db50484c569ef2d5446a9790ee2be42a913d1c755cde998469926762f54066");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(attest_partition_extend(p, 3, ev), 0);
	ck_assert_mem_eq(p->rmr[3], reg, 32);
	ck_assert_int_eq(attest_partition_extend(p, ATTEST_NR_RMR, ev), -ATTEST_E_INVAL);
	free(p);
}
END_TEST

/* RFC 6979 A.2.5: P-256, SHA-256, messages "sample" and "test" */
START_TEST(rfc6979_deterministic)
{
	uint8_t x[32], sig[64];

	unhex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", x, 32);
	ck_assert_int_eq(attest_sign(x, "sample", 6, sig), 0);
	ck_assert_hex(sig, 64, "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
		      "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
	ck_assert_int_eq(attest_sign(x, "test", 4, sig), 0);
	ck_assert_hex(sig, 64, "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
		      "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083");
}
END_TEST

Suite *attest_suite(void)
{
	Suite *s = suite_create("attest");
	TCase *tc = tcase_create("derive");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, hkdf_rfc5869_case1);
	tcase_add_test(tc, hkdf_salt_and_limits);
	tcase_add_test(tc, scalar_range);
	tcase_add_test(tc, derivation_kat);
	tcase_add_test(tc, derivation_binds_measurements);
	tcase_add_test(tc, seal_labels);
	tcase_add_test(tc, implementation_id_kat);
	tcase_add_test(tc, measurement_kat);
	tcase_add_test(tc, component_checks);
	tcase_add_test(tc, rmr_extend_kat);
	tcase_add_test(tc, rfc6979_deterministic);
	suite_add_tcase(s, tc);
	return s;
}
