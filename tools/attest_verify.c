// SPDX-License-Identifier: Apache-2.0
/*
 * Host-side verification of Umbra attestation tokens: see attest_verify.h
 * and docs/attestation.md ("Verifying a token"). Every check gets a name
 * and a line in the report, so a failure says which claim was wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl/bearssl_ec.h>

#include "umbra/cbor.h"
#include "attest_host.h"
#include "attest_verify.h"

/* ---- CBOR decoding ----------------------------------------------------- */

void cdec_init(struct cbor_dec *d, const void *p, size_t len)
{
	d->p = p;
	d->len = len;
	d->off = 0;
	d->err = false;
}

static bool dec_fail(struct cbor_dec *d)
{
	d->err = true;
	return false;
}

bool cdec_head(struct cbor_dec *d, unsigned *major, uint64_t *arg)
{
	unsigned ai, i, n;
	uint64_t v;
	uint8_t b;

	if (d->err || d->off >= d->len)
		return dec_fail(d);
	b = d->p[d->off++];
	ai = b & 31;
	if (ai < 24) {
		v = ai;
	} else if (ai <= 27) {
		n = 1u << (ai - 24);
		if (d->len - d->off < n)
			return dec_fail(d);
		for (v = 0, i = 0; i < n; i++)
			v = v << 8 | d->p[d->off++];
	} else {
		return dec_fail(d);   /* reserved, or indefinite length / break */
	}
	*major = b >> 5;
	*arg = v;
	return true;
}

int cdec_peek(const struct cbor_dec *d)
{
	if (d->err || d->off >= d->len)
		return -1;
	return d->p[d->off] >> 5;
}

static bool head_of(struct cbor_dec *d, unsigned want, uint64_t *arg)
{
	unsigned mt;

	if (!cdec_head(d, &mt, arg))
		return false;
	return mt == want ? true : dec_fail(d);
}

bool cdec_uint(struct cbor_dec *d, uint64_t *v)
{
	return head_of(d, CBOR_MT_UINT, v);
}

bool cdec_int(struct cbor_dec *d, int64_t *v)
{
	unsigned mt;
	uint64_t a;

	if (!cdec_head(d, &mt, &a))
		return false;
	if ((mt != CBOR_MT_UINT && mt != CBOR_MT_NINT) || a > (uint64_t)INT64_MAX)
		return dec_fail(d);
	*v = mt == CBOR_MT_UINT ? (int64_t)a : -1 - (int64_t)a;
	return true;
}

static bool string_of(struct cbor_dec *d, unsigned mt, const uint8_t **p, size_t *n)
{
	uint64_t a;

	if (!head_of(d, mt, &a))
		return false;
	if (a > d->len - d->off)
		return dec_fail(d);
	*p = d->p + d->off;
	*n = (size_t)a;
	d->off += (size_t)a;
	return true;
}

bool cdec_bstr(struct cbor_dec *d, const uint8_t **p, size_t *n)
{
	return string_of(d, CBOR_MT_BSTR, p, n);
}

bool cdec_tstr(struct cbor_dec *d, const char **p, size_t *n)
{
	const uint8_t *b;

	if (!string_of(d, CBOR_MT_TSTR, &b, n))
		return false;
	*p = (const char *)b;
	return true;
}

bool cdec_array(struct cbor_dec *d, uint64_t *n)
{
	return head_of(d, CBOR_MT_ARRAY, n);
}

bool cdec_map(struct cbor_dec *d, uint64_t *n)
{
	return head_of(d, CBOR_MT_MAP, n);
}

bool cdec_tag(struct cbor_dec *d, uint64_t *tag)
{
	return head_of(d, CBOR_MT_TAG, tag);
}

bool cdec_skip(struct cbor_dec *d)
{
	uint64_t pending = 1, a;
	unsigned mt;

	while (pending) {
		if (!cdec_head(d, &mt, &a))
			return false;
		pending--;
		switch (mt) {
		case CBOR_MT_BSTR:
		case CBOR_MT_TSTR:
			if (a > d->len - d->off)
				return dec_fail(d);
			d->off += (size_t)a;
			break;
		case CBOR_MT_ARRAY:
			if (a > d->len - d->off)
				return dec_fail(d);
			pending += a;
			break;
		case CBOR_MT_MAP:
			if (a > (d->len - d->off) / 2)
				return dec_fail(d);
			pending += 2 * a;
			break;
		case CBOR_MT_TAG:
			pending++;
			break;
		default:
			break;
		}
		/* every pending item needs at least one more byte */
		if (pending > d->len - d->off)
			return dec_fail(d);
	}
	return true;
}

/* ---- signatures -------------------------------------------------------- */

