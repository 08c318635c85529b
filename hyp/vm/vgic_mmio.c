// SPDX-License-Identifier: Apache-2.0
/*
 * Register models of the guest-visible GICv3 distributor and
 * redistributors (IHI 0069, 12.9 and 12.10), behind trapped MMIO.
 * Everything a guest writes is filtered by ownership first: SPIs it does
 * not own read as zero and ignore writes; LPI tables (PROPBASER,
 * PENDBASER) are RAZ/WI so no guest can point the GIC at memory.
 * Accesses of a width a register does not support read as zero and are
 * ignored.
 */
#include "vm/vm.h"
#include "drivers/gic_regs.h"
#include "vm/vgic.h"


#define CTLR_GRP1 BIT(1)
#define CTLR_ARE BIT(4)
#define CTLR_DS BIT(6)
#define PIDR2_GICV3 0x3b
#define IIDR_UMBRA 0x0000554d   /* implementer "UM" */
#define WAKER_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)

/* one bit per interrupt register blocks: which block, which word */
static bool in_block(u64 off, u64 base, u64 *word)
{
	if (off < base || off >= base + 0x80)
		return false;
	*word = (off - base) / 4;
	return true;
}

static u32 owned_word(const struct partition *p, u64 word)
{
	return (u32)(p->vgic.owned[word / 2] >> ((word % 2) * 32));
}

/* The enable bits: a software SPI's live in the model, a physical one's
 * in the GIC itself. Pending and active are the vGIC's view
 * (vgic_irq_state). */
static void spi_enable(struct partition *p, unsigned intid, bool on)
{
	if (vgic_is_soft(p, intid))
		vgic_soft_set(p, intid, true, on);
	else
		gic_set_enable(intid, on);
}

static bool spi_enabled(const struct partition *p, unsigned intid)
{
	return vgic_is_soft(p, intid) ? vgic_soft_get(p, intid, true) : gic_enabled(intid);
}

enum irq_bit { IRQ_ENABLE, IRQ_PENDING, IRQ_ACTIVE };

/* For each owned SPI in the 32-bit word whose bit is set: set or clear b. */
static void for_each_owned(struct vcpu *v, u64 word, u32 bits, enum irq_bit b, bool on)
{
	struct partition *p = v->part;

	bits &= owned_word(p, word);
	while (bits) {
		unsigned intid = (unsigned)word * 32 + (unsigned)__builtin_ctz(bits);

		bits &= bits - 1;
		if (b == IRQ_ENABLE)
			spi_enable(p, intid, on);
		else
			vgic_irq_set_state(v, NULL, intid, b == IRQ_ACTIVE, on);
	}
}

static u32 owned_state(struct vcpu *v, u64 word, enum irq_bit b)
{
	u32 mask = owned_word(v->part, word), val = 0;

	while (mask) {
		unsigned n = (unsigned)__builtin_ctz(mask), intid = (unsigned)word * 32 + n;

		mask &= mask - 1;
		if (b == IRQ_ENABLE ? spi_enabled(v->part, intid) :
				      vgic_irq_state(v, NULL, intid, b == IRQ_ACTIVE))
			val |= 1u << n;
	}
	return val;
}

