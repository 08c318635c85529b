// SPDX-License-Identifier: Apache-2.0
/* Signed images (umbra/envelope.h, attest/image_auth.c) and the
 * anti-rollback store's records (umbra/svnstore.h): hostile envelopes,
 * field by field; signer, signature, digest, name and SVN decisions; torn
 * writes, both copies bad, generation wrap. */
#include <stdlib.h>

#include "unit.h"
#include "attest/attest.h"
#include "attest/image_auth.h"
#include "umbra/envelope.h"
#include "umbra/svnstore.h"

#define IMG_LEN 512
#define REGION (ENV_HDR_MIN + IMG_LEN + 64)

static u8 region[REGION];
static struct attest_keypair key, other;

static void put(u8 *p, u64 v, unsigned n)
{
	while (n--) {
		*p++ = (u8)v;
		v >>= 8;
	}
}

static void resign(const struct attest_keypair *k);

/* A correctly signed envelope for `name`, SVN svn, image IMG_LEN bytes. */
static void make(const char *name, u32 svn, const struct attest_keypair *k)
{
	unsigned i;

	memset(region, 0, sizeof(region));
	for (i = 0; i < IMG_LEN; i++)
		region[ENV_HDR_MIN + i] = (u8)(i * 7 + 1);
	memcpy(region, ENV_MAGIC, ENV_MAGIC_LEN);
	put(region + ENV_OFF_VERSION, ENV_VERSION, 2);
	put(region + ENV_OFF_HDR_LEN, ENV_HDR_MIN, 2);
	put(region + ENV_OFF_IMAGE_SIZE, IMG_LEN, 8);
	put(region + ENV_OFF_SVN, svn, 4);
	attest_sha256(region + ENV_HDR_MIN, IMG_LEN, region + ENV_OFF_DIGEST);
	memcpy(region + ENV_OFF_NAME, name, strlen(name));
	memcpy(region + ENV_OFF_KEY, k->pub, ENV_KEY_LEN);
	resign(k);
}

static void resign(const struct attest_keypair *k)
{
	u16 h = (u16)(region[ENV_OFF_HDR_LEN] | region[ENV_OFF_HDR_LEN + 1] << 8);

	ck_assert_int_eq(attest_sign(k->priv, region, (size_t)h - ENV_SIG_LEN,
				     region + h - ENV_SIG_LEN), 0);
}

static void keys(void)
{
	ck_assert_int_eq(attest_derive_keypair("k1", 2, NULL, 0, "test", &key), 0);
	ck_assert_int_eq(attest_derive_keypair("k2", 2, NULL, 0, "test", &other), 0);
}

static enum img_err parse(u64 len, const char **why)
{
	struct envelope e;

	return envelope_parse(region, len, &e, why);
}

START_TEST(test_envelope_good)
{
	struct envelope e;
	const char *why;

	keys();
	make("rtos", 7, &key);
	ck_assert_int_eq(envelope_parse(region, sizeof(region), &e, &why), IMG_OK);
	ck_assert_uint_eq(e.svn, 7);
	ck_assert_uint_eq(e.hdr_len, ENV_HDR_MIN);
	ck_assert_uint_eq(e.image_size, IMG_LEN);
	ck_assert_str_eq(e.name, "rtos");
	ck_assert_uint_eq(e.signed_len, ENV_HDR_MIN - ENV_SIG_LEN);
	ck_assert_str_eq(img_err_name(IMG_E_ROLLBACK), "image-rollback");
	ck_assert_str_eq(img_err_name(IMG_E_SIGNATURE), "image-signature");
	ck_assert_str_eq(img_err_name((enum img_err)99), "unknown");
}
END_TEST

/* Every field, truncated or out of range: refused as image-envelope, no
 * read past len (ASan). */
