// SPDX-License-Identifier: Apache-2.0
/*
 * Measured boot and attestation: DICE derivation, measurement registers,
 * key endorsements and the PSA attestation token (COSE_Sign1, ES256).
 * docs/attestation.md is the specification this file implements.
 *
 * Portable: the same file builds into the host tools and tests and,
 * freestanding, into the monitor. It calls only BearSSL's hash, HMAC/HKDF
 * and HMAC_DRBG code and p256.c (k·G, ECDSA signing): nothing that reads
 * files, clocks or a system RNG. ECDSA signing is deterministic (RFC
 * 6979), so equal inputs give byte-identical tokens. No allocation, no
 * recursion; the largest stack object here is a few hundred bytes.
 */
#include <string.h>

#include <bearssl/bearssl_hash.h>
#include <bearssl/bearssl_kdf.h>
#include <bearssl/bearssl_rand.h>

#include "attest/attest.h"
#include "attest/p256.h"
#include "umbra/cbor.h"

#define INFO_MAX 96          /* longest HKDF info string we build */
#define COMPONENT_ENC_MAX 160 /* one encoded software-component map */

/* P-256 group order n, big-endian (SEC 2, 2.4.2) */
static const uint8_t p256_n[ATTEST_SCALAR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

/* protected header {1: -7}, and its bstr wrapping */
static const uint8_t cose_protected[] = { 0xa1, 0x01, 0x26 };
static const char sig1_context[] = "Signature1";

void attest_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}

/* Whole blocks through the accelerated compression function when one is
 * set, the tail through BearSSL, which carries on from the state. */
static attest_sha256_blocks_fn *sha256_blocks;

static void sha256_with(attest_sha256_blocks_fn *blocks, const void *data, size_t len,
			uint8_t out[ATTEST_DIGEST_LEN])
{
	br_sha256_context h;
	size_t bulk = len & ~(size_t)63, i;
	uint8_t stb[ATTEST_DIGEST_LEN];
	uint32_t st[8];

	br_sha256_init(&h);
	if (blocks && bulk) {
		br_sha256_state(&h, stb); /* big-endian words */
		for (i = 0; i < 8; i++)
			st[i] = (uint32_t)stb[4 * i] << 24 | (uint32_t)stb[4 * i + 1] << 16 |
				(uint32_t)stb[4 * i + 2] << 8 | stb[4 * i + 3];
		blocks(st, data, bulk / 64);
		for (i = 0; i < 32; i++)
			stb[i] = (uint8_t)(st[i / 4] >> (24 - 8 * (i % 4)));
		br_sha256_set_state(&h, stb, bulk);
		data = (const uint8_t *)data + bulk;
		len -= bulk;
	}
	br_sha256_update(&h, data, len);
	br_sha256_out(&h, out);
}

void attest_sha256(const void *data, size_t len, uint8_t out[ATTEST_DIGEST_LEN])
{
	sha256_with(sha256_blocks, data, len, out);
}

bool attest_use_sha256_blocks(attest_sha256_blocks_fn *blocks)
{
	uint8_t msg[3 * 64 + 7], a[ATTEST_DIGEST_LEN], b[ATTEST_DIGEST_LEN];
	size_t i;

	/* known answer first: BearSSL's digest of 3 blocks and a tail */
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 1);
	sha256_with(NULL, msg, sizeof(msg), a);
	sha256_with(blocks, msg, sizeof(msg), b);
	sha256_blocks = memcmp(a, b, sizeof(a)) ? NULL : blocks;
	return sha256_blocks != NULL;
}

int attest_hkdf(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
		const void *info, size_t info_len, void *out, size_t out_len)
{
	br_hkdf_context hc;
	size_t got;

	if (out_len > 255 * ATTEST_DIGEST_LEN || (!ikm && ikm_len) ||
	    (!info && info_len) || (!out && out_len))
		return -ATTEST_E_INVAL;
	br_hkdf_init(&hc, &br_sha256_vtable, salt ? salt : BR_HKDF_NO_SALT,
		     salt ? salt_len : 0);
	br_hkdf_inject(&hc, ikm, ikm_len);
	br_hkdf_flip(&hc);
	got = br_hkdf_produce(&hc, info, info_len, out, out_len);
	attest_wipe(&hc, sizeof(hc));
	return got == out_len ? 0 : -ATTEST_E_CRYPTO;
}