bool av_es256_verify(const uint8_t pub[ATTEST_PUBKEY_LEN], const void *msg,
		     size_t len, const uint8_t *sig, size_t sig_len)
{
	uint8_t h[ATTEST_DIGEST_LEN];
	br_ec_public_key pk = {
		.curve = BR_EC_secp256r1,
		.q = (unsigned char *)(uintptr_t)pub,
		.qlen = ATTEST_PUBKEY_LEN,
	};

	if (sig_len != ATTEST_SIG_LEN)
		return false;
	attest_sha256(msg, len, h);
	return br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, h, sizeof(h), &pk, sig,
				     sig_len) == 1;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool av_decode_sign1(const uint8_t *p, size_t len, struct av_sign1 *s,
		     char *err, size_t errlen)
{
	struct cbor_dec d, h;
	uint64_t n, tag, i;
	size_t start;
	int64_t key;

	memset(s, 0, sizeof(*s));
	cdec_init(&d, p, len);
	if (cdec_peek(&d) == CBOR_MT_TAG) {
		if (!cdec_tag(&d, &tag) || tag != ATTEST_COSE_SIGN1_TAG) {
			set_err(err, errlen, "tag %llu, not 18 (COSE_Sign1)",
				(unsigned long long)tag);
			return false;
		}
		s->tagged = true;
	}
	if (!cdec_array(&d, &n) || n != 4) {
		set_err(err, errlen, "not a 4-element COSE_Sign1 array");
		return false;
	}
	if (!cdec_bstr(&d, &s->protected_, &s->protected_len)) {
		set_err(err, errlen, "protected header is not a byte string");
		return false;
	}
	if (s->protected_len) {
		cdec_init(&h, s->protected_, s->protected_len);
		if (!cdec_map(&h, &n)) {
			set_err(err, errlen, "protected header is not a map");
			return false;
		}
		for (i = 0; i < n; i++) {
			if (cdec_peek(&h) == CBOR_MT_UINT || cdec_peek(&h) == CBOR_MT_NINT) {
				if (!cdec_int(&h, &key))
					break;
				if (key == ATTEST_COSE_HDR_ALG) {
					if (!cdec_int(&h, &s->alg))
						break;
					continue;
				}
			} else if (!cdec_skip(&h)) {
				break;
			}
			if (!cdec_skip(&h))
				break;
		}
		if (!cdec_done(&h)) {
			set_err(err, errlen, "malformed protected header");
			return false;
		}
	}
	start = d.off;
	if (cdec_peek(&d) != CBOR_MT_MAP || !cdec_skip(&d)) {
		set_err(err, errlen, "unprotected header is not a map");
		return false;
	}
	s->unprotected = p + start;
	s->unprotected_len = d.off - start;
	if (!cdec_bstr(&d, &s->payload, &s->payload_len)) {
		set_err(err, errlen, "payload is not a byte string (or truncated)");
		return false;
	}
	if (!cdec_bstr(&d, &s->sig, &s->sig_len)) {
		set_err(err, errlen, "signature is not a byte string (or truncated)");
		return false;
	}
	if (!cdec_done(&d)) {
		set_err(err, errlen, "%zu trailing bytes after the COSE_Sign1",
			d.len - d.off);
		return false;
	}
	return true;
}

bool av_verify_sign1(const struct av_sign1 *s, const uint8_t pub[ATTEST_PUBKEY_LEN])
{
	static const char ctx[] = "Signature1";
	struct cbor_enc e;
	uint8_t *buf;
	size_t need;
	bool ok;

	cbor_init(&e, NULL, 0);
	cbor_put_array(&e, 4);
	cbor_put_tstr(&e, ctx, sizeof(ctx) - 1);
	cbor_put_bstr(&e, s->protected_, s->protected_len);
	cbor_put_bstr(&e, NULL, 0);
	cbor_put_bstr(&e, s->payload, s->payload_len);
	need = cbor_len(&e);
	buf = malloc(need);
	if (!buf)
		return false;
	cbor_init(&e, buf, need);
	cbor_put_array(&e, 4);
	cbor_put_tstr(&e, ctx, sizeof(ctx) - 1);
	cbor_put_bstr(&e, s->protected_, s->protected_len);
	cbor_put_bstr(&e, NULL, 0);
	cbor_put_bstr(&e, s->payload, s->payload_len);
	ok = cbor_ok(&e) && av_es256_verify(pub, buf, cbor_len(&e), s->sig, s->sig_len);
	free(buf);
	return ok;
}

/* ---- reference values (JSON) ------------------------------------------- */

struct js {
	const char *s;
	size_t len, off;
	char *err;
	size_t errlen;
};

static void js_ws(struct js *j)
{
	while (j->off < j->len && (j->s[j->off] == ' ' || j->s[j->off] == '\t' ||
				   j->s[j->off] == '\n' || j->s[j->off] == '\r'))
		j->off++;
}

static bool js_fail(struct js *j, const char *what)
{
	size_t line = 1, i;

	for (i = 0; i < j->off && i < j->len; i++)
		line += j->s[i] == '\n';
	set_err(j->err, j->errlen, "line %zu: %s", line, what);
	return false;
}

static bool js_peek(struct js *j, char c)
{
	js_ws(j);
	return j->off < j->len && j->s[j->off] == c;
}

static bool js_expect(struct js *j, char c)
{
	char msg[32];

	if (js_peek(j, c)) {
		j->off++;
		return true;
	}
	snprintf(msg, sizeof(msg), "expected '%c'", c);
	return js_fail(j, msg);
}

/* A string without escapes other than \" \\ \/ (reference files are ASCII). */
static bool js_string(struct js *j, char *out, size_t cap, size_t *n)
{
	size_t k = 0;
	char c;

	if (!js_expect(j, '"'))
		return false;
	while (j->off < j->len) {
		c = j->s[j->off++];
		if (c == '"') {
			out[k] = 0;
			*n = k;
			return true;
		}
		if (c == '\\') {
			if (j->off >= j->len)
				break;
			c = j->s[j->off++];
			if (c != '"' && c != '\\' && c != '/')
				return js_fail(j, "unsupported escape in string");
		} else if ((unsigned char)c < 0x20) {
			return js_fail(j, "control character in string");
		}
		if (k + 1 >= cap)
			return js_fail(j, "string too long");
		out[k++] = c;
	}
	return js_fail(j, "unterminated string");
}