static void dist_access(struct vcpu *v, u64 off, unsigned size, bool write, u64 *val)
{
	struct partition *p = v->part;
	struct vgic_dist *d = &p->vgic;
	u64 word;
	u32 w = (u32)*val;

	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS && (size == 1 || size == 4)) {
		unsigned i, first = (unsigned)(off - GICD_IPRIORITYR);

		if (!write)
			*val = 0;
		for (i = 0; i < size; i++) {
			unsigned intid = first + i;

			if (!vgic_owns(p, intid))
				continue;
			if (write)
				d->prio[intid] = (u8)(w >> (8 * i));
			else
				*val |= (u64)d->prio[intid] << (8 * i);
		}
		return;
	}
	if (off >= GICD_IROUTER + 8 * GIC_SPI_BASE && off < GICD_IROUTER + 8 * GIC_MAX_INTID &&
	    (size == 8 || size == 4)) {
		unsigned intid = (unsigned)((off - GICD_IROUTER) / 8);
		bool high = off % 8 == 4;
		u64 *r = &d->route[intid - GIC_SPI_BASE];

		if (size == 4 && (off % 4))
			goto raz;
		if (!vgic_owns(p, intid))
			goto raz;
		if (!write) {
			*val = size == 8 ? *r : high ? *r >> 32 : (u32)*r;
			return;
		}
		if (size == 8)
			*r = *val;
		else if (high)
			*r = (*r & 0xffffffffUL) | ((u64)w << 32);
		else
			*r = (*r & ~0xffffffffUL) | w;
		if (!vgic_is_soft(p, intid))
			gic_route_spi(intid, p->cfg->cpu_mpidr[vgic_spi_target(p, intid)->index]);
		return;
	}
	if (size != 4)
		goto raz;

	if (off == GICD_CTLR) {
		if (write)
			d->enabled = w & CTLR_GRP1;
		else
			*val = (d->enabled ? CTLR_GRP1 : 0) | CTLR_ARE | CTLR_DS;
	} else if (off == GICD_TYPER) {
		/* ITLinesNumber N: INTIDs up to 32(N+1)-1, rounded up (a GIC
		 * with 988 SPIs, INTIDs to 1019, has N = 31) */
		if (!write)
			*val = ((u64)(9) << 19) | ((gic_nr_spis() + GIC_SPI_BASE + 31) / 32 - 1);
	} else if (off == GICD_IIDR) {
		if (!write)
			*val = IIDR_UMBRA;
	} else if (off == GICD_PIDR2) {
		if (!write)
			*val = PIDR2_GICV3;
	} else if (in_block(off, GICD_IGROUPR, &word)) {
		if (!write)
			*val = owned_word(p, word); /* Group 1 */
	} else if (in_block(off, GICD_ISENABLER, &word) || in_block(off, GICD_ICENABLER, &word)) {
		bool set = off < GICD_ICENABLER;

		if (write)
			for_each_owned(v, word, w, IRQ_ENABLE, set);
		else
			*val = owned_state(v, word, IRQ_ENABLE);
	} else if (in_block(off, GICD_ISPENDR, &word) || in_block(off, GICD_ICPENDR, &word)) {
		bool set = off < GICD_ICPENDR;

		if (write)
			for_each_owned(v, word, w, IRQ_PENDING, set);
		else
			*val = owned_state(v, word, IRQ_PENDING);
	} else if (in_block(off, GICD_ISACTIVER, &word) || in_block(off, GICD_ICACTIVER, &word)) {
		bool set = off < GICD_ICACTIVER;

		if (write)
			for_each_owned(v, word, w, IRQ_ACTIVE, set);
		else
			*val = owned_state(v, word, IRQ_ACTIVE);
	} else if (off >= GICD_ICFGR && off < GICD_ICFGR + VGIC_NR_IRQS / 4) {
		unsigned first = (unsigned)(off - GICD_ICFGR) * 4, i;

		if (!write)
			*val = 0;
		for (i = 0; i < 16; i++) {
			unsigned intid = first + i;

			if (!vgic_owns(p, intid))
				continue;
			if (vgic_is_soft(p, intid)) {
				if (!write)
					*val |= 2UL << (2 * i); /* always edge */
			} else if (write)
				gic_set_edge(intid, (w >> (2 * i + 1)) & 1);
			else if (gic_is_edge(intid))
				*val |= 2UL << (2 * i);
		}
	} else {
		goto raz;
	}
	return;
raz:
	if (!write)
		*val = 0;
}

