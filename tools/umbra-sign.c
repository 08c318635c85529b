// SPDX-License-Identifier: Apache-2.0
/*
 * umbra-sign: signed partition images and the anti-rollback store
 * (docs/signing.md).
 *
 *   umbra-sign keygen --key FILE [--seed TEXT] [--force]
 *       a P-256 signing key (32 bytes, mode 0600): random, or derived
 *       from TEXT (reproducible test keys only); prints the public key
 *   umbra-sign pubkey --key FILE [--raw OUT] [--id]
 *       the public key (hex, SEC1 uncompressed: the DT's signer-key), or
 *       with --id its SHA-256 (the signer key id); --raw writes 65 bytes
 *   umbra-sign sign --key FILE --name NAME --svn N -o OUT IMAGE
 *       OUT = envelope || IMAGE (an arm64 Image shorter than its header's
 *       image_size is zero-padded to it, so every byte Umbra copies is signed)
 *   umbra-sign show FILE
 *       the envelope's fields (no trust: nothing is verified against a key)
 *   umbra-sign store -o FILE [--size BYTES] [--generation N] [NAME=SVN]...
 *       a fresh flash image holding the anti-rollback store: slot 0 with
 *       those minimums, slot 1 erased, everything else 0xff
 *   umbra-sign store-show FILE
 *       the store's state, newest record and its entries
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "attest/attest.h"
#include "attest_host.h"
#include "umbra/envelope.h"
#include "umbra/svnstore.h"

#define STORE_SLOT 0x40000UL          /* as hyp/config/platform.h */
#define STORE_DEFAULT_SIZE (64UL << 20) /* QEMU virt's flash bank */

static const char *prog = "umbra-sign";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s keygen --key FILE [--seed TEXT] [--force]\n"
		"       %s pubkey --key FILE [--raw OUT] [--id]\n"
		"       %s sign --key FILE --name NAME --svn N -o OUT IMAGE\n"
		"       %s show FILE\n"
		"       %s store -o FILE [--size BYTES] [--generation N] [NAME=SVN]...\n"
		"       %s store-show FILE\n",
		prog, prog, prog, prog, prog, prog);
	exit(2);
}

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", prog, what, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || v > max || *s == '-')
		die("not a number in range", s);
	return v;
}

static void load_key(const char *path, struct attest_keypair *kp)
{
	if (ah_load_uds(path, kp->priv) || !attest_scalar_valid(kp->priv) ||
	    attest_public_key(kp->priv, kp->pub))
		die("not a signing key (32 bytes or 64 hex digits)", path);
}

static int cmd_keygen(int argc, char **argv)
{
	const char *key = NULL, *seed = NULL;
	struct attest_keypair kp;
	char h[2 * ATTEST_PUBKEY_LEN + 1];
	bool force = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc)
			key = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = argv[++i];
		else if (!strcmp(argv[i], "--force"))
			force = true;
		else
			usage();
	}
	if (!key)
		usage();
	if (!force && fopen(key, "r"))
		die("exists (use --force)", key);
	if (seed) {
		if (attest_derive_keypair(seed, strlen(seed), NULL, 0, "umbra-sign test key", &kp))
			die("cannot derive a key", NULL);
	} else {
		do {
			if (getrandom(kp.priv, sizeof(kp.priv), 0) != (ssize_t)sizeof(kp.priv))
				die("no randomness", strerror(errno));
		} while (!attest_scalar_valid(kp.priv));
		if (attest_public_key(kp.priv, kp.pub))
			die("cannot compute the public key", NULL);
	}
	if (ah_write_file(key, kp.priv, sizeof(kp.priv), true))
		die("cannot write", key);
	ah_hex_encode(kp.pub, sizeof(kp.pub), h);
	printf("public key: %s\n", h);
	attest_wipe(&kp, sizeof(kp));
	return 0;
}

static int cmd_pubkey(int argc, char **argv)
{
	const char *key = NULL, *raw = NULL;
	struct attest_keypair kp;
	uint8_t id[32];
	char h[2 * ATTEST_PUBKEY_LEN + 1];
	bool want_id = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc)
			key = argv[++i];
		else if (!strcmp(argv[i], "--raw") && i + 1 < argc)
			raw = argv[++i];
		else if (!strcmp(argv[i], "--id"))
			want_id = true;
		else
			usage();
	}
	if (!key)
		usage();
	load_key(key, &kp);
	if (raw && ah_write_file(raw, kp.pub, sizeof(kp.pub), false))
		die("cannot write", raw);
	attest_sha256(kp.pub, sizeof(kp.pub), id);
	if (want_id)
		ah_hex_encode(id, sizeof(id), h);
	else
		ah_hex_encode(kp.pub, sizeof(kp.pub), h);
	printf("%s\n", h);
	attest_wipe(&kp, sizeof(kp));
	return 0;
}