static bool js_int(struct js *j, int64_t *v)
{
	bool neg = false;
	uint64_t a = 0;
	size_t digits = 0;

	js_ws(j);
	if (j->off < j->len && j->s[j->off] == '-') {
		neg = true;
		j->off++;
	}
	while (j->off < j->len && j->s[j->off] >= '0' && j->s[j->off] <= '9') {
		if (a > (UINT64_C(1) << 62))
			return js_fail(j, "number too large");
		a = a * 10 + (uint64_t)(j->s[j->off++] - '0');
		digits++;
	}
	if (!digits)
		return js_fail(j, "expected a number");
	if (a > (uint64_t)INT64_MAX)
		return js_fail(j, "number too large");
	*v = neg ? -(int64_t)a : (int64_t)a;
	return true;
}

static bool js_hex(struct js *j, uint8_t *out, size_t want)
{
	char buf[160];
	size_t n;

	if (!js_string(j, buf, sizeof(buf), &n))
		return false;
	if (ah_hex_decode(buf, n, out, want) != (long)want)
		return js_fail(j, want == 32 ? "expected 64 hex digits" : "bad hex string");
	return true;
}

static const struct {
	const char *name;
	unsigned value;
} lifecycles[] = {
	{ "unknown", ATTEST_LIFECYCLE_UNKNOWN },
	{ "assembly-and-test", ATTEST_LIFECYCLE_ASSEMBLY_AND_TEST },
	{ "psa-rot-provisioning", ATTEST_LIFECYCLE_PSA_ROT_PROVISIONING },
	{ "secured", ATTEST_LIFECYCLE_SECURED },
	{ "non-psa-rot-debug", ATTEST_LIFECYCLE_NON_PSA_ROT_DEBUG },
	{ "recoverable-psa-rot-debug", ATTEST_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG },
	{ "decommissioned", ATTEST_LIFECYCLE_DECOMMISSIONED },
};

int av_lifecycle_from_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(lifecycles) / sizeof(lifecycles[0]); i++)
		if (strlen(lifecycles[i].name) == len && !memcmp(lifecycles[i].name, name, len))
			return (int)lifecycles[i].value;
	return -1;
}

const char *av_lifecycle_name(unsigned value)
{
	size_t i;

	for (i = 0; i < sizeof(lifecycles) / sizeof(lifecycles[0]); i++)
		if (lifecycles[i].value == (value & 0xff00))
			return lifecycles[i].name;
	return "invalid";
}

int av_parse_reference(const char *json, size_t len, struct av_reference *ref,
		       char *err, size_t errlen)
{
	struct js j = { json, len, 0, err, errlen };
	char key[64], val[64];
	bool have_comp = false;
	size_t n, i;
	int lc;

	memset(ref, 0, sizeof(*ref));
	if (!js_expect(&j, '{'))
		return -1;
	if (js_peek(&j, '}')) {
		j.off++;
		goto end;
	}
	do {
		if (!js_string(&j, key, sizeof(key), &n) || !js_expect(&j, ':'))
			return -1;
		if (!strcmp(key, "implementation-id")) {
			if (!js_hex(&j, ref->impl_id, ATTEST_IMPL_ID_LEN))
				return -1;
			ref->has_impl_id = true;
		} else if (!strcmp(key, "client-id")) {
			if (!js_int(&j, &ref->client_id))
				return -1;
			ref->has_client_id = true;
		} else if (!strcmp(key, "security-lifecycle")) {
			if (!js_expect(&j, '['))
				return -1;
			if (js_peek(&j, ']'))
				return js_fail(&j, "empty security-lifecycle list"), -1;
			do {
				if (!js_string(&j, val, sizeof(val), &n))
					return -1;
				lc = av_lifecycle_from_name(val, n);
				if (lc < 0)
					return js_fail(&j, "unknown lifecycle state name"), -1;
				if (ref->nr_lifecycle == AV_MAX_LIFECYCLES)
					return js_fail(&j, "too many lifecycle states"), -1;
				ref->lifecycle[ref->nr_lifecycle++] = (uint16_t)lc;
			} while (js_peek(&j, ',') && ++j.off);
			if (!js_expect(&j, ']'))
				return -1;
		} else if (!strcmp(key, "components")) {
			have_comp = true;
			if (!js_expect(&j, '{'))
				return -1;
			if (js_peek(&j, '}')) {
				j.off++;
				continue;
			}
			do {
				struct av_ref_component *c;

				if (ref->nr_comp == AV_MAX_REF_COMPONENTS)
					return js_fail(&j, "too many components"), -1;
				c = &ref->comp[ref->nr_comp];
				if (!js_string(&j, c->type, sizeof(c->type), &n) || !n)
					return js_fail(&j, "bad component type"), -1;
				for (i = 0; i < ref->nr_comp; i++)
					if (!strcmp(ref->comp[i].type, c->type))
						return js_fail(&j, "component listed twice"), -1;
				if (!js_expect(&j, ':'))
					return -1;
				if (js_peek(&j, '{')) {
					/* {"value": hex, "signer-id": hex, "version": text} */
					bool have_value = false;
					char k2[16];

					j.off++;
					do {
						if (!js_string(&j, k2, sizeof(k2), &n) || !js_expect(&j, ':'))
							return -1;
						if (!strcmp(k2, "value") &&
						    js_hex(&j, c->value, ATTEST_DIGEST_LEN))
							have_value = true;
						else if (!strcmp(k2, "signer-id") &&
							 js_hex(&j, c->signer, ATTEST_DIGEST_LEN))
							c->has_signer = true;
						else if (!strcmp(k2, "version") &&
							 js_string(&j, c->version, sizeof(c->version), &n) && n)
							c->has_version = true;
						else
							return js_fail(&j, "bad component entry (value, signer-id, version)"), -1;
					} while (js_peek(&j, ',') && ++j.off);
					if (!js_expect(&j, '}') || !have_value)
						return js_fail(&j, "component entry without \"value\""), -1;
				} else if (!js_hex(&j, c->value, ATTEST_DIGEST_LEN)) {
					return -1;
				}
				ref->nr_comp++;
			} while (js_peek(&j, ',') && ++j.off);
			if (!js_expect(&j, '}'))
				return -1;
		} else {
			char msg[96];

			snprintf(msg, sizeof(msg), "unknown key \"%s\"", key);
			return js_fail(&j, msg), -1;
		}
	} while (js_peek(&j, ',') && ++j.off);
	if (!js_expect(&j, '}'))
		return -1;
end:
	js_ws(&j);
	if (j.off != j.len)
		return js_fail(&j, "trailing characters"), -1;
	if (!have_comp)
		return js_fail(&j, "no \"components\""), -1;
	return 0;
}

