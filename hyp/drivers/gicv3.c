// SPDX-License-Identifier: Apache-2.0
/*
 * GICv3 distributor and redistributors (GIC architecture spec, IHI 0069,
 * chapters 12.9 and 12.10). Affinity routing on, all interrupts Group 1
 * Non-secure. Umbra programs them for partitions after its vGIC has
 * checked ownership.
 */
#include "umbra/arch.h"
#include "drivers/gic.h"
#include "drivers/gic_regs.h"
#include "umbra/limits.h"
#include "umbra/spinlock.h"

#define GICD_CTLR_RWP   BIT(31)
#define GICD_CTLR_ARE   BIT(4)
#define GICD_CTLR_GRP1  BIT(1)

#define GICR_FRAME      0x20000  /* RD_base + SGI_base */
#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

static u8 *gicd;
static u8 *gicr_base;
static u64 gicr_len;
static unsigned nr_spis;
/* Each CPU's redistributor SGI frame, registered by the CPU itself in
 * gic_cpu_init. CPUs start concurrently, so a slot is claimed with a
 * compare-and-swap on its key (0 = free, then MPIDR | FRAME_CLAIMED) and the
 * frame is published before the key becomes MPIDR | FRAME_VALID. */
#define FRAME_VALID BIT(63)
#define FRAME_CLAIMED BIT(62)
static struct { u64 key; u8 *sgi; } frames[MAX_CPUS];
static spinlock_t dist_lock; /* read-modify-write of shared registers */

static inline u32 rd32(const u8 *b, u64 off) { return *(volatile const u32 *)(b + off); }
static inline void wr32(u8 *b, u64 off, u32 v) { *(volatile u32 *)(b + off) = v; }
static inline u64 rd64(const u8 *b, u64 off) { return *(volatile const u64 *)(b + off); }
static inline void wr64(u8 *b, u64 off, u64 v) { *(volatile u64 *)(b + off) = v; }
static inline void wr8(u8 *b, u64 off, u8 v) { *(volatile u8 *)(b + off) = v; }

static bool wait_clear(u8 *b, u64 off, u32 bit)
{
	unsigned spins = 1u << 20;

	while ((rd32(b, off) & bit) && --spins)
		;
	return spins != 0;
}

unsigned gic_nr_spis(void)
{
	return nr_spis;
}

int gic_dist_init(u64 gicd_pa, u64 gicr_pa, u64 gicr_size)
{
	unsigned i, lines;

	gicd = (u8 *)(uintptr_t)gicd_pa;
	gicr_base = (u8 *)(uintptr_t)gicr_pa;
	gicr_len = gicr_size;
	lines = (rd32(gicd, GICD_TYPER) & 0x1f) + 1;
	nr_spis = MIN(lines * 32, GIC_MAX_INTID) - GIC_SPI_BASE;

	wr32(gicd, GICD_CTLR, 0);
	if (!wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP))
		return -E_RANGE;
	for (i = GIC_SPI_BASE; i < GIC_SPI_BASE + nr_spis; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0u);
		wr32(gicd, GICD_ICPENDR + i / 8, ~0u);
		wr32(gicd, GICD_ICACTIVER + i / 8, ~0u);
		wr32(gicd, GICD_IGROUPR + i / 8, ~0u);
		wr32(gicd, GICD_IGRPMODR + i / 8, 0);
	}
	for (i = GIC_SPI_BASE; i < GIC_SPI_BASE + nr_spis; i++)
		wr8(gicd, GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT);
	wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP);
	wr32(gicd, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP);
	return 0;
}


