/* SPDX-License-Identifier: Apache-2.0 */
/* What Umbra learns about the machine from the platform device tree. */
#ifndef UMBRA_PLATFORM_H
#define UMBRA_PLATFORM_H

#include "umbra/types.h"
#include "umbra/limits.h"
#include "config/diag.h"

struct mem_range {
	u64 base;
	u64 size;
};

struct platform {
	struct mem_range ram[MAX_RAM_REGIONS];
	unsigned nr_ram;
	u64 cpu_mpidr[MAX_CPUS];     /* affinity fields, from /cpus/cpu@N reg */
	unsigned nr_cpus;
	struct mem_range gicd;       /* GICv3 distributor */
	struct mem_range gicr;       /* GICv3 redistributor region */
	struct mem_range uart;       /* console PL011 (/chosen/stdout-path) */
	u32 uart_intid;
	u32 timer_intid[4];          /* secure phys, phys, virt, hyp */
	u32 maint_intid;             /* GIC maintenance interrupt */
	bool psci_hvc;               /* PSCI conduit: hvc, else smc */
	struct mem_range smmu;       /* the SMMUv3 Umbra drives (size 0: none) */
	u32 smmu_phandle;
	u32 smmu_evt_intid;          /* its event queue and global error */
	u32 smmu_gerr_intid;         /* interrupts (0: not wired, polled) */
	struct mem_range store;      /* anti-rollback store: the start of the
	                              * cfi-flash's second bank (size 0: none) */
};

/* The anti-rollback store: two slots, one erase block each (QEMU virt's
 * pflash blocks are 256 KiB), at the start of the second flash bank. */
#define STORE_SLOT_SIZE 0x40000UL

/* Fill *p from the platform DT; every problem is reported to d. Returns
 * the number of problems. */
unsigned platform_parse(const void *fdt, struct platform *p, struct diag *d);
/* Before any parsing: size bytes at blob hold a whole, sound device tree
 * (header, totalsize <= size, libfdt's full structure check). Reports
 * [truncated] or [bad-dtb]; 0 if fine, else -1. */
int dtb_check(const void *blob, u64 size, struct diag *d);
/* Just the console UART: usable before anything else works. */
int platform_find_console(const void *fdt, struct mem_range *uart);
/* Index of mpidr in p->cpu_mpidr, or -1. */
int platform_cpu_index(const struct platform *p, u64 mpidr);
bool platform_in_ram(const struct platform *p, u64 base, u64 size);

/* The n-th <base size> of a node's reg (parent's cells); 0 or -1. */
int platform_node_reg(const void *fdt, int node, unsigned n, struct mem_range *r);
/* The same with the parent known: libfdt finds a parent by walking the
 * tree from the root, so loops over a node list pass it. */
int platform_node_reg_in(const void *fdt, int parent, int node, unsigned n, struct mem_range *r);
/* INTID of the n-th GIC "interrupts" entry (SPI or PPI); 0 or -1. */
int platform_node_intid(const void *fdt, int node, unsigned n, u32 *intid);
/* Reading "reg"-style cells */
u64 fdt_cells_read(const void *prop, unsigned idx, unsigned cells);

#endif
