// SPDX-License-Identifier: Apache-2.0
/* Host-side helpers for the attestation tools: see attest_host.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl/bearssl_ec.h>
#include <bearssl/bearssl_hash.h>

#include "attest/config_digest.h"
#include "attest_host.h"

/* DER prefix of SubjectPublicKeyInfo { id-ecPublicKey, prime256v1 } with
 * a 66-byte BIT STRING (0 unused bits + the 65-byte point) (RFC 5480). */
static const uint8_t spki_prefix[AH_SPKI_LEN - ATTEST_PUBKEY_LEN] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00,
};

uint8_t *ah_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

int ah_write_file(const char *path, const void *data, size_t len, bool private_)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, private_ ? 0600 : 0644);
	const uint8_t *p = data;

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return close(fd) ? -1 : 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

long ah_hex_decode(const char *s, size_t slen, uint8_t *out, size_t cap)
{
	size_t i, n = 0;
	int hi = -1, v;

	for (i = 0; i < slen; i++) {
		if (is_space((unsigned char)s[i]))
			continue;
		v = hexval((unsigned char)s[i]);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}

void ah_hex_encode(const uint8_t *p, size_t len, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * len] = 0;
}

int ah_load_uds(const char *path, uint8_t uds[ATTEST_UDS_LEN])
{
	size_t len;
	uint8_t *buf = ah_read_file(path, &len);
	int ret = -1;

	if (!buf)
		return -1;
	if (len == ATTEST_UDS_LEN) {
		memcpy(uds, buf, ATTEST_UDS_LEN);
		ret = 0;
	} else if (ah_hex_decode((char *)buf, len, uds, ATTEST_UDS_LEN) == ATTEST_UDS_LEN) {
		ret = 0;
	}
	attest_wipe(buf, len);
	free(buf);
	return ret;
}

