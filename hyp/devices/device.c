// SPDX-License-Identifier: Apache-2.0
/*
 * Shared devices moving between partitions (see umbra/device.h for the
 * state machine). A transfer is: unmap from the loser's stage 2 (with TLB
 * invalidation for its VMID), quiesce the interrupt (physical disable,
 * leave the loser's vGIC, purge it from every loser vCPU's queue and list
 * registers on that vCPU's own CPU, then clear physical pending/active),
 * and for a claim: map into the winner's stage 2, own the SPI in its vGIC,
 * route it to its first CPU. The loser's next access is a stage-2 abort.
 */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "devices/device.h"
#include "devices/iommu.h"
#include "vm/vm.h"
#include "umbra_abi.h"

#define PURGE_WAIT_SPINS (1u << 24)

static struct {
	const struct umbra_config *cfg;
	struct partition *parts;
	struct dev_slot slot[MAX_SHARED_DEVICES];
	spinlock_t lock;             /* every slot's state */
} devs;

static bool may_hold(const struct dev_slot *s, int part)
{
	return part >= 0 && part < MAX_PARTITIONS && ((s->holders >> part) & 1);
}

int device_step(struct dev_slot *s, enum dev_op op, int part)
{
	switch (op) {
	case DEV_OP_CLAIM:
		if (!may_hold(s, part))
			return UMBRA_E_DENIED;
		if (s->state == DEV_OWNED && s->holder == part)
			return 1;                       /* already its own */
		if (s->state != DEV_FREE)
			return UMBRA_E_BUSY;            /* held by another, or moving */
		s->state = DEV_IN_TRANSFER;
		s->holder = DEV_NOBODY;
		s->to = part;
		return 0;
	case DEV_OP_RELEASE:
		if (!may_hold(s, part))
			return UMBRA_E_DENIED;
		if (s->state == DEV_IN_TRANSFER)
			return s->holder == part || s->to == part ? UMBRA_E_BUSY : UMBRA_E_DENIED;
		if (s->state != DEV_OWNED || s->holder != part)
			return UMBRA_E_DENIED;          /* not the holder */
		s->state = DEV_IN_TRANSFER;
		s->to = DEV_NOBODY;
		return 0;
	case DEV_OP_DONE:
		if (s->state != DEV_IN_TRANSFER)
			return UMBRA_E_INVALID_PARAM;
		s->state = s->to == DEV_NOBODY ? DEV_FREE : DEV_OWNED;
		s->holder = s->to;
		s->to = DEV_NOBODY;
		return 1;
	}
	return UMBRA_E_INVALID_PARAM;
}

/* Under the lock: a step, and DONE of a transfer. */
static int step(struct dev_slot *s, enum dev_op op, int part)
{
	int r;

	spin_lock(&devs.lock);
	r = device_step(s, op, part);
	spin_unlock(&devs.lock);
	return r;
}

static void page_range(const struct mem_range *r, u64 *start, u64 *len)
{
	*start = ALIGN_DOWN(r->base, PAGE_SIZE);
	*len = ALIGN_UP(r->base + r->size, PAGE_SIZE) - *start;
}

/* Every vCPU of p drops SPIs p no longer owns: the caller's own at once,
 * the others on their CPUs (kick SGI), waited for. A parked vCPU does it
 * when it enters (its list registers are reset then anyway). */
static void purge_vcpus(struct partition *p)
{
	struct vcpu *self = partition_vcpu_by_mpidr(p, arch_this_mpidr());
	unsigned i, spins;

	for (i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = &p->vcpu[i];

		__atomic_store_n(&v->vgic.purge, true, __ATOMIC_RELEASE);
		if (v == self)
			vgic_purge_unowned(v);
		else
			arch_gic_send_sgi(p->cfg->cpu_mpidr[i], GIC_KICK_SGI);
	}
	for (i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = &p->vcpu[i];

		for (spins = 0; v != self && spins < PURGE_WAIT_SPINS &&
		     __atomic_load_n(&v->vgic.purge, __ATOMIC_ACQUIRE) &&
		     !__atomic_load_n(&v->parked, __ATOMIC_ACQUIRE); spins++)
			;
		if (spins == PURGE_WAIT_SPINS)
			pr_info("%s: vCPU %u did not drop a released interrupt", p->cfg->name, i);
	}
}

