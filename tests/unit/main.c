// SPDX-License-Identifier: Apache-2.0
/*
 * Host unit tests of the monitor: the real hyp/ subsystems on the fake arch.
 * Check runs each test in its own process. CK_RUN_SUITE / CK_RUN_CASE
 * select tests, CK_VERBOSITY=verbose lists them, CK_FORK=no helps gdb.
 */
#include <stdlib.h>

#include "unit.h"

/* LeakSanitizer would scan every forked test process on exit (seconds in
 * total) for a heap the monitor code never uses. ASAN_OPTIONS overrides. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

int main(void)
{
	SRunner *sr = srunner_create(pgtable_suite());
	int failed;

	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, config_errors_suite());
	srunner_add_suite(sr, smccc_suite());
	srunner_add_suite(sr, fault_suite());
	srunner_add_suite(sr, partition_suite());
	srunner_add_suite(sr, vgic_suite());
	srunner_add_suite(sr, vgic_mmio_suite());
	srunner_add_suite(sr, vgic_delivery_suite());
	srunner_add_suite(sr, psci_suite());
	srunner_add_suite(sr, guest_dt_suite());
	srunner_add_suite(sr, attest_svc_suite());
	srunner_add_suite(sr, device_suite());
	srunner_add_suite(sr, channel_suite());
	srunner_add_suite(sr, chan_ring_suite());
	srunner_add_suite(sr, vuart_suite());
	srunner_add_suite(sr, console_suite());
	srunner_add_suite(sr, smmu_suite());
	srunner_add_suite(sr, idregs_suite());
	srunner_add_suite(sr, events_suite());
	srunner_add_suite(sr, signing_suite());
	srunner_add_suite(sr, pflash_suite());
	srunner_add_suite(sr, update_suite());
	srunner_add_suite(sr, image_auth_suite());
	srunner_add_suite(sr, attest_lib_suite());
	srunner_add_suite(sr, printf_suite());
	srunner_add_suite(sr, p256_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
