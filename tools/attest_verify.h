// SPDX-License-Identifier: Apache-2.0
/*
 * Host-side verification of Umbra attestation tokens (docs/attestation.md,
 * "Verifying a token"): a strict CBOR decoder, ES256 verification with
 * BearSSL, the reference-values file, and the checks umbra-verify prints.
 */
#ifndef UMBRA_ATTEST_VERIFY_H
#define UMBRA_ATTEST_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/attest.h"

/* ---- CBOR decoding ----------------------------------------------------- */

/* Definite lengths only (RFC 9783 requires them); heads in any length
 * form are accepted (a variation-tolerant decoder, RFC 9783 section 5). */
struct cbor_dec {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

void cdec_init(struct cbor_dec *d, const void *p, size_t len);
/* Next head: major type and argument (for major 7, the simple value or
 * the raw float bits). false on error (truncation, reserved or
 * indefinite-length encodings); sets d->err. */
bool cdec_head(struct cbor_dec *d, unsigned *major, uint64_t *arg);
/* Major type of the next item without consuming it; -1 at the end. */
int cdec_peek(const struct cbor_dec *d);
bool cdec_uint(struct cbor_dec *d, uint64_t *v);
bool cdec_int(struct cbor_dec *d, int64_t *v);
bool cdec_bstr(struct cbor_dec *d, const uint8_t **p, size_t *n);
bool cdec_tstr(struct cbor_dec *d, const char **p, size_t *n);
bool cdec_array(struct cbor_dec *d, uint64_t *n);
bool cdec_map(struct cbor_dec *d, uint64_t *n);
bool cdec_tag(struct cbor_dec *d, uint64_t *tag);
/* Skip one complete data item, however nested (iterative). */
bool cdec_skip(struct cbor_dec *d);
static inline bool cdec_done(const struct cbor_dec *d) { return !d->err && d->off == d->len; }

/* ---- signatures -------------------------------------------------------- */

/* ES256: ECDSA P-256 over SHA-256(msg), raw r || s signature. */
bool av_es256_verify(const uint8_t pub[ATTEST_PUBKEY_LEN], const void *msg,
		     size_t len, const uint8_t *sig, size_t sig_len);

/* A decoded COSE_Sign1 (pointers into the input). */
struct av_sign1 {
	bool tagged;
	const uint8_t *protected_;  /* bstr contents */
	size_t protected_len;
	int64_t alg;                /* 0 if absent */
	const uint8_t *unprotected; /* the encoded unprotected map */
	size_t unprotected_len;
	const uint8_t *payload;
	size_t payload_len;
	const uint8_t *sig;
	size_t sig_len;
};

/* Decode (not verify); the whole input must be one COSE_Sign1. On error
 * returns false with a reason in err. */
bool av_decode_sign1(const uint8_t *p, size_t len, struct av_sign1 *s,
		     char *err, size_t errlen);
/* Verify s against pub over Sig_structure ["Signature1", protected, h'', payload]. */
bool av_verify_sign1(const struct av_sign1 *s, const uint8_t pub[ATTEST_PUBKEY_LEN]);

/* ---- reference values -------------------------------------------------- */

#define AV_MAX_REF_COMPONENTS 16
#define AV_MAX_LIFECYCLES 8

struct av_ref_component {
	char type[ATTEST_TYPE_MAX + 1];
	uint8_t value[ATTEST_DIGEST_LEN];
	bool has_signer;                     /* a signed image: its signer-id ... */
	uint8_t signer[ATTEST_DIGEST_LEN];
	bool has_version;                    /* ... and version (the SVN) */
	char version[ATTEST_VERSION_MAX + 1];
};

struct av_reference {
	bool has_impl_id;
	uint8_t impl_id[ATTEST_IMPL_ID_LEN];
	bool has_client_id;
	int64_t client_id;
	size_t nr_lifecycle;                 /* 0: SECURED or NON_PSA_ROT_DEBUG */
	uint16_t lifecycle[AV_MAX_LIFECYCLES]; /* accepted major states (0xNN00) */
	size_t nr_comp;
	struct av_ref_component comp[AV_MAX_REF_COMPONENTS];
};

/* Parse the reference-values JSON (format in docs/attestation.md). 0 or -1
 * with a message in err. */
int av_parse_reference(const char *json, size_t len, struct av_reference *ref,
		       char *err, size_t errlen);

/* Lifecycle names <-> major state values: "secured" <-> 0x3000 ... */
int av_lifecycle_from_name(const char *name, size_t len);
const char *av_lifecycle_name(unsigned value);

/* ---- token verification ------------------------------------------------ */

enum av_status { AV_PASS, AV_FAIL, AV_INFO };

#define AV_MAX_CHECKS 48
#define AV_MSG_MAX 200

struct av_check {
	char name[48];
	enum av_status status;
	char msg[AV_MSG_MAX];
};

struct av_report {
	struct av_check check[AV_MAX_CHECKS];
	size_t n;
	unsigned failed;
	size_t token_len;
};

/*
 * Every check of docs/attestation.md: structure, the endorsement chain
 * from ek_pub, the token signature, each claim against the nonce and the
 * reference values. Returns the number of failed checks (0 = trusted).
 */
unsigned av_verify_token(const uint8_t *tok, size_t len,
			 const uint8_t ek_pub[ATTEST_PUBKEY_LEN],
			 const uint8_t *nonce, size_t nonce_len,
			 const struct av_reference *ref, struct av_report *rep);

/* The token's ATTEST_CLAIM_UMBRA_EVENTS (a failure report's digest), read
 * without verifying anything; false if it has none (or is malformed). */
bool av_token_events_digest(const uint8_t *tok, size_t len, uint8_t digest[ATTEST_DIGEST_LEN]);

#endif