bool attest_scalar_valid(const uint8_t k[ATTEST_SCALAR_LEN])
{
	unsigned borrow = 0, nonzero = 0;
	int i;

	/* k - n from the least significant byte: a final borrow means k < n */
	for (i = ATTEST_SCALAR_LEN - 1; i >= 0; i--) {
		unsigned d = (unsigned)k[i] - p256_n[i] - borrow;

		borrow = (d >> 8) & 1;
		nonzero |= k[i];
	}
	return (borrow & (unsigned)(nonzero != 0)) != 0;
}

int attest_public_key(const uint8_t priv[ATTEST_SCALAR_LEN],
		      uint8_t pub[ATTEST_PUBKEY_LEN])
{
	if (!attest_scalar_valid(priv))
		return -ATTEST_E_INVAL;
	return p256_mulgen(priv, pub) ? -ATTEST_E_CRYPTO : 0;
}

int attest_derive_keypair(const void *ikm, size_t ikm_len, const void *salt,
			  size_t salt_len, const char *label, struct attest_keypair *kp)
{
	uint8_t info[INFO_MAX];
	size_t llen;
	unsigned c;
	int ret = 0;

	if (!label || !kp)
		return -ATTEST_E_INVAL;
	llen = strlen(label);
	if (llen + 1 > sizeof(info))
		return -ATTEST_E_INVAL;
	memcpy(info, label, llen);
	for (c = 0; c < 256; c++) {
		info[llen] = (uint8_t)c;
		ret = attest_hkdf(ikm, ikm_len, salt, salt_len, info, llen + 1,
				  kp->priv, sizeof(kp->priv));
		if (ret)
			break;
		if (attest_scalar_valid(kp->priv))
			return attest_public_key(kp->priv, kp->pub);
	}
	attest_wipe(kp, sizeof(*kp));
	return ret ? ret : -ATTEST_E_CRYPTO;
}

/*
 * ECDSA P-256 with the RFC 6979 nonce exactly as BearSSL's
 * br_ecdsa_i31_sign_raw derives it (HMAC_DRBG-SHA-256 seeded with
 * priv || (hash mod n), the first output in [1, n-1]), so signatures are
 * byte-identical to BearSSL's; the arithmetic is p256.c's.
 */
#define NONCE_TRIES 16   /* a retry has probability 2^-32 */

static int sign_hash(const uint8_t priv[ATTEST_SCALAR_LEN],
		     const uint8_t hash[ATTEST_DIGEST_LEN], uint8_t sig[ATTEST_SIG_LEN])
{
	uint8_t seed[2 * ATTEST_SCALAR_LEN], k[ATTEST_SCALAR_LEN];
	br_hmac_drbg_context drbg;
	int i, ret = -ATTEST_E_CRYPTO;

	if (!attest_scalar_valid(priv))
		return -ATTEST_E_INVAL;
	memcpy(seed, priv, ATTEST_SCALAR_LEN);
	p256_reduce_n(hash, seed + ATTEST_SCALAR_LEN);
	br_hmac_drbg_init(&drbg, &br_sha256_vtable, seed, sizeof(seed));
	for (i = 0; i < NONCE_TRIES; i++) {
		br_hmac_drbg_generate(&drbg, k, sizeof(k));
		if (attest_scalar_valid(k)) {
			if (p256_ecdsa_sign(priv, seed + ATTEST_SCALAR_LEN, k, sig) == 0)
				ret = 0;
			break;
		}
	}
	attest_wipe(seed, sizeof(seed));
	attest_wipe(k, sizeof(k));
	attest_wipe(&drbg, sizeof(drbg));
	return ret;
}

