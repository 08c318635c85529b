// SPDX-License-Identifier: Apache-2.0
/*
 * A partition's device tree, made from the platform DT: only its memory,
 * its CPUs, the GIC as its vGIC presents it (no ITS), the timer, PSCI over
 * HVC, the devices it owns, and /chosen from its config. Every other
 * device node, Umbra's own (fw_cfg, the console UART unless assigned) and
 * the /umbra config are removed.
 */
#include <libfdt.h>

#include "devices/device.h"
#include "partition/guest_dt.h"
#include "umbra/arch.h"
#include "umbra/lib.h"
#include "vm/vgic.h"
#include "drivers/gic.h"
#include "console/vuart.h"

static bool owns_path(const struct part_cfg *c, const char *path)
{
	unsigned i;

	for (i = 0; i < c->nr_dev; i++)
		if (strcmp(c->dev[i].path, path) == 0)
			return true;
	return false;
}

/* reg in the cells of the node's parent, as the platform DT has them
 * (the nodes kept from it, devices a partition owns, keep theirs) */
static int set_reg(void *fdt, int node, const struct mem_range *r, unsigned n)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	fdt32_t reg[MAX_PART_REGIONS * 4];
	unsigned i, k = 0;

	if (parent < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return parent < 0 ? parent : -FDT_ERR_BADNCELLS;
	for (i = 0; i < n && i < MAX_PART_REGIONS; i++) {
		if ((ac == 1 && r[i].base >> 32) || (sc == 1 && r[i].size >> 32))
			return -FDT_ERR_BADVALUE;
		if (ac == 2)
			reg[k++] = cpu_to_fdt32((u32)(r[i].base >> 32));
		reg[k++] = cpu_to_fdt32((u32)r[i].base);
		if (sc == 2)
			reg[k++] = cpu_to_fdt32((u32)(r[i].size >> 32));
		reg[k++] = cpu_to_fdt32((u32)r[i].size);
	}
	return fdt_setprop(fdt, node, "reg", reg, (int)(k * 4));
}

/* Keep only this partition's CPU nodes (and drop cpu-map). */
static int prune_cpus(void *fdt, const struct part_cfg *c)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, ac, err;
	unsigned i;

	if (cpus < 0)
		return 0;
	ac = fdt_address_cells(fdt, cpus);
restart:
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const char *name = fdt_get_name(fdt, node, NULL);
		int len;
		const void *r = fdt_getprop(fdt, node, "reg", &len);
		bool keep = false;

		if (type && strcmp(type, "cpu") == 0 && r && (ac == 1 || ac == 2) && len == 4 * ac)
			for (i = 0; i < c->nr_cpus; i++)
				keep |= c->cpu_mpidr[i] == fdt_cells_read(r, 0, (unsigned)ac);
		else if (!(name && strcmp(name, "cpu-map") == 0))
			keep = true;
		if (!keep) {
			if ((err = fdt_del_node(fdt, node)))
				return err;
			goto restart; /* offsets after the deleted node moved */
		}
	}
	return 0;
}

/* The GIC as the vGIC shows it: GICD, then one redistributor per vCPU;
 * the ITS is gone (no LPIs, no MSIs). */
