// SPDX-License-Identifier: Apache-2.0
/*
 * Devices in the partition config (binding: dt/bindings/umbra.md): reading
 * a device node, the umbra,shared-device nodes, and the checks across every
 * assignment. An owner is a partition (static `devices`) or a shared device
 * (whoever holds it at run time): the rules are the same for both.
 */
#include <libfdt.h>

#include "config/config.h"
#include "umbra/lib.h"

#define WHO_MAX (PART_NAME_MAX + SHARED_NAME_MAX + 24)

/* The GIC and its ITS, and the SMMU (it will confine DMA masters: a
 * partition holding it could undo that) are Umbra's. */
/* Umbra's own: the GIC, the SMMU, the flash with the anti-rollback store */
static const char *const umbra_compat[] = { "arm,gic-v3", "arm,gic-v3-its", "arm,smmu-v3",
					    "cfi-flash" };

static bool unassignable(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(umbra_compat); i++)
		if (fdt_node_check_compatible(fdt, node, umbra_compat[i]) == 0)
			return true;
	return type && (strcmp(type, "memory") == 0 || strcmp(type, "cpu") == 0);
}

/* Can the device master the bus? virtio transports and PCIe host bridges
 * always can; any node the DT says does DMA or MSIs (dma-coherent, an
 * IOMMU or MSI link) is treated the same. */
static bool bus_master(const void *fdt, int node)
{
	static const char *const props[] = {
		"dma-coherent", "iommus", "iommu-map", "msi-map", "msi-parent",
	};
	const char *compat;
	unsigned i;
	int k;

	for (i = 0; i < ARRAY_SIZE(props); i++)
		if (fdt_getprop(fdt, node, props[i], NULL))
			return true;
	for (k = 0; (compat = fdt_stringlist_get(fdt, node, "compatible", k, NULL)); k++)
		if (strcmp(compat, "virtio,mmio") == 0 || strncmp(compat, "pci-host-", 9) == 0)
			return true;
	return false;
}

bool config_read_device(const void *fdt, const char *who, const char *path,
			struct dev_cfg *dc, struct diag *d)
{
	int dn = fdt_path_offset(fdt, path);
	u32 intid;
	unsigned i;

	if (dn < 0 || strlen(path) >= DEV_PATH_MAX) {
		diag_report(d, CFG_E_DEVICE, "%s: device '%s' not found", who, path);
		return false;
	}
	if (unassignable(fdt, dn)) {
		diag_report(d, CFG_E_DEVICE, "%s: '%s' belongs to Umbra and cannot be assigned",
			    who, path);
		return false;
	}
	memset(dc, 0, sizeof(*dc));
	memcpy(dc->path, path, strlen(path) + 1);
	for (i = 0; i < MAX_DEV_REGS && platform_node_reg(fdt, dn, i, &dc->reg[i]) == 0; i++)
		dc->nr_reg++;
	if (!dc->nr_reg) {
		diag_report(d, CFG_E_DEVICE, "%s: device '%s' has no usable reg", who, path);
		return false;
	}
	for (i = 0; i < MAX_DEV_IRQS && platform_node_intid(fdt, dn, i, &intid) == 0; i++) {
		if (intid < 32) {
			diag_report(d, CFG_E_DEVICE, "%s: device '%s' uses per-CPU interrupt %u",
				    who, path, intid);
			break;
		}
		dc->spi[dc->nr_spi++] = intid;
	}
	dc->dma = bus_master(fdt, dn);
	if ((fdt_stringlist_search(fdt, dn, "compatible", "pci-host-ecam-generic") >= 0 ||
	     fdt_stringlist_search(fdt, dn, "compatible", "pci-host-cam-generic") >= 0) &&
	    !config_read_pci(fdt, dn, who, dc, d))
		return false;
	return config_read_streams(fdt, dn, who, dc, d);
}

