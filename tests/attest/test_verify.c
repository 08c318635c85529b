// SPDX-License-Identifier: Apache-2.0
/*
 * The verifier's building blocks (tools/attest_verify.c, attest_host.c):
 * the CBOR decoder, public-key formats, the reference-values file; and the
 * known-answer tests run through them: NIST CAVP ECDSA SigVer (P-256,
 * SHA-256) and RFC 5869 HKDF-SHA256, from python3-cryptography-vectors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest/attest.h"
#include "attest_host.h"
#include "attest_verify.h"
#include "tests.h"

/* ---- decoder ----------------------------------------------------------- */

static bool decodes(const char *hex, bool skip)
{
	uint8_t buf[64];
	size_t n = unhex(hex, buf, sizeof(buf));
	struct cbor_dec d;
	unsigned mt;
	uint64_t a;

	cdec_init(&d, buf, n);
	if (skip)
		return cdec_skip(&d) && cdec_done(&d);
	return cdec_head(&d, &mt, &a) && cdec_done(&d);
}

START_TEST(decoder_heads)
{
	struct cbor_dec d;
	uint8_t buf[16];
	int64_t v;
	uint64_t u;
	size_t n;

	n = unhex("3b7fffffffffffffff", buf, sizeof(buf));
	cdec_init(&d, buf, n);
	ck_assert(cdec_int(&d, &v) && v == INT64_MIN);
	n = unhex("3b8000000000000000", buf, sizeof(buf));   /* below INT64_MIN */
	cdec_init(&d, buf, n);
	ck_assert(!cdec_int(&d, &v) && d.err);
	n = unhex("1b ffffffffffffffff", buf, sizeof(buf));
	cdec_init(&d, buf, n);
	ck_assert(cdec_uint(&d, &u) && u == UINT64_MAX);
	/* non-shortest heads are valid CBOR: accepted */
	n = unhex("1900 05", buf, sizeof(buf));
	cdec_init(&d, buf, n);
	ck_assert(cdec_uint(&d, &u) && u == 5);

	ck_assert(!decodes("", false));
	ck_assert(!decodes("18", false));         /* truncated argument */
	ck_assert(!decodes("1a000000", false));
	ck_assert(!decodes("1c", false));         /* reserved */
	ck_assert(!decodes("5f4100ff", true));    /* indefinite length */
	ck_assert(!decodes("9f01ff", true));
	ck_assert(!decodes("4201", true));        /* string past the end */
	ck_assert(!decodes("9b00000000ffffffff", true)); /* absurd count */
	ck_assert(!decodes("bb7fffffffffffffff", true));
	ck_assert(decodes("a201830161614101 20f5", true));
	ck_assert(decodes("d2 84 40 a0 40 40", true));
	ck_assert(!decodes("8301", true));        /* missing elements */
}
END_TEST

START_TEST(sign1_decoding)
{
	uint8_t buf[64];
	struct av_sign1 s;
	char err[96];
	size_t n;

	n = unhex("d2 84 43a10126 a0 4101 5840", buf, sizeof(buf));
	ck_assert(!av_decode_sign1(buf, n, &s, err, sizeof(err)));   /* truncated sig */
	n = unhex("d3 84 43a10126 a0 4101 4100", buf, sizeof(buf));
	ck_assert(!av_decode_sign1(buf, n, &s, err, sizeof(err)));   /* tag 19 */
	n = unhex("84 43a10126 a0 4101 4100", buf, sizeof(buf));
	ck_assert(av_decode_sign1(buf, n, &s, err, sizeof(err)));
	ck_assert(!s.tagged);
	ck_assert_int_eq(s.alg, -7);
	n = unhex("d2 84 43a10126 a0 f6 4100", buf, sizeof(buf));
	ck_assert(!av_decode_sign1(buf, n, &s, err, sizeof(err)));   /* detached payload */
	n = unhex("d2 84 43a10126 a0 4101 4100 00", buf, sizeof(buf));
	ck_assert(!av_decode_sign1(buf, n, &s, err, sizeof(err)));   /* trailing byte */
	ck_assert(strstr(err, "trailing"));
}
END_TEST