static void detach(struct partition *p, const struct dev_cfg *dc)
{
	unsigned r, k;
	u64 start, len;

	for (r = 0; r < dc->nr_reg; r++) {
		page_range(&dc->reg[r], &start, &len);
		pgtable_unmap(&p->s2, start, len);      /* TLB invalidated for its VMID */
	}
	iommu_partition_changed(p);                     /* ... and the SMMU's */
	for (k = 0; k < dc->nr_spi; k++) {
		gic_set_enable(dc->spi[k], false);
		vgic_disown_spi(p, dc->spi[k]);
	}
	purge_vcpus(p);
	/* only now: an active HW-linked copy may have sat in a list register */
	for (k = 0; k < dc->nr_spi; k++) {
		gic_set_pending(dc->spi[k], false);
		gic_set_active(dc->spi[k], false);
	}
}

int device_map(struct partition *p, const struct dev_cfg *dc)
{
	unsigned r;
	u64 start, len, a, b;
	int err = 0;

	/* runs of pages it does not have yet, each in one call: a PCIe
	 * host's ECAM and windows (hundreds of MiB) take 2 MiB blocks */
	for (r = 0; !err && r < dc->nr_reg; r++) {
		page_range(&dc->reg[r], &start, &len);
		for (a = start; !err && a < start + len; a = b) {
			if (pgtable_lookup(&p->s2, a, NULL, NULL, NULL)) {
				b = a + PAGE_SIZE;
				continue;
			}
			for (b = a + PAGE_SIZE; b < start + len &&
			     !pgtable_lookup(&p->s2, b, NULL, NULL, NULL); b += PAGE_SIZE)
				;
			err = pgtable_map(&p->s2, a, pa_init(a), b - a, PT_R | PT_W | PT_DEVICE);
		}
	}
	if (err) {
		for (r = 0; r < dc->nr_reg; r++) {
			page_range(&dc->reg[r], &start, &len);
			pgtable_unmap(&p->s2, start, len);
		}
	}
	return err;
}

static int attach(struct partition *p, const struct dev_cfg *dc)
{
	unsigned k;
	int err = device_map(p, dc);

	if (err)
		return err;
	iommu_partition_changed(p);
	for (k = 0; k < dc->nr_spi; k++) {
		/* it starts disabled and idle; the new holder's driver enables it */
		gic_spi_reset(dc->spi[k], p->cfg->cpu_mpidr[0]);
		vgic_own_spi(p, dc->spi[k]);
	}
	return 0;
}

void device_init(const struct umbra_config *cfg, struct partition *parts)
{
	unsigned i;

	memset(&devs, 0, sizeof(devs));
	devs.cfg = cfg;
	devs.parts = parts;
	for (i = 0; cfg && i < cfg->nr_shared; i++) {
		struct dev_slot *s = &devs.slot[i];

		s->holders = cfg->shared[i].holders;
		s->to = DEV_NOBODY;
		s->holder = cfg->shared[i].owner;
		s->state = s->holder == DEV_NOBODY ? DEV_FREE : DEV_OWNED;
	}
}

static bool configured(void)
{
	return devs.cfg && devs.parts;
}

int device_assign_initial(struct partition *p)
{
	unsigned i;
	int err;

	for (i = 0; configured() && i < devs.cfg->nr_shared; i++)
		if (devs.slot[i].state == DEV_OWNED && devs.slot[i].holder == (int)p->id &&
		    (err = attach(p, &devs.cfg->shared[i].dev)))
			return err;
	return 0;
}

/* claim: the partition now holds it (else: it no longer does); b of the
 * event says whether the partition asked (0) or its reset did (1). */
static void log_move(const struct partition *p, unsigned id, const char *what, bool claim,
		     bool by_reset)
{
	log_event(p->id, claim ? EV_DEV_CLAIM : EV_DEV_RELEASE, id, by_reset, 0);
	pr_info("%s: %s shared device %u '%s' (%s)", p->cfg->name, what, id,
		devs.cfg->shared[id].name, devs.cfg->shared[id].dev.path);
}

void device_partition_reset(struct partition *p, bool restart)
{
	unsigned i;

	for (i = 0; configured() && i < devs.cfg->nr_shared; i++) {
		struct dev_slot *s = &devs.slot[i];
		const struct shared_dev_cfg *sc = &devs.cfg->shared[i];

		if (step(s, DEV_OP_RELEASE, (int)p->id) == 0) {
			detach(p, &sc->dev);
			step(s, DEV_OP_DONE, (int)p->id);
			log_move(p, i, "lost", false, true);
		}
		if (restart && sc->owner == (int)p->id && step(s, DEV_OP_CLAIM, (int)p->id) == 0) {
			int err = attach(p, &sc->dev);

			spin_lock(&devs.lock);
			if (err)
				s->to = DEV_NOBODY;
			device_step(s, DEV_OP_DONE, (int)p->id);
			spin_unlock(&devs.lock);
			if (!err)
				log_move(p, i, "holds again", true, true);
		}
	}
}

