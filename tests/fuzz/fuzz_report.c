// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: a failure-report file as `umbra-verify report` reads
 * it (tools/report_verify.c): rv_split() into report and token, then
 * rv_check_report() (the token's event-report claim, the report's form,
 * its sequence numbers), once printing everything and once quiet with
 * --since 1. The token's own verification is the verify target's. The
 * file is a heap buffer of exactly the input's size, so AddressSanitizer
 * sees any read past it; the output goes to /dev/null.
 *
 * Checked besides the sanitizers: the split covers the file exactly; at
 * most the four report checks fail; a report that passes is bound to its
 * token (claim -76001 = SHA-256 of the report) and is a UMBRAEV1 header
 * plus whole records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_verify.h"
#include "report_verify.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	out = fopen("/dev/null", "w");
	if (!out)
		abort();
	return 0;
}

static void check_passed(const uint8_t *tok, size_t tok_len, const uint8_t *r, size_t rlen)
{
	uint8_t want[ATTEST_DIGEST_LEN], got[ATTEST_DIGEST_LEN];
	uint32_t count;

	attest_sha256(r, rlen, want);
	if (!av_token_events_digest(tok, tok_len, got) || memcmp(got, want, sizeof(got)))
		abort();   /* passed without the binding */
	if (rlen < 32 || memcmp(r, "UMBRAEV1", 8))
		abort();
	count = (uint32_t)r[24] | (uint32_t)r[25] << 8 | (uint32_t)r[26] << 16 |
		(uint32_t)r[27] << 24;
	if (rlen != 32 + (size_t)count * 48)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *file = malloc(size ? size : 1);   /* exactly its size */
	const uint8_t *r, *tok;
	size_t rlen, tok_len;
	unsigned failed;

	if (!file)
		return 0;
	memcpy(file, data, size);
	if (rv_split(file, size, &r, &rlen, &tok, &tok_len)) {
		if (size >= 4 && (size_t)(file[0] | file[1] << 8 | file[2] << 16 |
					  (uint32_t)file[3] << 24) <= size - 4)
			abort();   /* a well-formed file refused */
		goto out;
	}
	if (r != file + 4 || tok != r + rlen || 4 + rlen + tok_len != size)
		abort();
	failed = rv_check_report(out, tok, tok_len, r, rlen, false, 0, false);
	if (failed > 4)
		abort();
	if (!failed)
		check_passed(tok, tok_len, r, rlen);
	failed = rv_check_report(out, tok, tok_len, r, rlen, true, 1, true);
	if (failed > 4)
		abort();
	if (!failed)
		check_passed(tok, tok_len, r, rlen);
out:
	free(file);
	return 0;
}