/* ---- token verification ------------------------------------------------ */

static void add(struct av_report *r, enum av_status st, const char *name,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add(struct av_report *r, enum av_status st, const char *name,
		const char *fmt, ...)
{
	struct av_check *c;
	va_list ap;

	if (st == AV_FAIL)
		r->failed++;
	if (r->n == AV_MAX_CHECKS)
		return;
	c = &r->check[r->n++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->status = st;
	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
}

static const char *hex(const uint8_t *p, size_t n, char *buf)
{
	ah_hex_encode(p, n, buf);
	return buf;
}

struct endorsement {
	bool ok;              /* decoded and signature valid */
	bool decoded;
	uint8_t key[ATTEST_PUBKEY_LEN];
	uint8_t measurement[ATTEST_DIGEST_LEN];
};

/* Check one endorsement: signed by issuer, expected role, valid key. */
static void check_endorsement(struct av_report *r, const char *name,
			      const uint8_t *p, size_t len, const uint8_t *issuer,
			      const char *issuer_name, const char *role,
			      struct endorsement *out)
{
	struct av_sign1 s;
	struct cbor_dec d;
	char err[96];
	bool have[4] = { false };
	const char *str = NULL;
	const uint8_t *b = NULL;
	uint64_t n, i;
	size_t blen = 0;
	int64_t key;

	memset(out, 0, sizeof(*out));
	if (!av_decode_sign1(p, len, &s, err, sizeof(err))) {
		add(r, AV_FAIL, name, "undecodable: %s", err);
		return;
	}
	if (!s.tagged || s.alg != ATTEST_COSE_ALG_ES256) {
		add(r, AV_FAIL, name, "not a tagged ES256 COSE_Sign1");
		return;
	}
	cdec_init(&d, s.payload, s.payload_len);
	if (!cdec_map(&d, &n)) {
		add(r, AV_FAIL, name, "payload is not a map");
		return;
	}
	for (i = 0; i < n && !d.err; i++) {
		if (!cdec_int(&d, &key))
			break;
		if (key == ATTEST_END_ROLE && !have[1]) {
			if (!cdec_tstr(&d, &str, &blen))
				break;
			if (blen != strlen(role) || memcmp(str, role, blen)) {
				add(r, AV_FAIL, name, "role \"%.*s\", expected \"%s\"",
				    (int)(blen > 40 ? 40 : blen), str, role);
				return;
			}
			have[1] = true;
		} else if (key == ATTEST_END_KEY && !have[2]) {
			if (!cdec_bstr(&d, &b, &blen) || blen != ATTEST_PUBKEY_LEN)
				break;
			memcpy(out->key, b, ATTEST_PUBKEY_LEN);
			have[2] = true;
		} else if (key == ATTEST_END_MEASUREMENT && !have[3]) {
			if (!cdec_bstr(&d, &b, &blen) || blen != ATTEST_DIGEST_LEN)
				break;
			memcpy(out->measurement, b, ATTEST_DIGEST_LEN);
			have[3] = true;
		} else {
			break;
		}
	}
	if (i != n || !cdec_done(&d) || !have[1] || !have[2] || !have[3]) {
		add(r, AV_FAIL, name, "payload is not {1: role, 2: key, 3: measurement}");
		return;
	}
	if (!ah_point_valid(out->key)) {
		add(r, AV_FAIL, name, "endorsed key is not a P-256 point");
		return;
	}
	out->decoded = true;
	if (!issuer) {
		add(r, AV_FAIL, name, "no trusted %s to check it with", issuer_name);
		return;
	}
	if (!av_verify_sign1(&s, issuer)) {
		add(r, AV_FAIL, name, "signature does not verify with the %s", issuer_name);
		return;
	}
	out->ok = true;
	add(r, AV_PASS, name, "%s key endorsed by the %s", role, issuer_name);
}

struct token_claims {
	bool seen[10];
	const uint8_t *nonce, *ueid, *impl, *seed;
	size_t nonce_len, ueid_len, impl_len, seed_len;
	const char *profile;
	size_t profile_len;
	int64_t client_id;
	uint64_t lifecycle;
	const uint8_t *events;   /* ATTEST_CLAIM_UMBRA_EVENTS */
	size_t events_len;
	const uint8_t *swc;   /* encoded array */
	size_t swc_len;
	unsigned unknown;
};

enum { C_NONCE, C_UEID, C_PROFILE, C_SEED, C_CLIENT, C_LIFECYCLE, C_IMPL, C_SWC, C_EVENTS };

static int claim_slot(int64_t key)
{
	switch (key) {
	case ATTEST_CLAIM_NONCE: return C_NONCE;
	case ATTEST_CLAIM_UEID: return C_UEID;
	case ATTEST_CLAIM_PROFILE: return C_PROFILE;
	case ATTEST_CLAIM_BOOT_SEED: return C_SEED;
	case ATTEST_CLAIM_CLIENT_ID: return C_CLIENT;
	case ATTEST_CLAIM_LIFECYCLE: return C_LIFECYCLE;
	case ATTEST_CLAIM_IMPL_ID: return C_IMPL;
	case ATTEST_CLAIM_SW_COMPONENTS: return C_SWC;
	case ATTEST_CLAIM_UMBRA_EVENTS: return C_EVENTS;
	default: return -1;
	}
}

/* Decode the claims map; types are checked here, values by the callers. */
static bool decode_claims(const uint8_t *p, size_t len, struct token_claims *tc,
			  char *err, size_t errlen)
{
	struct cbor_dec d;
	uint64_t n, i, u;
	size_t start;
	int64_t key;
	int slot;
	bool ok;

	memset(tc, 0, sizeof(*tc));
	cdec_init(&d, p, len);
	if (!cdec_map(&d, &n)) {
		set_err(err, errlen, "the payload is not a CBOR map");
		return false;
	}
	for (i = 0; i < n; i++) {
		if (cdec_peek(&d) != CBOR_MT_UINT && cdec_peek(&d) != CBOR_MT_NINT) {
			/* not ours (text keys): ignore, per EAT */
			if (!cdec_skip(&d) || !cdec_skip(&d))
				break;
			tc->unknown++;
			continue;
		}
		if (!cdec_int(&d, &key))
			break;
		slot = claim_slot(key);
		if (slot < 0) {
			if (!cdec_skip(&d))
				break;
			tc->unknown++;
			continue;
		}
		if (tc->seen[slot]) {
			set_err(err, errlen, "claim %lld appears twice", (long long)key);
			return false;
		}
		tc->seen[slot] = true;
		switch (slot) {
		case C_NONCE: ok = cdec_bstr(&d, &tc->nonce, &tc->nonce_len); break;
		case C_UEID: ok = cdec_bstr(&d, &tc->ueid, &tc->ueid_len); break;
		case C_IMPL: ok = cdec_bstr(&d, &tc->impl, &tc->impl_len); break;
		case C_SEED: ok = cdec_bstr(&d, &tc->seed, &tc->seed_len); break;
		case C_PROFILE: ok = cdec_tstr(&d, &tc->profile, &tc->profile_len); break;
		case C_CLIENT: ok = cdec_int(&d, &tc->client_id); break;
		case C_LIFECYCLE: ok = cdec_uint(&d, &u); tc->lifecycle = u; break;
		case C_EVENTS: ok = cdec_bstr(&d, &tc->events, &tc->events_len); break;
		default:
			start = d.off;
			ok = cdec_peek(&d) == CBOR_MT_ARRAY && cdec_skip(&d);
			tc->swc = p + start;
			tc->swc_len = d.off - start;
			break;
		}
		if (!ok) {
			set_err(err, errlen, "claim %lld has the wrong type", (long long)key);
			return false;
		}
	}
	if (i != n || !cdec_done(&d)) {
		set_err(err, errlen, "malformed claims map");
		return false;
	}
	return true;
}

struct layers {
	struct attest_component umbra[ATTEST_MAX_COMPONENTS], part[ATTEST_MAX_COMPONENTS];
	struct attest_component rt[ATTEST_NR_RMR];
	size_t nu, np, nr;
};

static bool copy_str(char *dst, size_t cap, const char *s, size_t n)
{
	size_t i;

	if (n >= cap)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	memcpy(dst, s, n);
	dst[n] = 0;
	return true;
}

/* Software components into per-layer lists; false with a reason. */
static bool decode_components(const uint8_t *p, size_t len, struct layers *l,
			      char *err, size_t errlen)
{
	struct cbor_dec d;
	uint64_t n, m, i, k;
	struct attest_component c;
	const uint8_t *b = NULL;
	const char *s = NULL;
	size_t blen = 0;
	int64_t key;
	bool have[7];

	memset(l, 0, sizeof(*l));
	cdec_init(&d, p, len);
	if (!cdec_array(&d, &n) || n == 0) {
		set_err(err, errlen, "not a non-empty array");
		return false;
	}
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		memset(have, 0, sizeof(have));
		if (!cdec_map(&d, &m)) {
			set_err(err, errlen, "entry %llu is not a map", (unsigned long long)i);
			return false;
		}
		for (k = 0; k < m; k++) {
			if (!cdec_int(&d, &key) || key < 1 || key > 6 || key == 3 || have[key])
				goto bad;
			have[key] = true;
			switch (key) {
			case ATTEST_SWC_TYPE:
				if (!cdec_tstr(&d, &s, &blen) || !copy_str(c.type, sizeof(c.type), s, blen))
					goto bad;
				break;
			case ATTEST_SWC_VERSION:
				if (!cdec_tstr(&d, &s, &blen) ||
				    !copy_str(c.version, sizeof(c.version), s, blen))
					goto bad;
				break;
			case ATTEST_SWC_VALUE:
				if (!cdec_bstr(&d, &b, &blen) || blen != ATTEST_DIGEST_LEN)
					goto bad;
				memcpy(c.value, b, ATTEST_DIGEST_LEN);
				break;
			case ATTEST_SWC_SIGNER:
				if (!cdec_bstr(&d, &b, &blen) || blen != ATTEST_DIGEST_LEN)
					goto bad;
				memcpy(c.signer, b, ATTEST_DIGEST_LEN);
				break;
			case ATTEST_SWC_DESC:
				if (!cdec_tstr(&d, &s, &blen) || blen != strlen(ATTEST_HASH_DESC) ||
				    memcmp(s, ATTEST_HASH_DESC, blen))
					goto bad;
				break;
			}
		}
		if (!have[ATTEST_SWC_TYPE] || !have[ATTEST_SWC_VALUE] ||
		    !have[ATTEST_SWC_SIGNER] || !have[ATTEST_SWC_DESC] || c.type[0] == 0)
			goto bad;
		if (!strncmp(c.type, ATTEST_PREFIX_UMBRA, strlen(ATTEST_PREFIX_UMBRA)) &&
		    l->nu < ATTEST_MAX_COMPONENTS) {
			l->umbra[l->nu++] = c;
		} else if (!strncmp(c.type, ATTEST_PREFIX_PARTITION,
				    strlen(ATTEST_PREFIX_PARTITION)) &&
			   l->np < ATTEST_MAX_COMPONENTS) {
			l->part[l->np++] = c;
		} else if (!strncmp(c.type, ATTEST_PREFIX_RUNTIME,
				    strlen(ATTEST_PREFIX_RUNTIME)) && l->nr < ATTEST_NR_RMR) {
			l->rt[l->nr++] = c;
		} else {
			set_err(err, errlen, "entry %llu (\"%s\"): unknown layer or too many "
				"components", (unsigned long long)i, c.type);
			return false;
		}
	}
	if (!cdec_done(&d)) {
		set_err(err, errlen, "malformed array");
		return false;
	}
	return true;
bad:
	set_err(err, errlen, "entry %llu: want {1: type, 2: SHA-256, ?4: version, "
		"5: signer id, 6: \"sha-256\"}", (unsigned long long)i);
	return false;
}

static const struct av_ref_component *ref_find(const struct av_reference *ref,
					       const char *type)
{
	size_t i;

	for (i = 0; i < ref->nr_comp; i++)
		if (!strcmp(ref->comp[i].type, type))
			return &ref->comp[i];
	return NULL;
}

/* umbra/config, partition/config: a mismatch means another /umbra node */
static bool is_config(const char *type)
{
	const char *slash = strchr(type, '/');

	return slash && !strcmp(slash, "/config");
}

static void check_component(struct av_report *r, const struct av_reference *ref,
			    const struct attest_component *c, bool runtime)
{
	const struct av_ref_component *rc = ref_find(ref, c->type);
	char name[64], h1[65], h2[65];

	snprintf(name, sizeof(name), "component:%s", c->type);
	if (!rc) {
		if (runtime)
			add(r, AV_INFO, name, "%s (no reference value)",
			    hex(c->value, ATTEST_DIGEST_LEN, h1));
		else
			add(r, AV_FAIL, name, "%s has no reference value",
			    hex(c->value, ATTEST_DIGEST_LEN, h1));
		return;
	}
	if (memcmp(rc->value, c->value, ATTEST_DIGEST_LEN))
		add(r, AV_FAIL, name, "token %s, expected %s%s",
		    hex(c->value, ATTEST_DIGEST_LEN, h1), hex(rc->value, ATTEST_DIGEST_LEN, h2),
		    is_config(c->type) ? " (another configuration)" : "");
	else if (rc->has_signer && memcmp(rc->signer, c->signer, ATTEST_DIGEST_LEN))
		add(r, AV_FAIL, name, "signer-id %s, expected %s",
		    hex(c->signer, ATTEST_DIGEST_LEN, h1), hex(rc->signer, ATTEST_DIGEST_LEN, h2));
	else if (rc->has_version && strcmp(rc->version, c->version))
		add(r, AV_FAIL, name, "version \"%s\", expected \"%s\"", c->version, rc->version);
	else
		add(r, AV_PASS, name, "%s", hex(c->value, ATTEST_DIGEST_LEN, h1));
}

static bool in_layers(const struct layers *l, const char *type)
{
	size_t i;

	for (i = 0; i < l->nu; i++)
		if (!strcmp(l->umbra[i].type, type))
			return true;
	for (i = 0; i < l->np; i++)
		if (!strcmp(l->part[i].type, type))
			return true;
	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->rt[i].type, type))
			return true;
	return false;
}

