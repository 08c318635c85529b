// SPDX-License-Identifier: Apache-2.0
/*
 * Measured boot and attestation (docs/attestation.md is the specification;
 * this header follows it).
 *
 * DICE-style layering from a 32-byte unique device secret (UDS):
 *
 *   EK      = P256(HKDF(UDS,    salt absent, "umbra endorsement key"))
 *   CDI_U   =      HKDF(UDS,    salt M_U,    "umbra cdi")
 *   AK      = P256(HKDF(CDI_U,  salt absent, "umbra alias key"))
 *   CDI_P   =      HKDF(CDI_U,  salt M_P,    "umbra partition cdi")
 *   PAK     = P256(HKDF(CDI_P,  salt absent, "umbra partition attestation key"))
 *   seal(L) =      HKDF(CDI_P,  salt absent, "umbra sealing key" 0x00 L)
 *
 * M_U / M_P are layer measurements (Umbra's / a partition's software
 * components). The EK endorses AK with M_U, AK endorses PAK with M_P, and
 * PAK signs the partition's PSA attestation token (RFC 9783) as a tagged
 * COSE_Sign1 with ES256; both endorsements travel in the token.
 *
 * Portable C11: built for the host (tools, tests) and freestanding for
 * aarch64 (the monitor), against BearSSL. No allocation, no recursion; all
 * output goes to caller buffers. BearSSL may use FP/SIMD registers: the
 * monitor must call these functions with the guest's FP/SIMD state saved.
 */
#ifndef UMBRA_ATTEST_H
#define UMBRA_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTEST_UDS_LEN 32
#define ATTEST_CDI_LEN 32
#define ATTEST_DIGEST_LEN 32       /* SHA-256 */
#define ATTEST_SCALAR_LEN 32       /* P-256 private scalar, big-endian */
#define ATTEST_PUBKEY_LEN 65       /* SEC1 uncompressed: 0x04 || X || Y */
#define ATTEST_SIG_LEN 64          /* ES256: r || s */
#define ATTEST_INSTANCE_ID_LEN 33  /* 0x01 || SHA-256(EK public key) */
#define ATTEST_IMPL_ID_LEN 32
#define ATTEST_SEAL_KEY_LEN 32
#define ATTEST_SEAL_LABEL_MAX 64
#define ATTEST_BOOT_SEED_MIN 8
#define ATTEST_BOOT_SEED_MAX 32
#define ATTEST_NONCE_MAX 64        /* nonces are 32, 48 or 64 bytes */
#define ATTEST_NR_RMR 4            /* runtime measurement registers per partition */
#define ATTEST_MAX_COMPONENTS 6    /* per layer */
#define ATTEST_TYPE_MAX 31         /* measurement-type string, without NUL */
#define ATTEST_VERSION_MAX 31      /* version string, without NUL */

/* Bounds for the encoded structures (checked by the unit tests). */
#define ATTEST_ENDORSEMENT_MAX 256
#define ATTEST_TOKEN_MAX 3072

/* PSA security lifecycle major states (RFC 9783, 4.3.1); minor in bits 7:0 */
#define ATTEST_LIFECYCLE_UNKNOWN 0x0000
#define ATTEST_LIFECYCLE_ASSEMBLY_AND_TEST 0x1000
#define ATTEST_LIFECYCLE_PSA_ROT_PROVISIONING 0x2000
#define ATTEST_LIFECYCLE_SECURED 0x3000
#define ATTEST_LIFECYCLE_NON_PSA_ROT_DEBUG 0x4000
#define ATTEST_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG 0x5000
#define ATTEST_LIFECYCLE_DECOMMISSIONED 0x6000
/* minor state (bits 7:0, implementation defined): this partition runs an
 * unsigned (development) image */
#define ATTEST_LIFECYCLE_MINOR_UNSIGNED 0x01

/* Token claim keys (RFC 9783 / EAT) */
#define ATTEST_CLAIM_NONCE 10
#define ATTEST_CLAIM_UEID 256            /* instance id */
#define ATTEST_CLAIM_PROFILE 265
#define ATTEST_CLAIM_BOOT_SEED 268
#define ATTEST_CLAIM_CLIENT_ID 2394
#define ATTEST_CLAIM_LIFECYCLE 2395
#define ATTEST_CLAIM_IMPL_ID 2396
#define ATTEST_CLAIM_SW_COMPONENTS 2399
/* Umbra's own (private-use key): SHA-256 of the event report Umbra returned
 * with this token (docs/attestation.md, "Failure reports"). Only the
 * EVENTS_REPORT call puts it in a token; ATTEST never does. */
