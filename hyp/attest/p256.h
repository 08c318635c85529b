// SPDX-License-Identifier: Apache-2.0
/*
 * NIST P-256 for what attestation signs with: k·G (a public key, or the
 * ECDSA nonce point) and the ECDSA signature from a given nonce. Field
 * and scalar arithmetic in 4 × 64-bit limbs (Montgomery form), k·G by a
 * fixed-base comb over a 15-point constant table. Constant time in the
 * secret scalars: no branch and no table index depends on them.
 * Verification (image_auth.c) is here too; the host tools verify with
 * BearSSL, an independent implementation.
 *
 * Portable C11 with unsigned __int128 (GCC, Clang on 64-bit targets);
 * builds into the monitor and the host tools alike.
 */
#ifndef UMBRA_ATTEST_P256_H
#define UMBRA_ATTEST_P256_H

#include <stdint.h>

#define P256_SCALAR_LEN 32  /* big-endian scalar or field element */
#define P256_POINT_LEN 65   /* 0x04 || X || Y */
#define P256_SIG_LEN 64     /* r || s, big-endian */

/*
 * pub = k·G, uncompressed. k must be in [1, n-1]: returns 0, or -1 (pub
 * untouched) when it is not.
 */
int p256_mulgen(const uint8_t k[P256_SCALAR_LEN], uint8_t pub[P256_POINT_LEN]);

/* out = in mod n for any 256-bit in (one conditional subtraction) */
void p256_reduce_n(const uint8_t in[P256_SCALAR_LEN], uint8_t out[P256_SCALAR_LEN]);

/*
 * ECDSA: r = x(k·G) mod n, s = k⁻¹ (h + r·d) mod n, sig = r || s. d and k
 * must be in [1, n-1] and h < n (p256_reduce_n): returns 0, or -1 (sig
 * untouched) when d or k is not. The caller chooses k (RFC 6979 in
 * attest.c); like BearSSL's signer this does not retry on r = 0 or s = 0
 * (probability 2^-255).
 */
int p256_ecdsa_sign(const uint8_t d[P256_SCALAR_LEN], const uint8_t h[P256_SCALAR_LEN],
		    const uint8_t k[P256_SCALAR_LEN], uint8_t sig[P256_SIG_LEN]);

/*
 * ECDSA verification (SEC 1 4.1.4) of sig = r || s over the 32-byte hash
 * h (reduced mod n) by the uncompressed public key pub: 0 when valid, -1
 * when not (r or s not in [1, n-1], pub not a point of the curve, or the
 * equation does not hold). All inputs are public: not constant time.
 */
int p256_ecdsa_verify(const uint8_t pub[P256_POINT_LEN], const uint8_t h[P256_SCALAR_LEN],
		      const uint8_t sig[P256_SIG_LEN]);

#endif