/* dma-unprotected = "/path", ...: each one of the partition's devices. */
void config_parse_dma_opt_in(const void *fdt, int node, struct part_cfg *pc, struct diag *d)
{
	int len, pos;
	const char *list = fdt_getprop(fdt, node, "dma-unprotected", &len);
	unsigned i;

	if (!list)
		return;
	if (len <= 0 || list[len - 1] != '\0') {
		diag_report(d, CFG_E_PROP,
			    "partition '%s': 'dma-unprotected' must be a list of paths", pc->name);
		return;
	}
	for (pos = 0; pos < len; pos += (int)strlen(list + pos) + 1) {
		bool found = false;

		for (i = 0; i < pc->nr_dev; i++)
			if (strcmp(pc->dev[i].path, list + pos) == 0) {
				pc->dev[i].dma_unprotected = true;
				found = true;
			}
		if (!found)
			diag_report(d, CFG_E_PROP,
				    "partition '%s': dma-unprotected '%s' is not one of its devices",
				    pc->name, list + pos);
	}
}

static void parse_one_shared(const void *fdt, int node, struct umbra_config *cfg,
			     struct shared_dev_cfg *sc, struct diag *d)
{
	char who[WHO_MAX];
	const char *name = fdt_get_name(fdt, node, NULL), *path, *owner, *h;
	int len, pos, pi;
	bool ok = true;

	snprintf(sc->name, sizeof(sc->name), "%s", name ? name : "?");
	snprintf(who, sizeof(who), "shared device %u ('%s')", cfg->nr_shared, sc->name);
	sc->owner = -1;
	path = fdt_getprop(fdt, node, "device", &len);
	if (!path || len <= 0 || path[len - 1] != '\0') {
		diag_report(d, CFG_E_SHARED, "%s: 'device' must be a path", who);
		ok = false;
	} else if (!config_read_device(fdt, who, path, &sc->dev, d)) {
		ok = false;
	}
	h = fdt_getprop(fdt, node, "holders", &len);
	if (!h || len <= 0 || h[len - 1] != '\0') {
		diag_report(d, CFG_E_SHARED, "%s: 'holders' must list partition names", who);
		ok = false;
	}
	for (pos = 0; h && ok && pos < len; pos += (int)strlen(h + pos) + 1) {
		pi = config_part_index(cfg, h + pos);
		if (pi < 0)
			diag_report(d, CFG_E_SHARED, "%s: holder '%s' is no partition", who, h + pos);
		else
			sc->holders |= 1u << pi;
	}
	owner = fdt_getprop(fdt, node, "owner", &len);
	if (owner) {
		bool str = len > 0 && owner[len - 1] == '\0';

		pi = str ? config_part_index(cfg, owner) : -1;
		if (pi < 0 || !(sc->holders & (1u << pi)))
			diag_report(d, CFG_E_SHARED, "%s: owner '%s' is not one of its holders",
				    who, str ? owner : "?");
		else
			sc->owner = pi;
	}
	if (fdt_getprop(fdt, node, "revocable", NULL))
		diag_report(d, CFG_E_SHARED, "%s: 'revocable' (forced revoke) is not supported",
			    who);
	sc->dev.dma_unprotected = fdt_getprop(fdt, node, "dma-unprotected", NULL) != NULL;
	if (ok && sc->dev.pci)
		diag_report(d, CFG_E_SHARED, "%s: a PCIe host bridge cannot be a shared device", who);
}

void config_parse_shared(const void *fdt, int root, struct umbra_config *cfg, struct diag *d)
{
	int node;

	fdt_for_each_subnode(node, fdt, root) {
		if (fdt_node_check_compatible(fdt, node, "umbra,shared-device") != 0)
			continue;
		if (cfg->nr_shared == MAX_SHARED_DEVICES) {
			diag_report(d, CFG_E_TOO_MANY, "config: more than %u shared devices",
				    MAX_SHARED_DEVICES);
			return;
		}
		memset(&cfg->shared[cfg->nr_shared], 0, sizeof(cfg->shared[0]));
		parse_one_shared(fdt, node, cfg, &cfg->shared[cfg->nr_shared], d);
		cfg->nr_shared++;
	}
}

/* ---- checks across all assignments ---- */

struct assignment {
	const struct dev_cfg *dc;
	unsigned owner;              /* partition index, or MAX_PARTITIONS + shared id */
	char who[WHO_MAX];
};