#define ATTEST_CLAIM_UMBRA_EVENTS (-76001)
/* software component map keys */
#define ATTEST_SWC_TYPE 1
#define ATTEST_SWC_VALUE 2
#define ATTEST_SWC_VERSION 4
#define ATTEST_SWC_SIGNER 5
#define ATTEST_SWC_DESC 6
/* endorsement payload keys */
#define ATTEST_END_ROLE 1
#define ATTEST_END_KEY 2
#define ATTEST_END_MEASUREMENT 3
/* COSE */
#define ATTEST_COSE_SIGN1_TAG 18
#define ATTEST_COSE_HDR_ALG 1
#define ATTEST_COSE_ALG_ES256 (-7)
/* private-use unprotected header label: [alias endorsement, partition endorsement] */
#define ATTEST_COSE_HDR_ENDORSEMENTS (-65537)

#define ATTEST_PROFILE "tag:psacertified.org,2023:psa#tfm"
#define ATTEST_HASH_DESC "sha-256"
#define ATTEST_ROLE_ALIAS "umbra-alias"
#define ATTEST_ROLE_PARTITION "umbra-partition"
/* measurement-type prefixes: the layer a component belongs to */
#define ATTEST_PREFIX_UMBRA "umbra/"
#define ATTEST_PREFIX_PARTITION "partition/"
#define ATTEST_PREFIX_RUNTIME "runtime/"

/* KDF labels (HKDF info strings, ASCII, no NUL) */
#define ATTEST_LABEL_EK "umbra endorsement key"
#define ATTEST_LABEL_CDI "umbra cdi"
#define ATTEST_LABEL_ALIAS "umbra alias key"
#define ATTEST_LABEL_PARTITION_CDI "umbra partition cdi"
#define ATTEST_LABEL_PARTITION_KEY "umbra partition attestation key"
#define ATTEST_LABEL_SEAL "umbra sealing key"
#define ATTEST_LABEL_IMPL_ID "umbra implementation id"

/* Errors (negated kernel-style numbers, as in umbra/types.h) */
#define ATTEST_E_INVAL 22   /* a bad argument */
#define ATTEST_E_RANGE 34   /* output buffer too small: *len says how big */
#define ATTEST_E_CRYPTO 5   /* BearSSL refused (should not happen) */

struct attest_keypair {
	uint8_t priv[ATTEST_SCALAR_LEN];
	uint8_t pub[ATTEST_PUBKEY_LEN];
};

/* One measured software component, as it appears in the token. */
struct attest_component {
	char type[ATTEST_TYPE_MAX + 1];       /* "umbra/..." or "partition/..." */
	char version[ATTEST_VERSION_MAX + 1]; /* "" = omitted */
	uint8_t value[ATTEST_DIGEST_LEN];     /* SHA-256 of the component */
	uint8_t signer[ATTEST_DIGEST_LEN];    /* signer id; zeros = unsigned */
};

/* ---- primitives -------------------------------------------------------- */

/* SHA-256 of a buffer. */
void attest_sha256(const void *data, size_t len, uint8_t out[ATTEST_DIGEST_LEN]);
/* A compression function for whole 64-byte blocks (state: a..h), e.g.
 * the CPU's SHA-256 instructions, for attest_sha256 to use from now on
 * (NULL: BearSSL's). false and not used if its digest of a test message
 * differs from BearSSL's. */
typedef void attest_sha256_blocks_fn(uint32_t state[8], const void *data, uint64_t nblocks);
bool attest_use_sha256_blocks(attest_sha256_blocks_fn *blocks);

/* HKDF-SHA256 (RFC 5869). salt == NULL means "absent" (HashLen zero bytes).
 * out_len <= 255 * 32. Returns 0 or -ATTEST_E_INVAL. */
int attest_hkdf(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
		const void *info, size_t info_len, void *out, size_t out_len);

/* True if the 32-byte big-endian k satisfies 1 <= k <= n - 1 (P-256's
 * group order n). Constant time. */
bool attest_scalar_valid(const uint8_t k[ATTEST_SCALAR_LEN]);

/* P-256 key pair from HKDF: for c = 0..255, candidate = HKDF(ikm, salt,
 * label || c, 32); the first valid scalar wins. */
int attest_derive_keypair(const void *ikm, size_t ikm_len, const void *salt,
			  size_t salt_len, const char *label, struct attest_keypair *kp);

/* Public key (SEC1 uncompressed) of a valid private scalar. */
int attest_public_key(const uint8_t priv[ATTEST_SCALAR_LEN],
		      uint8_t pub[ATTEST_PUBKEY_LEN]);

