// SPDX-License-Identifier: Apache-2.0
/*
 * vGIC delivery: pending queues, list registers, SGIs between a
 * partition's own vCPUs, and the physical interrupts Umbra takes at EL2.
 *
 * Physical interrupts are acknowledged at EL2 with EOImode 1 (priority drop
 * only) and injected HW-linked, so the guest's own EOI deactivates them.
 * Interrupts that do not fit the list registers wait in the vCPU's pending
 * bitmap; an underflow maintenance interrupt brings Umbra back to refill.
 */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "vm/vm.h"
#include "vm/vgic.h"

static u8 spi_owner[VGIC_NR_IRQS];   /* partition id + 1; 0 = Umbra */
/* the HW-linked PPIs: the EL1 virtual and physical timers */
static unsigned hw_ppi[2] = { 27, 30 }, maint_ppi = 25;
/* SPIs Umbra handles itself: the console UART's receive, the SMMU's */
#define MAX_UMBRA_SPIS 4
static struct { unsigned intid; void (*fn)(void); } umbra_spis[MAX_UMBRA_SPIS];
static unsigned nr_umbra_spis;

int vgic_set_umbra_spi(unsigned intid, void (*fn)(void))
{
	if (nr_umbra_spis == MAX_UMBRA_SPIS)
		return -E_NOMEM;
	umbra_spis[nr_umbra_spis].fn = fn;
	__atomic_store_n(&umbra_spis[nr_umbra_spis].intid, intid, __ATOMIC_RELEASE);
	__atomic_fetch_add(&nr_umbra_spis, 1, __ATOMIC_RELEASE);
	return 0;
}