static int cmd_sign(int argc, char **argv)
{
	const char *key = NULL, *name = NULL, *out = NULL, *in = NULL;
	unsigned long svn = 0;
	bool have_svn = false;
	struct attest_keypair kp;
	uint8_t *img, *buf, hdr[ENV_HDR_MIN] = { 0 };
	size_t len, padded;
	uint64_t isz;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc)
			key = argv[++i];
		else if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--svn") && i + 1 < argc)
			svn = parse_num(argv[++i], 0xffffffffUL), have_svn = true;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && !in)
			in = argv[i];
		else
			usage();
	}
	if (!key || !name || !have_svn || !out || !in)
		usage();
	if (!*name || strlen(name) >= ENV_NAME_LEN)
		die("name must be 1..31 characters", name);
	for (i = 0; name[i]; i++)
		if (name[i] < 0x21 || name[i] > 0x7e)
			die("name must be printable ASCII", name);
	load_key(key, &kp);
	img = ah_read_file(in, &len);
	if (!img || !len)
		die("cannot read", in);
	/* an arm64 Image: Umbra copies image_size bytes; sign all of them */
	padded = len;
	if (len >= 64 && !memcmp(img + 0x38, "ARM\x64", 4)) {
		memcpy(&isz, img + 16, 8);
		if (isz > len)
			padded = isz;
	}
	buf = calloc(1, ENV_HDR_MIN + padded);
	if (!buf)
		die("out of memory", NULL);
	memcpy(buf + ENV_HDR_MIN, img, len);
	memcpy(hdr, ENV_MAGIC, ENV_MAGIC_LEN);
	put_le(hdr + ENV_OFF_VERSION, ENV_VERSION, 2);
	put_le(hdr + ENV_OFF_HDR_LEN, ENV_HDR_MIN, 2);
	put_le(hdr + ENV_OFF_IMAGE_SIZE, padded, 8);
	put_le(hdr + ENV_OFF_SVN, svn, 4);
	attest_sha256(buf + ENV_HDR_MIN, padded, hdr + ENV_OFF_DIGEST);
	memcpy(hdr + ENV_OFF_NAME, name, strlen(name));
	memcpy(hdr + ENV_OFF_KEY, kp.pub, ENV_KEY_LEN);
	if (attest_sign(kp.priv, hdr, ENV_HDR_MIN - ENV_SIG_LEN, hdr + ENV_HDR_MIN - ENV_SIG_LEN))
		die("cannot sign", NULL);
	memcpy(buf, hdr, sizeof(hdr));
	if (ah_write_file(out, buf, ENV_HDR_MIN + padded, false))
		die("cannot write", out);
	printf("%s: %s signed for '%s', SVN %lu, %zu image bytes\n", out, in, name, svn, padded);
	attest_wipe(&kp, sizeof(kp));
	free(img);
	free(buf);
	return 0;
}

static int cmd_show(int argc, char **argv)
{
	struct envelope e;
	const char *why;
	uint8_t *buf, id[32];
	char h[2 * ATTEST_PUBKEY_LEN + 1];
	size_t len;

	if (argc != 1)
		usage();
	buf = ah_read_file(argv[0], &len);
	if (!buf)
		die("cannot read", argv[0]);
	if (envelope_parse(buf, len, &e, &why) != IMG_OK)
		die("image-envelope", why);
	printf("version:    %u\nheader:     %u bytes\nimage size: %llu\nsvn:        %u\n"
	       "name:       %s\n", e.version, e.hdr_len, (unsigned long long)e.image_size,
	       e.svn, e.name);
	ah_hex_encode(e.digest, sizeof(e.digest), h);
	printf("digest:     %s\n", h);
	attest_sha256(e.key, sizeof(e.key), id);
	ah_hex_encode(id, sizeof(id), h);
	printf("signer id:  %s\n", h);
	free(buf);
	return 0;
}

static int cmd_store(int argc, char **argv)
{
	const char *out = NULL;
	unsigned long size = STORE_DEFAULT_SIZE;
	struct svn_store s = { .generation = 1 };
	uint8_t *img;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--size") && i + 1 < argc)
			size = parse_num(argv[++i], 1UL << 32);
		else if (!strcmp(argv[i], "--generation") && i + 1 < argc)
			s.generation = (uint32_t)parse_num(argv[++i], 0xffffffffUL);
		else if (strchr(argv[i], '=') && argv[i][0] != '-') {
			char *eq = strchr(argv[i], '=');

			*eq = 0;
			if (svnstore_raise(&s, argv[i], (uint32_t)parse_num(eq + 1, 0xffffffffUL)))
				die("bad name or too many entries", argv[i]);
		} else {
			usage();
		}
	}
	if (!out || size < 2 * STORE_SLOT)
		usage();
	img = malloc(size);
	if (!img)
		die("out of memory", NULL);
	memset(img, 0xff, size);
	svnstore_encode(&s, img);
	if (ah_write_file(out, img, size, false))
		die("cannot write", out);
	printf("%s: anti-rollback store, generation %u, %u entries\n", out, s.generation, s.count);
	free(img);
	return 0;
}

static int cmd_store_show(int argc, char **argv)
{
	static const char *const states[] = { "valid", "blank", "corrupt" };
	struct svn_store s;
	unsigned slot, i;
	enum svn_state st;
	uint8_t *img;
	size_t len;

	if (argc != 1)
		usage();
	img = ah_read_file(argv[0], &len);
	if (!img || len < 2 * STORE_SLOT)
		die("cannot read a store (too short?)", argv[0]);
	st = svnstore_load(img, img + STORE_SLOT, &s, &slot);
	printf("state: %s\n", states[st]);
	if (st == SVN_VALID) {
		printf("slot %u, generation %u\n", slot, s.generation);
		for (i = 0; i < s.count; i++)
			printf("%s=%u\n", s.e[i].name, s.e[i].min_svn);
	}
	free(img);
	return st == SVN_CORRUPT;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "keygen"))
		return cmd_keygen(argc - 2, argv + 2);
	if (!strcmp(argv[1], "pubkey"))
		return cmd_pubkey(argc - 2, argv + 2);
	if (!strcmp(argv[1], "sign"))
		return cmd_sign(argc - 2, argv + 2);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 2, argv + 2);
	if (!strcmp(argv[1], "store"))
		return cmd_store(argc - 2, argv + 2);
	if (!strcmp(argv[1], "store-show"))
		return cmd_store_show(argc - 2, argv + 2);
	usage();
	return 2;
}