/* ---- public keys ------------------------------------------------------- */

START_TEST(pubkey_formats)
{
	struct attest_keypair kp;
	uint8_t uds[32] = { 3 }, pub[65], der[AH_SPKI_LEN];
	char pem[256], hex[131];
	size_t n;

	ck_assert_int_eq(attest_derive_ek(uds, &kp), 0);
	n = ah_spki_pem(kp.pub, pem, sizeof(pem));
	ck_assert_uint_gt(n, 0);
	ck_assert(strstr(pem, "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"));
	ck_assert_int_eq(ah_parse_pubkey((uint8_t *)pem, n, pub), 0);
	ck_assert_mem_eq(pub, kp.pub, 65);
	ah_spki_der(kp.pub, der);
	memset(pub, 0, sizeof(pub));
	ck_assert_int_eq(ah_parse_pubkey(der, sizeof(der), pub), 0);
	ck_assert_mem_eq(pub, kp.pub, 65);
	ck_assert_int_eq(ah_parse_pubkey(kp.pub, 65, pub), 0);
	ah_hex_encode(kp.pub, 65, hex);
	ck_assert_int_eq(ah_parse_pubkey((uint8_t *)hex, strlen(hex), pub), 0);
	ck_assert_mem_eq(pub, kp.pub, 65);
	/* off the curve, or not uncompressed */
	memcpy(pub, kp.pub, 65);
	pub[64] ^= 1;
	ck_assert(!ah_point_valid(pub));
	ck_assert_int_eq(ah_parse_pubkey(pub, 65, der), -1);
	memcpy(pub, kp.pub, 65);
	pub[0] = 0x03;
	ck_assert_int_eq(ah_parse_pubkey(pub, 65, der), -1);
	ck_assert_int_eq(ah_parse_pubkey((const uint8_t *)"junk", 4, pub), -1);
}
END_TEST

/* arm64:FILE: the image_size bytes Umbra copies, zero-padded past the file */
START_TEST(arm64_image_digest)
{
	char path[] = "/tmp/attest-arm64-XXXXXX", spec[64], type[ATTEST_TYPE_MAX + 1];
	uint8_t img[200] = { 0 }, want[32], got[32];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	memcpy(img + 0x38, "ARM\x64", 4);
	img[16] = 200;                       /* image_size 200, file 100 bytes */
	img[70] = 0x77;
	ck_assert_int_eq(ah_write_file(path, img, 100, false), 0);
	attest_sha256(img, 200, want);
	snprintf(spec, sizeof(spec), "partition/image=arm64:%s", path);
	ck_assert_int_eq(ah_component_spec(spec, type, got), 0);
	ck_assert_str_eq(type, "partition/image");
	ck_assert_mem_eq(got, want, 32);
	img[16] = 80;                        /* image_size below the file size */
	ck_assert_int_eq(ah_write_file(path, img, 100, false), 0);
	attest_sha256(img, 80, want);
	ck_assert_int_eq(ah_sha256_arm64_image(path, got), 0);
	ck_assert_mem_eq(got, want, 32);
	img[0x38] = 'X';                     /* not an Image */
	ck_assert_int_eq(ah_write_file(path, img, 100, false), 0);
	ck_assert_int_eq(ah_sha256_arm64_image(path, got), -1);
	close(fd);
	unlink(path);
}
END_TEST

/* ---- reference values -------------------------------------------------- */

static int parse(const char *json, struct av_reference *ref, char *err)
{
	return av_parse_reference(json, strlen(json), ref, err, 128);
}