START_TEST(test_envelope_hostile)
{
	const char *why;
	u64 len;

	keys();
	make("rtos", 1, &key);
	/* cut at every length up to the header and into the image */
	for (len = 0; len < ENV_HDR_MIN + IMG_LEN; len++) {
		u8 *copy = malloc(len ? len : 1);

		memcpy(copy, region, len);
		{
			struct envelope e;

			ck_assert_int_eq(envelope_parse(copy, len, &e, &why), IMG_E_ENVELOPE);
		}
		free(copy);
	}
	ck_assert_int_eq(parse(ENV_HDR_MIN + IMG_LEN, &why), IMG_OK);

#define HOSTILE(stmt) do { make("rtos", 1, &key); stmt; \
	ck_assert_int_eq(parse(sizeof(region), &why), IMG_E_ENVELOPE); } while (0)
	HOSTILE(region[0] ^= 1);                                     /* magic */
	HOSTILE(put(region + ENV_OFF_VERSION, 2, 2));                /* version */
	HOSTILE(put(region + ENV_OFF_VERSION, 0, 2));
	HOSTILE(put(region + ENV_OFF_HDR_LEN, ENV_HDR_MIN - 8, 2));  /* too short */
	HOSTILE(put(region + ENV_OFF_HDR_LEN, ENV_HDR_MAX + 8, 2));  /* too long */
	HOSTILE(put(region + ENV_OFF_HDR_LEN, ENV_HDR_MIN + 4, 2));  /* misaligned */
	HOSTILE(put(region + ENV_OFF_HDR_LEN, 0xffff, 2));
	HOSTILE(put(region + ENV_OFF_FLAGS, 1, 4));                  /* flags */
	HOSTILE(put(region + ENV_OFF_RESERVED, 1, 4));
	HOSTILE(put(region + ENV_OFF_IMAGE_SIZE, 0, 8));             /* size */
	HOSTILE(put(region + ENV_OFF_IMAGE_SIZE, sizeof(region) - ENV_HDR_MIN + 1, 8));
	HOSTILE(put(region + ENV_OFF_IMAGE_SIZE, ~0ull, 8));
	HOSTILE(put(region + ENV_OFF_IMAGE_SIZE, ~0ull - ENV_HDR_MIN + 2, 8)); /* wrap */
	HOSTILE(memset(region + ENV_OFF_NAME, 0, ENV_NAME_LEN));     /* empty name */
	HOSTILE(memset(region + ENV_OFF_NAME, 'a', ENV_NAME_LEN));   /* no NUL */
	HOSTILE(region[ENV_OFF_NAME + 1] = 0x07);                    /* unprintable */
	HOSTILE(region[ENV_OFF_NAME + 10] = 'x');                    /* after the NUL */
	HOSTILE(region[ENV_OFF_KEY] = 0x02);                         /* compressed key */
	HOSTILE(region[ENV_FIXED_END] = 1);                          /* reserved */
	HOSTILE(region[ENV_HDR_MIN - ENV_SIG_LEN - 1] = 1);
#undef HOSTILE
	/* a longer header: its reserved bytes and signature move */
	make("rtos", 1, &key);
	ck_assert_int_eq(parse(ENV_HDR_MIN, &why), IMG_E_ENVELOPE);  /* no image */
}
END_TEST

static enum img_err verify(const u8 *k, unsigned klen, u32 min, bool store_ok,
			   struct image_auth *a, const char **why)
{
	return image_auth_verify(region, sizeof(region), "rtos", k, klen, min, store_ok, a, why);
}