static int fix_gic(void *fdt, const struct part_cfg *c, const struct platform *plat)
{
	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3"), node, err;
	struct mem_range r[2] = {
		{ plat->gicd.base, VGIC_DIST_SIZE },
		{ plat->gicr.base, (u64)c->nr_cpus * VGIC_FRAME },
	};

	if (gic < 0)
		return 0;
	while ((node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3-its")) >= 0)
		if ((err = fdt_del_node(fdt, node)))
			return err;
	fdt_delprop(fdt, gic, "msi-controller");
	fdt_delprop(fdt, gic, "#redistributor-regions");
	return set_reg(fdt, gic, r, 2);
}

/* Remove every root-level node with a reg or ranges (a device or a bus)
 * except memory, the GIC and the devices the partition owns; then nodes whose interrupt or
 * GPIO provider went away (e.g. gpio-keys without its PL061). */
static int prune_devices(void *fdt, const struct part_cfg *c)
{
	char path[DEV_PATH_MAX + 2];
	int node, err;

restart:
	fdt_for_each_subnode(node, fdt, 0) {
		const char *name = fdt_get_name(fdt, node, NULL);
		const fdt32_t *gpios;
		int len;
		bool del = false;

		if (fdt_getprop(fdt, node, "reg", NULL) || fdt_getprop(fdt, node, "ranges", NULL)) {
			const char *type = fdt_getprop(fdt, node, "device_type", NULL);

			if (fdt_get_path(fdt, node, path, sizeof(path)))
				path[0] = '\0';
			del = !(type && strcmp(type, "memory") == 0) &&
			      fdt_node_check_compatible(fdt, node, "arm,gic-v3") != 0 &&
			      !owns_path(c, path) && !device_dt_status(c, path);
		} else if (name && strcmp(name, "umbra") == 0) {
			del = true;
		} else {
			int sub;

			fdt_for_each_subnode(sub, fdt, node) {
				gpios = fdt_getprop(fdt, sub, "gpios", &len);
				if (gpios && len >= 4 &&
				    fdt_node_offset_by_phandle(fdt, fdt32_ld(gpios)) < 0)
					del = true;
			}
		}
		if (del) {
			if ((err = fdt_del_node(fdt, node)))
				return err;
			goto restart;
		}
	}
	return 0;
}

/* A shared device the partition may hold but does not hold now is there
 * with status "disabled": its drivers stay away until it is claimed. */
static int disable_unheld(void *fdt, const struct part_cfg *c)
{
	char path[DEV_PATH_MAX + 2];
	int node, err;
	const char *st;

restart:
	fdt_for_each_subnode(node, fdt, 0) {
		if (fdt_get_path(fdt, node, path, sizeof(path)) || device_dt_status(c, path) != 2)
			continue;
		st = fdt_getprop(fdt, node, "status", NULL);
		if (st && strcmp(st, "disabled") == 0)
			continue;
		if ((err = fdt_setprop_string(fdt, node, "status", "disabled")))
			return err;
		goto restart; /* offsets after a grown node moved */
	}
	return 0;
}

/* A bus master's node as its partition sees it: no link to the IOMMU
 * (the SMMU is Umbra's) nor to the ITS (no MSIs: legacy INTx), and a PCIe
 * host's `ranges` without the windows beyond the IPA space (config_pci.c). */
static int fix_bus_master(void *fdt, const struct dev_cfg *dc)
{
	static const char *const gone[] = { "iommu-map", "iommu-map-mask", "iommus",
					    "msi-map", "msi-map-mask", "msi-parent" };
	fdt32_t kept[MAX_DEV_REGS * 7];
	const fdt32_t *r;
	int node = fdt_path_offset(fdt, dc->path), len, pac, err;
	unsigned i, k = 0, step;

	if (node < 0)
		return 0;
	for (i = 0; i < ARRAY_SIZE(gone); i++)
		fdt_delprop(fdt, node, gone[i]);
	if (!dc->pci)
		return 0;
	node = fdt_path_offset(fdt, dc->path);
	pac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	r = fdt_getprop(fdt, node, "ranges", &len);
	if (!r || pac < 1 || pac > 2 || len < 0)
		return -FDT_ERR_BADVALUE;
	step = 3 + (unsigned)pac + 2;   /* as config_pci.c read them */
	for (i = 0; i + step <= (unsigned)len / 4; i += step)
		if (config_pci_window_usable(fdt_cells_read(r, i + 3, (unsigned)pac),
					     fdt_cells_read(r, i + 3 + (unsigned)pac, 2)) &&
		    k + step <= ARRAY_SIZE(kept)) {
			memcpy(&kept[k], &r[i], step * 4);
			k += step;
		}
	err = fdt_setprop(fdt, node, "ranges", kept, (int)(k * 4));
	return err;
}

/* The partition's virtual UART (vuart.c), shown as the SBSA generic UART
 * it models; its console. Linux's sbsa-uart driver requires
 * current-speed (the rate is fixed: it cannot be changed). */
static int add_vuart(void *fdt, const struct part_cfg *c, char *path, size_t size)
{
	struct mem_range r = { c->vuart, VUART_SIZE };
	fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(c->vuart_intid - GIC_SPI_BASE),
			   cpu_to_fdt32(1) }; /* SPI, edge: the vGIC raises it */
	int node, gic, err;
	u32 phandle;

	snprintf(path, size, "/vuart@%lx", c->vuart);
	if ((node = fdt_add_subnode(fdt, 0, path + 1)) < 0)
		return node;
	if ((err = fdt_setprop_string(fdt, node, "compatible", "arm,sbsa-uart")) ||
	    (err = set_reg(fdt, node, &r, 1)) ||
	    (err = fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq))) ||
	    (err = fdt_setprop_u32(fdt, node, "current-speed", 115200)))
		return err;
	gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	phandle = gic >= 0 ? fdt_get_phandle(fdt, gic) : 0;
	node = fdt_path_offset(fdt, path);
	if (phandle && node >= 0)
		return fdt_setprop_u32(fdt, node, "interrupt-parent", phandle);
	return 0;
}

