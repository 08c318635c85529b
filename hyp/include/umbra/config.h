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

#define MAX_PART_DEVICES 8
#define MAX_DEV_REGS 2
#define MAX_DEV_IRQS 4
#define DEV_PATH_MAX 64
#define BOOTARGS_MAX 256

/* A platform device given to a partition (by DT path). */
struct dev_cfg {
	char path[DEV_PATH_MAX];
	struct mem_range reg[MAX_DEV_REGS];   /* MMIO, mapped page-rounded */
	unsigned nr_reg;
	u32 spi[MAX_DEV_IRQS];                /* INTIDs of its SPIs */
	unsigned nr_spi;
};

struct part_cfg {
	char name[PART_NAME_MAX];
	u64 cpu_mpidr[MAX_PART_CPUS];     /* vCPU i runs on this physical CPU */
	unsigned nr_cpus;
	struct mem_range mem[MAX_PART_REGIONS]; /* IPA == PA */
	unsigned nr_mem;
	struct mem_range image;           /* where the bootloader placed it */
	u64 image_size;                   /* from its arm64 Image header */
	u64 text_offset;
	struct mem_range initrd;          /* optional: where the bootloader placed it */
	char bootargs[BOOTARGS_MAX];      /* optional: /chosen/bootargs */
	struct dev_cfg dev[MAX_PART_DEVICES];
	unsigned nr_dev;
	u64 vuart;                        /* optional: its virtual UART's IPA */
	u32 vuart_intid;                  /* ... and interrupt (INTID) */
};

struct umbra_config {
	struct part_cfg part[MAX_PARTITIONS];
	unsigned nr_parts;
	struct mem_range uds;             /* optional: the device secret's page */
	int console_focus;                /* partition with the input at boot; -1: first with a vuart */
};

struct cfg_env {
	const struct platform *plat;
	struct mem_range reserved[4];     /* Umbra's own memory (and the UDS) */
	unsigned nr_reserved;
	/* Read-only view of physical memory to check loaded images; NULL
	 * when images are not available (host checker). */
	const void *(*phys_view)(u64 pa, u64 len);
};

/* Guest DT slot at the top of a partition's first region. */
#define ARM64_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */

/* Where a partition's initrd is placed (IPA) */
u64 config_initrd_ipa(const struct part_cfg *pc);

/* The vuart properties (config_vuart.c) */
void config_parse_vuart(const void *fdt, int node, int ac, struct part_cfg *pc, struct diag *d);
void config_check_vuart(const void *fdt, const struct platform *plat, const struct part_cfg *pc,
			struct diag *d);
void config_check_console(const void *fdt, int root, const struct platform *plat,
			  struct umbra_config *cfg, struct diag *d);

/* env->reserved gains the UDS region if the config names one. */
unsigned config_parse(const void *fdt, struct cfg_env *env,
		      struct umbra_config *cfg, struct diag *d);

#endif