START_TEST(test_verify_decisions)
{
	struct image_auth a;
	const char *why;
	u8 id[32];

	keys();
	attest_sha256(key.pub, sizeof(key.pub), id);
	make("rtos", 5, &key);
	/* the key or its SHA-256 */
	ck_assert_int_eq(verify(key.pub, 65, 0, true, &a, &why), IMG_OK);
	ck_assert(a.is_signed);
	ck_assert_uint_eq(a.svn, 5);
	ck_assert_mem_eq(a.signer_id, id, 32);
	ck_assert_int_eq(verify(id, 32, 5, true, &a, &why), IMG_OK);
	/* unknown key */
	ck_assert_int_eq(verify(other.pub, 65, 0, true, &a, &why), IMG_E_SIGNER);
	ck_assert(!a.is_signed);
	/* signed by another key that claims to be ours: the envelope's key is
	 * ours, the signature is not */
	make("rtos", 5, &key);
	resign(&other);
	ck_assert_int_eq(verify(key.pub, 65, 0, true, &a, &why), IMG_E_SIGNATURE);
	/* a flipped image byte, a flipped header byte under the signature */
	make("rtos", 5, &key);
	region[ENV_HDR_MIN + 100] ^= 0x40;
	ck_assert_int_eq(verify(key.pub, 65, 0, true, &a, &why), IMG_E_SIGNATURE);
	make("rtos", 5, &key);
	region[ENV_OFF_SVN] = 9;
	ck_assert_int_eq(verify(key.pub, 65, 0, true, &a, &why), IMG_E_SIGNATURE);
	make("rtos", 5, &key);
	region[ENV_HDR_MIN - 1] ^= 1;
	ck_assert_int_eq(verify(key.pub, 65, 0, true, &a, &why), IMG_E_SIGNATURE);
	/* another partition's image */
	make("linux", 5, &key);
	ck_assert_int_eq(verify(key.pub, 65, 0, true, &a, &why), IMG_E_NAME);
	/* SVN: equal passes, lower refused, an unreadable store refuses all */
	make("rtos", 5, &key);
	ck_assert_int_eq(verify(key.pub, 65, 5, true, &a, &why), IMG_OK);
	ck_assert_int_eq(verify(key.pub, 65, 6, true, &a, &why), IMG_E_ROLLBACK);
	ck_assert_int_eq(verify(key.pub, 65, 0, false, &a, &why), IMG_E_ROLLBACK);
	/* unsigned: fine without a signer-key, refused with one */
	memset(region, 0, sizeof(region));
	ck_assert_int_eq(verify(NULL, 0, 0, true, &a, &why), IMG_OK);
	ck_assert(!a.is_signed);
	ck_assert_int_eq(verify(key.pub, 65, 0, true, &a, &why), IMG_E_ENVELOPE);
	/* an envelope without a signer-key is not trusted: unsigned */
	make("rtos", 5, &key);
	ck_assert_int_eq(verify(NULL, 0, 0, true, &a, &why), IMG_OK);
	ck_assert(!a.is_signed);
}
END_TEST

/* ---- the store -------------------------------------------------------- */

static void record(u8 *rec, u32 gen, u32 svn)
{
	struct svn_store s = { .generation = gen };

	ck_assert_int_eq(svnstore_raise(&s, "rtos", svn), 0);
	svnstore_encode(&s, rec);
}

START_TEST(test_store_roundtrip)
{
	u8 rec[SVN_REC_LEN];
	struct svn_store s = { .generation = 3 }, t;
	char name[SVN_NAME_LEN + 1];
	unsigned i;

	ck_assert_int_eq(svnstore_raise(&s, "rtos", 4), 0);
	ck_assert_int_eq(svnstore_raise(&s, "linux", 2), 0);
	ck_assert_int_eq(svnstore_raise(&s, "rtos", 3), 0);     /* never lowers */
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 4);
	ck_assert_uint_eq(svnstore_get(&s, "none"), 0);
	ck_assert_int_eq(svnstore_raise(&s, "", 1), -1);
	memset(name, 'n', SVN_NAME_LEN);
	name[SVN_NAME_LEN] = 0;
	ck_assert_int_eq(svnstore_raise(&s, name, 1), -1);      /* name too long */
	for (i = 2; i < SVN_MAX_ENTRIES; i++) {
		char n[4] = { 'p', (char)('0' + i), 0 };

		ck_assert_int_eq(svnstore_raise(&s, n, i), 0);
	}
	ck_assert_int_eq(svnstore_raise(&s, "full", 1), -1);    /* store full */
	svnstore_encode(&s, rec);
	ck_assert_int_eq(svnstore_decode(rec, &t), 0);
	ck_assert_uint_eq(t.generation, 3);
	ck_assert_uint_eq(t.count, SVN_MAX_ENTRIES);
	ck_assert_uint_eq(svnstore_get(&t, "rtos"), 4);
	ck_assert_uint_eq(svnstore_get(&t, "linux"), 2);
	/* CRC-32 check value ("123456789" -> 0xcbf43926) */
	ck_assert_uint_eq(svnstore_crc32((const u8 *)"123456789", 9), 0xcbf43926u);
	/* any flipped bit is caught */
	for (i = 0; i < SVN_REC_LEN * 8; i++) {
		rec[i / 8] ^= (u8)(1u << (i % 8));
		ck_assert_int_eq(svnstore_decode(rec, &t), -1);
		rec[i / 8] ^= (u8)(1u << (i % 8));
	}
}
END_TEST

