// SPDX-License-Identifier: Apache-2.0
/*
 * umbra-verify: check an Umbra attestation token.
 *
 *   umbra-verify --token FILE --ek FILE --nonce HEX --reference FILE
 *                [--dtb FILE [--partition NAME]] [-q]
 *   umbra-verify report --report FILE [--since SEQ] --ek FILE --nonce HEX
 *                --reference FILE [--dtb FILE [--partition NAME]] [-q]
 *
 * report: a failure report as `umbra report -o FILE` writes it (u32 report
 * length, the report, the token; docs/attestation.md, "Failure reports"):
 * the token as above, then the binding (its claim -76001 is SHA-256 of the
 * report bytes), the report's form, and no gap in its sequence numbers
 * (from --since, if given). Prints the events, one line each.
 *
 * --ek takes the endorsement public key umbra-provision wrote (PEM), or
 * DER SubjectPublicKeyInfo, 65 raw bytes or 130 hex digits. Prints one line
 * per check (PASS / FAIL / INFO, its name and details) and a verdict.
 * --dtb takes the reference values of the configuration from the DTB the
 * device should have booted with: umbra/config (and with --partition,
 * partition/config) computed as Umbra measures them, replacing any in the
 * reference file.
 * Exit status: 0 the token is trustworthy, 1 a check failed, 2 bad usage or
 * unreadable inputs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umbra_version.h"

#include "attest/attest.h"
#include "attest_host.h"
#include "attest_verify.h"
#include "report_verify.h"

static const char *prog = "umbra-verify";

static void usage(void)
{
	fprintf(stderr, "usage: %s --token FILE --ek FILE --nonce HEX --reference FILE\n"
		"       %*s [--dtb FILE [--partition NAME]] [-q]\n"
		"       %s report --report FILE [--since SEQ] --ek FILE --nonce HEX\n"
		"       %*s --reference FILE [--dtb FILE [--partition NAME]] [-q]\n",
		prog, (int)strlen(prog), "", prog, (int)strlen(prog) + 7, "");
	exit(2);
}

static const char *status_name(enum av_status s)
{
	return s == AV_PASS ? "PASS" : s == AV_FAIL ? "FAIL" : "INFO";
}

/* A configuration reference value from the DTB, replacing the file's. */
static int set_config(struct av_reference *ref, const char *type, const char *dtb,
		      const char *part)
{
	size_t i;

	for (i = 0; i < ref->nr_comp && strcmp(ref->comp[i].type, type); i++)
		;
	if (i == AV_MAX_REF_COMPONENTS) {
		fprintf(stderr, "%s: too many reference values\n", prog);
		return -1;
	}
	if (ah_config_digest(dtb, part, ref->comp[i].value))
		return -1;
	snprintf(ref->comp[i].type, sizeof(ref->comp[i].type), "%s", type);
	if (i == ref->nr_comp)
		ref->nr_comp++;
	return 0;
}