static int set_chosen(void *fdt, const struct part_cfg *c, u64 initrd_ipa, const char *console,
		      unsigned restarts)
{
	int chosen, err;

	/* (root properties first: changing them moves every node offset) */
	if ((err = fdt_setprop_string(fdt, 0, "model", c->name)))
		return err;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0 && (chosen = fdt_add_subnode(fdt, 0, "chosen")) < 0)
		return chosen;
	/* who the guest is, and how often Umbra restarted it */
	if ((err = fdt_setprop_string(fdt, chosen, "umbra,partition", c->name)) ||
	    (err = fdt_setprop_u32(fdt, chosen, "umbra,restarts", restarts)))
		return err;
	/* a seed meant for the machine is no partition's to share; nor are
	 * the bootloader's bootargs and initrd (only the config's count) */
	fdt_delprop(fdt, chosen, "rng-seed");
	fdt_delprop(fdt, chosen, "kaslr-seed");
	fdt_delprop(fdt, chosen, "bootargs");
	fdt_delprop(fdt, chosen, "linux,initrd-start");
	fdt_delprop(fdt, chosen, "linux,initrd-end");
	/* its console by path: /aliases is gone */
	if (!console)
		fdt_delprop(fdt, chosen, "stdout-path");
	else if ((err = fdt_setprop_string(fdt, chosen, "stdout-path", console)))
		return err;
	if (c->bootargs[0] && (err = fdt_setprop_string(fdt, chosen, "bootargs", c->bootargs)))
		return err;
	if (c->initrd.size) {
		if ((err = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", initrd_ipa)) ||
		    (err = fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
					   initrd_ipa + c->initrd.size)))
			return err;
	}
	return 0;
}

/* One node per channel end: channel@<base> at the root, not /memory (the
 * guest must not take it for RAM), its doorbell an edge-triggered SPI of
 * the vGIC. In id order: fdt_add_subnode() inserts as the first child, so
 * add them last to first. */
