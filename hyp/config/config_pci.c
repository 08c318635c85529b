// SPDX-License-Identifier: Apache-2.0
/*
 * What a partition gets with a PCIe host bridge (binding: "PCIe"): its ECAM
 * (reg), the MMIO and I/O windows of `ranges` that lie inside the IPA space
 * (a window beyond it, such as QEMU virt's 512 GiB one at 512 GiB, is left
 * out here and in the guest DT: the partition's kernel puts its BARs in the
 * others), and the SPIs its legacy INTx lines are wired to (interrupt-map;
 * no MSIs: the ITS stays Umbra's). And, for every bus master, the StreamIDs
 * it uses at its IOMMU (iommu-map for PCIe, iommus otherwise), which the
 * SMMU driver gives to the partition. IEEE 1275 PCI binding, and Linux's
 * Documentation/devicetree/bindings/pci/pci-iommu.txt for iommu-map.
 */
#include <libfdt.h>

#include "arch/pte.h"
#include "config/config.h"
#include "drivers/gic.h"
#include "umbra/lib.h"

bool config_pci_window_usable(u64 base, u64 size)
{
	return range_valid(base, size) && base + size <= (1UL << PT_VA_BITS);
}

static int cells(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len == 4 ? (int)fdt32_ld(p) : dflt;
}

static bool add_reg(struct dev_cfg *dc, u64 base, u64 size)
{
	if (dc->nr_reg == MAX_DEV_REGS)
		return false;
	dc->reg[dc->nr_reg++] = (struct mem_range){ base, size };
	return true;
}

static void add_spi(struct dev_cfg *dc, u32 intid)
{
	unsigned i;

	for (i = 0; i < dc->nr_spi; i++)
		if (dc->spi[i] == intid)
			return;
	if (dc->nr_spi < MAX_DEV_IRQS)
		dc->spi[dc->nr_spi++] = intid;
}

/* ranges: <child-address(3) parent-address(root's cells) size(2)>... */
static bool read_windows(const void *fdt, int node, const char *who, struct dev_cfg *dc,
			 struct diag *d)
{
	int len, cac = cells(fdt, node, "#address-cells", 3),
	    pac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node)),
	    sc = cells(fdt, node, "#size-cells", 2);
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
	unsigned step, i;

	if (cac != 3 || pac < 1 || pac > 2 || sc < 1 || sc > 2 || !r || len <= 0 ||
	    len % (int)(4 * (unsigned)(cac + pac + sc))) {
		diag_report(d, CFG_E_DEVICE, "%s: PCIe host '%s' has no usable ranges", who, dc->path);
		return false;
	}
	step = (unsigned)(cac + pac + sc);
	for (i = 0; i < (unsigned)len / 4; i += step) {
		u64 base = fdt_cells_read(r, i + (unsigned)cac, (unsigned)pac);
		u64 size = fdt_cells_read(r, i + (unsigned)(cac + pac), (unsigned)sc);

		if (!config_pci_window_usable(base, size))
			continue; /* beyond the IPA space: the partition does without */
		if (!add_reg(dc, base, size)) {
			diag_report(d, CFG_E_TOO_MANY, "%s: PCIe host '%s' has more than %u windows",
				    who, dc->path, MAX_DEV_REGS - 1);
			return false;
		}
	}
	return true;
}

/* interrupt-map: <child-unit(3) child-int(1) phandle parent-unit parent-int>... */
static bool read_intx(const void *fdt, int node, const char *who, struct dev_cfg *dc,
		      struct diag *d)
{
	int len, cac = cells(fdt, node, "#address-cells", 3), cic = cells(fdt, node, "#interrupt-cells", 1);
	const fdt32_t *m = fdt_getprop(fdt, node, "interrupt-map", &len);
	unsigned i = 0, n;

	if (!m)
		return true; /* no INTx wired */
	if (len < 0 || len % 4)
		goto bad;
	n = (unsigned)len / 4;
	while (i < n) {
		int gic, gac, gic_cells;
		u32 type, num;

		if (i + (unsigned)(cac + cic) + 1 > n)
			goto bad;
		i += (unsigned)(cac + cic);
		gic = fdt_node_offset_by_phandle(fdt, fdt32_ld(&m[i++]));
		if (gic < 0 || fdt_node_check_compatible(fdt, gic, "arm,gic-v3") != 0)
			goto bad;
		gac = cells(fdt, gic, "#address-cells", 0);
		gic_cells = cells(fdt, gic, "#interrupt-cells", 3);
		if (gac < 0 || gac > 2 || gic_cells != 3 || i + (unsigned)(gac + 3) > n)
			goto bad;
		i += (unsigned)gac;
		type = fdt32_ld(&m[i]);
		num = fdt32_ld(&m[i + 1]);
		i += 3;
		if (type != 0 || num >= GIC_MAX_INTID - GIC_SPI_BASE)
			goto bad; /* INTx on a PPI or an LPI: not for a partition */
		add_spi(dc, num + GIC_SPI_BASE);
	}
	return true;
bad:
	diag_report(d, CFG_E_DEVICE, "%s: PCIe host '%s' has a malformed interrupt-map",
		    who, dc->path);
	return false;
}

bool config_read_pci(const void *fdt, int node, const char *who, struct dev_cfg *dc,
		     struct diag *d)
{
	dc->pci = true;
	return read_windows(fdt, node, who, dc, d) && read_intx(fdt, node, who, dc, d);
}

bool config_read_streams(const void *fdt, int node, const char *who, struct dev_cfg *dc,
			 struct diag *d)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "iommu-map", &len);

	if (p) {
		/* one <rid-base iommu sid-base length> covering every RID */
		if (len != 16 || fdt32_ld(&p[0]) != 0 || fdt32_ld(&p[3]) == 0)
			goto bad;
		dc->iommu_phandle = fdt32_ld(&p[1]);
		dc->sid_base = fdt32_ld(&p[2]);
		dc->nr_sids = fdt32_ld(&p[3]);
		return true;
	}
	p = fdt_getprop(fdt, node, "iommus", &len);
	if (!p)
		return true;
	if (len != 8) /* one <iommu sid> (#iommu-cells = 1, as SMMUv3 has) */
		goto bad;
	dc->iommu_phandle = fdt32_ld(&p[0]);
	dc->sid_base = fdt32_ld(&p[1]);
	dc->nr_sids = 1;
	return true;
bad:
	diag_report(d, CFG_E_DEVICE,
		    "%s: device '%s': only one iommu-map range from RID 0, or one iommus entry, is supported",
		    who, dc->path);
	return false;
}
