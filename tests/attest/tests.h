// SPDX-License-Identifier: Apache-2.0
/* Check suites of the attestation unit tests (tests/attest/). */
#ifndef UMBRA_ATTEST_TESTS_H
#define UMBRA_ATTEST_TESTS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

Suite *cbor_suite(void);
Suite *attest_suite(void);
Suite *token_suite(void);
Suite *verify_suite(void);
Suite *kat_suite(void);
Suite *config_suite(void);

/* Hex (whitespace ignored) into a buffer; fails the test if malformed. */
size_t unhex(const char *hex, uint8_t *out, size_t cap);
/* Assert that len bytes at p equal the hex string. */
#define ck_assert_hex(p, len, hex) do {                                      \
		uint8_t want_[512];                                          \
		size_t n_ = unhex((hex), want_, sizeof(want_));              \
		ck_assert_uint_eq((len), n_);                                \
		ck_assert_mem_eq((p), want_, n_);                            \
	} while (0)

#endif