void ah_spki_der(const uint8_t pub[ATTEST_PUBKEY_LEN], uint8_t der[AH_SPKI_LEN])
{
	memcpy(der, spki_prefix, sizeof(spki_prefix));
	memcpy(der + sizeof(spki_prefix), pub, ATTEST_PUBKEY_LEN);
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t ah_spki_pem(const uint8_t pub[ATTEST_PUBKEY_LEN], char *out, size_t cap)
{
	uint8_t der[AH_SPKI_LEN];
	char enc[4 * ((AH_SPKI_LEN + 2) / 3) + 1], body[sizeof(enc) + 8];
	size_t i, n = 0, m = 0;
	int len;

	ah_spki_der(pub, der);
	for (i = 0; i < AH_SPKI_LEN; i += 3) {
		size_t left = AH_SPKI_LEN - i;
		uint32_t v = (uint32_t)der[i] << 16 |
			     (left > 1 ? (uint32_t)der[i + 1] << 8 : 0) |
			     (left > 2 ? der[i + 2] : 0);

		enc[n++] = b64[v >> 18 & 63];
		enc[n++] = b64[v >> 12 & 63];
		enc[n++] = left > 1 ? b64[v >> 6 & 63] : '=';
		enc[n++] = left > 2 ? b64[v & 63] : '=';
	}
	/* 64 characters a line (RFC 7468) */
	for (i = 0; i < n; i++) {
		if (i && i % 64 == 0)
			body[m++] = '\n';
		body[m++] = enc[i];
	}
	body[m] = 0;
	len = snprintf(out, cap, "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n",
		       body);
	return len < 0 || (size_t)len >= cap ? 0 : (size_t)len;
}

static long b64_decode(const char *s, size_t slen, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	size_t i, n = 0;
	int bits = 0, pad = 0;

	for (i = 0; i < slen; i++) {
		const char *p;
		int c = (unsigned char)s[i];

		if (is_space(c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		p = c ? strchr(b64, c) : NULL;
		if (!p || pad)
			return -1;
		acc = acc << 6 | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return pad > 2 ? -1 : (long)n;
}

bool ah_point_valid(const uint8_t pub[ATTEST_PUBKEY_LEN])
{
	uint8_t tmp[ATTEST_PUBKEY_LEN];
	static const uint8_t one = 1;

	if (pub[0] != 0x04)
		return false;
	memcpy(tmp, pub, sizeof(tmp));
	/* mul decodes the point (rejecting off-curve ones) and multiplies by 1 */
	return br_ec_p256_m31.mul(tmp, sizeof(tmp), &one, 1, BR_EC_secp256r1) == 1 &&
	       memcmp(tmp, pub, sizeof(tmp)) == 0;
}

int ah_parse_pubkey(const uint8_t *data, size_t len, uint8_t pub[ATTEST_PUBKEY_LEN])
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----";
	static const char end[] = "-----END PUBLIC KEY-----";
	uint8_t der[AH_SPKI_LEN + 8];
	const char *b, *e;
	long n;

	if (len == ATTEST_PUBKEY_LEN) {
		memcpy(pub, data, ATTEST_PUBKEY_LEN);
	} else if (len == AH_SPKI_LEN && !memcmp(data, spki_prefix, sizeof(spki_prefix))) {
		memcpy(pub, data + sizeof(spki_prefix), ATTEST_PUBKEY_LEN);
	} else if ((b = strstr((const char *)data, begin)) != NULL) {
		/* data is NUL-terminated by ah_read_file (callers pass such) */
		b += sizeof(begin) - 1;
		e = strstr(b, end);
		if (!e)
			return -1;
		n = b64_decode(b, (size_t)(e - b), der, sizeof(der));
		if (n != AH_SPKI_LEN || memcmp(der, spki_prefix, sizeof(spki_prefix)))
			return -1;
		memcpy(pub, der + sizeof(spki_prefix), ATTEST_PUBKEY_LEN);
	} else if (ah_hex_decode((const char *)data, len, pub, ATTEST_PUBKEY_LEN) !=
		   ATTEST_PUBKEY_LEN) {
		return -1;
	}
	return ah_point_valid(pub) ? 0 : -1;
}

int ah_load_pubkey(const char *path, uint8_t pub[ATTEST_PUBKEY_LEN])
{
	size_t len;
	uint8_t *buf = ah_read_file(path, &len);
	int ret;

	if (!buf)
		return -1;
	ret = ah_parse_pubkey(buf, len, pub);
	free(buf);
	return ret;
}

int ah_sha256_file(const char *path, uint8_t out[ATTEST_DIGEST_LEN])
{
	size_t len;
	uint8_t *buf = ah_read_file(path, &len);

	if (!buf)
		return -1;
	attest_sha256(buf, len, out);
	free(buf);
	return 0;
}

int ah_sha256_arm64_image(const char *path, uint8_t out[ATTEST_DIGEST_LEN])
{
	static const uint8_t zeros[4096];
	br_sha256_context h;
	uint64_t size = 0, done;
	size_t len;
	uint8_t *buf = ah_read_file(path, &len);
	int i;

	if (!buf)
		return -1;
	/* header: image_size at 16 (LE), magic "ARM\x64" at 0x38 */
	if (len < 64 || memcmp(buf + 0x38, "ARM\x64", 4)) {
		free(buf);
		return -1;
	}
	for (i = 7; i >= 0; i--)
		size = size << 8 | buf[16 + i];
	if (size == 0 || size > (UINT64_C(1) << 32)) {
		free(buf);
		return -1;
	}
	br_sha256_init(&h);
	br_sha256_update(&h, buf, size < len ? (size_t)size : len);
	for (done = len; done < size; ) {
		size_t n = size - done < sizeof(zeros) ? (size_t)(size - done) : sizeof(zeros);

		br_sha256_update(&h, zeros, n);
		done += n;
	}
	br_sha256_out(&h, out);
	free(buf);
	return 0;
}

int ah_config_digest(const char *dtb, const char *partition,
		     uint8_t out[ATTEST_DIGEST_LEN])
{
	size_t len;
	uint8_t *buf = ah_read_file(dtb, &len);
	int ret;

	if (!buf) {
		fprintf(stderr, "cannot read %s: %s\n", dtb, strerror(errno));
		return -1;
	}
	ret = attest_config_digest(buf, len, partition, out);
	free(buf);
	if (ret) {
		if (partition)
			fprintf(stderr, "%s: not a valid DTB with a partition '%s' in its "
				"/umbra node (compatible umbra,partition)\n", dtb, partition);
		else
			fprintf(stderr, "%s: not a valid DTB with an /umbra node "
				"(compatible umbra,config-v1)\n", dtb);
		return -1;
	}
	return 0;
}

/* config:FILE, config/NAME:FILE (NAME: a node name, no '/' or ':') */
static int config_spec(const char *src, uint8_t value[ATTEST_DIGEST_LEN])
{
	char name[256];
	const char *colon;
	size_t n;

	if (src[0] == ':')
		return ah_config_digest(src + 1, NULL, value);
	colon = strchr(src, ':');
	n = colon ? (size_t)(colon - src - 1) : 0;
	if (src[0] != '/' || !colon || n == 0 || n >= sizeof(name) ||
	    memchr(src + 1, '/', n)) {
		fprintf(stderr, "bad config source 'config%s': want config:DTB or "
			"config/PARTITION:DTB\n", src);
		return -1;
	}
	memcpy(name, src + 1, n);
	name[n] = 0;
	return ah_config_digest(colon + 1, name, value);
}

int ah_component_spec(const char *spec, char type[ATTEST_TYPE_MAX + 1],
		      uint8_t value[ATTEST_DIGEST_LEN])
{
	const char *eq = strchr(spec, '=');
	const char *src;
	size_t tlen;

	if (!eq || eq == spec || (tlen = (size_t)(eq - spec)) > ATTEST_TYPE_MAX) {
		fprintf(stderr, "bad component '%s': want TYPE=FILE, TYPE=hex:DIGEST "
			"or TYPE=text:STRING (TYPE at most %d characters)\n",
			spec, ATTEST_TYPE_MAX);
		return -1;
	}
	memcpy(type, spec, tlen);
	type[tlen] = 0;
	for (size_t i = 0; i < tlen; i++)
		if (type[i] < 0x20 || type[i] > 0x7e || type[i] == '"' || type[i] == '\\') {
			fprintf(stderr, "bad component type '%s': printable ASCII without "
				"quotes or backslashes\n", type);
			return -1;
		}
	src = eq + 1;
	if (!strncmp(src, "hex:", 4)) {
		if (ah_hex_decode(src + 4, strlen(src + 4), value, ATTEST_DIGEST_LEN) !=
		    ATTEST_DIGEST_LEN) {
			fprintf(stderr, "component '%s': the digest must be 64 hex digits\n",
				type);
			return -1;
		}
	} else if (!strncmp(src, "text:", 5)) {
		attest_sha256(src + 5, strlen(src + 5), value);
	} else if (!strncmp(src, "config:", 7) || !strncmp(src, "config/", 7)) {
		if (config_spec(src + 6, value))
			return -1;
	} else if (!strncmp(src, "arm64:", 6)) {
		if (ah_sha256_arm64_image(src + 6, value)) {
			fprintf(stderr, "component '%s': %s is not a readable arm64 Image\n",
				type, src + 6);
			return -1;
		}
	} else if (ah_sha256_file(src, value)) {
		fprintf(stderr, "component '%s': cannot read %s: %s\n", type, src,
			strerror(errno));
		return -1;
	}
	return 0;
}
