/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the host unit tests (support.c). */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

#include "arch/fake.h"
#include "umbra/config.h"
#include "umbra/console.h"
#include "umbra/partition.h"

Suite *pgtable_suite(void);
Suite *config_suite(void);
Suite *smccc_suite(void);
Suite *fault_suite(void);

/* Console capture: everything hyp/core prints, as bytes. */
void capture_start(void);
const char *captured(void);
void capture_clear(void);
unsigned captured_count(const char *needle);

/* Calls of the umbra_partition_stopped() stub (main.c is not built). */
extern unsigned partition_stopped_calls;

/* A DTB built from tests/unit/dts/<name>.dts; freed by unit_free_all(). */
void *load_dtb(const char *name);
void *unit_alloc(size_t align, size_t size);   /* zeroed, freed likewise */
void unit_free_all(void);

/* A partition built by hand around host buffers standing in for its RAM
 * (IPA == PA == host address), state RUNNING, vCPUs 0..nr_vcpus-1 on. */
struct test_guest {
	struct part_cfg cfg;
	struct partition p;
};
void guest_init(struct test_guest *g, const char *name, unsigned id,
		unsigned nr_vcpus, unsigned nr_regions, u64 region_size);

#endif