static bool duplicate_types(const struct layers *l, char *dup, size_t cap)
{
	const struct attest_component *all[2 * ATTEST_MAX_COMPONENTS + ATTEST_NR_RMR];
	size_t n = 0, i, j;

	for (i = 0; i < l->nu; i++)
		all[n++] = &l->umbra[i];
	for (i = 0; i < l->np; i++)
		all[n++] = &l->part[i];
	for (i = 0; i < l->nr; i++)
		all[n++] = &l->rt[i];
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(all[i]->type, all[j]->type)) {
				snprintf(dup, cap, "%s", all[i]->type);
				return true;
			}
	return false;
}

static void check_layer(struct av_report *r, const char *name,
			const struct attest_component *c, size_t n,
			const struct endorsement *en)
{
	uint8_t m[ATTEST_DIGEST_LEN];
	char h1[65], h2[65];

	if (!en->decoded) {
		add(r, AV_FAIL, name, "no endorsed measurement to compare with");
		return;
	}
	if (attest_layer_measure(c, n, m)) {
		add(r, AV_FAIL, name, "cannot compute the layer measurement");
		return;
	}
	if (memcmp(m, en->measurement, ATTEST_DIGEST_LEN))
		add(r, AV_FAIL, name, "components give %s, endorsed %s",
		    hex(m, ATTEST_DIGEST_LEN, h1), hex(en->measurement, ATTEST_DIGEST_LEN, h2));
	else
		add(r, AV_PASS, name, "%s (%zu component%s)", hex(m, ATTEST_DIGEST_LEN, h1),
		    n, n == 1 ? "" : "s");
}