static struct dev_slot *slot_of(u64 id)
{
	return configured() && id < devs.cfg->nr_shared ? &devs.slot[id] : NULL;
}

int device_claim(struct vcpu *v, u64 id)
{
	struct partition *p = v->part;
	struct dev_slot *s = slot_of(id);
	int r, err;

	if (!s)
		return UMBRA_E_INVALID_PARAM;
	r = step(s, DEV_OP_CLAIM, (int)p->id);
	if (r)
		return r > 0 ? UMBRA_OK : r;
	err = attach(p, &devs.cfg->shared[id].dev);
	spin_lock(&devs.lock);
	if (err)
		s->to = DEV_NOBODY;         /* back to FREE */
	device_step(s, DEV_OP_DONE, (int)p->id);
	spin_unlock(&devs.lock);
	if (err) {
		pr_info("%s: cannot map shared device %u (error %d)", p->cfg->name, (unsigned)id, err);
		return UMBRA_E_NO_MEMORY;
	}
	log_move(p, (unsigned)id, "claimed", true, false);
	return UMBRA_OK;
}

int device_release(struct vcpu *v, u64 id)
{
	struct partition *p = v->part;
	struct dev_slot *s = slot_of(id);
	int r;

	if (!s)
		return UMBRA_E_INVALID_PARAM;
	r = step(s, DEV_OP_RELEASE, (int)p->id);
	if (r)
		return r;
	detach(p, &devs.cfg->shared[id].dev);
	step(s, DEV_OP_DONE, (int)p->id);
	log_move(p, (unsigned)id, "released", false, false);
	return UMBRA_OK;
}

int device_query(const struct vcpu *v, u64 id, u64 *state, u64 *holder)
{
	const struct dev_slot *s = slot_of(id);

	if (!s)
		return UMBRA_E_INVALID_PARAM;
	if (!may_hold(s, (int)v->part->id))
		return UMBRA_E_DENIED;
	spin_lock(&devs.lock);
	*state = s->state;
	*holder = s->state == DEV_OWNED ? (u64)s->holder : ~0UL;
	spin_unlock(&devs.lock);
	return UMBRA_OK;
}

int device_dt_status(const struct part_cfg *c, const char *path)
{
	unsigned i;
	int pi = -1;

	if (!configured())
		return 0;
	for (i = 0; i < devs.cfg->nr_parts; i++)
		if (c == &devs.cfg->part[i])
			pi = (int)i;
	for (i = 0; pi >= 0 && i < devs.cfg->nr_shared; i++) {
		const struct dev_slot *s = &devs.slot[i];

		if (strcmp(devs.cfg->shared[i].dev.path, path) != 0 || !may_hold(s, pi))
			continue;
		return (s->state == DEV_OWNED && s->holder == pi) ||
		       (s->state == DEV_IN_TRANSFER && s->to == pi) ? 1 : 2;
	}
	return 0;
}

void device_warn_dma(const struct umbra_config *cfg)
{
	unsigned i, j, n;
	const char *first;

	/* one line per partition: it is the partition that is not confined */
	for (i = 0; i < cfg->nr_parts; i++) {
		for (j = 0, n = 0, first = NULL; j < cfg->part[i].nr_dev; j++)
			if (cfg->part[i].dev[j].dma && cfg->part[i].dev[j].dma_unprotected) {
				first = first ? first : cfg->part[i].dev[j].path;
				n++;
			}
		if (n)
			pr_warn("partition '%s' owns %u bus master%s with no IOMMU (dma-unprotected: '%s'%s): its DMA reaches all memory; Umbra and the other partitions are not isolated from '%s'",
				cfg->part[i].name, n, n == 1 ? "" : "s", first,
				n == 1 ? "" : ", ...", cfg->part[i].name);
	}
	for (i = 0; i < cfg->nr_shared; i++)
		if (cfg->shared[i].dev.dma && cfg->shared[i].dev.dma_unprotected)
			pr_warn("shared device %u '%s' is a bus master with no IOMMU (dma-unprotected): whoever holds it is not isolated from the rest",
				i, cfg->shared[i].dev.path);
}
