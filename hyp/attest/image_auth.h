/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed partition images and anti-rollback (docs/signing.md): which
 * staged image may start, the signer and SVN its token reports, and the
 * store of minimum SVNs in the flash only Umbra maps.
 */
#ifndef UMBRA_IMAGE_AUTH_H
#define UMBRA_IMAGE_AUTH_H

#include "umbra/envelope.h"
#include "umbra/types.h"

struct partition;
struct platform;
struct vcpu;

/* What was verified about a partition's running image. */
struct image_auth {
	bool is_signed;
	u32 svn;
	u8 signer_id[32];             /* SHA-256 of the signer's public key */
};

/* Once at boot: map and read the anti-rollback store (if the platform
 * has one). */
void image_auth_boot(const struct platform *plat);

/* The pure decision, for region (Umbra-only memory) holding an envelope
 * and image: signer (key_len 65: the key, 32: its SHA-256, 0: none),
 * signature, image digest, name, SVN against min_svn (store_ok false: the
 * store is unreadable, every signed image is refused). */
enum img_err image_auth_verify(const u8 *region, u64 region_len, const char *name,
			       const u8 *key, unsigned key_len, u32 min_svn, bool store_ok,
			       struct image_auth *out, const char **why);

/* May p start from its staged image? Logs a refusal with its name and
 * remembers signer and SVN for the token. */
enum img_err image_auth_partition(const struct partition *p);

/* A live update of p to the signed image at region: the boot checks
 * with p's signer-key, name and stored minimum SVN. *env gets the
 * envelope. Nothing changes; image_auth_set installs it once loaded. */
enum img_err image_auth_check_update(const struct partition *p, const u8 *region, u64 len,
				     struct image_auth *a, struct envelope *env,
				     const char **why);
void image_auth_set(const struct partition *p, const struct image_auth *a);

/* The running image of partition id (zeros: unsigned). */
const struct image_auth *image_auth_of(unsigned id);

/* UMBRA_HC_IMAGE_CONFIRM from v's partition. */
s64 image_auth_confirm(struct vcpu *v);

#endif