static void check_claims(struct av_report *r, const struct token_claims *tc,
			 const uint8_t ek_pub[ATTEST_PUBKEY_LEN],
			 const uint8_t *nonce, size_t nonce_len,
			 const struct av_reference *ref)
{
	uint8_t id[ATTEST_INSTANCE_ID_LEN];
	char h1[2 * ATTEST_NONCE_MAX + 1], h2[2 * ATTEST_NONCE_MAX + 1];
	unsigned major;
	size_t i;
	bool ok;

	if (!tc->seen[C_PROFILE])
		add(r, AV_FAIL, "profile", "missing (claim 265)");
	else if (tc->profile_len != strlen(ATTEST_PROFILE) ||
		 memcmp(tc->profile, ATTEST_PROFILE, tc->profile_len))
		add(r, AV_FAIL, "profile", "\"%.*s\", expected \"%s\"",
		    (int)(tc->profile_len > 64 ? 64 : tc->profile_len), tc->profile,
		    ATTEST_PROFILE);
	else
		add(r, AV_PASS, "profile", "%s", ATTEST_PROFILE);

	if (!tc->seen[C_NONCE])
		add(r, AV_FAIL, "nonce", "missing (claim 10)");
	else if (tc->nonce_len != 32 && tc->nonce_len != 48 && tc->nonce_len != 64)
		add(r, AV_FAIL, "nonce", "%zu bytes: must be 32, 48 or 64", tc->nonce_len);
	else if (tc->nonce_len != nonce_len || memcmp(tc->nonce, nonce, nonce_len))
		add(r, AV_FAIL, "nonce", "token %.64s%s, expected %.64s%s",
		    hex(tc->nonce, tc->nonce_len, h1), tc->nonce_len > 32 ? "..." : "",
		    hex(nonce, nonce_len > ATTEST_NONCE_MAX ? ATTEST_NONCE_MAX : nonce_len, h2),
		    nonce_len > 32 ? "..." : "");
	else
		add(r, AV_PASS, "nonce", "%zu bytes, as expected", nonce_len);

	attest_instance_id(ek_pub, id);
	if (!tc->seen[C_UEID])
		add(r, AV_FAIL, "instance-id", "missing (claim 256)");
	else if (tc->ueid_len != ATTEST_INSTANCE_ID_LEN || memcmp(tc->ueid, id, sizeof(id)))
		add(r, AV_FAIL, "instance-id", "does not match the endorsement key "
		    "(expected %s)", hex(id, sizeof(id), h1));
	else
		add(r, AV_PASS, "instance-id", "%s", hex(id, sizeof(id), h1));

	if (!tc->seen[C_IMPL] || tc->impl_len != ATTEST_IMPL_ID_LEN)
		add(r, AV_FAIL, "implementation-id", "missing or not 32 bytes (claim 2396)");
	else if (!ref->has_impl_id)
		add(r, AV_INFO, "implementation-id", "%s (no reference value)",
		    hex(tc->impl, tc->impl_len, h1));
	else if (memcmp(tc->impl, ref->impl_id, ATTEST_IMPL_ID_LEN))
		add(r, AV_FAIL, "implementation-id", "token %s, expected %s",
		    hex(tc->impl, tc->impl_len, h1), hex(ref->impl_id, ATTEST_IMPL_ID_LEN, h2));
	else
		add(r, AV_PASS, "implementation-id", "%s", hex(tc->impl, tc->impl_len, h1));

	if (!tc->seen[C_CLIENT] || tc->client_id == 0 || tc->client_id < INT32_MIN ||
	    tc->client_id > INT32_MAX)
		add(r, AV_FAIL, "client-id", "missing, zero or out of range (claim 2394)");
	else if (ref->has_client_id && ref->client_id != tc->client_id)
		add(r, AV_FAIL, "client-id", "token %lld, expected %lld",
		    (long long)tc->client_id, (long long)ref->client_id);
	else
		add(r, ref->has_client_id ? AV_PASS : AV_INFO, "client-id", "%lld%s",
		    (long long)tc->client_id, ref->has_client_id ? "" : " (no reference value)");

	if (!tc->seen[C_LIFECYCLE] || tc->lifecycle > 0xffff) {
		add(r, AV_FAIL, "security-lifecycle", "missing or out of range (claim 2395)");
	} else {
		major = (unsigned)tc->lifecycle & 0xff00;
		ok = false;
		if (ref->nr_lifecycle == 0)
			ok = major == ATTEST_LIFECYCLE_SECURED ||
			     major == ATTEST_LIFECYCLE_NON_PSA_ROT_DEBUG;
		for (i = 0; i < ref->nr_lifecycle; i++)
			ok |= major == ref->lifecycle[i];
		add(r, ok ? AV_PASS : AV_FAIL, "security-lifecycle", "0x%04x (%s)%s",
		    (unsigned)tc->lifecycle, av_lifecycle_name((unsigned)tc->lifecycle),
		    ok ? "" : ": not an accepted state");
	}

	if (!tc->seen[C_SEED])
		add(r, AV_INFO, "boot-seed", "absent");
	else if (tc->seed_len < ATTEST_BOOT_SEED_MIN || tc->seed_len > ATTEST_BOOT_SEED_MAX)
		add(r, AV_FAIL, "boot-seed", "%zu bytes: must be 8..32", tc->seed_len);
	else
		add(r, AV_INFO, "boot-seed", "%s", hex(tc->seed, tc->seed_len, h1));
}

