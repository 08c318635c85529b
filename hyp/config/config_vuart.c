// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual UART properties of a partition (binding: dt/bindings/umbra.md):
 *
 *   vuart = <base>;              (#address-cells of /umbra; one 4 KiB page)
 *   vuart-interrupt = <spi>;     (the SPI number as in a DT "interrupts")
 *
 * The page must lie outside RAM, the GIC and every platform device; the
 * SPI must be a valid one that no platform device uses (it has no
 * physical line: the vGIC raises it in software).
 */
#include <libfdt.h>

#include "arch/pte.h"
#include "config/config.h"
#include "drivers/gic.h"
#include "umbra/lib.h"

void config_parse_vuart(const void *fdt, int node, int ac, struct part_cfg *pc, struct diag *d)
{
	int len, ilen;
	const void *base = fdt_getprop(fdt, node, "vuart", &len);
	const fdt32_t *irq = fdt_getprop(fdt, node, "vuart-interrupt", &ilen);

	if (!base && !irq)
		return;
	if (!base || len != 4 * ac) {
		diag_report(d, CFG_E_VUART, "partition '%s': 'vuart' must be one address (%d cell%s)",
			    pc->name, ac, ac == 1 ? "" : "s");
		return;
	}
	pc->vuart = fdt_cells_read(base, 0, (unsigned)ac);
	if (!irq || ilen != 4) {
		diag_report(d, CFG_E_VUART_IRQ,
			    "partition '%s': 'vuart-interrupt' must be one SPI number", pc->name);
		pc->vuart = 0;
		return;
	}
	/* (checked in config_check_vuart; out-of-range values stay visible) */
	pc->vuart_intid = fdt32_ld(irq) < GIC_MAX_INTID ? fdt32_ld(irq) + GIC_SPI_BASE : ~0u;
}

/* The first platform DT node (by path) whose reg or interrupts collide. */
static bool platform_user(const void *fdt, const struct part_cfg *pc, char *path, int size,
			  bool irq)
{
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		struct mem_range r;
		u32 intid;
		unsigned i;
		bool hit = false;

		if (irq) {
			for (i = 0; !hit && i < 8 && platform_node_intid(fdt, node, i, &intid) == 0; i++)
				hit = intid == pc->vuart_intid;
		} else if (fdt_parent_offset(fdt, node) == 0) {
			for (i = 0; !hit && i < 8 && platform_node_reg(fdt, node, i, &r) == 0; i++)
				hit = r.size && ranges_overlap(pc->vuart, VUART_SIZE,
							       ALIGN_DOWN(r.base, PAGE_SIZE),
							       ALIGN_UP(r.base + r.size, PAGE_SIZE) -
								       ALIGN_DOWN(r.base, PAGE_SIZE));
		}
		if (hit) {
			if (fdt_get_path(fdt, node, path, size))
				path[0] = '\0';
			return true;
		}
	}
	return false;
}

void config_check_vuart(const void *fdt, const struct platform *plat, const struct part_cfg *pc,
			struct diag *d)
{
	char path[DEV_PATH_MAX];
	unsigned i;

	if (!pc->vuart)
		return;
	/* its page is mapped at stage 2 (the shadow): inside the IPA space */
	if (!IS_ALIGNED(pc->vuart, PAGE_SIZE) || !range_valid(pc->vuart, VUART_SIZE) ||
	    pc->vuart + VUART_SIZE > (1UL << PT_VA_BITS)) {
		diag_report(d, CFG_E_VUART, "partition '%s': vuart 0x%lx is not a page-aligned address "
			    "below 0x%lx", pc->name, pc->vuart, 1UL << PT_VA_BITS);
	} else {
		bool ram = false;

		for (i = 0; i < plat->nr_ram; i++)
			ram |= ranges_overlap(pc->vuart, VUART_SIZE, plat->ram[i].base,
					      plat->ram[i].size);
		if (ram)
			diag_report(d, CFG_E_VUART, "partition '%s': vuart 0x%lx is in RAM",
				    pc->name, pc->vuart);
		else if (ranges_overlap(pc->vuart, VUART_SIZE, plat->gicd.base, plat->gicd.size) ||
		    ranges_overlap(pc->vuart, VUART_SIZE, plat->gicr.base, plat->gicr.size))
			diag_report(d, CFG_E_VUART, "partition '%s': vuart 0x%lx overlaps the GIC",
				    pc->name, pc->vuart);
		else if (platform_user(fdt, pc, path, sizeof(path), false))
			diag_report(d, CFG_E_VUART,
				    "partition '%s': vuart 0x%lx overlaps the MMIO of '%s'",
				    pc->name, pc->vuart, path);
	}
	if (pc->vuart_intid < GIC_SPI_BASE || pc->vuart_intid >= GIC_MAX_INTID)
		diag_report(d, CFG_E_VUART_IRQ,
			    "partition '%s': vuart-interrupt must be an SPI number below %u",
			    pc->name, GIC_MAX_INTID - GIC_SPI_BASE);
	else if (platform_user(fdt, pc, path, sizeof(path), true))
		diag_report(d, CFG_E_VUART_IRQ,
			    "partition '%s': vuart-interrupt %u is the interrupt of '%s'",
			    pc->name, pc->vuart_intid - GIC_SPI_BASE, path);
}

/* With virtual UARTs the console UART is Umbra's (it takes the input).
 * /umbra console-focus = "name": who has the input at boot;
 * console-colour (empty): tags in colour, for a terminal. */
void config_check_console(const void *fdt, int root, const struct platform *plat,
			  struct umbra_config *cfg, struct diag *d)
{
	int len;
	const char *focus = fdt_getprop(fdt, root, "console-focus", &len);
	unsigned i, j, r;
	bool any = false;

	if (focus && (len <= 0 || focus[len - 1] != '\0')) {
		diag_report(d, CFG_E_PROP, "config: console-focus must be a partition name");
		focus = NULL;
	}
	cfg->console_colour = fdt_getprop(fdt, root, "console-colour", NULL) != NULL;
	cfg->console_focus = -1;
	for (i = 0; focus && i < cfg->nr_parts; i++)
		if (strcmp(cfg->part[i].name, focus) == 0 && cfg->part[i].vuart)
			cfg->console_focus = (int)i;
	if (focus && cfg->console_focus < 0)
		diag_report(d, CFG_E_VUART, "config: console-focus: no partition '%.16s' with a vuart",
			    focus);

	for (i = 0; i < cfg->nr_parts; i++)
		any |= cfg->part[i].vuart != 0;
	for (i = 0; any && plat->uart.size && i < cfg->nr_parts; i++)
		for (j = 0; j < cfg->part[i].nr_dev; j++)
			for (r = 0; r < cfg->part[i].dev[j].nr_reg; r++)
				if (ranges_overlap(cfg->part[i].dev[j].reg[r].base,
						   cfg->part[i].dev[j].reg[r].size,
						   plat->uart.base, plat->uart.size))
					diag_report(d, CFG_E_DEVICE,
						    "partition '%s': '%s' is Umbra's console while partitions have virtual UARTs",
						    cfg->part[i].name, cfg->part[i].dev[j].path);
}
