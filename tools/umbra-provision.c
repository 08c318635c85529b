// SPDX-License-Identifier: Apache-2.0
/*
 * umbra-provision: device provisioning for Umbra attestation.
 *
 *   umbra-provision generate --uds FILE [--ek FILE] [--force]
 *       a new random 32-byte UDS (the device's fuse stand-in, mode 0600),
 *       and its endorsement public key
 *   umbra-provision show --uds FILE [--ek FILE]
 *       the endorsement public key and instance id of an existing UDS
 *   umbra-provision reference -o FILE [--board NAME | --implementation-id HEX]
 *       [--client-id N] [--lifecycle NAME]... [--dtb FILE [--partition NAME]]
 *       [--umbra-version V] TYPE=SOURCE...
 *       the reference-values JSON umbra-verify checks tokens against;
 *       --dtb adds umbra/config (the DTB's /umbra node), --partition
 *       partition/config (that partition's node): the digests Umbra
 *       measures when it boots from that DTB; --umbra-version the
 *       release umbra/image says it is (its version)
 *
 * The endorsement key is derived by hyp/attest/attest.c, the monitor's own
 * code, so the key printed here is the key the device signs with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umbra_version.h"
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest/attest.h"
#include "attest_host.h"
#include "attest_verify.h"
#include "umbra/envelope.h"

static const char *prog = "umbra-provision";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s generate --uds FILE [--ek FILE] [--force]\n"
		"       %s show --uds FILE [--ek FILE]\n"
		"       %s reference -o FILE [--board NAME | --implementation-id HEX]\n"
		"                 [--client-id N] [--lifecycle NAME]...\n"
		"                 [--dtb FILE [--partition NAME]] [--umbra-version V]\n"
		"                 TYPE=SOURCE...\n"
		"SOURCE: FILE (its SHA-256), arm64:FILE (SHA-256 of the arm64 Image's\n"
		"        image_size bytes, zero-padded), hex:DIGEST, text:STRING,\n"
		"        config:DTB (the /umbra node's canonical digest),\n"
		"        config/PARTITION:DTB (that partition's node),\n"
		"        signed:FILE (a signed image: its Image, signer id and SVN)\n"
		"--dtb FILE: umbra/config=config:FILE; with --partition NAME also\n"
		"        partition/config=config/NAME:FILE\n"
		"--umbra-version V: umbra/image's version (Umbra's release, VERSION)\n"
		"lifecycle names: secured, non-psa-rot-debug, ...\n",
		prog, prog, prog);
	exit(2);
}

static int print_ek(const uint8_t uds[ATTEST_UDS_LEN], const char *ek_path)
{
	struct attest_keypair ek;
	uint8_t id[ATTEST_INSTANCE_ID_LEN];
	char h[2 * ATTEST_PUBKEY_LEN + 1], pem[256];
	size_t n;

	if (attest_derive_ek(uds, &ek)) {
		fprintf(stderr, "%s: cannot derive the endorsement key\n", prog);
		return 1;
	}
	attest_instance_id(ek.pub, id);
	printf("endorsement key: %s\n", (ah_hex_encode(ek.pub, ATTEST_PUBKEY_LEN, h), h));
	printf("instance id:     %s\n", (ah_hex_encode(id, sizeof(id), h), h));
	n = ah_spki_pem(ek.pub, pem, sizeof(pem));
	if (ek_path) {
		if (!n || ah_write_file(ek_path, pem, n, false)) {
			fprintf(stderr, "%s: cannot write %s: %s\n", prog, ek_path,
				strerror(errno));
			attest_wipe(&ek, sizeof(ek));
			return 1;
		}
		printf("wrote %s (PEM SubjectPublicKeyInfo)\n", ek_path);
	} else {
		fputs(pem, stdout);
	}
	attest_wipe(&ek, sizeof(ek));
	return 0;
}

static int cmd_uds(int argc, char **argv, bool generate)
{
	const char *uds_path = NULL, *ek_path = NULL;
	uint8_t uds[ATTEST_UDS_LEN];
	bool force = false;
	int i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--uds") && i + 1 < argc)
			uds_path = argv[++i];
		else if (!strcmp(argv[i], "--ek") && i + 1 < argc)
			ek_path = argv[++i];
		else if (generate && !strcmp(argv[i], "--force"))
			force = true;
		else
			usage();
	}
	if (!uds_path)
		usage();
	if (generate) {
		if (!force && access(uds_path, F_OK) == 0) {
			fprintf(stderr, "%s: %s exists; a device keeps its UDS for life "
				"(--force to replace it)\n", prog, uds_path);
			return 1;
		}
		if (getrandom(uds, sizeof(uds), 0) != (ssize_t)sizeof(uds)) {
			fprintf(stderr, "%s: getrandom: %s\n", prog, strerror(errno));
			return 1;
		}
		if (ah_write_file(uds_path, uds, sizeof(uds), true)) {
			fprintf(stderr, "%s: cannot write %s: %s\n", prog, uds_path,
				strerror(errno));
			attest_wipe(uds, sizeof(uds));
			return 1;
		}
		printf("wrote %s (new UDS, 32 bytes, mode 0600)\n", uds_path);
	} else if (ah_load_uds(uds_path, uds)) {
		fprintf(stderr, "%s: %s: not a UDS (32 raw bytes or 64 hex digits)\n",
			prog, uds_path);
		return 1;
	}
	ret = print_ek(uds, ek_path);
	attest_wipe(uds, sizeof(uds));
	return ret;
}

/* TYPE=signed:FILE, a signed image (docs/signing.md): the digest of the
 * arm64 Image behind the envelope as Umbra measures it (its image_size
 * bytes), the signer id (SHA-256 of the envelope's key) and the SVN. */
