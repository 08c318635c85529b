/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual GICv3 for partitions. Interrupts reach a vCPU through the list
 * registers of the GIC's virtual CPU interface; the guest's distributor and
 * redistributors are register models behind trapped MMIO. A partition can
 * see and change only its own SPIs, its own vCPUs' SGIs and PPIs, and no
 * register it writes can point the GIC at memory (no LPIs, no ITS).
 */
#ifndef UMBRA_VGIC_H
#define UMBRA_VGIC_H

#include "umbra/types.h"
#include "drivers/gic.h"

#define VGIC_NR_IRQS 1024
#define VGIC_WORDS (VGIC_NR_IRQS / 64)
#define VGIC_FRAME 0x20000          /* one redistributor: RD + SGI frames */
#define VGIC_DIST_SIZE 0x10000

/* List register fields (ICH_LR<n>_EL2) */
#define LR_STATE_PENDING (1UL << 62)
#define LR_STATE_ACTIVE  (2UL << 62)
#define LR_STATE_MASK    (3UL << 62)
#define LR_HW            (1UL << 61)
#define LR_GROUP1        (1UL << 60)
#define LR_PRIO_SHIFT    48
#define LR_PINTID_SHIFT  32
#define LR_VINTID_MASK   0xffffffffUL

struct vgic_cpu {
	u64 pending[VGIC_WORDS];   /* waiting for a list register */
	u64 hw[VGIC_WORDS];        /* ... of which linked to the physical INTID */
	/* What vgic_flush_needed reads, in one 64-bit word that the IRQ
	 * entry's fast path (vectors.S) tests whole: keep them together. */
	u32 pending_map;           /* words of pending[] that may be non-zero */
	bool underflow;            /* maintenance interrupt requested */
	bool ppi_sync;             /* HW PPI enables to apply on own CPU */
	bool purge;                /* drop SPIs the partition no longer owns (own CPU) */
	u8 flush_zero;             /* never set: the rest of that word */
	u32 enabled;               /* SGIs and PPIs (virtual enable bits) */
	u32 ppi_edge;              /* ICFGR1 */
	u8 prio[32];
	bool asleep;               /* GICR_WAKER.ProcessorSleep */
	bool resample;             /* a HW-linked level interrupt is listed pending */
};

struct vgic_dist {
	bool enabled;              /* GICD_CTLR.EnableGrp1 */
	u64 gicd_ipa;
	u64 gicr_ipa;
	u64 owned[VGIC_WORDS];     /* SPIs of this partition (both kinds) */
	u64 soft[VGIC_WORDS];      /* ... of which software-only: no physical line */
	u64 soft_enabled[VGIC_WORDS];
	u64 soft_pending[VGIC_WORDS]; /* raised while disabled: delivered on enable */
	u64 latched[VGIC_WORDS];   /* physical SPIs the guest made pending (ISPENDR) */
	u64 route[VGIC_NR_IRQS - GIC_SPI_BASE]; /* IROUTER as written */
	u8 prio[VGIC_NR_IRQS];
};

#define VGIC_IROUTER_IRM BIT(31)

struct vcpu;
struct partition;

/* Aff3.Aff2.Aff1.Aff0 of an MPIDR or IROUTER value, as one comparable number */
static inline u64 vgic_affinity(u64 v)
{
	return ((v >> 8) & 0xff000000UL) | (v & 0xffffffUL);
}

/* Set up a partition's vGIC: SPIs it owns, where its GIC appears. */
void vgic_init(struct partition *p, u64 gicd_ipa, u64 gicr_ipa);
void vgic_own_spi(struct partition *p, unsigned intid);
bool vgic_owns(const struct partition *p, unsigned intid);
/* The SPI leaves p (a shared device moves away): no longer routed to it
 * nor visible in its distributor. Its vCPUs must then be purged. */
void vgic_disown_spi(struct partition *p, unsigned intid);
/* On v's own CPU: drop list registers and queued interrupts of SPIs its
 * partition no longer owns (clears v->vgic.purge; vgic_flush calls it). */
void vgic_purge_unowned(struct vcpu *v);
/* A software-only SPI of p's (virtual UART, channel doorbell): no physical
 * interrupt behind it, edge-triggered, raised by Umbra with vgic_raise_spi.
 * It survives vgic_init (partition restarts). */
void vgic_own_soft_spi(struct partition *p, unsigned intid);
bool vgic_is_soft(const struct partition *p, unsigned intid);
/* Make p's software SPI pending (any CPU): it goes to the vCPU its
 * IROUTER names (else vCPU 0) once the guest has enabled it. */
void vgic_raise_spi(struct partition *p, unsigned intid);
struct vcpu *vgic_spi_target(struct partition *p, unsigned intid);
/* the distributor model's view of a software SPI: enable or pending bit */
void vgic_soft_set(struct partition *p, unsigned intid, bool enable_reg, bool on);
bool vgic_soft_get(const struct partition *p, unsigned intid, bool enable_reg);
void vgic_cpu_reset(struct vcpu *v);
/* On v's own CPU when it (re)enters the guest from scratch. */
void vgic_cpu_enter(struct vcpu *v);