int attest_sign(const uint8_t priv[ATTEST_SCALAR_LEN], const void *msg, size_t len,
		uint8_t sig[ATTEST_SIG_LEN])
{
	uint8_t h[ATTEST_DIGEST_LEN];

	attest_sha256(msg, len, h);
	return sign_hash(priv, h, sig);
}

/* ---- DICE derivation --------------------------------------------------- */

int attest_derive_ek(const uint8_t uds[ATTEST_UDS_LEN], struct attest_keypair *ek)
{
	return attest_derive_keypair(uds, ATTEST_UDS_LEN, NULL, 0, ATTEST_LABEL_EK, ek);
}

void attest_derive_cdi(const uint8_t uds[ATTEST_UDS_LEN],
		       const uint8_t m_umbra[ATTEST_DIGEST_LEN],
		       uint8_t cdi[ATTEST_CDI_LEN])
{
	/* cannot fail: every length is fixed and in range */
	(void)attest_hkdf(uds, ATTEST_UDS_LEN, m_umbra, ATTEST_DIGEST_LEN,
			  ATTEST_LABEL_CDI, sizeof(ATTEST_LABEL_CDI) - 1,
			  cdi, ATTEST_CDI_LEN);
}

int attest_derive_alias(const uint8_t cdi[ATTEST_CDI_LEN], struct attest_keypair *ak)
{
	return attest_derive_keypair(cdi, ATTEST_CDI_LEN, NULL, 0, ATTEST_LABEL_ALIAS, ak);
}

void attest_derive_partition_cdi(const uint8_t cdi[ATTEST_CDI_LEN],
				 const uint8_t m_part[ATTEST_DIGEST_LEN],
				 uint8_t cdi_p[ATTEST_CDI_LEN])
{
	(void)attest_hkdf(cdi, ATTEST_CDI_LEN, m_part, ATTEST_DIGEST_LEN,
			  ATTEST_LABEL_PARTITION_CDI,
			  sizeof(ATTEST_LABEL_PARTITION_CDI) - 1, cdi_p, ATTEST_CDI_LEN);
}

int attest_derive_partition_key(const uint8_t cdi_p[ATTEST_CDI_LEN],
				struct attest_keypair *pak)
{
	return attest_derive_keypair(cdi_p, ATTEST_CDI_LEN, NULL, 0,
				     ATTEST_LABEL_PARTITION_KEY, pak);
}

int attest_derive_seal_key(const uint8_t cdi_p[ATTEST_CDI_LEN], const void *label,
			   size_t label_len, uint8_t key[ATTEST_SEAL_KEY_LEN])
{
	uint8_t info[INFO_MAX];
	const size_t plen = sizeof(ATTEST_LABEL_SEAL) - 1;

	if (label_len > ATTEST_SEAL_LABEL_MAX || (!label && label_len))
		return -ATTEST_E_INVAL;
	memcpy(info, ATTEST_LABEL_SEAL, plen);
	info[plen] = 0;
	if (label_len)
		memcpy(info + plen + 1, label, label_len);
	return attest_hkdf(cdi_p, ATTEST_CDI_LEN, NULL, 0, info, plen + 1 + label_len,
			   key, ATTEST_SEAL_KEY_LEN);
}

void attest_instance_id(const uint8_t ek_pub[ATTEST_PUBKEY_LEN],
			uint8_t id[ATTEST_INSTANCE_ID_LEN])
{
	id[0] = 0x01;   /* EAT UEID type RAND */
	attest_sha256(ek_pub, ATTEST_PUBKEY_LEN, id + 1);
}

void attest_implementation_id(const char *board, uint8_t id[ATTEST_IMPL_ID_LEN])
{
	br_sha256_context h;
	const uint8_t zero = 0;

	br_sha256_init(&h);
	br_sha256_update(&h, ATTEST_LABEL_IMPL_ID, sizeof(ATTEST_LABEL_IMPL_ID) - 1);
	br_sha256_update(&h, &zero, 1);
	br_sha256_update(&h, board, strlen(board));
	br_sha256_out(&h, id);
}