static int signed_spec(const char *spec, struct av_ref_component *c)
{
	const char *eq = strstr(spec, "=signed:"), *path = eq + 8, *why;
	struct envelope e;
	uint8_t *buf;
	uint64_t isz;
	size_t len, tlen = (size_t)(eq - spec);

	if (!tlen || tlen > ATTEST_TYPE_MAX) {
		fprintf(stderr, "%s: bad component '%s'\n", prog, spec);
		return -1;
	}
	memcpy(c->type, spec, tlen);
	c->type[tlen] = 0;
	buf = ah_read_file(path, &len);
	if (!buf || envelope_parse(buf, len, &e, &why) != IMG_OK) {
		fprintf(stderr, "%s: %s: not a signed image (%s)\n", prog, path,
			buf ? why : strerror(errno));
		free(buf);
		return -1;
	}
	if (e.image_size < 64 || memcmp(buf + e.hdr_len + 0x38, "ARM\x64", 4)) {
		fprintf(stderr, "%s: %s: no arm64 Image behind the envelope\n", prog, path);
		free(buf);
		return -1;
	}
	memcpy(&isz, buf + e.hdr_len + 16, 8);
	if (!isz)
		isz = e.image_size;
	if (isz > e.image_size) {
		fprintf(stderr, "%s: %s: Image larger than what is signed\n", prog, path);
		free(buf);
		return -1;
	}
	attest_sha256(buf + e.hdr_len, isz, c->value);
	attest_sha256(e.key, sizeof(e.key), c->signer);
	snprintf(c->version, sizeof(c->version), "%u", e.svn);
	c->has_signer = c->has_version = true;
	free(buf);
	return 0;
}

