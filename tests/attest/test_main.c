// SPDX-License-Identifier: Apache-2.0
/* Attestation unit tests: CBOR encoder, derivation, token, verifier, KATs,
 * the configuration's canonical form. */
#include <stdlib.h>
#include <string.h>

#include "attest_host.h"
#include "tests.h"

size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	long n = ah_hex_decode(hex, strlen(hex), out, cap);

	ck_assert_msg(n >= 0, "bad hex in test: %s", hex);
	return (size_t)n;
}

int main(void)
{
	SRunner *sr = srunner_create(cbor_suite());
	int failed;

	srunner_add_suite(sr, attest_suite());
	srunner_add_suite(sr, token_suite());
	srunner_add_suite(sr, verify_suite());
	srunner_add_suite(sr, kat_suite());
	srunner_add_suite(sr, config_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
