// SPDX-License-Identifier: Apache-2.0
/*
 * Platform discovery from the device tree (libfdt): RAM, the GICv3
 * distributor and redistributors, the EL1 virtual timer's interrupt, the
 * console UART named by /chosen/stdout-path, PSCI's conduit, bootargs.
 * Nothing about the machine is compiled in. This runs with the MMU off,
 * before anything else, and copies what it needs into `board`.
 */
#include <string.h>

#include <libfdt.h>

#include "arch.h"

struct board board;

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 32) | fdt32_ld(p++);
	return v;
}

/* Entry `index` of node's reg, in its parent's cells. Addresses are taken
 * as they are: the nodes we read sit at the root (no `ranges` walk). */
static bool dt_reg(const void *fdt, int node, int index, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node), ac, sc, len;
	const fdt32_t *reg;

	if (parent < 0)
		return false;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (index + 1) * (ac + sc) * 4)
		return false;
	reg += index * (ac + sc);
	*base = read_cells(reg, ac);
	*size = read_cells(reg + ac, sc);
	return true;
}

static const char *dt_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : NULL;
}

/* The GPIO the demo uses, if the DT has it (under Umbra: if the partition
 * holds it or may claim it); the RTC is parse_extras'. */
static void parse_demo_devices(const void *fdt)
{
	uint64_t size;
	const char *st;
	int node;

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl061");
	if (node < 0 || !dt_reg(fdt, node, 0, &board.gpio, &size))
		board.gpio = 0;
	st = node < 0 ? NULL : dt_string(fdt, node, "status");
	board.gpio_disabled = st && strcmp(st, "okay") && strcmp(st, "ok");
}

static void copy_string(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* #interrupt-cells of the controller that serves `node`. */
static int irq_cells(const void *fdt, int node)
{
	while (node >= 0) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (p && len == 4) {
			int ic = fdt_node_offset_by_phandle(fdt, fdt32_ld(p));

			p = ic < 0 ? NULL : fdt_getprop(fdt, ic, "#interrupt-cells", &len);
			return p && len == 4 ? (int)fdt32_ld(p) : -1;
		}
		node = fdt_parent_offset(fdt, node);
	}
	return -1;
}

/* The EL1 virtual timer is the third interrupt of arm,armv8-timer
 * (secure phys, non-secure phys, virtual, hyp): GIC binding cells
 * <type number flags>, type 1 = PPI (INTID 16 + number). */
static void parse_timer(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	int cells = node < 0 ? -1 : irq_cells(fdt, node), len;
	const fdt32_t *irq = node < 0 ? NULL : fdt_getprop(fdt, node, "interrupts", &len);

	board.timer_intid = 27; /* the architected default, SBSA */
	if (!irq || cells < 3 || len < 3 * cells * 4)
		return;
	irq += 2 * cells;
	if (fdt32_ld(irq) == 1 && fdt32_ld(irq + 1) < 16) {
		board.timer_intid = 16 + fdt32_ld(irq + 1);
		board.timer_from_dt = true;
	}
}

static void parse_console(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node;
	const char *path = chosen < 0 ? NULL : dt_string(fdt, chosen, "stdout-path");
	const char *colon;

	if (!path)
		return;
	colon = strchr(path, ':'); /* "serial0:115200n8" */
	node = fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : (int)strlen(path));
	/* a PL011, or the SBSA generic UART (Umbra's virtual UART): the same
	 * registers for what the console driver does */
	if (node < 0 || (fdt_node_check_compatible(fdt, node, "arm,pl011") != 0 &&
			 fdt_node_check_compatible(fdt, node, "arm,sbsa-uart") != 0))
		return;
	if (!dt_reg(fdt, node, 0, &board.uart, &board.uart_size))
		board.uart = 0;
}