static int cmd_reference(int argc, char **argv)
{
	struct av_ref_component comp[AV_MAX_REF_COMPONENTS] = { 0 };
	const char *out = NULL, *board = NULL, *impl_hex = NULL, *dtb = NULL, *part = NULL;
	const char *umbra_version = NULL;
	const char *lifecycle[AV_MAX_LIFECYCLES];
	size_t nr_comp = 0, nr_lc = 0, i, j;
	uint8_t impl[ATTEST_IMPL_ID_LEN];
	char h[2 * ATTEST_DIGEST_LEN + 1];
	bool has_client = false;
	long long client = 0;
	char *buf, *end;
	size_t cap = 4096, n = 0;
	int k;

	for (k = 0; k < argc; k++) {
		if (!strcmp(argv[k], "-o") && k + 1 < argc) {
			out = argv[++k];
		} else if (!strcmp(argv[k], "--board") && k + 1 < argc) {
			board = argv[++k];
		} else if (!strcmp(argv[k], "--dtb") && k + 1 < argc) {
			dtb = argv[++k];
		} else if (!strcmp(argv[k], "--partition") && k + 1 < argc) {
			part = argv[++k];
		} else if (!strcmp(argv[k], "--implementation-id") && k + 1 < argc) {
			impl_hex = argv[++k];
		} else if (!strcmp(argv[k], "--umbra-version") && k + 1 < argc) {
			umbra_version = argv[++k];
		} else if (!strcmp(argv[k], "--client-id") && k + 1 < argc) {
			errno = 0;
			client = strtoll(argv[++k], &end, 0);
			if (errno || *end || client == 0 || client < INT32_MIN ||
			    client > INT32_MAX) {
				fprintf(stderr, "%s: bad client id %s\n", prog, argv[k]);
				return 2;
			}
			has_client = true;
		} else if (!strcmp(argv[k], "--lifecycle") && k + 1 < argc) {
			if (nr_lc == AV_MAX_LIFECYCLES ||
			    av_lifecycle_from_name(argv[k + 1], strlen(argv[k + 1])) < 0) {
				fprintf(stderr, "%s: bad lifecycle %s\n", prog, argv[k + 1]);
				return 2;
			}
			lifecycle[nr_lc++] = argv[++k];
		} else if (argv[k][0] != '-' && strchr(argv[k], '=')) {
			if (nr_comp == AV_MAX_REF_COMPONENTS) {
				fprintf(stderr, "%s: too many components\n", prog);
				return 2;
			}
			memset(&comp[nr_comp], 0, sizeof(comp[nr_comp]));
			if (strstr(argv[k], "=signed:") ?
			    signed_spec(argv[k], &comp[nr_comp]) :
			    ah_component_spec(argv[k], comp[nr_comp].type, comp[nr_comp].value))
				return 1;

			nr_comp++;
		} else {
			usage();
		}
	}
	if (!out || (board && impl_hex) || (part && !dtb))
		usage();
	/* the release Umbra's image says it is (umbra/image's version) */
	for (i = 0; umbra_version && i < nr_comp; i++)
		if (!strcmp(comp[i].type, ATTEST_PREFIX_UMBRA "image")) {
			size_t vl = strlen(umbra_version);

			if (!vl || vl >= sizeof(comp[i].version)) {
				fprintf(stderr, "%s: bad version '%s'\n", prog, umbra_version);
				return 2;
			}
			memcpy(comp[i].version, umbra_version, vl + 1);
			comp[i].has_version = true;
		}
	/* the configuration's components, from the DTB Umbra boots with */
	if (dtb && nr_comp + 2 > AV_MAX_REF_COMPONENTS) {
		fprintf(stderr, "%s: too many components\n", prog);
		return 2;
	}
	if (dtb) {
		if (ah_config_digest(dtb, NULL, comp[nr_comp].value))
			return 1;
		strcpy(comp[nr_comp++].type, ATTEST_PREFIX_UMBRA "config");
	}
	if (part) {
		if (ah_config_digest(dtb, part, comp[nr_comp].value))
			return 1;
		strcpy(comp[nr_comp++].type, ATTEST_PREFIX_PARTITION "config");
	}
	for (i = 0; i < nr_comp; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(comp[j].type, comp[i].type)) {
				fprintf(stderr, "%s: component %s given twice\n", prog,
					comp[j].type);
				return 2;
			}
	if (board)
		attest_implementation_id(board, impl);
	else if (impl_hex && ah_hex_decode(impl_hex, strlen(impl_hex), impl,
					   sizeof(impl)) != (long)sizeof(impl)) {
		fprintf(stderr, "%s: the implementation id must be 64 hex digits\n", prog);
		return 2;
	}

	buf = malloc(cap);
	if (!buf)
		return 1;
#define EMIT(...) (n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__))
	EMIT("{\n");
	if (board || impl_hex)
		EMIT("  \"implementation-id\": \"%s\",\n",
		     (ah_hex_encode(impl, sizeof(impl), h), h));
	if (has_client)
		EMIT("  \"client-id\": %lld,\n", client);
	if (nr_lc) {
		EMIT("  \"security-lifecycle\": [");
		for (i = 0; i < nr_lc; i++)
			EMIT("%s\"%s\"", i ? ", " : "", lifecycle[i]);
		EMIT("],\n");
	}
	/* Umbra's layer, then the partition's, each in the order given */
	EMIT("  \"components\": {");
	for (k = 0, j = 0; k < 3; k++)
		for (i = 0; i < nr_comp; i++) {
			bool u = !strncmp(comp[i].type, ATTEST_PREFIX_UMBRA,
					  sizeof(ATTEST_PREFIX_UMBRA) - 1);
			bool p = !strncmp(comp[i].type, ATTEST_PREFIX_PARTITION,
					  sizeof(ATTEST_PREFIX_PARTITION) - 1);

			if ((k == 0 && !u) || (k == 1 && !p) || (k == 2 && (u || p)))
				continue;
			bool obj = comp[i].has_signer || comp[i].has_version;

			EMIT("%s\n    \"%s\": %s\"%s\"", j++ ? "," : "", comp[i].type,
			     obj ? "{\"value\": " : "",
			     (ah_hex_encode(comp[i].value, ATTEST_DIGEST_LEN, h), h));
			if (comp[i].has_signer)
				EMIT(", \"signer-id\": \"%s\"",
				     (ah_hex_encode(comp[i].signer, ATTEST_DIGEST_LEN, h), h));
			if (comp[i].has_version)
				EMIT(", \"version\": \"%s\"", comp[i].version);
			if (obj)
				EMIT("}");
		}
	EMIT("%s}\n}\n", nr_comp ? "\n  " : "");
#undef EMIT
	if (n >= cap || ah_write_file(out, buf, n, false)) {
		fprintf(stderr, "%s: cannot write %s\n", prog, out);
		free(buf);
		return 1;
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("umbra-provision " UMBRA_VERSION "\n");
		return 0;
	}
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "generate"))
		return cmd_uds(argc - 2, argv + 2, true);
	if (!strcmp(argv[1], "show"))
		return cmd_uds(argc - 2, argv + 2, false);
	if (!strcmp(argv[1], "reference"))
		return cmd_reference(argc - 2, argv + 2);
	usage();
	return 2;
}
