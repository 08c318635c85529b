// SPDX-License-Identifier: Apache-2.0
/*
 * Host-side checks of a failure report (docs/attestation.md, "Failure
 * reports"), as `umbra-verify report` runs them: the file `umbra report -o`
 * writes (u32 little-endian report length, the report, the token), the
 * report's binding to the token (claim -76001 = SHA-256 of the report
 * bytes), its form and its sequence numbers. The token itself is checked
 * by av_verify_token() (attest_verify.h).
 */
#ifndef UMBRA_REPORT_VERIFY_H
#define UMBRA_REPORT_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The report and the token inside a report file of len bytes: 0, or -1
 * when the length field is missing or longer than what follows it. */
int rv_split(const uint8_t *file, size_t len, const uint8_t **report, size_t *report_len,
	     const uint8_t **token, size_t *token_len);

/* The report checks, one line each to out (only the failed ones when
 * quiet), then unless quiet the events one line each. With has_since the
 * report must start at since (0: the first event). Returns the number of
 * checks that failed. */
unsigned rv_check_report(FILE *out, const uint8_t *tok, size_t tok_len, const uint8_t *r,
			 size_t rlen, bool has_since, uint64_t since, bool quiet);

#endif