unsigned av_verify_token(const uint8_t *tok, size_t len,
			 const uint8_t ek_pub[ATTEST_PUBKEY_LEN],
			 const uint8_t *nonce, size_t nonce_len,
			 const struct av_reference *ref, struct av_report *rep)
{
	struct endorsement alias, part;
	struct token_claims tc;
	struct av_sign1 s;
	struct layers *l;
	struct cbor_dec d;
	const uint8_t *e1 = NULL, *e2 = NULL;
	size_t e1_len = 0, e2_len = 0, i;
	uint64_t n, k;
	int64_t key;
	char err[160], dup[ATTEST_TYPE_MAX + 1];

	memset(rep, 0, sizeof(*rep));
	rep->token_len = len;
	if (!av_decode_sign1(tok, len, &s, err, sizeof(err))) {
		add(rep, AV_FAIL, "cose-structure", "%s", err);
		return rep->failed;
	}
	if (!s.tagged) {
		add(rep, AV_FAIL, "cose-structure", "COSE_Sign1 without tag 18");
		return rep->failed;
	}
	add(rep, AV_PASS, "cose-structure", "tagged COSE_Sign1, %zu bytes", len);
	if (s.alg != ATTEST_COSE_ALG_ES256)
		add(rep, AV_FAIL, "cose-alg", "alg %lld, expected -7 (ES256)", (long long)s.alg);
	else
		add(rep, AV_PASS, "cose-alg", "ES256");

	/* unprotected {-65537: [alias endorsement, partition endorsement]} */
	cdec_init(&d, s.unprotected, s.unprotected_len);
	if (cdec_map(&d, &n)) {
		for (k = 0; k < n; k++) {
			int mt = cdec_peek(&d);

			if (mt == CBOR_MT_UINT || mt == CBOR_MT_NINT) {
				if (!cdec_int(&d, &key))
					break;
				if (key == ATTEST_COSE_HDR_ENDORSEMENTS) {
					uint64_t m;

					if (!cdec_array(&d, &m) || m != 2 ||
					    !cdec_bstr(&d, &e1, &e1_len) ||
					    !cdec_bstr(&d, &e2, &e2_len))
						e1 = e2 = NULL;
					continue;
				}
			} else if (!cdec_skip(&d)) {
				break;
			}
			if (!cdec_skip(&d))
				break;
		}
	}
	if (!e1 || !e2) {
		add(rep, AV_FAIL, "endorsements", "no [alias, partition] endorsements "
		    "under unprotected header -65537");
		memset(&alias, 0, sizeof(alias));
		memset(&part, 0, sizeof(part));
	} else {
		check_endorsement(rep, "alias-endorsement", e1, e1_len, ek_pub,
				  "endorsement key", ATTEST_ROLE_ALIAS, &alias);
		check_endorsement(rep, "partition-endorsement", e2, e2_len,
				  alias.decoded ? alias.key : NULL, "alias key",
				  ATTEST_ROLE_PARTITION, &part);
	}
	if (!part.decoded)
		add(rep, AV_FAIL, "signature", "no endorsed partition key to verify with");
	else if (!av_verify_sign1(&s, part.key))
		add(rep, AV_FAIL, "signature", "does not verify with the endorsed partition key");
	else
		add(rep, AV_PASS, "signature", "ES256 by the endorsed partition key");

	if (!decode_claims(s.payload, s.payload_len, &tc, err, sizeof(err))) {
		add(rep, AV_FAIL, "claims", "%s", err);
		return rep->failed;
	}
	if (tc.unknown)
		add(rep, AV_INFO, "claims", "%u claim%s not defined by the profile ignored",
		    tc.unknown, tc.unknown == 1 ? "" : "s");
	check_claims(rep, &tc, ek_pub, nonce, nonce_len, ref);

	if (!tc.seen[C_SWC]) {
		add(rep, AV_FAIL, "sw-components", "missing (claim 2399)");
		return rep->failed;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		add(rep, AV_FAIL, "sw-components", "out of memory");
		return rep->failed;
	}
	if (!decode_components(tc.swc, tc.swc_len, l, err, sizeof(err))) {
		add(rep, AV_FAIL, "sw-components", "%s", err);
		free(l);
		return rep->failed;
	}
	if (duplicate_types(l, dup, sizeof(dup))) {
		add(rep, AV_FAIL, "sw-components", "\"%s\" appears twice", dup);
		free(l);
		return rep->failed;
	}
	add(rep, AV_PASS, "sw-components", "%zu umbra, %zu partition, %zu runtime",
	    l->nu, l->np, l->nr);
	check_layer(rep, "umbra-measurement", l->umbra, l->nu, &alias);
	check_layer(rep, "partition-measurement", l->part, l->np, &part);
	for (i = 0; i < l->nu; i++)
		check_component(rep, ref, &l->umbra[i], false);
	for (i = 0; i < l->np; i++)
		check_component(rep, ref, &l->part[i], false);
	for (i = 0; i < l->nr; i++)
		check_component(rep, ref, &l->rt[i], true);
	for (i = 0; i < ref->nr_comp; i++) {
		char name[64];

		if (in_layers(l, ref->comp[i].type))
			continue;
		snprintf(name, sizeof(name), "component:%s", ref->comp[i].type);
		add(rep, AV_FAIL, name, "in the reference values but not in the token");
	}
	free(l);
	return rep->failed;
}

bool av_token_events_digest(const uint8_t *tok, size_t len, uint8_t digest[ATTEST_DIGEST_LEN])
{
	struct token_claims tc;
	struct av_sign1 s;
	char err[AV_MSG_MAX];

	if (!av_decode_sign1(tok, len, &s, err, sizeof(err)) ||
	    !decode_claims(s.payload, s.payload_len, &tc, err, sizeof(err)) ||
	    !tc.seen[C_EVENTS] || tc.events_len != ATTEST_DIGEST_LEN)
		return false;
	memcpy(digest, tc.events, ATTEST_DIGEST_LEN);
	return true;
}
