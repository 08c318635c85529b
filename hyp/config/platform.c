// SPDX-License-Identifier: Apache-2.0
/* Platform discovery from the DT: RAM, CPUs, GICv3, console UART, timer,
 * PSCI conduit. Nothing about a particular board is assumed. */
#include <libfdt.h>

#include "config/platform.h"

#define GIC_SPI_BASE 32
#define GIC_PPI_BASE 16

u64 fdt_cells_read(const void *prop, unsigned idx, unsigned cells)
{
	const fdt32_t *c = (const fdt32_t *)prop + idx;
	u64 v = 0;

	while (cells--)
		v = (v << 32) | fdt32_ld(c++);
	return v;
}

/* The n-th (base, size) of node's reg, in its parent's cell sizes. */
int platform_node_reg(const void *fdt, int node, unsigned n, struct mem_range *r)
{
	return platform_node_reg_in(fdt, fdt_parent_offset(fdt, node), node, n, r);
}

int platform_node_reg_in(const void *fdt, int parent, int node, unsigned n, struct mem_range *r)
{
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	const void *reg;
	int len;

	if (parent < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -1;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 0 || (unsigned)len < (n + 1) * 4 * (unsigned)(ac + sc))
		return -1;
	r->base = fdt_cells_read(reg, n * (unsigned)(ac + sc), (unsigned)ac);
	r->size = fdt_cells_read(reg, n * (unsigned)(ac + sc) + (unsigned)ac, (unsigned)sc);
	return range_valid(r->base, r->size) ? 0 : -1;
}

/* INTID of the n-th interrupt of a GIC-style "interrupts" (3 cells). */
int platform_node_intid(const void *fdt, int node, unsigned n, u32 *intid)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);
	u32 type, num;

	if (!p || len < 0 || (unsigned)len < (n + 1) * 12)
		return -1;
	type = fdt32_ld(&p[n * 3]);
	num = fdt32_ld(&p[n * 3 + 1]);
	if (type > 1 || num >= (type ? 16u : 988u))
		return -1;
	*intid = num + (type ? GIC_PPI_BASE : GIC_SPI_BASE);
	return 0;
}

int platform_find_console(const void *fdt, struct mem_range *uart)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node, len;
	const char *path, *colon;

	if (chosen < 0)
		return -1;
	path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!path || len < 2 || path[len - 1] != '\0')
		return -1;
	colon = strchr(path, ':');
	node = fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : len - 1);
	if (node < 0 || fdt_node_check_compatible(fdt, node, "arm,pl011") != 0)
		return -1;
	return platform_node_reg(fdt, node, 0, uart) == 0 ? node : -1;
}

static void parse_ram(const void *fdt, struct platform *p, struct diag *d)
{
	int node;

	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		struct mem_range r;
		unsigned i;

		for (i = 0; platform_node_reg(fdt, node, i, &r) == 0; i++) {
			if (p->nr_ram == MAX_RAM_REGIONS) {
				diag_report(d, CFG_E_TOO_MANY, "platform: more than %u RAM regions",
					    MAX_RAM_REGIONS);
				return;
			}
			p->ram[p->nr_ram++] = r;
		}
	}
	if (!p->nr_ram)
		diag_report(d, CFG_E_PLATFORM, "platform: no usable /memory node");
}

static void parse_cpus(const void *fdt, struct platform *p, struct diag *d)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, ac;

	ac = cpus >= 0 ? fdt_address_cells(fdt, cpus) : -1;
	if (cpus < 0 || ac < 1 || ac > 2) {
		diag_report(d, CFG_E_PLATFORM, "platform: no valid /cpus node");
		return;
	}
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		int len;
		const void *reg = fdt_getprop(fdt, node, "reg", &len);

		if (!type || strcmp(type, "cpu") != 0)
			continue;
		if (!reg || len != 4 * ac) {
			diag_report(d, CFG_E_PLATFORM, "platform: cpu node '%s' has a bad reg",
				    fdt_get_name(fdt, node, NULL));
			continue;
		}
		if (p->nr_cpus == MAX_CPUS) {
			diag_report(d, CFG_E_TOO_MANY, "platform: more than %u CPUs", MAX_CPUS);
			return;
		}
		p->cpu_mpidr[p->nr_cpus++] = fdt_cells_read(reg, 0, (unsigned)ac);
	}
	if (!p->nr_cpus)
		diag_report(d, CFG_E_PLATFORM, "platform: no CPUs in /cpus");
}