/* ES256 over SHA-256(msg), deterministic (RFC 6979), raw r || s. */
int attest_sign(const uint8_t priv[ATTEST_SCALAR_LEN], const void *msg, size_t len,
		uint8_t sig[ATTEST_SIG_LEN]);

/* Overwrite secrets; not optimised away. */
void attest_wipe(void *p, size_t n);

/* ---- DICE derivation --------------------------------------------------- */

int attest_derive_ek(const uint8_t uds[ATTEST_UDS_LEN], struct attest_keypair *ek);
void attest_derive_cdi(const uint8_t uds[ATTEST_UDS_LEN],
		       const uint8_t m_umbra[ATTEST_DIGEST_LEN],
		       uint8_t cdi[ATTEST_CDI_LEN]);
int attest_derive_alias(const uint8_t cdi[ATTEST_CDI_LEN], struct attest_keypair *ak);
void attest_derive_partition_cdi(const uint8_t cdi[ATTEST_CDI_LEN],
				 const uint8_t m_part[ATTEST_DIGEST_LEN],
				 uint8_t cdi_p[ATTEST_CDI_LEN]);
int attest_derive_partition_key(const uint8_t cdi_p[ATTEST_CDI_LEN],
				struct attest_keypair *pak);
/* 32-byte sealing key bound to the partition (via CDI_P) and the label. */
int attest_derive_seal_key(const uint8_t cdi_p[ATTEST_CDI_LEN], const void *label,
			   size_t label_len, uint8_t key[ATTEST_SEAL_KEY_LEN]);

/* 0x01 || SHA-256(EK public key, 65 bytes SEC1 uncompressed) */
void attest_instance_id(const uint8_t ek_pub[ATTEST_PUBKEY_LEN],
			uint8_t id[ATTEST_INSTANCE_ID_LEN]);
/* SHA-256("umbra implementation id" || 0x00 || board): see the doc. */
void attest_implementation_id(const char *board, uint8_t id[ATTEST_IMPL_ID_LEN]);

/* ---- measurements ------------------------------------------------------ */

/* Fill a component: type (checked: printable ASCII, 1..ATTEST_TYPE_MAX),
 * digest, optional version (NULL = none) and signer (NULL = zeros). */
int attest_component_set(struct attest_component *c, const char *type,
			 const uint8_t value[ATTEST_DIGEST_LEN], const char *version,
			 const uint8_t *signer);

/* Encode one software-component map (deterministic CBOR). */
struct cbor_enc;
void attest_encode_component(struct cbor_enc *e, const struct attest_component *c);

/* Layer measurement: SHA-256 of the deterministic CBOR array of the
 * layer's software-component maps, in order. n may be 0. */
int attest_layer_measure(const struct attest_component *c, size_t n,
			 uint8_t m[ATTEST_DIGEST_LEN]);

/* Runtime measurement register: reg = SHA-256(reg || digest). */
void attest_rmr_extend(uint8_t reg[ATTEST_DIGEST_LEN],
		       const uint8_t digest[ATTEST_DIGEST_LEN]);

/* ---- COSE -------------------------------------------------------------- */

/* Key endorsement: tagged COSE_Sign1, ES256 by issuer_priv, payload
 * {1: role, 2: subject public key, 3: subject measurement}.
 * Returns 0, or -ATTEST_E_RANGE with *len = bytes needed. */
int attest_endorse(const uint8_t issuer_priv[ATTEST_SCALAR_LEN], const char *role,
		   const uint8_t subject_pub[ATTEST_PUBKEY_LEN],
		   const uint8_t measurement[ATTEST_DIGEST_LEN],
		   uint8_t *out, size_t cap, size_t *len);

/* Everything the token says, by reference. */
struct attest_claims {
	const uint8_t *nonce;          /* 32, 48 or 64 bytes */
	size_t nonce_len;
	const uint8_t *instance_id;    /* ATTEST_INSTANCE_ID_LEN */
	const uint8_t *implementation_id; /* ATTEST_IMPL_ID_LEN */
	int32_t client_id;             /* non-zero */
	uint16_t lifecycle;
	const uint8_t *boot_seed;      /* NULL: claim omitted */
	size_t boot_seed_len;          /* 8..32 */
	const struct attest_component *umbra;   /* "umbra/..." components */
	size_t nr_umbra;
	const struct attest_component *part;    /* "partition/..." components */
	size_t nr_part;
	const uint8_t (*rmr)[ATTEST_DIGEST_LEN]; /* "runtime/<i>" components */
	size_t nr_rmr;
	const uint8_t *events_digest;  /* NULL: claim ATTEST_CLAIM_UMBRA_EVENTS omitted */
};