START_TEST(reference_json)
{
	struct av_reference ref;
	char err[128];
	static const char good[] =
		"{\n  \"implementation-id\": \"2dc1691d45ed80126a209a0fca653257c76ccfaa28e6ab05c59cad7fbdc5bf43\",\n"
		"  \"client-id\": -2,\n"
		"  \"security-lifecycle\": [\"secured\", \"non-psa-rot-debug\"],\n"
		"  \"components\": {\n"
		"    \"umbra/image\": \"00000000000000000000000000000000000000000000000000000000000000ff\",\n"
		"    \"partition/a\\/b\": \"0101010101010101010101010101010101010101010101010101010101010101\"\n"
		"  }\n}\n";

	ck_assert_int_eq(parse(good, &ref, err), 0);
	ck_assert(ref.has_impl_id && ref.impl_id[0] == 0x2d);
	ck_assert(ref.has_client_id && ref.client_id == -2);
	ck_assert_uint_eq(ref.nr_lifecycle, 2);
	ck_assert_uint_eq(ref.lifecycle[1], 0x4000);
	ck_assert_uint_eq(ref.nr_comp, 2);
	ck_assert_str_eq(ref.comp[1].type, "partition/a/b");
	ck_assert_uint_eq(ref.comp[0].value[31], 0xff);

	ck_assert_int_eq(parse("{\"components\": {}}", &ref, err), 0);
	ck_assert_uint_eq(ref.nr_comp, 0);
	ck_assert_int_eq(parse("{}", &ref, err), -1);
	ck_assert(strstr(err, "components"));
	ck_assert_int_eq(parse("{\"component\": {}}", &ref, err), -1);
	ck_assert(strstr(err, "unknown key"));
	ck_assert_int_eq(parse("{\"components\": {\"x\": \"00\"}}", &ref, err), -1);
	ck_assert(strstr(err, "64 hex digits"));
	ck_assert_int_eq(parse("{\"components\": {}} x", &ref, err), -1);
	ck_assert_int_eq(parse("{\"security-lifecycle\": [\"bogus\"], \"components\": {}}",
			       &ref, err), -1);
	ck_assert_int_eq(parse("{\"components\": {\"a\": \"" "0000000000000000000000000000000000000000000000000000000000000000"
			       "\", \"a\": \"" "0000000000000000000000000000000000000000000000000000000000000000"
			       "\"}}", &ref, err), -1);
	ck_assert(strstr(err, "twice"));
	ck_assert_int_eq(parse("{\"components\": {\n\"a\": 5}}", &ref, err), -1);
	ck_assert(strstr(err, "line 2"));
	ck_assert_int_eq(parse("{\"components\": {}", &ref, err), -1);
}
END_TEST

Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("parts");

	tcase_add_test(tc, decoder_heads);
	tcase_add_test(tc, sign1_decoding);
	tcase_add_test(tc, pubkey_formats);
	tcase_add_test(tc, arm64_image_digest);
	tcase_add_test(tc, reference_json);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- known-answer tests from python3-cryptography-vectors -------------- */