/* ---- measurements ------------------------------------------------------ */

static bool printable(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= max || s[n] < 0x20 || s[n] > 0x7e)
			return false;
	return n >= min;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int attest_component_set(struct attest_component *c, const char *type,
			 const uint8_t value[ATTEST_DIGEST_LEN], const char *version,
			 const uint8_t *signer)
{
	if (!type || !value || !printable(type, 1, ATTEST_TYPE_MAX) ||
	    (version && !printable(version, 0, ATTEST_VERSION_MAX)))
		return -ATTEST_E_INVAL;
	memset(c, 0, sizeof(*c));
	memcpy(c->type, type, strlen(type));
	if (version)
		memcpy(c->version, version, strlen(version));
	memcpy(c->value, value, ATTEST_DIGEST_LEN);
	if (signer)
		memcpy(c->signer, signer, ATTEST_DIGEST_LEN);
	return 0;
}

/* A component as stored: NUL-terminated strings within their arrays. */
static bool component_valid(const struct attest_component *c, const char *prefix)
{
	if (!memchr(c->type, 0, sizeof(c->type)) ||
	    !memchr(c->version, 0, sizeof(c->version)))
		return false;
	if (!printable(c->type, 1, ATTEST_TYPE_MAX) ||
	    !printable(c->version, 0, ATTEST_VERSION_MAX))
		return false;
	return !prefix || (has_prefix(c->type, prefix) && strlen(c->type) > strlen(prefix));
}

static bool components_valid(const struct attest_component *c, size_t n,
			     const char *prefix)
{
	size_t i;

	if (n > ATTEST_MAX_COMPONENTS || (n && !c))
		return false;
	for (i = 0; i < n; i++)
		if (!component_valid(&c[i], prefix))
			return false;
	return true;
}

void attest_encode_component(struct cbor_enc *e, const struct attest_component *c)
{
	bool ver = c->version[0] != 0;

	cbor_put_map(e, ver ? 5 : 4);
	cbor_put_uint(e, ATTEST_SWC_TYPE);
	cbor_put_tstr_z(e, c->type);
	cbor_put_uint(e, ATTEST_SWC_VALUE);
	cbor_put_bstr(e, c->value, ATTEST_DIGEST_LEN);
	if (ver) {
		cbor_put_uint(e, ATTEST_SWC_VERSION);
		cbor_put_tstr_z(e, c->version);
	}
	cbor_put_uint(e, ATTEST_SWC_SIGNER);
	cbor_put_bstr(e, c->signer, ATTEST_DIGEST_LEN);
	cbor_put_uint(e, ATTEST_SWC_DESC);
	cbor_put_tstr_z(e, ATTEST_HASH_DESC);
}

int attest_layer_measure(const struct attest_component *c, size_t n,
			 uint8_t m[ATTEST_DIGEST_LEN])
{
	uint8_t buf[COMPONENT_ENC_MAX];
	br_sha256_context h;
	struct cbor_enc e;
	size_t i;

	if (!components_valid(c, n, NULL))
		return -ATTEST_E_INVAL;
	br_sha256_init(&h);
	cbor_init(&e, buf, sizeof(buf));
	cbor_put_array(&e, n);
	br_sha256_update(&h, buf, cbor_len(&e));
	for (i = 0; i < n; i++) {
		cbor_init(&e, buf, sizeof(buf));
		attest_encode_component(&e, &c[i]);
		if (!cbor_ok(&e))   /* cannot happen with validated strings */
			return -ATTEST_E_INVAL;
		br_sha256_update(&h, buf, cbor_len(&e));
	}
	br_sha256_out(&h, m);
	return 0;
}