/* The first SMMUv3: its registers (both 64 KiB pages) and the wired
 * interrupts it has by name. A second one is not driven: devices behind
 * it are not confined (config validation says so). */
static void parse_smmu(const void *fdt, struct platform *p, struct diag *d)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,smmu-v3"), k;

	if (node < 0)
		return;
	if (platform_node_reg(fdt, node, 0, &p->smmu) || p->smmu.size < 0x20000) {
		diag_report(d, CFG_E_PLATFORM, "platform: arm,smmu-v3 node has no usable reg");
		p->smmu.size = 0;
		return;
	}
	p->smmu_phandle = fdt_get_phandle(fdt, node);
	k = fdt_stringlist_search(fdt, node, "interrupt-names", "eventq");
	if (k < 0 || platform_node_intid(fdt, node, (unsigned)k, &p->smmu_evt_intid))
		p->smmu_evt_intid = 0;
	k = fdt_stringlist_search(fdt, node, "interrupt-names", "gerror");
	if (k < 0 || platform_node_intid(fdt, node, (unsigned)k, &p->smmu_gerr_intid))
		p->smmu_gerr_intid = 0;
}

/* The anti-rollback store: the second bank of the first cfi-flash with a
 * 32-bit bus (QEMU virt: one node, reg = <bank 0>, <bank 1>). The first
 * bank holds the firmware; neither is ever given to a partition. */
static void parse_store(const void *fdt, struct platform *p)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "cfi-flash"), len;
	const fdt32_t *bw = node >= 0 ? fdt_getprop(fdt, node, "bank-width", &len) : NULL;
	struct mem_range r;

	if (!bw || len != 4 || fdt32_to_cpu(*bw) != 4 || platform_node_reg(fdt, node, 1, &r) ||
	    r.size < 2 * STORE_SLOT_SIZE || !IS_ALIGNED(r.base, PAGE_SIZE))
		return;
	p->store = (struct mem_range){ r.base, 2 * STORE_SLOT_SIZE };
}

unsigned platform_parse(const void *fdt, struct platform *p, struct diag *d)
{
	unsigned before = d->count;
	int node, i;

	memset(p, 0, sizeof(*p));
	if (fdt_check_header(fdt) != 0) {
		diag_report(d, CFG_E_DTB, "platform: device tree header is corrupt");
		return d->count - before;
	}
	parse_ram(fdt, p, d);
	parse_cpus(fdt, p, d);

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node < 0 || platform_node_reg(fdt, node, 0, &p->gicd) || platform_node_reg(fdt, node, 1, &p->gicr))
		diag_report(d, CFG_E_PLATFORM, "platform: no GICv3 (arm,gic-v3 with GICD and GICR regs)");
	else if (platform_node_intid(fdt, node, 0, &p->maint_intid))
		p->maint_intid = 0;

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	for (i = 0; i < 4; i++)
		if (node < 0 || platform_node_intid(fdt, node, (unsigned)i, &p->timer_intid[i])) {
			diag_report(d, CFG_E_PLATFORM, "platform: no arm,armv8-timer with 4 interrupts");
			break;
		}

	node = platform_find_console(fdt, &p->uart);
	if (node < 0)
		diag_report(d, CFG_E_PLATFORM, "platform: /chosen/stdout-path is not a PL011");
	else if (platform_node_intid(fdt, node, 0, &p->uart_intid))
		p->uart_intid = 0;

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		node = fdt_path_offset(fdt, "/psci");
	if (node >= 0) {
		const char *m = fdt_getprop(fdt, node, "method", NULL);
		p->psci_hvc = m && strcmp(m, "hvc") == 0;
	}
	parse_smmu(fdt, p, d);
	parse_store(fdt, p);
	return d->count - before;
}

int platform_cpu_index(const struct platform *p, u64 mpidr)
{
	unsigned i;

	for (i = 0; i < p->nr_cpus; i++)
		if (p->cpu_mpidr[i] == mpidr)
			return (int)i;
	return -1;
}

bool platform_in_ram(const struct platform *p, u64 base, u64 size)
{
	unsigned i;

	for (i = 0; i < p->nr_ram; i++)
		if (range_within(base, size, p->ram[i].base, p->ram[i].size))
			return true;
	return false;
}
