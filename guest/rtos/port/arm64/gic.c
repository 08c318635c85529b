// SPDX-License-Identifier: Apache-2.0
/*
 * GICv3 (IHI 0069): the distributor and this CPU's redistributor where the
 * device tree puts them, the CPU interface through its system registers.
 * Only one interrupt is used: the EL1 virtual timer's PPI. Group 1,
 * EOImode 0 (the EOI also deactivates), no priority grouping, every
 * priority unmasked in ICC_PMR_EL1 (critical sections use DAIF instead).
 *
 * Under Umbra all of this is the vGIC: the distributor and redistributor
 * are emulated (so every access is a single load/store, see mmio_*), the
 * ICC_* registers are the virtual CPU interface.
 */
#include "arch.h"

#define GICD_CTLR          0x0000
#define GICD_CTLR_RWP      (1u << 31)
#define GICD_CTLR_ARE      (1u << 4)
#define GICD_CTLR_GRP1     (1u << 1)
#define GICR_TYPER         0x0008
#define GICR_TYPER_VLPIS   (1UL << 1)
#define GICR_TYPER_LAST    (1UL << 4)
#define GICR_WAKER         0x0014
#define GICR_WAKER_SLEEP   (1u << 1)
#define GICR_WAKER_ASLEEP  (1u << 2)
#define GICR_SGI           0x10000
#define GICR_IGROUPR0      (GICR_SGI + 0x0080)
#define GICR_ISENABLER0    (GICR_SGI + 0x0100)
#define GICR_ICPENDR0      (GICR_SGI + 0x0280)
#define GICR_IPRIORITYR    (GICR_SGI + 0x0400)
#define GIC_SPURIOUS       1020
#define TIMER_PRIORITY     0x80

#define ICC_SRE_SRE        (1UL << 0)
#define ICC_CTLR_EOIMODE   (1UL << 1)

#define GICD_IGROUPR       0x0080
#define GICD_ISENABLER     0x0100
#define GICD_IPRIORITYR    0x0400
#define GICD_IROUTER       0x6000
#define SPI_PRIORITY       0xa0   /* below the timer's */
#define MAX_HANDLERS       8

static uint64_t rd_base; /* this CPU's redistributor */
static struct {
	unsigned intid;
	void (*fn)(void *arg);
	void *arg;
} handlers[MAX_HANDLERS];
static unsigned nr_handlers;
static unsigned long stray_irqs;

/* The redistributor whose GICR_TYPER affinity is this CPU's MPIDR. */
static uint64_t find_redistributor(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t aff = ((mpidr >> 8) & 0xff000000UL) | (mpidr & 0xffffffUL);
	unsigned r;

	for (r = 0; r < board.nr_gicr; r++) {
		uint64_t frame = board.gicr[r], end = frame + board.gicr_size[r];

		while (frame < end) {
			uint64_t typer = mmio_read64(frame + GICR_TYPER);

			if ((typer >> 32) == aff)
				return frame;
			if (typer & GICR_TYPER_LAST)
				break;
			frame += board.gicr_stride ? board.gicr_stride :
				 (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
		}
	}
	return 0;
}

static bool wait_clear(uint64_t reg, uint32_t bits)
{
	unsigned spins;

	for (spins = 0; spins < 1000000; spins++)
		if (!(mmio_read32(reg) & bits))
			return true;
	return false;
}

const char *gic_init(void)
{
	unsigned irq = board.timer_intid;

	if (irq < 16 || irq > 31)
		return "the timer interrupt is not a PPI";

	/* distributor: affinity routing, group 1 on (ARE/DS may be RAO) */
	mmio_write32(board.gicd + GICD_CTLR,
		     mmio_read32(board.gicd + GICD_CTLR) | GICD_CTLR_ARE | GICD_CTLR_GRP1);
	if (!wait_clear(board.gicd + GICD_CTLR, GICD_CTLR_RWP))
		return "GICD_CTLR.RWP stuck";

	rd_base = find_redistributor();
	if (!rd_base)
		return "no redistributor for this CPU's MPIDR";
	mmio_write32(rd_base + GICR_WAKER, mmio_read32(rd_base + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (!wait_clear(rd_base + GICR_WAKER, GICR_WAKER_ASLEEP))
		return "the redistributor does not wake up";

	/* the timer PPI: group 1, its priority, no stale pending state, on */
	mmio_write32(rd_base + GICR_IGROUPR0, mmio_read32(rd_base + GICR_IGROUPR0) | (1u << irq));
	mmio_write8(rd_base + GICR_IPRIORITYR + irq, TIMER_PRIORITY);
	mmio_write32(rd_base + GICR_ICPENDR0, 1u << irq);
	mmio_write32(rd_base + GICR_ISENABLER0, 1u << irq);

	/* CPU interface */
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_SRE);
	isb();
	if (!(read_sysreg(icc_sre_el1) & ICC_SRE_SRE))
		return "the GIC system-register interface is disabled (ICC_SRE_EL1.SRE)";
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return NULL;
}

int board_irq_attach(unsigned intid, void (*fn)(void *arg), void *arg)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint32_t bit = 1u << (intid % 32);

	if (intid < 32 || intid >= GIC_SPURIOUS || nr_handlers == MAX_HANDLERS || !fn)
		return -1;
	handlers[nr_handlers].intid = intid;
	handlers[nr_handlers].arg = arg;
	__atomic_store_n(&handlers[nr_handlers].fn, fn, __ATOMIC_RELEASE);
	nr_handlers++;
	/* group 1, its priority, routed to this CPU (Aff3.Aff2.Aff1.Aff0), on */
	mmio_write32(board.gicd + GICD_IGROUPR + 4 * (intid / 32),
		     mmio_read32(board.gicd + GICD_IGROUPR + 4 * (intid / 32)) | bit);
	mmio_write8(board.gicd + GICD_IPRIORITYR + intid, SPI_PRIORITY);
	mmio_write64(board.gicd + GICD_IROUTER + 8 * intid,
		     (mpidr & 0xffffffUL) | ((mpidr >> 32) & 0xff) << 32);
	mmio_write32(board.gicd + GICD_ISENABLER + 4 * (intid / 32), bit);
	return 0;
}

static bool dispatch(unsigned intid)
{
	unsigned i;

	for (i = 0; i < nr_handlers; i++)
		if (handlers[i].intid == intid) {
			handlers[i].fn(handlers[i].arg);
			return true;
		}
	return false;
}

/* Every pending interrupt, each acknowledged and EOId. */
void gic_handle_irqs(void)
{
	for (;;) {
		uint64_t iar = read_sysreg(icc_iar1_el1);
		unsigned intid = (unsigned)(iar & 0xffffff);

		if (intid >= GIC_SPURIOUS && intid < 1024)
			break;
		if (intid == board.timer_intid)
			port_timer_irq();
		else if (!dispatch(intid))
			stray_irqs++;
		write_sysreg(icc_eoir1_el1, iar);
	}
}
