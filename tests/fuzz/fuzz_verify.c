// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: what umbra-verify reads from outside (tools/
 * attest_verify.c): the token (COSE_Sign1 of CBOR claims, the endorsement
 * chain inside it) verified against the test device's endorsement key
 * and reference values of tests/vectors/attestation, the reference-values
 * JSON parser, and the CBOR decoder walking arbitrary items. Each input
 * goes through all three: the corpus holds tokens and JSON.
 * Checked: no sanitizer report; a report never holds more checks than it
 * has room for; a token that is not the committed one is never trusted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_host.h"
#include "attest_verify.h"

#define VEC "tests/vectors/attestation/"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t ek[ATTEST_PUBKEY_LEN];
static struct av_reference ref;
static uint8_t *good;      /* the committed token: the one that passes */
static size_t good_len;
static const uint8_t nonce[32] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[160];
	size_t len;
	char *json;

	(void)argc;
	(void)argv;
	json = (char *)ah_read_file(VEC "reference.json", &len);
	good = ah_read_file(VEC "token.cbor", &good_len);
	if (!json || !good || ah_load_pubkey(VEC "ek.pem", ek) ||
	    av_parse_reference(json, len, &ref, err, sizeof(err))) {
		fprintf(stderr, "fuzz-verify: run from the source tree (needs %s)\n", VEC);
		exit(1);
	}
	free(json);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct av_report rep;
	static struct av_reference r2;
	uint8_t *buf = malloc(size ? size : 1);   /* exactly its size: ASan sees overreads */
	struct cbor_dec d;
	unsigned failed, n;
	char err[160];

	if (!buf)
		return 0;
	memcpy(buf, data, size);

	memset(&rep, 0, sizeof(rep));
	failed = av_verify_token(buf, size, ek, nonce, sizeof(nonce), &ref, &rep);
	if (rep.n > AV_MAX_CHECKS || failed > rep.n)
		abort();
	if (!failed && (size != good_len || memcmp(buf, good, size)))
		abort();   /* a forged or altered token was trusted */

	av_parse_reference((const char *)buf, size, &r2, err, sizeof(err));

	cdec_init(&d, buf, size);
	for (n = 0; n < 64 && cdec_skip(&d) && d.off < size; n++)
		;
	free(buf);
	return 0;
}