static void (*umbra_spi_fn(unsigned intid))(void)
{
	unsigned i, n = __atomic_load_n(&nr_umbra_spis, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (umbra_spis[i].intid == intid)
			return umbra_spis[i].fn;
	return NULL;
}

void vgic_set_hw_ppi(unsigned vtimer, unsigned ptimer, unsigned maint_intid)
{
	hw_ppi[0] = vtimer;
	hw_ppi[1] = ptimer;
	maint_ppi = maint_intid;
	arch_vgic_fast_ppis((vtimer < GIC_SPI_BASE ? 1u << vtimer : 0) |
			    (ptimer < GIC_SPI_BASE ? 1u << ptimer : 0));
}

static bool is_hw_ppi(unsigned intid)
{
	return intid == hw_ppi[0] || intid == hw_ppi[1];
}

static bool test_bit(const u64 *map, unsigned n) { return (map[n / 64] >> (n % 64)) & 1; }

static void set_bit_atomic(u64 *map, unsigned n)
{
	__atomic_fetch_or(&map[n / 64], 1UL << (n % 64), __ATOMIC_RELEASE);
}

static void clear_bit_atomic(u64 *map, unsigned n)
{
	__atomic_fetch_and(&map[n / 64], ~(1UL << (n % 64)), __ATOMIC_RELEASE);
}

void vgic_init(struct partition *p, u64 gicd_ipa, u64 gicr_ipa)
{
	struct vgic_dist *d = &p->vgic;
	u64 soft[VGIC_WORDS];
	unsigned i;

	memcpy(soft, d->soft, sizeof(soft)); /* configuration, not state */
	memset(d, 0, sizeof(*d));
	memcpy(d->soft, soft, sizeof(soft));
	memcpy(d->owned, soft, sizeof(soft));
	d->gicd_ipa = gicd_ipa;
	d->gicr_ipa = gicr_ipa;
	for (i = 0; i < VGIC_NR_IRQS; i++)
		d->prio[i] = GIC_PRIO_DEFAULT;
	for (i = 0; i < ARRAY_SIZE(spi_owner); i++)
		if (spi_owner[i] == p->id + 1)
			set_bit_atomic(d->owned, i);
}

void vgic_own_spi(struct partition *p, unsigned intid)
{
	if (intid >= GIC_SPI_BASE && intid < VGIC_NR_IRQS) {
		spi_owner[intid] = (u8)(p->id + 1);
		set_bit_atomic(p->vgic.owned, intid);
	}
}

void vgic_disown_spi(struct partition *p, unsigned intid)
{
	if (intid < GIC_SPI_BASE || intid >= VGIC_NR_IRQS || vgic_is_soft(p, intid))
		return;
	if (spi_owner[intid] == p->id + 1)
		spi_owner[intid] = 0;
	clear_bit_atomic(p->vgic.owned, intid);
}

void vgic_purge_unowned(struct vcpu *v)
{
	struct partition *p = v->part;
	unsigned nr = arch_vgic_nr_lrs(), i, w;

	for (i = 0; i < nr; i++) {
		u64 lr = arch_vgic_read_lr(i);
		unsigned intid = (unsigned)(lr & LR_VINTID_MASK);

		if ((lr & LR_STATE_MASK) && intid >= GIC_SPI_BASE && !vgic_owns(p, intid))
			arch_vgic_write_lr(i, 0);
	}
	for (w = 0; w < VGIC_WORDS; w++) {
		u64 keep = __atomic_load_n(&p->vgic.owned[w], __ATOMIC_ACQUIRE) |
			   (w == 0 ? 0xffffffffUL : 0); /* SGIs and PPIs */

		__atomic_fetch_and(&v->vgic.pending[w], keep, __ATOMIC_ACQ_REL);
		__atomic_fetch_and(&v->vgic.hw[w], keep, __ATOMIC_ACQ_REL);
	}
	__atomic_store_n(&v->vgic.purge, false, __ATOMIC_RELEASE);
}

bool vgic_owns(const struct partition *p, unsigned intid)
{
	return intid >= GIC_SPI_BASE && intid < GIC_MAX_INTID && test_bit(p->vgic.owned, intid);
}

void vgic_own_soft_spi(struct partition *p, unsigned intid)
{
	if (intid >= GIC_SPI_BASE && intid < GIC_MAX_INTID) {
		set_bit_atomic(p->vgic.soft, intid);
		set_bit_atomic(p->vgic.owned, intid);
	}
}

bool vgic_is_soft(const struct partition *p, unsigned intid)
{
	return intid >= GIC_SPI_BASE && intid < GIC_MAX_INTID && test_bit(p->vgic.soft, intid);
}

/* The vCPU an SPI's IROUTER names; 1-of-N and strangers mean vCPU 0. */
struct vcpu *vgic_spi_target(struct partition *p, unsigned intid)
{
	u64 r = p->vgic.route[intid - GIC_SPI_BASE];
	unsigned i;

	for (i = 0; i < p->nr_vcpus && !(r & VGIC_IROUTER_IRM); i++)
		if (vgic_affinity(p->cfg->cpu_mpidr[i]) == vgic_affinity(r))
			return &p->vcpu[i];
	return &p->vcpu[0];
}

void vgic_raise_spi(struct partition *p, unsigned intid)
{
	struct vcpu *t;

	if (!vgic_is_soft(p, intid))
		return;
	if (!test_bit(p->vgic.soft_enabled, intid)) {
		set_bit_atomic(p->vgic.soft_pending, intid);
		return;
	}
	t = vgic_spi_target(p, intid);
	vgic_inject(t, intid, false);
	/* vCPUs are pinned: t runs here exactly when this is its CPU */
	if (p->cfg->cpu_mpidr[t->index] != arch_this_mpidr())
		arch_gic_send_sgi(p->cfg->cpu_mpidr[t->index], GIC_KICK_SGI);
}

/* GICD_IS/ICENABLER and IS/ICPENDR for a software SPI. */
void vgic_soft_set(struct partition *p, unsigned intid, bool enable_reg, bool on)
{
	u64 *map = enable_reg ? p->vgic.soft_enabled : p->vgic.soft_pending;

	if (on)
		set_bit_atomic(map, intid);
	else
		clear_bit_atomic(map, intid);
	if (test_bit(p->vgic.soft_enabled, intid) && test_bit(p->vgic.soft_pending, intid)) {
		clear_bit_atomic(p->vgic.soft_pending, intid);
		vgic_raise_spi(p, intid);
	}
}

bool vgic_soft_get(const struct partition *p, unsigned intid, bool enable_reg)
{
	return test_bit(enable_reg ? p->vgic.soft_enabled : p->vgic.soft_pending, intid);
}

void vgic_cpu_enter(struct vcpu *v)
{
	/* On v's CPU as it enters a new life: its HW-linked timer PPI from the
	 * old one may not stay active (it would never fire again), and the
	 * per-CPU PPI enables follow the new guest's. */
	for (unsigned i = 0; i < ARRAY_SIZE(hw_ppi); i++) {
		gic_set_active(hw_ppi[i], false);
		gic_set_pending(hw_ppi[i], false);
	}
	v->vgic.ppi_sync = true;
	v->vgic.resample = false; /* arch_vgic_reset_cpu() stopped the trap */
}

void vgic_cpu_reset(struct vcpu *v)
{
	memset(&v->vgic, 0, sizeof(v->vgic));
	memset(v->vgic.prio, GIC_PRIO_DEFAULT, sizeof(v->vgic.prio));
	v->vgic.enabled = 0xffff; /* SGIs are always enabled in GICv3 models */
	v->vgic.asleep = true;
	v->vgic.ppi_sync = true;
}

void vgic_inject(struct vcpu *v, unsigned intid, bool hw)
{
	if (intid >= GIC_MAX_INTID)
		return;
	if (hw)
		set_bit_atomic(v->vgic.hw, intid);
	set_bit_atomic(v->vgic.pending, intid);
	__atomic_fetch_or(&v->vgic.pending_map, 1u << (intid / 64), __ATOMIC_RELEASE);
}

static bool deliverable(const struct vcpu *v, unsigned intid)
{
	if (intid < GIC_SPI_BASE)
		return (v->vgic.enabled >> intid) & 1;
	return v->part->vgic.enabled && vgic_owns(v->part, intid) &&
	       (!vgic_is_soft(v->part, intid) || test_bit(v->part->vgic.soft_enabled, intid));
}

static u8 prio_of(const struct vcpu *v, unsigned intid)
{
	return intid < GIC_SPI_BASE ? v->vgic.prio[intid] : v->part->vgic.prio[intid];
}

static void request_underflow(struct vcpu *v, bool on)
{
	if (v->vgic.underflow != on) {
		arch_vgic_underflow_irq(on);
		v->vgic.underflow = on;
	}
}

/* This CPU's list registers as vgic_flush sees them: the contents of
 * those in use (ICH_ELRSR_EL2 says which: only these are read) and the
 * empty ones, one bit each. */
struct lr_set {
	u64 lr[16];
	u32 used, empty;
};

/* Place pending interrupt intid in a list register; false if all are in
 * use. Already-listed ones are not duplicated: a software interrupt that
 * is active becomes active and pending again. */
static bool list(struct vcpu *v, struct lr_set *l, unsigned intid, bool *placed)
{
	u32 m;
	unsigned j;

	*placed = false;
	for (m = l->used; m; m &= m - 1) {
		j = (unsigned)__builtin_ctz(m);
		if ((l->lr[j] & LR_VINTID_MASK) != intid)
			continue;
		if (l->lr[j] & LR_HW)
			return true; /* the physical one is still active: later */
		if (!(l->lr[j] & LR_STATE_PENDING)) {
			l->lr[j] |= LR_STATE_PENDING;
			arch_vgic_write_lr(j, l->lr[j]);
		}
		*placed = true;
		return true;
	}
	if (!l->empty)
		return false;
	j = (unsigned)__builtin_ctz(l->empty);
	l->empty &= l->empty - 1;
	l->used |= 1u << j;
	l->lr[j] = LR_STATE_PENDING | LR_GROUP1 | ((u64)prio_of(v, intid) << LR_PRIO_SHIFT) | intid;
	if (test_bit(v->vgic.hw, intid)) {
		l->lr[j] |= LR_HW | ((u64)intid << LR_PINTID_SHIFT);
		/* The line can only drop before the acknowledge if the guest
		 * runs first (interrupts masked, in a handler): only then is
		 * the next Group 1 access trapped to resample it. A timer
		 * interrupt that preempts the guest costs one trap, not two
		 * (and no GIC read for the trigger: tested last). */
		if (!v->vgic.resample && !arch_vgic_taken_at_once(v, prio_of(v, intid)) &&
		    !gic_is_edge(intid)) {
			v->vgic.resample = true;
			arch_vgic_trap_group1(true);
		}
	}
	arch_vgic_write_lr(j, l->lr[j]);
	*placed = true;
	return true;
}

void vgic_flush(struct vcpu *v)
{
	struct lr_set l;
	unsigned nr;
	u32 map, left = 0, m, all;
	bool overflow = false;

	if (v->vgic.ppi_sync) {
		/* HW PPIs are per CPU: enable them here, on v's own CPU */
		v->vgic.ppi_sync = false;
		gic_set_enable(hw_ppi[0], (v->vgic.enabled >> hw_ppi[0]) & 1);
		gic_set_enable(hw_ppi[1], (v->vgic.enabled >> hw_ppi[1]) & 1);
	}
	if (__atomic_load_n(&v->vgic.purge, __ATOMIC_ACQUIRE))
		vgic_purge_unowned(v);
	/* the common exit: nothing pending, nothing to touch */
	map = __atomic_exchange_n(&v->vgic.pending_map, 0, __ATOMIC_ACQUIRE);
	if (!map) {
		request_underflow(v, false);
		return;
	}
	nr = MIN(arch_vgic_nr_lrs(), ARRAY_SIZE(l.lr));
	all = (u32)((1UL << nr) - 1);
	l.empty = arch_vgic_empty_lrs() & all;
	l.used = ~l.empty & all;
	for (m = l.used; m; m &= m - 1)
		l.lr[__builtin_ctz(m)] = arch_vgic_read_lr((unsigned)__builtin_ctz(m));

	while (map) {
		unsigned w = (unsigned)__builtin_ctz(map);
		u64 bits = __atomic_load_n(&v->vgic.pending[w], __ATOMIC_ACQUIRE), done = 0;

		map &= map - 1;
		while (bits && !overflow) {
			unsigned intid = w * 64 + (unsigned)__builtin_ctzl(bits);
			bool placed;

			bits &= bits - 1;
			if (!deliverable(v, intid))
				continue;
			if (!list(v, &l, intid, &placed))
				overflow = true;
			else if (placed)
				done |= 1UL << (intid % 64);
		}
		/* the word's listed ones at once: hw first (vgic_inject sets
		 * it before pending), then what is left pending */
		if (__atomic_load_n(&v->vgic.hw[w], __ATOMIC_RELAXED) & done)
			__atomic_fetch_and(&v->vgic.hw[w], ~done, __ATOMIC_RELAXED);
		if (done ? __atomic_and_fetch(&v->vgic.pending[w], ~done, __ATOMIC_ACQ_REL) :
			   __atomic_load_n(&v->vgic.pending[w], __ATOMIC_ACQUIRE))
			left |= 1u << w; /* disabled, still active, or no room */
	}
	if (left)
		__atomic_fetch_or(&v->vgic.pending_map, left, __ATOMIC_RELEASE);
	request_underflow(v, overflow);
}

void vgic_latch(struct partition *p, unsigned intid, bool on)
{
	if (intid < GIC_SPI_BASE || intid >= VGIC_NR_IRQS)
		return;
	if (on)
		set_bit_atomic(p->vgic.latched, intid);
	else
		clear_bit_atomic(p->vgic.latched, intid);
}

void vgic_resample(struct vcpu *v)
{
	struct vgic_dist *d = &v->part->vgic;
	unsigned nr = arch_vgic_nr_lrs(), i;

	for (i = 0; i < nr; i++) {
		u64 lr = arch_vgic_read_lr(i);
		unsigned pintid = (unsigned)(lr >> LR_PINTID_SHIFT) & 0x1fff;

		if (!(lr & LR_HW) || (lr & LR_STATE_MASK) != LR_STATE_PENDING)
			continue;
		if (pintid >= GIC_SPI_BASE && pintid < VGIC_NR_IRQS && test_bit(d->latched, pintid)) {
			/* made pending by the guest itself: no line to follow */
			clear_bit_atomic(d->latched, pintid);
			continue;
		}
		if (gic_is_edge(pintid) || gic_pending(pintid))
			continue; /* the line is still high: the guest takes it */
		arch_vgic_write_lr(i, 0);
		arch_gic_deactivate(pintid);
	}
	v->vgic.resample = false;
	arch_vgic_trap_group1(false);
}

/* Is intid linked to a physical interrupt when p's vCPUs get it? */
static bool is_hw(const struct partition *p, unsigned intid)
{
	if (intid < GIC_NR_SGI)
		return false;
	if (intid < GIC_SPI_BASE)
		return is_hw_ppi(intid);
	return vgic_owns(p, intid) && !vgic_is_soft(p, intid);
}

/* The list register holding intid on this CPU, or nr. */
static unsigned lr_find(unsigned intid, u64 *lr)
{
	unsigned nr = arch_vgic_nr_lrs(), i;

	for (i = 0; i < nr; i++) {
		*lr = arch_vgic_read_lr(i);
		if ((*lr & LR_STATE_MASK) && (*lr & LR_VINTID_MASK) == intid)
			return i;
	}
	*lr = 0;
	return nr;
}

/* Queued for t (an SGI or PPI) or for any of p's vCPUs (an SPI). */
static bool queued(struct partition *p, struct vcpu *t, unsigned intid)
{
	unsigned i;

	if (t)
		return test_bit(t->vgic.pending, intid);
	for (i = 0; i < p->nr_vcpus; i++)
		if (test_bit(p->vcpu[i].vgic.pending, intid))
			return true;
	return false;
}

/* Physical state of a HW-linked intid as v may see it. */
static bool phys_state(struct vcpu *v, struct vcpu *t, unsigned intid, bool active)
{
	if (t && t != v)
		return false;
	return active ? gic_active(intid) : gic_pending(intid);
}

bool vgic_irq_state(struct vcpu *v, struct vcpu *t, unsigned intid, bool active)
{
	struct partition *p = v->part;
	bool hw = is_hw(p, intid);
	u64 lr = 0;

	if (intid >= GIC_MAX_INTID)
		return false;
	if (!t || t == v)
		lr_find(intid, &lr);
	if (lr & (active ? LR_STATE_ACTIVE : LR_STATE_PENDING))
		return true;
	if (active) {
		/* listed pending, or queued: Umbra's acknowledgement is not
		 * the guest's */
		if ((lr & LR_STATE_MASK) || queued(p, t, intid))
			return false;
		return hw && phys_state(v, t, intid, true);
	}
	if (queued(p, t, intid))
		return true;
	if (!t && vgic_is_soft(p, intid))
		return vgic_soft_get(p, intid, false);
	/* a HW one: the line (or the GIC's latch) is pending again, also
	 * while the guest has the interrupt active */
	return hw && phys_state(v, t, intid, false);
}

/* Drop intid from t's (an SPI: every vCPU's) queue; true if it was there
 * HW-linked, its physical interrupt acknowledged by Umbra. */
static bool unqueue(struct partition *p, struct vcpu *t, unsigned intid)
{
	unsigned i, n = t ? 1 : p->nr_vcpus;
	bool hw = false;

	for (i = 0; i < n; i++) {
		struct vcpu *q = t ? t : &p->vcpu[i];

		if (test_bit(q->vgic.pending, intid)) {
			hw |= test_bit(q->vgic.hw, intid);
			clear_bit_atomic(q->vgic.pending, intid);
			clear_bit_atomic(q->vgic.hw, intid);
		}
	}
	return hw;
}

void vgic_irq_set_state(struct vcpu *v, struct vcpu *t, unsigned intid, bool active, bool on)
{
	struct partition *p = v->part;
	u64 state = active ? LR_STATE_ACTIVE : LR_STATE_PENDING, lr;
	bool own = !t || t == v;
	unsigned n = own ? lr_find(intid, &lr) : arch_vgic_nr_lrs();
	/* another CPU's PPIs are out of reach: virtual for this purpose */
	bool hw = is_hw(p, intid) && own, listed = own && n < arch_vgic_nr_lrs();

	if (intid >= GIC_MAX_INTID)
		return;
	if (on) {
		if (!active) {
			if (intid >= GIC_SPI_BASE && hw)
				vgic_latch(p, intid, true);
			if (hw)
				gic_set_pending(intid, true); /* Umbra takes it, then the guest */
			else if (intid < GIC_SPI_BASE)
				vgic_inject(t, intid, false);
			else
				vgic_soft_set(p, intid, false, true);
			return;
		}
		if (listed) {
			arch_vgic_write_lr(n, lr | LR_STATE_ACTIVE);
		} else if (hw) {
			gic_set_active(intid, true);
		} else if (own) {
			/* a virtual one made active: a list register of its own */
			for (n = 0; n < arch_vgic_nr_lrs(); n++)
				if (!(arch_vgic_read_lr(n) & LR_STATE_MASK))
					break;
			if (n < arch_vgic_nr_lrs())
				arch_vgic_write_lr(n, LR_STATE_ACTIVE | LR_GROUP1 |
						      ((u64)prio_of(v, intid) << LR_PRIO_SHIFT) | intid);
		}
		return;
	}
	if (!active && unqueue(p, t, intid) && own)
		gic_set_active(intid, false); /* Umbra had acknowledged it */
	if (listed && (lr & state)) {
		lr &= ~state;
		arch_vgic_write_lr(n, (lr & LR_STATE_MASK) ? lr : 0);
		if ((lr & LR_HW) && !(lr & LR_STATE_MASK))
			gic_set_active(intid, false);
	}
	if (hw) {
		if (active)
			gic_set_active(intid, false);
		else
			gic_set_pending(intid, false);
	}
	if (!active && intid >= GIC_SPI_BASE) {
		vgic_latch(p, intid, false);
		if (!hw)
			vgic_soft_set(p, intid, false, false);
	}
}

/* ICC_SGI1R_EL1 (IHI 0069 12.11.25): IRM sends to all others, else the
 * TargetList within Aff3.Aff2.Aff1 and range RS. Targets outside the
 * caller's partition do not exist for it. */
void vgic_sgi_write(struct vcpu *v, u64 val)
{
	struct partition *p = v->part;
	unsigned sgi = (val >> 24) & 0xf, i;
	bool all = (val >> 40) & 1;
	u64 aff = (((val >> 48) & 0xff) << 32) | (((val >> 32) & 0xff) << 16) |
		  (((val >> 16) & 0xff) << 8);
	u64 rs = (val >> 44) & 0xf;
	u16 targets = (u16)val;

	for (i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *t = &p->vcpu[i];
		u64 m = p->cfg->cpu_mpidr[i];
		bool hit;

		if (all)
			hit = t != v;
		else
			hit = (m & ~0xffUL) == aff && (m & 0xff) / 16 == rs &&
			      ((targets >> ((m & 0xff) % 16)) & 1);
		if (!hit)
			continue;
		vgic_inject(t, sgi, false);
		if (t != v)
			arch_gic_send_sgi(m, GIC_KICK_SGI);
	}
}

/*
 * A HW-linked interrupt just acknowledged for v, which runs on this CPU
 * and is about to be resumed: straight into an empty list register, as
 * vgic_flush would put it there, if nothing is queued before it (the
 * queue keeps its order), it is deliverable and no list register holds
 * its INTID already. False: queue it (vgic_inject) for vgic_flush.
 */
static bool list_at_once(struct vcpu *v, unsigned intid)
{
	u32 empty, m;
	unsigned j;
	u64 lr;
	u8 prio;

	if (__atomic_load_n(&v->vgic.pending_map, __ATOMIC_RELAXED) || !deliverable(v, intid))
		return false;
	empty = arch_vgic_empty_lrs();
	if (!empty)
		return false;
	for (m = ~empty & ((1u << arch_vgic_nr_lrs()) - 1); m; m &= m - 1)
		if ((arch_vgic_read_lr((unsigned)__builtin_ctz(m)) & LR_VINTID_MASK) == intid)
			return false;
	j = (unsigned)__builtin_ctz(empty);
	prio = prio_of(v, intid);
	lr = LR_STATE_PENDING | LR_HW | LR_GROUP1 | ((u64)prio << LR_PRIO_SHIFT) |
	     ((u64)intid << LR_PINTID_SHIFT) | intid;
	/* the level-triggered rule, as in list() */
	if (!v->vgic.resample && !arch_vgic_taken_at_once(v, prio) && !gic_is_edge(intid)) {
		v->vgic.resample = true;
		arch_vgic_trap_group1(true);
	}
	arch_vgic_write_lr(j, lr);
	return true;
}

/* intid: one the caller has acknowledged already (the IRQ entry's fast
 * path, vectors.S), or GIC_SPURIOUS for none. A running vCPU's trap takes
 * one: another pending interrupt is taken to EL2 again as soon as the
 * guest resumes (HCR_EL2.IMO: not masked at EL1), which costs less than
 * the spurious acknowledge that would end a loop every time. */
static void handle_irqs(struct vcpu *v, bool running, u32 intid)
{
	unsigned budget = running ? 1 : 16; /* then back; the rest stays pending */
	void (*fn)(void);

	if (intid >= GIC_SPURIOUS)
		intid = arch_gic_ack();
	for (; intid < GIC_SPURIOUS; intid = arch_gic_ack()) {
		arch_gic_eoi(intid);
		if (intid == GIC_KICK_SGI || intid == maint_ppi) {
			/* the refill happens in vgic_flush on the way out */
			arch_gic_deactivate(intid);
		} else if (intid >= GIC_SPI_BASE && !spi_owner[intid] && (fn = umbra_spi_fn(intid))) {
			fn();
			arch_gic_deactivate(intid);
		} else if (v && (is_hw_ppi(intid) || (intid >= GIC_SPI_BASE &&
						      spi_owner[intid] == v->part->id + 1))) {
			/* the guest deactivates it */
			if (!running || !list_at_once(v, intid))
				vgic_inject(v, intid, true);
		} else {
			arch_gic_deactivate(intid);
			pr_info("interrupt %u has no owner on this CPU: dropped", intid);
		}
		if (!--budget)
			break;
	}
}

void vgic_handle_irqs(struct vcpu *v)
{
	handle_irqs(v, false, GIC_SPURIOUS);
}

void vgic_take_irqs(struct vcpu *v, u32 acked)
{
	handle_irqs(v, true, acked);
}
