// SPDX-License-Identifier: Apache-2.0
/*
 * Link check only (tests/attest/build.mk, attest-link-check): the one
 * monitor symbol hyp/lib/fortify.c needs, so that hyp/attest/attest.c,
 * hyp/lib/cbor.c and the BearSSL objects they pull in can be linked the
 * way the monitor links, without the rest of the monitor.
 */
__attribute__((noreturn)) void lib_fatal(const char *why);

__attribute__((noreturn)) void lib_fatal(const char *why)
{
	(void)why;
	for (;;)
		;
}
