// SPDX-License-Identifier: Apache-2.0
/*
 * The conformance suite's frame: the machine from the device tree, a
 * GICv3 driver as a bare-metal port would have one, interrupt dispatch and
 * result lines:
 *
 *   CONF PASS <name>
 *   CONF FAIL <name>: <what was seen>
 *   conformance: N passed, M failed
 */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <libfdt.h>

#include "conform.h"
#include "guest.h"
#include "umbra/lib.h"

struct conf_machine conf_m;
volatile unsigned conf_spurious;
static conf_irq_fn handler;
static bool eoi_split;
static unsigned passed, failed;

bool conf_result(const char *name, bool ok, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (ok) {
		gprintf("CONF PASS %s\n", name);
		passed++;
		return true;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	gprintf("CONF FAIL %s: %s\n", name, why);
	failed++;
	return false;
}

void conf_delay_us(uint64_t us)
{
	uint64_t end = counter() + us * conf_m.freq / 1000000;

	while (counter() < end)
		;
}

/* ---- GIC ---------------------------------------------------------------- */

uint64_t gic_reg(unsigned intid, uint64_t off)
{
	if (intid < 32)
		return conf_m.gicr + GICR_SGI + off;
	return conf_m.gicd + off + (intid / 32) * 4;
}

bool gic_bit(unsigned intid, uint64_t off)
{
	return (mmio_read32(gic_reg(intid, off)) >> (intid % 32)) & 1;
}

void gic_set_bit(unsigned intid, uint64_t off)
{
	mmio_write32(gic_reg(intid, off), 1u << (intid % 32));
}

void gic_irq_quiesce(unsigned intid)
{
	gic_set_bit(intid, GICD_ICENABLER);
	gic_set_bit(intid, GICD_ICPENDR);
	gic_set_bit(intid, GICD_ICACTIVER);
}

void gic_irq_setup(unsigned intid, bool on)
{
	uint64_t base = intid < 32 ? conf_m.gicr + GICR_SGI : conf_m.gicd;
	uint64_t prio = base + GICD_IPRIORITYR + (intid & ~3u);
	unsigned sh = (intid % 4) * 8;

	mmio_write32(gic_reg(intid, GICD_IGROUPR),
		     mmio_read32(gic_reg(intid, GICD_IGROUPR)) | 1u << (intid % 32));
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << sh)) | 0x80u << sh);
	if (intid >= 32)
		mmio_write64(conf_m.gicd + GICD_IROUTER + intid * 8,
			     sysreg_read(mpidr_el1) & 0xff00ffffffUL);
	if (on)
		gic_set_bit(intid, GICD_ISENABLER);
}

void gic_eoimode(bool split)
{
	eoi_split = split;
	sysreg_write(icc_ctlr_el1, split ? 2 : 0);
	isb();
}

void gic_eoi(unsigned intid)
{
	sysreg_write(icc_eoir1_el1, intid);
	isb();
	if (eoi_split) {
		sysreg_write(icc_dir_el1, intid);
		isb();
	}
}

void conf_set_handler(conf_irq_fn fn)
{
	handler = fn;
	conf_spurious = 0;
}

bool conf_irq(void)
{
	uint64_t intid;

	if (!handler)
		return false;
	intid = sysreg_read(icc_iar1_el1) & 0xffffff;
	if (intid >= 1020) {
		conf_spurious++;
		return true;
	}
	handler((unsigned)intid);
	return true;
}

/* This CPU's redistributor: the frame whose GICR_TYPER affinity is ours. */
static uint64_t find_redist(uint64_t gicr)
{
	uint64_t mpidr = sysreg_read(mpidr_el1);
	uint64_t aff = ((mpidr >> 8) & 0xff000000UL) | (mpidr & 0xffffffUL);

	for (unsigned i = 0; i < 64; i++, gicr += 0x20000) {
		uint64_t typer = mmio_read64(gicr + 8);

		if ((typer >> 32) == aff)
			return gicr;
		if (typer & (1u << 4))
			break;
	}
	return 0;
}

static bool gic_init(void)
{
	uint64_t rd = conf_m.gicr;

	/* CPU interface: system registers, all priorities, Group 1 on */
	sysreg_write(icc_sre_el1, sysreg_read(icc_sre_el1) | 1);
	isb();
	sysreg_write(icc_pmr_el1, 0xf0);
	sysreg_write(icc_bpr1_el1, 0);
	gic_eoimode(false);
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
	/* distributor: affinity routing, Group 1 */
	mmio_write32(conf_m.gicd + GICD_CTLR, (1u << 4) | (1u << 1));
	/* redistributor awake, SGIs and PPIs Group 1 */
	mmio_write32(rd + 0x14, mmio_read32(rd + 0x14) & ~2u);
	for (unsigned spins = 0; (mmio_read32(rd + 0x14) & 4) && spins < 1000000; spins++)
		;
	mmio_write32(rd + GICR_SGI + GICD_IGROUPR, ~0u);
	mmio_write32(rd + GICR_SGI + GICD_ICENABLER, ~0u);
	return true;
}

/* ---- the machine from the device tree ------------------------------------ */

static unsigned dt_irq(const void *fdt, int node, int index)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);

	if (!p || len < (index + 1) * 12)
		return 0;
	p += index * 3;
	return fdt32_ld(p + 1) + (fdt32_ld(p) == 1 ? 16 : 32);
}

static const char *machine_parse(const void *fdt)
{
	uint64_t size, gicr;
	const char *why;
	int node;

	memset(&conf_m, 0, sizeof(conf_m));
	conf_m.freq = sysreg_read(cntfrq_el0);
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node < 0)
		return "no arm,gic-v3 node";
	if ((why = dt_reg(fdt, node, 0, &conf_m.gicd, &size)) ||
	    (why = dt_reg(fdt, node, 1, &gicr, &size)))
		return why;
	conf_m.gicr = find_redist(gicr);
	if (!conf_m.gicr)
		return "no redistributor with this CPU's affinity";
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	if (node < 0)
		return "no arm,armv8-timer node";
	for (int i = 0; i < 4; i++)
		conf_m.timer_ppi[i] = dt_irq(fdt, node, i);
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
	if (node >= 0 && !dt_reg(fdt, node, 0, &conf_m.rtc, &size))
		conf_m.rtc_intid = dt_irq(fdt, node, 0);
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-pmuv3");
	if (node >= 0) {
		conf_m.pmu_in_dt = true;
		conf_m.pmu_ppi = dt_irq(fdt, node, 0);
	}
	return NULL;
}

unsigned run_conformance(const void *fdt)
{
	const char *why = machine_parse(fdt);

	passed = failed = 0;
	if (why) {
		conf_result("machine", false, "%s", why);
	} else {
		gic_init();
		conform_gic();
		conform_timer();
		conform_cpu();
		conform_tlbi();
	}
	conf_set_handler(NULL);
	irq_mask();
	gprintf("conformance: %u passed, %u failed\n", passed, failed);
	return failed;
}