static char *vectors_file(const char *rel)
{
	const char *dir = getenv("ATTEST_CRYPTO_VECTORS");
	static char path[512];
	size_t len;
	char *text;

	ck_assert_msg(dir && *dir, "ATTEST_CRYPTO_VECTORS is not set: is "
		      "python3-cryptography-vectors installed (scripts/setup.sh)?");
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	text = (char *)ah_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

/* "Name = value" on this line? Returns the value's start and length. */
static bool field(const char *line, const char *name, const char **val, size_t *len)
{
	size_t n = strlen(name);
	const char *p = line, *e;

	if (strncmp(p, name, n))
		return false;
	p += n;
	while (*p == ' ')
		p++;
	if (*p != '=')
		return false;
	p++;
	while (*p == ' ')
		p++;
	e = strchr(p, '\n');
	if (!e)
		e = p + strlen(p);
	while (e > p && (e[-1] == '\r' || e[-1] == ' '))
		e--;
	*val = p;
	*len = (size_t)(e - p);
	return true;
}

/* Big-endian hex integer into a fixed-width field (left-padded). */
static void fixed(const char *hex, size_t len, uint8_t *out, size_t width)
{
	uint8_t tmp[80];
	long n = ah_hex_decode(hex, len, tmp, sizeof(tmp));

	if (n < 0 && len % 2) {   /* odd number of digits */
		char buf[170];

		ck_assert_uint_lt(len, sizeof(buf) - 1);
		buf[0] = '0';
		memcpy(buf + 1, hex, len);
		n = ah_hex_decode(buf, len + 1, tmp, sizeof(tmp));
	}
	ck_assert(n >= 0 && (size_t)n <= width);
	memset(out, 0, width);
	memcpy(out + width - (size_t)n, tmp, (size_t)n);
}

/* NIST CAVP FIPS 186-3 ECDSA SigVer, [P-256,SHA-256]: through av_es256_verify. */
START_TEST(nist_sigver_p256_sha256)
{
	char *text = vectors_file("asymmetric/ECDSA/FIPS_186-3/SigVer.rsp");
	uint8_t msg[256], pub[65], sig[64];
	const char *line, *v;
	size_t vlen, msg_len = 0, cases = 0, passes = 0;
	bool in = false;

	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (*line == '[') {
			in = !strncmp(line, "[P-256,SHA-256]", 15);
			continue;
		}
		if (!in)
			continue;
		if (field(line, "Msg", &v, &vlen)) {
			long n = ah_hex_decode(v, vlen, msg, sizeof(msg));

			ck_assert(n >= 0);
			msg_len = (size_t)n;
			pub[0] = 0x04;
		} else if (field(line, "Qx", &v, &vlen)) {
			fixed(v, vlen, pub + 1, 32);
		} else if (field(line, "Qy", &v, &vlen)) {
			fixed(v, vlen, pub + 33, 32);
		} else if (field(line, "R", &v, &vlen)) {
			fixed(v, vlen, sig, 32);
		} else if (field(line, "S", &v, &vlen)) {
			fixed(v, vlen, sig + 32, 32);
		} else if (field(line, "Result", &v, &vlen)) {
			bool want = v[0] == 'P';
			bool got = av_es256_verify(pub, msg, msg_len, sig, 64);

			ck_assert_msg(got == want, "SigVer case %zu: expected %.*s", cases + 1,
				      (int)vlen, v);
			cases++;
			passes += want;
		}
	}
	free(text);
	ck_assert_uint_eq(cases, 15);
	ck_assert_uint_eq(passes, 3);
}
END_TEST

/* RFC 5869 appendix A, SHA-256 cases: through attest_hkdf. */
START_TEST(rfc5869_hkdf_sha256)
{
	char *text = vectors_file("KDF/rfc-5869-HKDF-SHA256.txt");
	uint8_t ikm[128], salt[128], info[128], okm[128], out[128];
	long ni = 0, ns = 0, nf = 0, no = 0, l = 0;
	const char *line, *v;
	size_t vlen, cases = 0;

	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (field(line, "IKM", &v, &vlen))
			ni = ah_hex_decode(v, vlen, ikm, sizeof(ikm));
		else if (field(line, "salt", &v, &vlen))
			ns = ah_hex_decode(v, vlen, salt, sizeof(salt));
		else if (field(line, "info", &v, &vlen))
			nf = ah_hex_decode(v, vlen, info, sizeof(info));
		else if (field(line, "L", &v, &vlen))
			l = strtol(v, NULL, 10);
		else if (field(line, "OKM", &v, &vlen)) {
			no = ah_hex_decode(v, vlen, okm, sizeof(okm));
			ck_assert(ni >= 0 && ns >= 0 && nf >= 0 && no == l && l > 0);
			ck_assert_int_eq(attest_hkdf(ikm, (size_t)ni, salt, (size_t)ns, info,
						     (size_t)nf, out, (size_t)l), 0);
			ck_assert_mem_eq(out, okm, (size_t)l);
			cases++;
		}
	}
	free(text);
	ck_assert_uint_eq(cases, 3);
}
END_TEST

Suite *kat_suite(void)
{
	Suite *s = suite_create("kat");
	TCase *tc = tcase_create("cryptography-vectors");

	tcase_add_test(tc, nist_sigver_p256_sha256);
	tcase_add_test(tc, rfc5869_hkdf_sha256);
	suite_add_tcase(s, tc);
	return s;
}
