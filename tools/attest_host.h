// SPDX-License-Identifier: Apache-2.0
/*
 * Host-side helpers shared by umbra-provision, umbra-verify, the test
 * generator and the unit tests: files, hex, public-key formats.
 */
#ifndef UMBRA_ATTEST_HOST_H
#define UMBRA_ATTEST_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/attest.h"

/* Whole file into a malloc'd buffer (NUL-terminated, not counted in *len). */
uint8_t *ah_read_file(const char *path, size_t *len);
/* Write atomically enough for tests; mode 0600 if private. 0 or -1. */
int ah_write_file(const char *path, const void *data, size_t len, bool private_);

/* Hex digits (whitespace ignored) into out; returns bytes or -1. */
long ah_hex_decode(const char *s, size_t slen, uint8_t *out, size_t cap);
/* Lower-case hex, NUL-terminated; out needs 2 * len + 1. */
void ah_hex_encode(const uint8_t *p, size_t len, char *out);

/* A UDS file: 32 raw bytes, or 64 hex digits (whitespace allowed). */
int ah_load_uds(const char *path, uint8_t uds[ATTEST_UDS_LEN]);

/* SubjectPublicKeyInfo DER for a P-256 point (91 bytes) and its PEM. */
#define AH_SPKI_LEN 91
void ah_spki_der(const uint8_t pub[ATTEST_PUBKEY_LEN], uint8_t der[AH_SPKI_LEN]);
/* PEM text into out (needs 200 bytes); returns its length. */
size_t ah_spki_pem(const uint8_t pub[ATTEST_PUBKEY_LEN], char *out, size_t cap);

/* A public key in any of: PEM "PUBLIC KEY" (SPKI), DER SPKI, 65 raw bytes,
 * 130 hex digits. The point is checked to be on P-256. 0 or -1. */
int ah_parse_pubkey(const uint8_t *data, size_t len, uint8_t pub[ATTEST_PUBKEY_LEN]);
/* The same from a file. */
int ah_load_pubkey(const char *path, uint8_t pub[ATTEST_PUBKEY_LEN]);

/* Is this a valid P-256 point (SEC1 uncompressed)? */
bool ah_point_valid(const uint8_t pub[ATTEST_PUBKEY_LEN]);

/* SHA-256 of a file (all of it). 0 or -1. */
int ah_sha256_file(const char *path, uint8_t out[ATTEST_DIGEST_LEN]);

/* SHA-256 of the image_size bytes (arm64 Image header) Umbra copies for a
 * partition: the file, cut or zero-padded to image_size. 0 or -1. */
int ah_sha256_arm64_image(const char *path, uint8_t out[ATTEST_DIGEST_LEN]);

/* The measured configuration of a DTB file (hyp/attest/config_digest.h):
 * /umbra (partition NULL) or the partition's node. 0 or -1 (message on
 * stderr). */
int ah_config_digest(const char *dtb, const char *partition,
		     uint8_t out[ATTEST_DIGEST_LEN]);

/*
 * A component spec "TYPE=SOURCE" where SOURCE is
 *   FILE          SHA-256 of the file
 *   arm64:FILE    SHA-256 of the arm64 Image's image_size bytes (above)
 *   config:DTB    the canonical digest of DTB's /umbra node (umbra/config)
 *   config/NAME:DTB  ... of its partition NAME's node (partition/config)
 *   hex:DIGEST    the digest itself (64 hex digits)
 *   text:STRING   SHA-256 of the string (tests)
 * Fills type (<= ATTEST_TYPE_MAX) and value. 0 or -1 (message on stderr).
 */
int ah_component_spec(const char *spec, char type[ATTEST_TYPE_MAX + 1],
		      uint8_t value[ATTEST_DIGEST_LEN]);

#endif