static u64 page_down(u64 a) { return ALIGN_DOWN(a, PAGE_SIZE); }
static u64 page_span(const struct mem_range *r)
{
	return ALIGN_UP(r->base + r->size, PAGE_SIZE) - page_down(r->base);
}

static bool pages_overlap(const struct mem_range *r, u64 base, u64 size)
{
	return ranges_overlap(page_down(r->base), page_span(r), base, size);
}

static unsigned collect(const struct umbra_config *cfg, struct assignment *a)
{
	unsigned n = 0, i, j;

	for (i = 0; i < cfg->nr_parts; i++)
		for (j = 0; j < cfg->part[i].nr_dev; j++, n++) {
			a[n].dc = &cfg->part[i].dev[j];
			a[n].owner = i;
			snprintf(a[n].who, sizeof(a[n].who), "partition '%s'", cfg->part[i].name);
		}
	for (i = 0; i < cfg->nr_shared; i++) {
		if (!cfg->shared[i].dev.nr_reg)
			continue; /* not found: reported */
		a[n].dc = &cfg->shared[i].dev;
		a[n].owner = MAX_PARTITIONS + i;
		snprintf(a[n].who, sizeof(a[n].who), "shared device %u ('%s')", i,
			 cfg->shared[i].name);
		n++;
	}
	return n;
}

/* Owner of the device at path, if any (index into a[]), else -1. */
static int assigned(const struct assignment *a, unsigned n, const char *path)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].dc->path, path) == 0)
			return (int)i;
	return -1;
}

/* Umbra's own MMIO: the GIC, its ITS and the SMMU (every reg), and its
 * memory. */
static bool overlaps_umbra(const void *fdt, const struct cfg_env *env, const struct mem_range *r)
{
	struct mem_range g;
	unsigned i, k;
	int node;

	for (i = 0; i < env->nr_reserved; i++)
		if (pages_overlap(r, env->reserved[i].base, env->reserved[i].size))
			return true;
	if (pages_overlap(r, env->plat->gicd.base, env->plat->gicd.size) ||
	    pages_overlap(r, env->plat->gicr.base, env->plat->gicr.size))
		return true;
	for (i = 0; i < ARRAY_SIZE(umbra_compat); i++)
		for (node = fdt_node_offset_by_compatible(fdt, -1, umbra_compat[i]); node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, umbra_compat[i]))
			for (k = 0; platform_node_reg(fdt, node, k, &g) == 0; k++)
				if (pages_overlap(r, g.base, g.size))
					return true;
	return false;
}

/* Root-level device nodes whose MMIO shares a page with a's device: they
 * must have the same owner, else the owner could reach them (stage 2 maps
 * whole pages). Unassigned nodes stay Umbra's (one report naming the
 * first); pairs of owners are reported once. */
static void check_page_neighbours(const void *fdt, const struct assignment *all, unsigned n,
				  unsigned ai, struct diag *d)
{
	const struct assignment *a = &all[ai];
	char path[DEV_PATH_MAX + 2], first[DEV_PATH_MAX + 2];
	struct mem_range o;
	int node;
	unsigned r, k, umbras = 0;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		bool shared = false;
		int oi;

		if (type && strcmp(type, "memory") == 0)
			continue;
		for (k = 0; platform_node_reg_in(fdt, 0, node, k, &o) == 0; k++)
			for (r = 0; r < a->dc->nr_reg; r++)
				shared |= pages_overlap(&a->dc->reg[r], o.base, o.size);
		/* the path (a walk from the root) only for the few that share */
		if (!shared || fdt_get_path(fdt, node, path, sizeof(path)) ||
		    strcmp(path, a->dc->path) == 0)
			continue;
		oi = assigned(all, n, path);
		if (oi < 0 && !umbras++)
			memcpy(first, path, sizeof(first));
		else if (oi >= 0 && all[oi].owner != a->owner && (unsigned)oi < ai)
			diag_report(d, CFG_E_DEVICE_PAGE,
				    "%s: device '%s' shares an MMIO page with '%s' of %s",
				    a->who, a->dc->path, path, all[oi].who);
	}
	if (umbras == 1)
		diag_report(d, CFG_E_DEVICE_PAGE,
			    "%s: device '%s' shares an MMIO page with '%s', which stays Umbra's",
			    a->who, a->dc->path, first);
	else if (umbras)
		diag_report(d, CFG_E_DEVICE_PAGE,
			    "%s: device '%s' shares an MMIO page with '%s' and %u more devices, which stay Umbra's",
			    a->who, a->dc->path, first, umbras - 1);
}