START_TEST(test_store_torn_and_bad)
{
	u8 a[SVN_REC_LEN], b[SVN_REC_LEN], blank[SVN_REC_LEN];
	struct svn_store s;
	unsigned slot, cut;

	memset(blank, 0xff, sizeof(blank));
	record(a, 1, 3);
	record(b, 2, 4);
	ck_assert_int_eq(svnstore_load(a, b, &s, &slot), SVN_VALID);
	ck_assert_uint_eq(slot, 1);
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 4);
	/* the next write goes to slot 0; torn at every length (erased flash
	 * beyond the cut): the old record in slot 1 still wins */
	for (cut = 0; cut < SVN_REC_LEN; cut++) {
		u8 torn[SVN_REC_LEN];

		record(torn, 3, 5);
		memset(torn + cut, 0xff, SVN_REC_LEN - cut);
		ck_assert_int_eq(svnstore_load(torn, b, &s, &slot), SVN_VALID);
		ck_assert_uint_eq(slot, 1);
		ck_assert_uint_eq(svnstore_get(&s, "rtos"), 4);
	}
	/* a finished write wins */
	record(a, 3, 5);
	ck_assert_int_eq(svnstore_load(a, b, &s, &slot), SVN_VALID);
	ck_assert_uint_eq(slot, 0);
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 5);
	/* blank (erased, or zero) store */
	ck_assert_int_eq(svnstore_load(blank, blank, &s, &slot), SVN_BLANK);
	ck_assert_uint_eq(slot, 1);
	ck_assert_uint_eq(s.count, 0);
	memset(a, 0, sizeof(a));
	ck_assert_int_eq(svnstore_load(a, blank, &s, &slot), SVN_BLANK);
	/* both copies bad: corrupt, fail closed */
	record(a, 1, 3);
	record(b, 2, 4);
	a[20] ^= 1;
	b[30] ^= 1;
	ck_assert_int_eq(svnstore_load(a, b, &s, &slot), SVN_CORRUPT);
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 0);
	/* one bad, one blank: corrupt too (something was there) */
	ck_assert_int_eq(svnstore_load(a, blank, &s, &slot), SVN_CORRUPT);
	/* a bad version, count or reserved word with a right CRC is refused */
	record(a, 1, 3);
	a[6] = SVN_MAX_ENTRIES + 1;
	put(a + SVN_REC_LEN - 4, svnstore_crc32(a, SVN_REC_LEN - 4), 4);
	ck_assert_int_eq(svnstore_decode(a, &s), -1);
	record(a, 1, 3);
	a[4] = 2;
	put(a + SVN_REC_LEN - 4, svnstore_crc32(a, SVN_REC_LEN - 4), 4);
	ck_assert_int_eq(svnstore_decode(a, &s), -1);
	record(a, 1, 3);
	memset(a + 16, 0, SVN_NAME_LEN);                    /* empty name */
	put(a + SVN_REC_LEN - 4, svnstore_crc32(a, SVN_REC_LEN - 4), 4);
	ck_assert_int_eq(svnstore_decode(a, &s), -1);
	/* only the canonical form: a byte after a name's NUL, in an unused
	 * entry, in the trailing reserved bytes or the version's high byte
	 * (CRC right each time) is not a record this version wrote */
	{
		static const unsigned off[] = { 5, 16 + 18, 16 + 24, 16 + 7 * 24 + 3, 208, 251 };
		unsigned i;

		for (i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
			record(a, 1, 3);
			ck_assert_int_eq(svnstore_decode(a, &s), 0);
			a[off[i]] = 0x5a;
			put(a + SVN_REC_LEN - 4, svnstore_crc32(a, SVN_REC_LEN - 4), 4);
			ck_assert_msg(svnstore_decode(a, &s) == -1, "byte %u accepted", off[i]);
			ck_assert_uint_eq(s.count, 0);
		}
	}
}
END_TEST

