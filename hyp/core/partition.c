// SPDX-License-Identifier: Apache-2.0
/* Building a partition from its validated config, and its lifecycle. */
#include <libfdt.h>

#include "umbra/arch.h"
#include "umbra/console.h"
#include "umbra/partition.h"

bool partition_ram_range(const struct partition *p, u64 ipa, u64 len)
{
	unsigned i;

	if (len == 0 || ipa + len < ipa)
		return false;
	for (i = 0; i < p->cfg->nr_mem; i++)
		if (range_within(ipa, len, p->cfg->mem[i].base, p->cfg->mem[i].size))
			return true;
	return false;
}

int guest_copy_from(const struct partition *p, u64 ipa, void *dst, u64 len)
{
	if (!partition_ram_range(p, ipa, len))
		return -E_RANGE;
	/* Partition RAM is identity mapped (IPA == PA) and mapped at EL2. */
	memcpy(dst, pa_to_ptr(pa_init(ipa)), len);
	return 0;
}

/* The guest's DT: the platform DT pruned to what this partition owns.
 * (Issue "two partitions" replaces this with a DT built from scratch.) */
static int build_guest_dt(struct partition *p, const void *pfdt, void *dst)
{
	const struct part_cfg *c = p->cfg;
	fdt32_t reg[MAX_PART_REGIONS * 4];
	int err, node, cpus, next, ac;
	unsigned i;

	err = fdt_open_into(pfdt, dst, GUEST_DTB_MAX);
	if (err)
		return err;
	node = fdt_path_offset(dst, "/umbra");
	if (node >= 0 && (err = fdt_del_node(dst, node)))
		return err;
	/* memory: drop all, then one node with the partition's regions */
	while ((node = fdt_node_offset_by_prop_value(dst, -1, "device_type", "memory", 7)) >= 0)
		if ((err = fdt_del_node(dst, node)))
			return err;
	node = fdt_add_subnode(dst, 0, "memory");
	if (node < 0)
		return node;
	for (i = 0; i < c->nr_mem; i++) {
		reg[i * 4 + 0] = cpu_to_fdt32((u32)(c->mem[i].base >> 32));
		reg[i * 4 + 1] = cpu_to_fdt32((u32)c->mem[i].base);
		reg[i * 4 + 2] = cpu_to_fdt32((u32)(c->mem[i].size >> 32));
		reg[i * 4 + 3] = cpu_to_fdt32((u32)c->mem[i].size);
	}
	if ((err = fdt_setprop_string(dst, node, "device_type", "memory")) ||
	    (err = fdt_setprop(dst, node, "reg", reg, (int)(c->nr_mem * 16))))
		return err;
	/* the root must use 2 address and 2 size cells for that reg */
	if ((err = fdt_setprop_u32(dst, 0, "#address-cells", 2)) ||
	    (err = fdt_setprop_u32(dst, 0, "#size-cells", 2)))
		return err;
	/* CPUs: keep only this partition's */
	cpus = fdt_path_offset(dst, "/cpus");
	ac = cpus >= 0 ? fdt_address_cells(dst, cpus) : 1;
	for (node = cpus >= 0 ? fdt_first_subnode(dst, cpus) : -1; node >= 0; node = next) {
		const char *type = fdt_getprop(dst, node, "device_type", NULL);
		int len;
		const fdt32_t *r = fdt_getprop(dst, node, "reg", &len);
		bool keep = false;

		next = fdt_next_subnode(dst, node);
		if (!type || strcmp(type, "cpu") != 0)
			continue;
		if (r && (ac == 1 || ac == 2) && len == 4 * ac)
			for (i = 0; i < c->nr_cpus; i++)
				keep |= c->cpu_mpidr[i] == fdt_cells_read(r, 0, (unsigned)ac);
		if (!keep) {
			if ((err = fdt_del_node(dst, node)))
				return err;
			next = fdt_first_subnode(dst, cpus); /* offsets moved */
		}
	}
	node = fdt_path_offset(dst, "/cpus/cpu-map");
	if (node >= 0 && (err = fdt_del_node(dst, node)))
		return err;
	return fdt_pack(dst);
}

int partition_create(struct partition *p, unsigned id, const struct part_cfg *cfg,
		     const void *platform_fdt, struct page_pool *pool)
{
	const struct mem_range *ram0 = &cfg->mem[0];
	unsigned i;
	int err;

	memset(p, 0, sizeof(*p));
	p->id = id;
	p->cfg = cfg;
	err = pgtable_init(&p->s2, PT_S2, (u16)(id + 1), pool);
	for (i = 0; !err && i < cfg->nr_mem; i++)
		err = pgtable_map(&p->s2, cfg->mem[i].base, pa_init(cfg->mem[i].base),
				  cfg->mem[i].size, PT_R | PT_W | PT_X);
	if (err) {
		pr_info("%s: cannot build stage-2 tables (error %d%s)", cfg->name, err,
			err == -E_NOMEM ? ": page-table pool exhausted" : "");
		return err;
	}

	/* Image: copied from the staging region, which Umbra keeps. */
	p->entry_ipa = ram0->base + cfg->text_offset;
	memcpy(pa_to_ptr(pa_init(p->entry_ipa)), pa_to_ptr(pa_init(cfg->image.base)),
	       cfg->image_size);
	arch_dcache_clean_range(pa_to_ptr(pa_init(p->entry_ipa)), cfg->image_size);

	p->dtb_ipa = ram0->base + ram0->size - GUEST_DTB_MAX;
	err = build_guest_dt(p, platform_fdt, pa_to_ptr(pa_init(p->dtb_ipa)));
	if (err) {
		pr_info("%s: cannot build its device tree: %s", cfg->name, fdt_strerror(err));
		return -E_INVAL;
	}
	arch_dcache_clean_range(pa_to_ptr(pa_init(p->dtb_ipa)), GUEST_DTB_MAX);
	arch_icache_inval_all();

	p->nr_vcpus = cfg->nr_cpus;
	for (i = 0; i < p->nr_vcpus; i++) {
		p->vcpu[i].part = p;
		p->vcpu[i].index = i;
	}
	/* vCPU 0 starts at the image entry; the others wait for PSCI CPU_ON */
	arch_vcpu_reset(&p->vcpu[0], p->entry_ipa, p->dtb_ipa);
	p->vcpu[0].on = true;
	p->state = PART_RUNNING;
	return 0;
}

void partition_stop(struct partition *p, const char *why)
{
	unsigned i;

	spin_lock(&p->lock);
	if (p->state == PART_STOPPED) {
		spin_unlock(&p->lock);
		return;
	}
	p->state = PART_STOPPED;
	for (i = 0; i < p->nr_vcpus; i++)
		p->vcpu[i].on = false;
	spin_unlock(&p->lock);
	console_guest_flush(p);
	pr_info("%s: stopped (%s)", p->cfg->name, why);
	umbra_partition_stopped();
}

void vcpu_stop(struct vcpu *v)
{
	struct partition *p = v->part;
	bool any = false;
	unsigned i;

	spin_lock(&p->lock);
	v->on = false;
	for (i = 0; i < p->nr_vcpus; i++)
		any |= p->vcpu[i].on;
	spin_unlock(&p->lock);
	if (!any)
		partition_stop(p, "last vCPU off");
}
