// SPDX-License-Identifier: Apache-2.0
/*
 * Conformance: the GIC. A level-triggered device interrupt (the PL031's
 * alarm, an assigned SPI) is delivered once per device event whatever the
 * handler's order and EOI mode; ISPENDR/ICPENDR/ISACTIVER/ICACTIVER of
 * GICD and GICR show and change the true state of SGIs, PPIs and SPIs.
 */
#include "conform.h"
#include "guest.h"

/* PL031 (ARM DDI 0224) */
#define RTC_DR   0x00
#define RTC_MR   0x04
#define RTC_IMSC 0x10
#define RTC_RIS  0x14
#define RTC_MIS  0x18
#define RTC_ICR  0x1c

/* ---- a level-triggered SPI, once per event ------------------------------- */

static struct {
	bool eoi_first;             /* EOI (and DIR) before clearing the device */
	volatile unsigned calls;    /* handler runs for the RTC's INTID */
	volatile unsigned empty;    /* ... of which with nothing pending at the device */
	volatile unsigned other;    /* other INTIDs */
	volatile bool active_seen, pending_after_clear;
} lvl;

static void rtc_handler(unsigned intid)
{
	uint64_t rtc = conf_m.rtc;

	if (intid != conf_m.rtc_intid) {
		lvl.other++;
		gic_eoi(intid);
		return;
	}
	lvl.calls++;
	if (!(mmio_read32(rtc + RTC_MIS) & 1))
		lvl.empty++;
	lvl.active_seen = gic_bit(intid, GICD_ISACTIVER);
	if (lvl.eoi_first)
		gic_eoi(intid);
	mmio_write32(rtc + RTC_ICR, 1);
	(void)mmio_read32(rtc + RTC_RIS); /* the write has reached the device */
	if (!lvl.eoi_first) {
		lvl.pending_after_clear = gic_bit(intid, GICD_ISPENDR);
		gic_eoi(intid);
	}
}

/* Make the RTC's raw interrupt status 1 with the line still masked: a
 * match register equal to the current count matches at once. */
static bool rtc_raise(void)
{
	for (int tries = 0; tries < 4; tries++) {
		mmio_write32(conf_m.rtc + RTC_MR, mmio_read32(conf_m.rtc + RTC_DR));
		if (mmio_read32(conf_m.rtc + RTC_RIS) & 1)
			return true;
	}
	return false;
}

/*
 * Fails on the main of 2026-12-05 (issue 18, item 1): Umbra acknowledged
 * the physical SPI at EL2 and left it HW-linked in a list register, so the
 * guest's EOI deactivated it while the line was still high (EOI first) and
 * it was taken at EL2 and queued again; the guest then took it a second
 * time with the device already clear (calls 6, empty 3 for 3 events).
 */
static void level_once(const char *name, bool eoi_first, bool split)
{
	const unsigned events = 3;
	unsigned intid = conf_m.rtc_intid;
	bool raised = true, left = false;

	lvl.eoi_first = eoi_first;
	lvl.calls = lvl.empty = lvl.other = 0;
	lvl.active_seen = lvl.pending_after_clear = false;
	gic_eoimode(split);
	mmio_write32(conf_m.rtc + RTC_IMSC, 0);
	mmio_write32(conf_m.rtc + RTC_ICR, 1);
	gic_irq_quiesce(intid);
	gic_irq_setup(intid, true);
	conf_set_handler(rtc_handler);
	for (unsigned e = 0; e < events; e++) {
		raised &= rtc_raise();
		irq_unmask();
		mmio_write32(conf_m.rtc + RTC_IMSC, 1); /* the line goes high */
		conf_delay_us(3000);
		irq_mask();
		mmio_write32(conf_m.rtc + RTC_IMSC, 0);
	}
	left = gic_bit(intid, GICD_ISPENDR) || gic_bit(intid, GICD_ISACTIVER);
	conf_set_handler(NULL);
	gic_irq_quiesce(intid);
	gic_eoimode(false);
	conf_result(name, raised && lvl.calls == events && !lvl.empty && !lvl.other &&
			  lvl.active_seen && !lvl.pending_after_clear && !left,
		    "%u events: %u handler runs, %u with the device clear, %u others, "
		    "active in handler %d, pending after clear %d, left pending/active %d%s",
		    events, lvl.calls, lvl.empty, lvl.other, lvl.active_seen,
		    lvl.pending_after_clear, left, raised ? "" : " (the RTC did not match)");
}

static void level_spi(void)
{
	if (!conf_m.rtc || conf_m.rtc_intid < 32) {
		conf_result("gic.level_spi", false, "no PL031 with an SPI in the device tree");
		return;
	}
	level_once("gic.level_spi.clear_then_eoi.eoimode0", false, false);
	level_once("gic.level_spi.eoi_then_clear.eoimode0", true, false);
	level_once("gic.level_spi.clear_then_eoi.eoimode1", false, true);
	level_once("gic.level_spi.eoi_then_clear.eoimode1", true, true);
}

void conform_gic(void)
{
	level_spi();
}