static int frame_slot(u64 mpidr)
{
	/* affinity packed as GICR_TYPER[63:32]: Aff3.Aff2.Aff1.Aff0 */
	u64 aff = ((mpidr >> 8) & 0xff000000UL) | (mpidr & 0xffffffUL);
	u64 off;

	for (off = 0; off + GICR_FRAME <= gicr_len; off += GICR_FRAME) {
		u64 typer = rd64(gicr_base, off + GICR_TYPER);

		if ((typer >> 32) == aff)
			return (int)(off / GICR_FRAME);
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return -1;
}

int gic_cpu_init(u64 mpidr)
{
	int slot = frame_slot(mpidr);
	u8 *rd, *sgi;
	unsigned i;

	if (slot < 0)
		return -E_NOENT;
	rd = gicr_base + (u64)slot * GICR_FRAME;
	sgi = rd + GICR_SGI;
	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (!wait_clear(rd, GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP))
		return -E_RANGE;
	wr32(sgi, GICD_ICENABLER, ~0u);
	wr32(sgi, GICD_ICPENDR, ~0u);
	wr32(sgi, GICD_ICACTIVER, ~0u);
	wr32(sgi, GICD_IGROUPR, ~0u);
	wr32(sgi, GICD_IGRPMODR, 0);
	for (i = 0; i < 32; i++)
		wr8(sgi, GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT);
	for (i = 0; i < MAX_CPUS; i++) {
		u64 key = __atomic_load_n(&frames[i].key, __ATOMIC_ACQUIRE), free = 0;

		if (key == (mpidr | FRAME_VALID))
			break; /* a CPU starting again: same frame */
		if (!key && __atomic_compare_exchange_n(&frames[i].key, &free, mpidr | FRAME_CLAIMED, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			frames[i].sgi = sgi;
			__atomic_store_n(&frames[i].key, mpidr | FRAME_VALID, __ATOMIC_RELEASE);
			break;
		}
	}
	if (i == MAX_CPUS)
		return -E_RANGE;
	arch_gic_cpuif_init();
	return 0;
}

/* The calling CPU's redistributor SGI frame. */
static u8 *sgi_frame(void)
{
	u64 me = arch_this_mpidr();
	unsigned i;

	for (i = 0; i < MAX_CPUS; i++)
		if (__atomic_load_n(&frames[i].key, __ATOMIC_ACQUIRE) == (me | FRAME_VALID))
			return frames[i].sgi;
	return NULL;
}

/* Register block and bit for intid: the redistributor's SGI frame for
 * SGIs/PPIs, the distributor for SPIs. */
static u8 *block(unsigned intid)
{
	return intid < GIC_SPI_BASE ? sgi_frame() : gicd;
}

static void set_bit_reg(unsigned intid, u64 set_off, u64 clear_off, bool on)
{
	u8 *b = block(intid);

	if (b)
		wr32(b, (on ? set_off : clear_off) + (intid / 32) * 4, 1u << (intid % 32));
}

static bool get_bit_reg(unsigned intid, u64 off)
{
	u8 *b = block(intid);

	return b && (rd32(b, off + (intid / 32) * 4) >> (intid % 32)) & 1;
}

void gic_set_enable(unsigned intid, bool on)
{
	set_bit_reg(intid, GICD_ISENABLER, GICD_ICENABLER, on);
}

bool gic_enabled(unsigned intid) { return get_bit_reg(intid, GICD_ISENABLER); }

void gic_set_pending(unsigned intid, bool on)
{
	set_bit_reg(intid, GICD_ISPENDR, GICD_ICPENDR, on);
}

bool gic_pending(unsigned intid) { return get_bit_reg(intid, GICD_ISPENDR); }

void gic_set_active(unsigned intid, bool on)
{
	set_bit_reg(intid, GICD_ISACTIVER, GICD_ICACTIVER, on);
}

bool gic_active(unsigned intid) { return get_bit_reg(intid, GICD_ISACTIVER); }

void gic_set_priority(unsigned intid, u8 prio)
{
	u8 *b = block(intid);

	if (b)
		wr8(b, GICD_IPRIORITYR + intid, prio);
}

void gic_set_edge(unsigned intid, bool edge)
{
	u8 *b = block(intid);
	u64 off = GICD_ICFGR + (intid / 16) * 4;
	u32 bit = 2u << ((intid % 16) * 2);

	if (!b || intid < GIC_NR_SGI)
		return;
	spin_lock(&dist_lock);
	wr32(b, off, edge ? rd32(b, off) | bit : rd32(b, off) & ~bit);
	spin_unlock(&dist_lock);
}

bool gic_is_edge(unsigned intid)
{
	u8 *b = block(intid);

	return b && (rd32(b, GICD_ICFGR + (intid / 16) * 4) >> ((intid % 16) * 2 + 1)) & 1;
}

void gic_route_spi(unsigned intid, u64 mpidr)
{
	if (intid >= GIC_SPI_BASE && intid < GIC_SPI_BASE + nr_spis)
		wr64(gicd, GICD_IROUTER + intid * 8, mpidr & 0xff00ffffffUL);
}