int main(int argc, char **argv)
{
	const char *token_path = NULL, *ek_path = NULL, *nonce_hex = NULL, *ref_path = NULL;
	const char *dtb = NULL, *part = NULL, *report_path = NULL;
	bool report = false, has_since = false;
	uint64_t since = 0;
	unsigned rfailed = 0;
	uint8_t *file;
	uint8_t ek[ATTEST_PUBKEY_LEN], nonce[ATTEST_NONCE_MAX];
	struct av_reference ref;
	struct av_report *rep;
	const uint8_t *tok;
	char *json, err[160];
	size_t tok_len, json_len, i, shown = 0;
	bool quiet = false;
	long nonce_len;
	int k;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("umbra-verify " UMBRA_VERSION "\n");
		return 0;
	}
	k = 1;
	if (argc > 1 && !strcmp(argv[1], "report")) {
		report = true;
		k = 2;
	}
	for (; k < argc; k++) {
		if (!report && !strcmp(argv[k], "--token") && k + 1 < argc)
			token_path = argv[++k];
		else if (report && !strcmp(argv[k], "--report") && k + 1 < argc)
			token_path = report_path = argv[++k];
		else if (report && !strcmp(argv[k], "--since") && k + 1 < argc) {
			char *end;

			errno = 0;
			since = strtoull(argv[++k], &end, 10);
			if (!argv[k][0] || *end || errno || argv[k][0] == '-')
				usage();
			has_since = true;
		}
		else if (!strcmp(argv[k], "--ek") && k + 1 < argc)
			ek_path = argv[++k];
		else if (!strcmp(argv[k], "--nonce") && k + 1 < argc)
			nonce_hex = argv[++k];
		else if (!strcmp(argv[k], "--reference") && k + 1 < argc)
			ref_path = argv[++k];
		else if (!strcmp(argv[k], "--dtb") && k + 1 < argc)
			dtb = argv[++k];
		else if (!strcmp(argv[k], "--partition") && k + 1 < argc)
			part = argv[++k];
		else if (!strcmp(argv[k], "-q"))
			quiet = true;
		else
			usage();
	}
	if (!token_path || !ek_path || !nonce_hex || !ref_path || (part && !dtb))
		usage();

	nonce_len = ah_hex_decode(nonce_hex, strlen(nonce_hex), nonce, sizeof(nonce));
	if (nonce_len != 32 && nonce_len != 48 && nonce_len != 64) {
		fprintf(stderr, "%s: the nonce must be 32, 48 or 64 bytes of hex\n", prog);
		return 2;
	}
	if (ah_load_pubkey(ek_path, ek)) {
		fprintf(stderr, "%s: %s: not a P-256 public key (PEM, DER, raw or hex)\n",
			prog, ek_path);
		return 2;
	}
	json = (char *)ah_read_file(ref_path, &json_len);
	if (!json) {
		fprintf(stderr, "%s: %s: %s\n", prog, ref_path, strerror(errno));
		return 2;
	}
	if (av_parse_reference(json, json_len, &ref, err, sizeof(err))) {
		fprintf(stderr, "%s: %s: %s\n", prog, ref_path, err);
		free(json);
		return 2;
	}
	free(json);
	if ((dtb && set_config(&ref, ATTEST_PREFIX_UMBRA "config", dtb, NULL)) ||
	    (part && set_config(&ref, ATTEST_PREFIX_PARTITION "config", dtb, part)))
		return 2;
	tok = file = ah_read_file(token_path, &tok_len);
	if (!file) {
		fprintf(stderr, "%s: %s: %s\n", prog, token_path, strerror(errno));
		return 2;
	}
	size_t rlen = 0;
	const uint8_t *rep_bytes = NULL;

	if (report) {
		/* u32 report length, the report, the token */
		if (rv_split(file, tok_len, &rep_bytes, &rlen, &tok, &tok_len)) {
			fprintf(stderr, "%s: %s: not a report file (u32 length, report, token)\n",
				prog, report_path);
			free(file);
			return 2;
		}
	}

	rep = calloc(1, sizeof(*rep));
	if (!rep) {
		free(file);
		return 2;
	}
	av_verify_token(tok, tok_len, ek, nonce, (size_t)nonce_len, &ref, rep);
	if (report && !quiet)
		printf("%s: report %s (%zu report bytes, %zu token bytes)\n", prog, report_path,
		       rlen, tok_len);
	if (report)
		rfailed = rv_check_report(stdout, tok, tok_len, rep_bytes, rlen, has_since, since,
					  quiet);
	free(file);

	if (!quiet)
		printf("%s: %s (%zu bytes)\n", prog, token_path, rep->token_len);
	for (i = 0; i < rep->n; i++)
		if (!quiet || rep->check[i].status == AV_FAIL)
			printf("  %s  %-30s %s\n", status_name(rep->check[i].status),
			       rep->check[i].name, rep->check[i].msg);
	if (rfailed) {
		printf("verdict: FAIL (%u report check%s failed%s)\n", rfailed, rfailed == 1 ? "" : "s",
		       rep->failed ? ", and the token's" : "");
	} else if (rep->failed) {
		printf("verdict: FAIL (%u check%s failed:", rep->failed,
		       rep->failed == 1 ? "" : "s");
		for (i = 0; i < rep->n; i++)
			if (rep->check[i].status == AV_FAIL)
				printf("%s %s", shown++ ? "," : "", rep->check[i].name);
		printf(")\n");
	} else {
		printf("verdict: PASS (%zu checks; the token is signed by a key the "
		       "endorsement key vouches for, and every reference value matches)\n",
		       rep->n);
	}
	k = rep->failed || rfailed ? 1 : 0;
	free(rep);
	return k;
}
