// SPDX-License-Identifier: Apache-2.0
/* Signed-image envelope parsing (umbra/envelope.h, docs/signing.md). */
#include "umbra/envelope.h"

static const char *const names[IMG_E__COUNT] = {
	[IMG_OK] = "ok",
	[IMG_E_ENVELOPE] = "image-envelope",
	[IMG_E_SIGNER] = "image-signer",
	[IMG_E_SIGNATURE] = "image-signature",
	[IMG_E_NAME] = "image-name",
	[IMG_E_ROLLBACK] = "image-rollback",
	[IMG_E_FORMAT] = "image-format",
};

const char *img_err_name(enum img_err e)
{
	return (unsigned)e < IMG_E__COUNT ? names[e] : "unknown";
}

static u64 le(const u8 *p, unsigned n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

bool envelope_present(const u8 *buf, u64 len)
{
	return len >= ENV_MAGIC_LEN && memcmp(buf, ENV_MAGIC, ENV_MAGIC_LEN) == 0;
}

static enum img_err bad(const char **why, const char *msg)
{
	*why = msg;
	return IMG_E_ENVELOPE;
}

enum img_err envelope_parse(const u8 *buf, u64 len, struct envelope *e, const char **why)
{
	u64 i, nlen;

	memset(e, 0, sizeof(*e));
	*why = "";
	if (!envelope_present(buf, len))
		return bad(why, "no envelope (unsigned image)");
	if (len < ENV_HDR_MIN)
		return bad(why, "truncated: shorter than the fixed header");
	e->version = (u16)le(buf + ENV_OFF_VERSION, 2);
	if (e->version != ENV_VERSION)
		return bad(why, "unknown version");
	e->hdr_len = (u16)le(buf + ENV_OFF_HDR_LEN, 2);
	if (e->hdr_len < ENV_HDR_MIN || e->hdr_len > ENV_HDR_MAX || !IS_ALIGNED(e->hdr_len, 8))
		return bad(why, "header length out of range (256..4096, multiple of 8)");
	if (e->hdr_len > len)
		return bad(why, "truncated: header longer than the region");
	if (le(buf + ENV_OFF_FLAGS, 4) || le(buf + ENV_OFF_RESERVED, 4))
		return bad(why, "flags or reserved field not zero");
	e->image_size = le(buf + ENV_OFF_IMAGE_SIZE, 8);
	/* no wrap: hdr_len <= len checked above */
	if (e->image_size == 0 || e->image_size > len - e->hdr_len)
		return bad(why, "image size zero or past the end of the region");
	e->svn = (u32)le(buf + ENV_OFF_SVN, 4);
	memcpy(e->digest, buf + ENV_OFF_DIGEST, ENV_DIGEST_LEN);
	/* the name: 1..31 printable characters, then only NULs */
	for (nlen = 0; nlen < ENV_NAME_LEN && buf[ENV_OFF_NAME + nlen]; nlen++)
		if (buf[ENV_OFF_NAME + nlen] < 0x21 || buf[ENV_OFF_NAME + nlen] > 0x7e)
			return bad(why, "name not printable ASCII");
	if (nlen == 0 || nlen == ENV_NAME_LEN)
		return bad(why, "name empty or not NUL-terminated");
	for (i = nlen; i < ENV_NAME_LEN; i++)
		if (buf[ENV_OFF_NAME + i])
			return bad(why, "bytes after the name's NUL");
	memcpy(e->name, buf + ENV_OFF_NAME, nlen);
	memcpy(e->key, buf + ENV_OFF_KEY, ENV_KEY_LEN);
	if (e->key[0] != 0x04)
		return bad(why, "signer key not a SEC1 uncompressed point");
	for (i = ENV_FIXED_END; i < (u64)e->hdr_len - ENV_SIG_LEN; i++)
		if (buf[i])
			return bad(why, "reserved header bytes not zero");
	e->signed_len = (u64)e->hdr_len - ENV_SIG_LEN;
	memcpy(e->sig, buf + e->signed_len, ENV_SIG_LEN);
	return IMG_OK;
}