/* Found by fuzz-svnstore: a record naming a partition twice (CRC right)
 * was valid, its minimum whichever entry came first, and a raise moved only
 * that one. Umbra never writes one: it is refused like any bad record, so
 * the other copy counts. */
START_TEST(test_store_duplicate_name)
{
	u8 a[SVN_REC_LEN], b[SVN_REC_LEN];
	struct svn_store s;
	unsigned slot;

	s = (struct svn_store){ .generation = 7 };
	ck_assert_int_eq(svnstore_raise(&s, "rtos", 2), 0);
	ck_assert_int_eq(svnstore_raise(&s, "linux", 9), 0);
	svnstore_encode(&s, a);
	memcpy(a + 16 + 24, "rtos\0", 5);                 /* entry 1: rtos again, SVN 9 */
	put(a + SVN_REC_LEN - 4, svnstore_crc32(a, SVN_REC_LEN - 4), 4);
	ck_assert_int_eq(svnstore_decode(a, &s), -1);
	record(b, 6, 3);
	ck_assert_int_eq(svnstore_load(a, b, &s, &slot), SVN_VALID);
	ck_assert_uint_eq(slot, 1);
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 3);
	/* names are compared whole: "rtos" and "rtos2" are two */
	s = (struct svn_store){ .generation = 7 };
	ck_assert_int_eq(svnstore_raise(&s, "rtos", 2), 0);
	ck_assert_int_eq(svnstore_raise(&s, "rtos2", 9), 0);
	svnstore_encode(&s, a);
	ck_assert_int_eq(svnstore_decode(a, &s), 0);
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 2);
}
END_TEST

START_TEST(test_store_wrap)
{
	u8 a[SVN_REC_LEN], b[SVN_REC_LEN];
	struct svn_store s;
	unsigned slot;

	/* 0xffffffff then 0 (wrapped): 0 is newer */
	record(a, 0xffffffffu, 3);
	record(b, 0, 4);
	ck_assert_int_eq(svnstore_load(a, b, &s, &slot), SVN_VALID);
	ck_assert_uint_eq(slot, 1);
	ck_assert_uint_eq(s.generation, 0);
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 4);
	/* and the other way round */
	record(a, 1, 5);
	ck_assert_int_eq(svnstore_load(a, b, &s, &slot), SVN_VALID);
	ck_assert_uint_eq(slot, 0);
	ck_assert_uint_eq(svnstore_get(&s, "rtos"), 5);
	/* equal generations: slot 0 */
	record(b, 1, 6);
	ck_assert_int_eq(svnstore_load(a, b, &s, &slot), SVN_VALID);
	ck_assert_uint_eq(slot, 0);
}
END_TEST

Suite *signing_suite(void)
{
	Suite *s = suite_create("signing");
	TCase *tc = tcase_create("envelope");

	tcase_add_test(tc, test_envelope_good);
	tcase_add_test(tc, test_envelope_hostile);
	tcase_add_test(tc, test_verify_decisions);
	suite_add_tcase(s, tc);
	tc = tcase_create("store");
	tcase_add_test(tc, test_store_roundtrip);
	tcase_add_test(tc, test_store_torn_and_bad);
	tcase_add_test(tc, test_store_duplicate_name);
	tcase_add_test(tc, test_store_wrap);
	suite_add_tcase(s, tc);
	return s;
}