static void redist_access(struct vcpu *v, struct vcpu *t, u64 off, unsigned size,
			  bool write, u64 *val)
{
	struct partition *p = v->part;
	struct vgic_cpu *c = &t->vgic;
	u32 w = (u32)*val;

	if (off >= GICR_SGI + GICD_IPRIORITYR && off < GICR_SGI + GICD_IPRIORITYR + 32 &&
	    (size == 1 || size == 4)) {
		unsigned i, first = (unsigned)(off - GICR_SGI - GICD_IPRIORITYR);

		if (!write)
			*val = 0;
		for (i = 0; i < size; i++) {
			if (write)
				c->prio[first + i] = (u8)(w >> (8 * i));
			else
				*val |= (u64)c->prio[first + i] << (8 * i);
		}
		return;
	}
	if (off == GICR_TYPER && (size == 8 || size == 4)) {
		unsigned idx = t->index;
		u64 typer = (vgic_affinity(p->cfg->cpu_mpidr[idx]) << 32) | ((u64)idx << 8) |
			    (idx + 1 == p->nr_vcpus ? BIT(4) : 0);

		if (!write)
			*val = size == 8 ? typer : (u32)typer;
		return;
	}
	if (off == GICR_TYPER + 4 && size == 4) {
		if (!write)
			*val = vgic_affinity(p->cfg->cpu_mpidr[t->index]);
		return;
	}
	if (size != 4)
		goto raz;

	switch (off) {
	case GICD_IIDR - 4: /* GICR_IIDR at 0x4 */
		if (!write)
			*val = IIDR_UMBRA;
		return;
	case GICR_WAKER:
		if (write)
			c->asleep = w & WAKER_SLEEP;
		else
			*val = c->asleep ? WAKER_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
		return;
	case GICD_PIDR2:
		if (!write)
			*val = PIDR2_GICV3;
		return;
	case GICR_SGI + GICD_IGROUPR:
		if (!write)
			*val = ~0u;
		return;
	case GICR_SGI + GICD_ISENABLER:
	case GICR_SGI + GICD_ICENABLER:
		if (!write) {
			*val = c->enabled;
		} else {
			u32 before = c->enabled;

			if (off == GICR_SGI + GICD_ISENABLER)
				c->enabled |= w;
			else
				c->enabled &= ~w | 0xffff; /* SGIs stay enabled */
			if (before != c->enabled)
				c->ppi_sync = true;
		}
		return;
	case GICR_SGI + GICD_ISPENDR:
	case GICR_SGI + GICD_ICPENDR:
	case GICR_SGI + GICD_ISACTIVER:
	case GICR_SGI + GICD_ICACTIVER: {
		bool active = off >= GICR_SGI + GICD_ISACTIVER;
		bool set = off == GICR_SGI + GICD_ISPENDR || off == GICR_SGI + GICD_ISACTIVER;
		unsigned b;

		if (!write)
			*val = 0;
		for (b = 0; b < 32; b++) {
			if (!write && vgic_irq_state(v, t, b, active))
				*val |= 1u << b;
			else if (write && ((w >> b) & 1))
				vgic_irq_set_state(v, t, b, active, set);
		}
		return;
	}
	case GICR_SGI + GICD_ICFGR:
		if (!write)
			*val = 0xaaaaaaaau; /* SGIs: edge */
		return;
	case GICR_SGI + GICD_ICFGR + 4:
		if (write)
			c->ppi_edge = w;
		else
			*val = c->ppi_edge;
		return;
	default:
		break; /* CTLR, STATUSR, PROPBASER, PENDBASER, ...: RAZ/WI */
	}
raz:
	if (!write)
		*val = 0;
}

bool vgic_mmio(struct vcpu *v, u64 ipa, unsigned size, bool write, u64 *val)
{
	struct partition *p = v->part;
	const struct vgic_dist *d = &p->vgic;

	if (!d->gicd_ipa)
		return false;
	if (ipa >= d->gicd_ipa && ipa - d->gicd_ipa < VGIC_DIST_SIZE) {
		if (ipa % size)
			return false;
		dist_access(v, ipa - d->gicd_ipa, size, write, val);
		return true;
	}
	if (ipa >= d->gicr_ipa && ipa - d->gicr_ipa < (u64)p->nr_vcpus * VGIC_FRAME) {
		u64 off = ipa - d->gicr_ipa;

		if (ipa % size)
			return false;
		redist_access(v, &p->vcpu[off / VGIC_FRAME], off % VGIC_FRAME, size, write, val);
		return true;
	}
	return false;
}