static int add_channels(void *fdt, const struct part_cfg *c)
{
	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3"), node, err;
	u32 gic_phandle = gic >= 0 ? fdt_get_phandle(fdt, gic) : 0;
	unsigned i;
	char name[32];

	for (i = c->nr_chan; i-- > 0;) {
		const struct chan_end *e = &c->chan[i];
		fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(e->intid - GIC_SPI_BASE),
				   cpu_to_fdt32(1) /* IRQ_TYPE_EDGE_RISING */ };

		snprintf(name, sizeof(name), "channel@%lx", e->mem.base);
		if ((node = fdt_add_subnode(fdt, 0, name)) < 0)
			return node;
		if ((err = fdt_setprop_string(fdt, node, "compatible", "umbra,channel")) ||
		    (err = set_reg(fdt, node, &e->mem, 1)) ||
		    (gic_phandle && (err = fdt_setprop_u32(fdt, node, "interrupt-parent", gic_phandle))) ||
		    (err = fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq))) ||
		    (err = fdt_setprop_u32(fdt, node, "umbra,channel-id", e->id)) ||
		    (err = fdt_setprop_string(fdt, node, "umbra,peer", e->peer_name)) ||
		    (e->first && (err = fdt_setprop_empty(fdt, node, "umbra,first-peer"))) ||
		    (e->read_only && (err = fdt_setprop_empty(fdt, node, "read-only"))))
			return err;
	}
	return 0;
}

int guest_dt_build(void *dst, size_t size, const void *pfdt, const struct part_cfg *c,
		   const struct platform *plat, u64 initrd_ipa, unsigned restarts)
{
	int err, node;
	unsigned i;
	char path[DEV_PATH_MAX + 2], console[DEV_PATH_MAX + 2 + 32];
	bool has_console = false;
	const char *stdout_path;

	if ((err = fdt_open_into(pfdt, dst, (int)size)))
		return err;
	/* is the console UART one of ours? (before its node may go) */
	node = fdt_path_offset(dst, "/chosen");
	stdout_path = node >= 0 ? fdt_getprop(dst, node, "stdout-path", NULL) : NULL;
	if (stdout_path) {
		const char *opts = strchr(stdout_path, ':');
		int uart = fdt_path_offset_namelen(dst, stdout_path,
						   (int)(opts ? (size_t)(opts - stdout_path) :
							 strlen(stdout_path)));
		has_console = uart >= 0 && fdt_get_path(dst, uart, path, sizeof(path)) == 0 &&
			      owns_path(c, path);
		/* (options too long to keep are dropped) */
		if (has_console && (size_t)snprintf(console, sizeof(console), "%s%s", path,
						     opts ? opts : "") >= sizeof(console))
			snprintf(console, sizeof(console), "%s", path);
	}
	if ((err = prune_devices(dst, c)) || (err = disable_unheld(dst, c)) ||
	    (err = prune_cpus(dst, c)) || (err = fix_gic(dst, c, plat)))
		return err;
	for (i = 0; i < c->nr_dev; i++)
		if (c->dev[i].dma && (err = fix_bus_master(dst, &c->dev[i])))
			return err;
	if (c->vuart) {
		if ((err = add_vuart(dst, c, console, sizeof(console))))
			return err;
		has_console = true;
	}
	if ((err = set_chosen(dst, c, initrd_ipa, has_console ? console : NULL, restarts)))
		return err;
	node = fdt_path_offset(dst, "/aliases");
	if (node >= 0 && (err = fdt_del_node(dst, node)))
		return err;
	/* no PMU node where partitions get none (docs/partition-machine.md) */
	while (!arch_pmu_offered() &&
	       (node = fdt_node_offset_by_compatible(dst, -1, "arm,armv8-pmuv3")) >= 0)
		if ((err = fdt_del_node(dst, node)))
			return err;

	/* memory: one node with exactly the partition's regions */
	while ((node = fdt_node_offset_by_prop_value(dst, -1, "device_type", "memory", 7)) >= 0)
		if ((err = fdt_del_node(dst, node)))
			return err;
	if ((node = fdt_add_subnode(dst, 0, "memory")) < 0)
		return node;
	if ((err = fdt_setprop_string(dst, node, "device_type", "memory")) ||
	    (err = set_reg(dst, node, c->mem, c->nr_mem)))
		return err;

	node = fdt_path_offset(dst, "/psci");
	if (node >= 0 && (err = fdt_setprop_string(dst, node, "method", "hvc")))
		return err;
	if ((err = add_channels(dst, c)))
		return err;
	return fdt_pack(dst);
}