/* Make intid pending for v (any CPU); hw links it to the physical INTID. */
void vgic_inject(struct vcpu *v, unsigned intid, bool hw);
/* On v's own CPU, before resuming it: move pending interrupts into list
 * registers; ask for a maintenance interrupt if they do not all fit. */
void vgic_flush(struct vcpu *v);
/* Cheap test for the common exit with nothing to do (same CPU as v). */
static inline bool vgic_flush_needed(const struct vgic_cpu *c)
{
	return __atomic_load_n(&c->pending_map, __ATOMIC_RELAXED) || c->underflow || c->ppi_sync ||
	       __atomic_load_n(&c->purge, __ATOMIC_RELAXED);
}
/*
 * A level-triggered physical interrupt in a list register is a latch of
 * the line as it was when Umbra took it. If the guest makes the device
 * drop the line before it takes the virtual interrupt (a handler that
 * EOIs before it clears the device: the line was still high at the
 * deactivation and fired again), the GIC would have withdrawn it; the
 * list register cannot. So while such an entry is pending, the guest's
 * next access to its Group 1 CPU interface registers (the acknowledge
 * first of all) traps, and vgic_resample() drops the entries whose line is
 * low (deactivating the physical interrupt) before the access is retried.
 * On v's own CPU.
 */
void vgic_resample(struct vcpu *v);
/* The guest set (or cleared) the pending state of physical SPI intid: not
 * the line's doing, so vgic_resample() leaves it alone. */
void vgic_latch(struct partition *p, unsigned intid, bool on);
/*
 * The pending and active state the guest's GICD/GICR registers show and
 * change (ISPENDR, ICPENDR, ISACTIVER, ICACTIVER): of an SGI or PPI of
 * vCPU t, or (t NULL) of one of v's partition's SPIs, read or written by
 * v on its own CPU. An interrupt in one of v's list registers has the
 * state there; one Umbra has queued is pending (not yet active, even if
 * Umbra acknowledged its physical interrupt); a HW-linked one anywhere
 * else has its physical state (for the HW PPIs only on v's own CPU: the
 * list registers and PPIs of another CPU are out of reach, so a vCPU
 * sees another's SGIs and PPIs as queued or idle).
 */
bool vgic_irq_state(struct vcpu *v, struct vcpu *t, unsigned intid, bool active);
void vgic_irq_set_state(struct vcpu *v, struct vcpu *t, unsigned intid, bool active, bool on);
/* A trapped write of ICC_SGI1R_EL1 by v. */
void vgic_sgi_write(struct vcpu *v, u64 val);
/* Physical interrupts taken at EL2 while v (or no vCPU) owns this CPU. */
void vgic_handle_irqs(struct vcpu *v);
/* The same in a trap from v, which is resumed next: a HW-linked interrupt
 * for v goes straight into an empty list register when nothing is queued
 * before it (else it is queued as by vgic_handle_irqs). acked: an INTID
 * the IRQ entry acknowledged already (handled first), or GIC_SPURIOUS. */
void vgic_take_irqs(struct vcpu *v, u32 acked);
/* An SPI Umbra handles itself (the console UART's receive interrupt):
 * fn runs on the CPU the SPI is routed to, then it is deactivated. */
int vgic_set_umbra_spi(unsigned intid, void (*fn)(void)); /* -E_NOMEM: too many */
/* The HW-linked PPIs every partition has (the EL1 virtual and physical
 * timers: CPUs are dedicated, so their timers are handed through), and
 * the maintenance interrupt. */
void vgic_set_hw_ppi(unsigned vtimer, unsigned ptimer, unsigned maint_intid);

/* Trapped MMIO: true if ipa belongs to v's vGIC (then *val is read or
 * written); false if it is not a vGIC address. */
bool vgic_mmio(struct vcpu *v, u64 ipa, unsigned size, bool write, u64 *val);

/* arch: the virtual CPU interface */
unsigned arch_vgic_nr_lrs(void);
u64 arch_vgic_read_lr(unsigned n);
/* The list registers that hold no interrupt (ICH_ELRSR_EL2: state
 * invalid; Umbra never asks for an EOI maintenance interrupt), one bit
 * each, below arch_vgic_nr_lrs(). */
u32 arch_vgic_empty_lrs(void);
void arch_vgic_write_lr(unsigned n, u64 v);
void arch_vgic_underflow_irq(bool on);
void arch_vgic_trap_group1(bool on);   /* ICH_HCR_EL2.TALL1 */
/* Will v, entered now, take a virtual interrupt of priority prio before it
 * runs any instruction of its own (interrupts unmasked, none active, prio
 * above its priority mask)? On v's own CPU. */
bool arch_vgic_taken_at_once(const struct vcpu *v, unsigned prio);
void arch_vgic_reset_cpu(void);
/* The HW-linked PPIs (one bit each) the IRQ entry may list by itself,
 * without the C path, when vgic_take_irqs would list them at once. */
void arch_vgic_fast_ppis(u32 ppis);

#endif