/* Encode the claims map (the COSE payload). */
int attest_encode_claims(struct cbor_enc *e, const struct attest_claims *cl);

/* The PSA token: tagged COSE_Sign1 with protected {1: -7}, unprotected
 * {-65537: [alias endorsement, partition endorsement]} (each a bstr
 * holding a tagged COSE_Sign1), payload = claims, signed by pak_priv.
 * Returns 0 with *len = token length; -ATTEST_E_RANGE when cap is short,
 * with *len = bytes needed (nothing useful in out, nothing past cap
 * written, nothing signed); -ATTEST_E_INVAL.
 * out MUST be memory only Umbra can write: the payload is hashed back out
 * of it, so a guest able to change it meanwhile would get its own bytes
 * signed. Build into a monitor buffer, then copy to the guest. */
int attest_token(const struct attest_claims *cl,
		 const uint8_t *alias_end, size_t alias_end_len,
		 const uint8_t *part_end, size_t part_end_len,
		 const uint8_t pak_priv[ATTEST_SCALAR_LEN],
		 uint8_t *out, size_t cap, size_t *len);

/* ---- what the monitor keeps -------------------------------------------- */

/* Device level, computed once at boot; holds no UDS or EK secret. */
struct attest_device {
	uint8_t cdi[ATTEST_CDI_LEN];
	uint8_t m_umbra[ATTEST_DIGEST_LEN];
	struct attest_keypair alias;
	uint8_t ek_pub[ATTEST_PUBKEY_LEN];
	uint8_t instance_id[ATTEST_INSTANCE_ID_LEN];
	uint8_t implementation_id[ATTEST_IMPL_ID_LEN];
	uint16_t lifecycle;
	uint8_t boot_seed[ATTEST_BOOT_SEED_MAX];
	size_t boot_seed_len;
	struct attest_component comp[ATTEST_MAX_COMPONENTS];
	size_t nr_comp;
	uint8_t alias_end[ATTEST_ENDORSEMENT_MAX];
	size_t alias_end_len;
};

/* Per partition, computed when the partition is created. */
struct attest_partition {
	uint8_t cdi[ATTEST_CDI_LEN];
	uint8_t measurement[ATTEST_DIGEST_LEN];
	struct attest_keypair key;
	int32_t client_id;
	struct attest_component comp[ATTEST_MAX_COMPONENTS];
	size_t nr_comp;
	uint8_t rmr[ATTEST_NR_RMR][ATTEST_DIGEST_LEN];
	uint8_t end[ATTEST_ENDORSEMENT_MAX];
	size_t end_len;
	uint16_t lifecycle_minor;     /* or-ed into the token's lifecycle */
};

struct attest_device_params {
	const uint8_t *uds;                       /* ATTEST_UDS_LEN */
	const struct attest_component *comp;      /* Umbra's components */
	size_t nr_comp;
	const uint8_t *implementation_id;         /* ATTEST_IMPL_ID_LEN */
	uint16_t lifecycle;
	const uint8_t *boot_seed;                 /* NULL: no boot-seed claim */
	size_t boot_seed_len;
};

/* Derive EK, CDI_U, AK; endorse AK with the EK; wipe the EK private key.
 * The caller wipes its UDS copy afterwards. */
int attest_device_init(struct attest_device *d, const struct attest_device_params *p);

/* Derive CDI_P and PAK for a partition; endorse PAK with AK; clear the
 * runtime registers. client_id must be non-zero. */
int attest_partition_init(struct attest_partition *p, const struct attest_device *d,
			  const struct attest_component *comp, size_t nr_comp,
			  int32_t client_id);

/* Extend runtime register idx (< ATTEST_NR_RMR) with a 32-byte digest. */
int attest_partition_extend(struct attest_partition *p, unsigned idx,
			    const uint8_t digest[ATTEST_DIGEST_LEN]);

/* attest(nonce, buf): see attest_token for the return convention. */
int attest_partition_token(const struct attest_device *d,
			   const struct attest_partition *p,
			   const uint8_t *nonce, size_t nonce_len,
			   uint8_t *out, size_t cap, size_t *len);

/* The same token with the ATTEST_CLAIM_UMBRA_EVENTS claim = events_digest. */
int attest_partition_report_token(const struct attest_device *d,
				  const struct attest_partition *p,
				  const uint8_t *nonce, size_t nonce_len,
				  const uint8_t events_digest[ATTEST_DIGEST_LEN],
				  uint8_t *out, size_t cap, size_t *len);

/* derive_key(label) */
int attest_partition_seal_key(const struct attest_partition *p, const void *label,
			      size_t label_len, uint8_t key[ATTEST_SEAL_KEY_LEN]);

#endif
