// SPDX-License-Identifier: Apache-2.0
/*
 * attest-gen: what the monitor does, on the host, for tests and the fixed
 * vectors in tests/vectors/attestation/. It calls the same hyp/attest/attest.c
 * entry points the monitor uses (device init, partition init, extend,
 * token, sealing key) and writes the token plus a JSON record of every
 * intermediate value (including private keys: test devices only).
 *
 *   attest-gen --uds FILE --board NAME --nonce HEX --token OUT
 *       [--json OUT] [--ek OUT] [--lifecycle N] [--boot-seed HEX]
 *       [--client-id N] [--umbra TYPE=SRC]... [--partition TYPE=SRC]...
 *       [--version TYPE=STRING]... [--extend IDX=SRC]... [--seal LABEL]...
 *
 * SRC as for umbra-provision: FILE, hex:DIGEST or text:STRING.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/attest.h"
#include "attest_host.h"

#define MAX_EXTENDS 16
#define MAX_SEALS 8
#define MAX_VERSIONS 8

static __attribute__((noreturn)) void die(const char *msg, const char *arg)
{
	fprintf(stderr, "attest-gen: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

static long number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		die("bad number", s);
	return v;
}

static void hexline(FILE *f, const char *key, const uint8_t *p, size_t n, bool comma)
{
	char *h = malloc(2 * n + 1);

	if (!h)
		die("out of memory", NULL);
	ah_hex_encode(p, n, h);
	fprintf(f, "  \"%s\": \"%s\"%s\n", key, h, comma ? "," : "");
	free(h);
}

static void keyline(FILE *f, const char *key, const struct attest_keypair *kp)
{
	char a[2 * ATTEST_SCALAR_LEN + 1], b[2 * ATTEST_PUBKEY_LEN + 1];

	ah_hex_encode(kp->priv, ATTEST_SCALAR_LEN, a);
	ah_hex_encode(kp->pub, ATTEST_PUBKEY_LEN, b);
	fprintf(f, "  \"%s\": {\"private\": \"%s\", \"public\": \"%s\"},\n", key, a, b);
}

static void add_component(struct attest_component *c, size_t *n, const char *spec)
{
	char type[ATTEST_TYPE_MAX + 1];
	uint8_t v[ATTEST_DIGEST_LEN];

	if (*n == ATTEST_MAX_COMPONENTS)
		die("too many components", spec);
	if (ah_component_spec(spec, type, v) || attest_component_set(&c[*n], type, v, NULL, NULL))
		die("bad component", spec);
	(*n)++;
}

int main(int argc, char **argv)
{
	struct attest_component ucomp[ATTEST_MAX_COMPONENTS], pcomp[ATTEST_MAX_COMPONENTS];
	size_t nu = 0, np = 0, nr_ext = 0, nr_seal = 0, nr_ver = 0, i, j;
	const char *uds_path = NULL, *board = NULL, *nonce_hex = NULL, *token_path = NULL;
	const char *json_path = NULL, *ek_path = NULL, *seed_hex = NULL;
	const char *extends[MAX_EXTENDS], *seals[MAX_SEALS], *versions[MAX_VERSIONS];
	uint8_t uds[ATTEST_UDS_LEN], nonce[ATTEST_NONCE_MAX], seed[ATTEST_BOOT_SEED_MAX];
	uint8_t impl[ATTEST_IMPL_ID_LEN], tokbuf[ATTEST_TOKEN_MAX], h[ATTEST_DIGEST_LEN];
	long nonce_len, seed_len = 0, client = -1, lifecycle = ATTEST_LIFECYCLE_SECURED;
	struct attest_device *dev;
	struct attest_partition *part;
	struct attest_keypair ek;
	size_t toklen;
	char *end, pem[256];
	FILE *f;
	int k, ret;

	for (k = 1; k < argc; k++) {
		const char *a = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;

		if (!v)
			die("missing value after", a);
		k++;
		if (!strcmp(a, "--uds"))
			uds_path = v;
		else if (!strcmp(a, "--board"))
			board = v;
		else if (!strcmp(a, "--nonce"))
			nonce_hex = v;
		else if (!strcmp(a, "--token"))
			token_path = v;
		else if (!strcmp(a, "--json"))
			json_path = v;
		else if (!strcmp(a, "--ek"))
			ek_path = v;
		else if (!strcmp(a, "--boot-seed"))
			seed_hex = v;
		else if (!strcmp(a, "--lifecycle"))
			lifecycle = number(v, 0, 0xffff);
		else if (!strcmp(a, "--client-id"))
			client = number(v, INT32_MIN, INT32_MAX);
		else if (!strcmp(a, "--umbra"))
			add_component(ucomp, &nu, v);
		else if (!strcmp(a, "--partition"))
			add_component(pcomp, &np, v);
		else if (!strcmp(a, "--extend") && nr_ext < MAX_EXTENDS)
			extends[nr_ext++] = v;
		else if (!strcmp(a, "--seal") && nr_seal < MAX_SEALS)
			seals[nr_seal++] = v;
		else if (!strcmp(a, "--version") && nr_ver < MAX_VERSIONS)
			versions[nr_ver++] = v;
		else
			die("unknown or repeated-too-often option", a);
	}
	if (!uds_path || !board || !nonce_hex || !token_path)
		die("need --uds, --board, --nonce and --token", NULL);
	if (ah_load_uds(uds_path, uds))
		die("bad UDS file", uds_path);
	nonce_len = ah_hex_decode(nonce_hex, strlen(nonce_hex), nonce, sizeof(nonce));
	if (nonce_len < 0)
		die("bad nonce", nonce_hex);
	if (seed_hex) {
		seed_len = ah_hex_decode(seed_hex, strlen(seed_hex), seed, sizeof(seed));
		if (seed_len < 0)
			die("bad boot seed", seed_hex);
	}
	for (i = 0; i < nr_ver; i++) {
		const char *eq = strchr(versions[i], '=');
		bool found = false;

		for (j = 0; eq && j < nu + np; j++) {
			struct attest_component *c = j < nu ? &ucomp[j] : &pcomp[j - nu];

			if (strlen(c->type) == (size_t)(eq - versions[i]) &&
			    !strncmp(c->type, versions[i], (size_t)(eq - versions[i]))) {
				if (strlen(eq + 1) > ATTEST_VERSION_MAX)
					die("version too long", versions[i]);
				strcpy(c->version, eq + 1);
				found = true;
			}
		}
		if (!found)
			die("--version for an unknown component", versions[i]);
	}
	attest_implementation_id(board, impl);

	dev = calloc(1, sizeof(*dev));
	part = calloc(1, sizeof(*part));
	if (!dev || !part)
		die("out of memory", NULL);
	ret = attest_device_init(dev, &(struct attest_device_params){
		.uds = uds,
		.comp = ucomp,
		.nr_comp = nu,
		.implementation_id = impl,
		.lifecycle = (uint16_t)lifecycle,
		.boot_seed = seed_hex ? seed : NULL,
		.boot_seed_len = (size_t)seed_len,
	});
	if (ret)
		die("attest_device_init failed", NULL);
	if (attest_partition_init(part, dev, pcomp, np, (int32_t)client))
		die("attest_partition_init failed", NULL);
	for (i = 0; i < nr_ext; i++) {
		char type[ATTEST_TYPE_MAX + 1];
		unsigned long idx = strtoul(extends[i], &end, 10);

		if (*end != '=' || ah_component_spec(extends[i], type, h) ||
		    attest_partition_extend(part, (unsigned)idx, h))
			die("bad --extend (want IDX=SRC, IDX < 4)", extends[i]);
	}
	ret = attest_partition_token(dev, part, nonce, (size_t)nonce_len, tokbuf,
				     sizeof(tokbuf), &toklen);
	if (ret) {
		fprintf(stderr, "attest-gen: attest_partition_token: %d (needed %zu)\n",
			ret, toklen);
		return 1;
	}
	if (ah_write_file(token_path, tokbuf, toklen, false))
		die("cannot write", token_path);

	if (attest_derive_ek(uds, &ek))
		die("attest_derive_ek failed", NULL);
	if (ek_path) {
		size_t n = ah_spki_pem(ek.pub, pem, sizeof(pem));

		if (!n || ah_write_file(ek_path, pem, n, false))
			die("cannot write", ek_path);
	}
	if (json_path) {
		f = fopen(json_path, "w");
		if (!f)
			die("cannot write", json_path);
		fprintf(f, "{\n");
		hexline(f, "uds", uds, sizeof(uds), true);
		fprintf(f, "  \"board\": \"%s\",\n", board);
		hexline(f, "implementation-id", impl, sizeof(impl), true);
		keyline(f, "endorsement-key", &ek);
		hexline(f, "instance-id", dev->instance_id, ATTEST_INSTANCE_ID_LEN, true);
		hexline(f, "umbra-measurement", dev->m_umbra, ATTEST_DIGEST_LEN, true);
		hexline(f, "cdi", dev->cdi, ATTEST_CDI_LEN, true);
		keyline(f, "alias-key", &dev->alias);
		hexline(f, "partition-measurement", part->measurement, ATTEST_DIGEST_LEN, true);
		hexline(f, "partition-cdi", part->cdi, ATTEST_CDI_LEN, true);
		keyline(f, "partition-key", &part->key);
		fprintf(f, "  \"runtime-registers\": [");
		for (i = 0; i < ATTEST_NR_RMR; i++) {
			char hx[2 * ATTEST_DIGEST_LEN + 1];

			ah_hex_encode(part->rmr[i], ATTEST_DIGEST_LEN, hx);
			fprintf(f, "%s\n    \"%s\"", i ? "," : "", hx);
		}
		fprintf(f, "\n  ],\n  \"sealing-keys\": {");
		for (i = 0; i < nr_seal; i++) {
			uint8_t key[ATTEST_SEAL_KEY_LEN];
			char hx[2 * ATTEST_SEAL_KEY_LEN + 1];

			if (attest_partition_seal_key(part, seals[i], strlen(seals[i]), key))
				die("bad sealing label", seals[i]);
			ah_hex_encode(key, sizeof(key), hx);
			fprintf(f, "%s\n    \"%s\": \"%s\"", i ? "," : "", seals[i], hx);
		}
		fprintf(f, "%s},\n", nr_seal ? "\n  " : "");
		hexline(f, "alias-endorsement", dev->alias_end, dev->alias_end_len, true);
		hexline(f, "partition-endorsement", part->end, part->end_len, true);
		hexline(f, "nonce", nonce, (size_t)nonce_len, true);
		fprintf(f, "  \"client-id\": %ld,\n", client);
		fprintf(f, "  \"security-lifecycle\": %ld,\n", lifecycle);
		attest_sha256(tokbuf, toklen, h);
		hexline(f, "token-sha256", h, sizeof(h), true);
		fprintf(f, "  \"token-length\": %zu\n}\n", toklen);
		if (fclose(f))
			die("cannot write", json_path);
	}
	attest_wipe(&ek, sizeof(ek));
	attest_wipe(uds, sizeof(uds));
	attest_wipe(dev, sizeof(*dev));
	attest_wipe(part, sizeof(*part));
	free(dev);
	free(part);
	return 0;
}