void attest_rmr_extend(uint8_t reg[ATTEST_DIGEST_LEN],
		       const uint8_t digest[ATTEST_DIGEST_LEN])
{
	br_sha256_context h;

	br_sha256_init(&h);
	br_sha256_update(&h, reg, ATTEST_DIGEST_LEN);
	br_sha256_update(&h, digest, ATTEST_DIGEST_LEN);
	br_sha256_out(&h, reg);
}

/* ---- COSE_Sign1 -------------------------------------------------------- */

static size_t add_sat(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

typedef void (*payload_fn)(struct cbor_enc *e, const void *ctx);

/*
 * Tagged COSE_Sign1 (RFC 9052, 4.2) with protected {1: -7}. The
 * unprotected map is empty, or {-65537: [bstr end1, bstr end2]} when end1
 * is given. The payload is encoded twice by fn: once to learn its length,
 * once in place; the signature is computed over Sig_structure
 * ["Signature1", protected, h'', payload] streamed into SHA-256.
 */
static int cose_sign1(const uint8_t priv[ATTEST_SCALAR_LEN],
		      const uint8_t *end1, size_t end1_len,
		      const uint8_t *end2, size_t end2_len,
		      payload_fn fn, const void *ctx,
		      uint8_t *out, size_t cap, size_t *len)
{
	uint8_t sig[ATTEST_SIG_LEN], head[CBOR_HEAD_MAX + 32];
	uint8_t hash[ATTEST_DIGEST_LEN];
	struct cbor_enc e, hd;
	br_sha256_context h;
	size_t plen, poff, total;
	int ret;

	cbor_init(&e, NULL, 0);
	fn(&e, ctx);
	plen = cbor_len(&e);

	cbor_init(&e, out, cap);
	cbor_put_tag(&e, ATTEST_COSE_SIGN1_TAG);
	cbor_put_array(&e, 4);
	cbor_put_bstr(&e, cose_protected, sizeof(cose_protected));
	if (end1) {
		cbor_put_map(&e, 1);
		cbor_put_int(&e, ATTEST_COSE_HDR_ENDORSEMENTS);
		cbor_put_array(&e, 2);
		cbor_put_bstr(&e, end1, end1_len);
		cbor_put_bstr(&e, end2, end2_len);
	} else {
		cbor_put_map(&e, 0);
	}
	cbor_put_head(&e, CBOR_MT_BSTR, plen);
	poff = cbor_len(&e);
	/* the whole message must fit before anything is signed */
	total = add_sat(add_sat(poff, plen), cbor_head_len(ATTEST_SIG_LEN) + ATTEST_SIG_LEN);
	if (total > cap) {
		*len = total;
		return -ATTEST_E_RANGE;
	}
	fn(&e, ctx);
	if (cbor_len(&e) != poff + plen)   /* fn must be deterministic */
		return -ATTEST_E_INVAL;

	/* Sig_structure prefix, then the payload bytes already in out */
	cbor_init(&hd, head, sizeof(head));
	cbor_put_array(&hd, 4);
	cbor_put_tstr(&hd, sig1_context, sizeof(sig1_context) - 1);
	cbor_put_bstr(&hd, cose_protected, sizeof(cose_protected));
	cbor_put_bstr(&hd, NULL, 0);
	cbor_put_head(&hd, CBOR_MT_BSTR, plen);
	if (!cbor_ok(&hd))
		return -ATTEST_E_INVAL;
	br_sha256_init(&h);
	br_sha256_update(&h, head, cbor_len(&hd));
	br_sha256_update(&h, out + poff, plen);
	br_sha256_out(&h, hash);

	ret = sign_hash(priv, hash, sig);
	if (ret)
		return ret;
	cbor_put_bstr(&e, sig, ATTEST_SIG_LEN);
	*len = cbor_len(&e);
	return cbor_ok(&e) ? 0 : -ATTEST_E_RANGE;
}

struct endorsement {
	const char *role;
	const uint8_t *pub;
	const uint8_t *measurement;
};

static void endorsement_payload(struct cbor_enc *e, const void *ctx)
{
	const struct endorsement *en = ctx;

	cbor_put_map(e, 3);
	cbor_put_uint(e, ATTEST_END_ROLE);
	cbor_put_tstr_z(e, en->role);
	cbor_put_uint(e, ATTEST_END_KEY);
	cbor_put_bstr(e, en->pub, ATTEST_PUBKEY_LEN);
	cbor_put_uint(e, ATTEST_END_MEASUREMENT);
	cbor_put_bstr(e, en->measurement, ATTEST_DIGEST_LEN);
}

int attest_endorse(const uint8_t issuer_priv[ATTEST_SCALAR_LEN], const char *role,
		   const uint8_t subject_pub[ATTEST_PUBKEY_LEN],
		   const uint8_t measurement[ATTEST_DIGEST_LEN],
		   uint8_t *out, size_t cap, size_t *len)
{
	struct endorsement en = { role, subject_pub, measurement };

	if (!issuer_priv || !role || !subject_pub || !measurement || !len ||
	    !printable(role, 1, ATTEST_TYPE_MAX) || subject_pub[0] != 0x04)
		return -ATTEST_E_INVAL;
	return cose_sign1(issuer_priv, NULL, 0, NULL, 0, endorsement_payload, &en,
			  out, cap, len);
}

/* ---- the claims -------------------------------------------------------- */

static bool claims_valid(const struct attest_claims *cl)
{
	size_t n;

	if (!cl->nonce || (cl->nonce_len != 32 && cl->nonce_len != 48 &&
			   cl->nonce_len != 64))
		return false;
	if (!cl->instance_id || cl->instance_id[0] != 0x01 || !cl->implementation_id)
		return false;
	if (cl->client_id == 0)
		return false;
	if (cl->boot_seed && (cl->boot_seed_len < ATTEST_BOOT_SEED_MIN ||
			      cl->boot_seed_len > ATTEST_BOOT_SEED_MAX))
		return false;
	if (!components_valid(cl->umbra, cl->nr_umbra, ATTEST_PREFIX_UMBRA) ||
	    !components_valid(cl->part, cl->nr_part, ATTEST_PREFIX_PARTITION))
		return false;
	if (cl->nr_rmr > ATTEST_NR_RMR || (cl->nr_rmr && !cl->rmr))
		return false;
	n = cl->nr_umbra + cl->nr_part + cl->nr_rmr;
	return n >= 1;   /* RFC 9783: at least one software component */
}

static void claims_payload(struct cbor_enc *e, const void *ctx)
{
	const struct attest_claims *cl = ctx;
	struct attest_component rc;
	size_t i;

	/* keys in deterministic order: 10 < 256 < 265 < 268 < 2394 < ... */
	cbor_put_map(e, 7u + (cl->boot_seed != NULL) + (cl->events_digest != NULL));
	cbor_put_uint(e, ATTEST_CLAIM_NONCE);
	cbor_put_bstr(e, cl->nonce, cl->nonce_len);
	cbor_put_uint(e, ATTEST_CLAIM_UEID);
	cbor_put_bstr(e, cl->instance_id, ATTEST_INSTANCE_ID_LEN);
	cbor_put_uint(e, ATTEST_CLAIM_PROFILE);
	cbor_put_tstr_z(e, ATTEST_PROFILE);
	if (cl->boot_seed) {
		cbor_put_uint(e, ATTEST_CLAIM_BOOT_SEED);
		cbor_put_bstr(e, cl->boot_seed, cl->boot_seed_len);
	}
	cbor_put_uint(e, ATTEST_CLAIM_CLIENT_ID);
	cbor_put_int(e, cl->client_id);
	cbor_put_uint(e, ATTEST_CLAIM_LIFECYCLE);
	cbor_put_uint(e, cl->lifecycle);
	cbor_put_uint(e, ATTEST_CLAIM_IMPL_ID);
	cbor_put_bstr(e, cl->implementation_id, ATTEST_IMPL_ID_LEN);
	cbor_put_uint(e, ATTEST_CLAIM_SW_COMPONENTS);
	cbor_put_array(e, cl->nr_umbra + cl->nr_part + cl->nr_rmr);
	for (i = 0; i < cl->nr_umbra; i++)
		attest_encode_component(e, &cl->umbra[i]);
	for (i = 0; i < cl->nr_part; i++)
		attest_encode_component(e, &cl->part[i]);
	for (i = 0; i < cl->nr_rmr; i++) {
		memset(&rc, 0, sizeof(rc));
		memcpy(rc.type, ATTEST_PREFIX_RUNTIME, sizeof(ATTEST_PREFIX_RUNTIME) - 1);
		rc.type[sizeof(ATTEST_PREFIX_RUNTIME) - 1] = (char)('0' + i);
		memcpy(rc.value, cl->rmr[i], ATTEST_DIGEST_LEN);
		attest_encode_component(e, &rc);
	}
	/* a negative key sorts after every unsigned one (RFC 8949, 4.2.1) */
	if (cl->events_digest) {
		cbor_put_int(e, ATTEST_CLAIM_UMBRA_EVENTS);
		cbor_put_bstr(e, cl->events_digest, ATTEST_DIGEST_LEN);
	}
}

int attest_encode_claims(struct cbor_enc *e, const struct attest_claims *cl)
{
	if (!cl || !claims_valid(cl))
		return -ATTEST_E_INVAL;
	claims_payload(e, cl);
	return cbor_ok(e) ? 0 : -ATTEST_E_RANGE;
}

int attest_token(const struct attest_claims *cl,
		 const uint8_t *alias_end, size_t alias_end_len,
		 const uint8_t *part_end, size_t part_end_len,
		 const uint8_t pak_priv[ATTEST_SCALAR_LEN],
		 uint8_t *out, size_t cap, size_t *len)
{
	if (!cl || !len || !pak_priv || !alias_end || !part_end || !alias_end_len ||
	    !part_end_len || !claims_valid(cl))
		return -ATTEST_E_INVAL;
	return cose_sign1(pak_priv, alias_end, alias_end_len, part_end, part_end_len,
			  claims_payload, cl, out, cap, len);
}

/* ---- device and partition state ---------------------------------------- */

int attest_device_init(struct attest_device *d, const struct attest_device_params *p)
{
	struct attest_keypair ek;
	int ret;

	if (!d || !p || !p->uds || !p->implementation_id ||
	    !components_valid(p->comp, p->nr_comp, ATTEST_PREFIX_UMBRA) ||
	    (p->boot_seed && (p->boot_seed_len < ATTEST_BOOT_SEED_MIN ||
			      p->boot_seed_len > ATTEST_BOOT_SEED_MAX)))
		return -ATTEST_E_INVAL;
	memset(d, 0, sizeof(*d));
	if (p->nr_comp)
		memcpy(d->comp, p->comp, p->nr_comp * sizeof(*p->comp));
	d->nr_comp = p->nr_comp;
	memcpy(d->implementation_id, p->implementation_id, ATTEST_IMPL_ID_LEN);
	d->lifecycle = p->lifecycle;
	if (p->boot_seed) {
		memcpy(d->boot_seed, p->boot_seed, p->boot_seed_len);
		d->boot_seed_len = p->boot_seed_len;
	}
	ret = attest_layer_measure(d->comp, d->nr_comp, d->m_umbra);
	if (ret)
		goto fail;
	ret = attest_derive_ek(p->uds, &ek);
	if (ret)
		goto fail;
	memcpy(d->ek_pub, ek.pub, ATTEST_PUBKEY_LEN);
	attest_instance_id(d->ek_pub, d->instance_id);
	attest_derive_cdi(p->uds, d->m_umbra, d->cdi);
	ret = attest_derive_alias(d->cdi, &d->alias);
	if (!ret)
		ret = attest_endorse(ek.priv, ATTEST_ROLE_ALIAS, d->alias.pub, d->m_umbra,
				     d->alias_end, sizeof(d->alias_end),
				     &d->alias_end_len);
	attest_wipe(&ek, sizeof(ek));
	if (!ret)
		return 0;
fail:
	attest_wipe(d, sizeof(*d));
	return ret;
}

int attest_partition_init(struct attest_partition *p, const struct attest_device *d,
			  const struct attest_component *comp, size_t nr_comp,
			  int32_t client_id)
{
	int ret;

	if (!p || !d || client_id == 0 ||
	    !components_valid(comp, nr_comp, ATTEST_PREFIX_PARTITION))
		return -ATTEST_E_INVAL;
	memset(p, 0, sizeof(*p));
	if (nr_comp)
		memcpy(p->comp, comp, nr_comp * sizeof(*comp));
	p->nr_comp = nr_comp;
	p->client_id = client_id;
	ret = attest_layer_measure(p->comp, p->nr_comp, p->measurement);
	if (ret)
		goto fail;
	attest_derive_partition_cdi(d->cdi, p->measurement, p->cdi);
	ret = attest_derive_partition_key(p->cdi, &p->key);
	if (ret)
		goto fail;
	ret = attest_endorse(d->alias.priv, ATTEST_ROLE_PARTITION, p->key.pub,
			     p->measurement, p->end, sizeof(p->end), &p->end_len);
	if (!ret)
		return 0;
fail:
	attest_wipe(p, sizeof(*p));
	return ret;
}

int attest_partition_extend(struct attest_partition *p, unsigned idx,
			    const uint8_t digest[ATTEST_DIGEST_LEN])
{
	if (!p || !digest || idx >= ATTEST_NR_RMR)
		return -ATTEST_E_INVAL;
	attest_rmr_extend(p->rmr[idx], digest);
	return 0;
}

static int partition_token(const struct attest_device *d, const struct attest_partition *p,
			   const uint8_t *nonce, size_t nonce_len, const uint8_t *events_digest,
			   uint8_t *out, size_t cap, size_t *len)
{
	struct attest_claims cl;

	if (!d || !p)
		return -ATTEST_E_INVAL;
	cl = (struct attest_claims){
		.nonce = nonce,
		.nonce_len = nonce_len,
		.instance_id = d->instance_id,
		.implementation_id = d->implementation_id,
		.client_id = p->client_id,
		.lifecycle = (uint16_t)(d->lifecycle | p->lifecycle_minor),
		.boot_seed = d->boot_seed_len ? d->boot_seed : NULL,
		.boot_seed_len = d->boot_seed_len,
		.umbra = d->comp,
		.nr_umbra = d->nr_comp,
		.part = p->comp,
		.nr_part = p->nr_comp,
		.rmr = (const uint8_t (*)[ATTEST_DIGEST_LEN])p->rmr,
		.nr_rmr = ATTEST_NR_RMR,
		.events_digest = events_digest,
	};
	return attest_token(&cl, d->alias_end, d->alias_end_len, p->end, p->end_len,
			    p->key.priv, out, cap, len);
}

int attest_partition_token(const struct attest_device *d,
			   const struct attest_partition *p,
			   const uint8_t *nonce, size_t nonce_len,
			   uint8_t *out, size_t cap, size_t *len)
{
	return partition_token(d, p, nonce, nonce_len, NULL, out, cap, len);
}

int attest_partition_report_token(const struct attest_device *d,
				  const struct attest_partition *p,
				  const uint8_t *nonce, size_t nonce_len,
				  const uint8_t events_digest[ATTEST_DIGEST_LEN],
				  uint8_t *out, size_t cap, size_t *len)
{
	if (!events_digest)
		return -ATTEST_E_INVAL;
	return partition_token(d, p, nonce, nonce_len, events_digest, out, cap, len);
}

int attest_partition_seal_key(const struct attest_partition *p, const void *label,
			      size_t label_len, uint8_t key[ATTEST_SEAL_KEY_LEN])
{
	if (!p || !key)
		return -ATTEST_E_INVAL;
	return attest_derive_seal_key(p->cdi, label, label_len, key);
}
