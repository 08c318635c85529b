// SPDX-License-Identifier: Apache-2.0
/* Failure-report checks of umbra-verify report (report_verify.h). */
#include <string.h>

#include "attest/attest.h"
#include "attest_verify.h"
#include "report_verify.h"

static const char *status_name(enum av_status s)
{
	return s == AV_PASS ? "PASS" : s == AV_FAIL ? "FAIL" : "INFO";
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

#define REPORT_HDR 32u
#define EVENT_SIZE 48u
#define EV_LOST 1u

unsigned rv_check_report(FILE *out, const uint8_t *tok, size_t tok_len, const uint8_t *r,
			 size_t rlen, bool has_since, uint64_t since, bool quiet)
{
	uint8_t want[ATTEST_DIGEST_LEN], got[ATTEST_DIGEST_LEN];
	unsigned failed = 0;
	uint64_t from, next, expect, i, count;
	bool all;

#define LINE(st, name, ...) do { \
		if ((st) == AV_FAIL) failed++; \
		if (!quiet || (st) == AV_FAIL) { \
			fprintf(out, "  %s  %-30s ", status_name(st), name); \
			fprintf(out, __VA_ARGS__); \
			fputc('\n', out); \
		} \
	} while (0)

	attest_sha256(r, rlen, want);
	if (!av_token_events_digest(tok, tok_len, got))
		LINE(AV_FAIL, "report-binding", "the token has no event-report claim (-76001)");
	else if (memcmp(got, want, sizeof(got)))
		LINE(AV_FAIL, "report-binding", "claim -76001 is not SHA-256 of the report");
	else
		LINE(AV_PASS, "report-binding", "claim -76001 = SHA-256 of the %zu report bytes", rlen);
	if (rlen < REPORT_HDR || memcmp(r, "UMBRAEV1", 8)) {
		LINE(AV_FAIL, "report-form", "no UMBRAEV1 header");
		return failed;
	}
	from = get_le(r + 8, 8);
	next = get_le(r + 16, 8);
	count = get_le(r + 24, 4);
	all = get_le(r + 28, 4) & 1;
	if (rlen != REPORT_HDR + count * EVENT_SIZE) {
		LINE(AV_FAIL, "report-form", "%llu records do not fill %zu bytes",
		     (unsigned long long)count, rlen);
		return failed;
	}
	LINE(AV_PASS, "report-form", "%llu events, sequence %llu..%llu, %s",
	     (unsigned long long)count, (unsigned long long)from, (unsigned long long)next - 1,
	     all ? "every partition's" : "the reporting partition's own");
	if (has_since && from != (since ? since : 1))
		LINE(AV_FAIL, "report-since", "starts at %llu, not at %llu",
		     (unsigned long long)from, (unsigned long long)since);
	/* contiguous for an event-reader's report: a lost record stands for
	 * the `a` records before it; others' reports skip others' events */
	expect = from;
	for (i = 0; i < count; i++) {
		const uint8_t *e = r + REPORT_HDR + i * EVENT_SIZE;
		uint64_t seq = get_le(e, 8), first = seq;

		if (get_le(e + 20, 4) == EV_LOST)
			first = seq + 1 - get_le(e + 24, 8);
		if (all ? first != expect : first < expect) {
			LINE(AV_FAIL, "report-sequence", "record %llu has sequence %llu, expected %llu",
			     (unsigned long long)i, (unsigned long long)seq,
			     (unsigned long long)expect);
			return failed;
		}
		expect = seq + 1;
	}
	if (all ? expect != next : expect > next)
		LINE(AV_FAIL, "report-sequence", "ends at %llu, but says next is %llu",
		     (unsigned long long)expect - 1, (unsigned long long)next);
	else
		LINE(AV_PASS, "report-sequence", "%s", all ? "no gap" : "increasing (own events only)");
	if (!quiet)
		for (i = 0; i < count; i++) {
			const uint8_t *e = r + REPORT_HDR + i * EVENT_SIZE;

			fprintf(out, "  event %llu time=%llu partition=%lld type=%llu a=0x%llx b=0x%llx c=0x%llx\n",
			       (unsigned long long)get_le(e, 8), (unsigned long long)get_le(e + 8, 8),
			       get_le(e + 16, 4) == 0xffffffffu ? -1LL : (long long)get_le(e + 16, 4),
			       (unsigned long long)get_le(e + 20, 4),
			       (unsigned long long)get_le(e + 24, 8),
			       (unsigned long long)get_le(e + 32, 8),
			       (unsigned long long)get_le(e + 40, 8));
		}
#undef LINE
	return failed;
}

int rv_split(const uint8_t *file, size_t len, const uint8_t **report, size_t *report_len,
	     const uint8_t **token, size_t *token_len)
{
	size_t rlen;

	if (len < 4)
		return -1;
	rlen = (size_t)get_le(file, 4);
	if (rlen > len - 4)
		return -1;
	*report = file + 4;
	*report_len = rlen;
	*token = file + 4 + rlen;
	*token_len = len - 4 - rlen;
	return 0;
}