/* umbra,channel nodes (Umbra puts them at the root) and a PL031. */
static void parse_extras(const void *fdt)
{
	int node = -1, len;

	while ((node = fdt_node_offset_by_compatible(fdt, node, "umbra,channel")) >= 0 &&
	       board.nr_chan < MAX_CHAN) {
		struct board_channel *c = &board.chan[board.nr_chan];
		const fdt32_t *id = fdt_getprop(fdt, node, "umbra,channel-id", &len);
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", NULL);

		if (!id || len != 4 || !irq || !dt_reg(fdt, node, 0, &c->base, &c->size))
			continue;
		/* interrupts = <GIC_SPI n flags> (checked length via getprop len) */
		irq = fdt_getprop(fdt, node, "interrupts", &len);
		if (len != 12 || fdt32_ld(&irq[0]) != 0)
			continue;
		c->id = fdt32_ld(id);
		c->intid = 32 + fdt32_ld(&irq[1]);
		c->first = fdt_getprop(fdt, node, "umbra,first-peer", NULL) != NULL;
		c->read_only = fdt_getprop(fdt, node, "read-only", NULL) != NULL;
		board.nr_chan++;
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
	if (node < 0 || !dt_reg(fdt, node, 0, &board.rtc, &board.rtc_size))
		board.rtc = 0;
}

const char *dt_parse(uint64_t dtb)
{
	const void *fdt = (const void *)(uintptr_t)dtb;
	int node, len, i;
	const fdt32_t *p;
	const char *s;

	memset(&board, 0, sizeof(board));
	if (!dtb || (dtb & 7) || fdt_check_header(fdt))
		return "no device tree at x0";
	board.dtb = dtb;
	board.dtb_size = fdt_totalsize(fdt);

	fdt_for_each_subnode(node, fdt, 0) {
		s = dt_string(fdt, node, "device_type");
		if (!s || strcmp(s, "memory"))
			continue;
		for (i = 0; board.nr_ram < MAX_RAM; i++) {
			uint64_t b, sz;

			if (!dt_reg(fdt, node, i, &b, &sz))
				break;
			if (sz) {
				board.ram_base[board.nr_ram] = b;
				board.ram_size[board.nr_ram++] = sz;
			}
		}
	}
	if (!board.nr_ram)
		return "no memory in the device tree";

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node < 0 || !dt_reg(fdt, node, 0, &board.gicd, &board.gicd_size))
		return "no arm,gic-v3 in the device tree";
	p = fdt_getprop(fdt, node, "#redistributor-regions", &len);
	{
		unsigned n = p && len == 4 ? fdt32_ld(p) : 1;

		for (i = 0; i < (int)n && board.nr_gicr < MAX_GICR; i++)
			if (dt_reg(fdt, node, 1 + i, &board.gicr[board.nr_gicr],
				   &board.gicr_size[board.nr_gicr]))
				board.nr_gicr++;
	}
	if (!board.nr_gicr)
		return "no GIC redistributor in the device tree";
	p = fdt_getprop(fdt, node, "redistributor-stride", &len);
	if (p && len == 8)
		board.gicr_stride = read_cells(p, 2);
	else if (p && len == 4)
		board.gicr_stride = fdt32_ld(p);

	parse_timer(fdt);
	parse_console(fdt);
	parse_demo_devices(fdt);
	parse_extras(fdt);

	node = fdt_path_offset(fdt, "/psci");
	if (node >= 0 && (s = dt_string(fdt, node, "method"))) {
		board.psci = true;
		board.psci_smc = strcmp(s, "smc") == 0;
	}

	node = fdt_path_offset(fdt, "/chosen");
	copy_string(board.bootargs, sizeof(board.bootargs),
		    node < 0 ? NULL : dt_string(fdt, node, "bootargs"));
	s = dt_string(fdt, 0, "model");
	copy_string(board.model, sizeof(board.model), s ? s : dt_string(fdt, 0, "compatible"));
	return NULL;
}

uint64_t board_gpio(void)
{
	return board.gpio;
}

bool board_gpio_disabled(void)
{
	return board.gpio_disabled;
}