/* Two owners' devices at one SMMU must not share a StreamID. */
static bool streams_overlap(const struct dev_cfg *x, const struct dev_cfg *y)
{
	return x->nr_sids && y->nr_sids && x->iommu_phandle == y->iommu_phandle &&
	       (u64)x->sid_base < (u64)y->sid_base + y->nr_sids &&
	       (u64)y->sid_base < (u64)x->sid_base + x->nr_sids;
}

static void check_pair(const struct assignment *a, const struct assignment *b, struct diag *d)
{
	unsigned m, k;
	bool irq = false;

	if (strcmp(a->dc->path, b->dc->path) == 0) {
		diag_report(d, CFG_E_DEVICE_TWICE, "%s: device '%s' is already given to %s",
			    b->who, b->dc->path, a->who);
		return;
	}
	if (a->owner == b->owner)
		return; /* one owner's devices may share a line */
	for (m = 0; m < a->dc->nr_spi; m++)
		for (k = 0; k < b->dc->nr_spi; k++)
			irq |= a->dc->spi[m] == b->dc->spi[k];
	if (irq)
		diag_report(d, CFG_E_IRQ_TWICE,
			    "%s: device '%s' shares an interrupt with '%s' of %s",
			    b->who, b->dc->path, a->dc->path, a->who);
	if (streams_overlap(a->dc, b->dc))
		diag_report(d, CFG_E_DEVICE,
			    "%s: device '%s' shares IOMMU stream IDs with '%s' of %s",
			    b->who, b->dc->path, a->dc->path, a->who);
}

/* Does an IOMMU confine this device's DMA to its owner's memory? Only the
 * SMMU Umbra drives, and only for a partition's own devices: a shared
 * device would need its streams moved at every claim. */
static bool iommu_confines(const struct cfg_env *env, const struct assignment *a)
{
	return env->smmu_ok && env->plat->smmu.size && a->owner < MAX_PARTITIONS &&
	       a->dc->nr_sids && a->dc->iommu_phandle == env->plat->smmu_phandle;
}

void config_check_devices(const void *fdt, const struct cfg_env *env,
			  const struct umbra_config *cfg, struct diag *d)
{
	static struct assignment all[MAX_PARTITIONS * MAX_PART_DEVICES + MAX_SHARED_DEVICES];
	unsigned n = collect(cfg, all), i, j, r, t;

	for (i = 0; i < n; i++) {
		const struct assignment *a = &all[i];
		bool in_ram = false, umbra = false;

		for (r = 0; r < a->dc->nr_reg; r++) {
			for (t = 0; t < env->plat->nr_ram; t++)
				in_ram |= pages_overlap(&a->dc->reg[r], env->plat->ram[t].base,
							env->plat->ram[t].size);
			umbra |= overlaps_umbra(fdt, env, &a->dc->reg[r]);
		}
		if (umbra)
			diag_report(d, CFG_E_DEVICE_UMBRA,
				    "%s: device '%s' MMIO overlaps Umbra's own (GIC or memory)",
				    a->who, a->dc->path);
		else if (in_ram)
			diag_report(d, CFG_E_DEVICE, "%s: device '%s' MMIO 0x%lx overlaps RAM",
				    a->who, a->dc->path, a->dc->reg[0].base);
		for (j = 0; j < i; j++)
			check_pair(&all[j], a, d);
		if (!umbra)
			check_page_neighbours(fdt, all, n, i, d);
		if (a->dc->dma && !a->dc->dma_unprotected && !iommu_confines(env, a))
			diag_report(d, CFG_E_DMA,
				    "%s: device '%s' can master the bus (DMA) and no IOMMU confines it; list it in 'dma-unprotected' to accept that",
				    a->who, a->dc->path);
	}
}
