/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition configuration: a /umbra node in the platform DT (binding:
 * dt/bindings/umbra.md). config_parse() reads and validates all of it
 * before anything starts; the host tool tools/umbra-config-check runs the
 * same code.
 */
#ifndef UMBRA_CONFIG_H
#define UMBRA_CONFIG_H

#include "umbra/platform.h"

struct part_cfg {
	char name[PART_NAME_MAX];
	u64 cpu_mpidr[MAX_PART_CPUS];     /* vCPU i runs on this physical CPU */
	unsigned nr_cpus;
	struct mem_range mem[MAX_PART_REGIONS]; /* IPA == PA */
	unsigned nr_mem;
	struct mem_range image;           /* where the bootloader placed it */
	u64 image_size;                   /* from its arm64 Image header */
	u64 text_offset;
};

struct umbra_config {
	struct part_cfg part[MAX_PARTITIONS];
	unsigned nr_parts;
};

struct cfg_env {
	const struct platform *plat;
	struct mem_range reserved[4];     /* Umbra's own memory */
	unsigned nr_reserved;
	/* Read-only view of physical memory to check loaded images; NULL
	 * when images are not available (host checker). */
	const void *(*phys_view)(u64 pa, u64 len);
};

/* Guest DT slot at the top of a partition's first region. */
#define ARM64_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */

unsigned config_parse(const void *fdt, const struct cfg_env *env,
		      struct umbra_config *cfg, struct diag *d);

#endif
