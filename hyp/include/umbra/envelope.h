/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The signed-image envelope (docs/signing.md is the specification): a
 * header prepended to a partition image by tools/umbra-sign. All fields
 * little-endian:
 *
 *   0   8  magic "UMBRASIG"
 *   8   2  version (1)
 *  10   2  header length H: the image starts at offset H (256..4096, 8 | H)
 *  12   4  flags (0)
 *  16   8  image size (bytes after the header; 1..)
 *  24   4  security version number (SVN)
 *  28   4  reserved (0)
 *  32  32  SHA-256 of the image
 *  64  32  partition name or image type: 1..31 printable ASCII, NUL padded
 *  96  65  signer public key, SEC1 uncompressed (P-256); its SHA-256 is the
 *          signer key id
 * 161  .. reserved (0) up to H - 64
 * H-64 64  ES256 signature (r || s) over SHA-256 of bytes 0 .. H-64
 *
 * Parsing is pure (no crypto): it checks every field against the bytes
 * and the staging region actually there. Shared by the monitor and the
 * host tools.
 */
#ifndef UMBRA_ENVELOPE_H
#define UMBRA_ENVELOPE_H

#include "umbra/types.h"

#define ENV_MAGIC "UMBRASIG"
#define ENV_MAGIC_LEN 8
#define ENV_VERSION 1
#define ENV_HDR_MIN 256
#define ENV_HDR_MAX 4096
#define ENV_NAME_LEN 32
#define ENV_KEY_LEN 65
#define ENV_SIG_LEN 64
#define ENV_DIGEST_LEN 32
#define ENV_FIXED_END 161   /* first reserved byte after the key */

#define ENV_OFF_VERSION 8
#define ENV_OFF_HDR_LEN 10
#define ENV_OFF_FLAGS 12
#define ENV_OFF_IMAGE_SIZE 16
#define ENV_OFF_SVN 24
#define ENV_OFF_RESERVED 28
#define ENV_OFF_DIGEST 32
#define ENV_OFF_NAME 64
#define ENV_OFF_KEY 96

struct envelope {
	u16 version;
	u16 hdr_len;
	u64 image_size;
	u32 svn;
	u8 digest[ENV_DIGEST_LEN];
	char name[ENV_NAME_LEN];          /* NUL-terminated */
	u8 key[ENV_KEY_LEN];
	u8 sig[ENV_SIG_LEN];
	u64 signed_len;                   /* bytes 0..signed_len are signed */
};

/* Why an image is refused (the names are what the console and tests show). */
enum img_err {
	IMG_OK = 0,
	IMG_E_ENVELOPE,       /* missing, truncated or malformed envelope */
	IMG_E_SIGNER,         /* signed by a key the config does not trust */
	IMG_E_SIGNATURE,      /* signature or image digest does not verify */
	IMG_E_NAME,           /* signed for another partition */
	IMG_E_ROLLBACK,       /* SVN below the stored minimum (or store unreadable) */
	IMG_E_FORMAT,         /* no usable arm64 Image inside, or it does not fit */
	IMG_E__COUNT
};

const char *img_err_name(enum img_err e);

/* The region starts with the envelope magic. */
bool envelope_present(const u8 *buf, u64 len);

/* Parse the envelope at buf; len is what is readable there (the whole
 * staging region). IMG_OK, or IMG_E_ENVELOPE with *why set. */
enum img_err envelope_parse(const u8 *buf, u64 len, struct envelope *e, const char **why);

#endif
