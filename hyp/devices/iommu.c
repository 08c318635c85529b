// SPDX-License-Identifier: Apache-2.0
/* DMA confinement with the SMMUv3 (iommu.h). Domain d is partition d. */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "drivers/gic.h"
#include "drivers/smmuv3.h"
#include "umbra/lib.h"
#include "mm/mmu.h"
#include "devices/iommu.h"

/* A device repeats a refused access once per bus transaction (QEMU: every
 * 4 bytes): one line for the first fault on a page, the repeats counted;
 * at most DMA_LOG_BURST lines a second per partition. */
#define DMA_LOG_BURST 8

static struct {
	bool probed, on;
	struct partition *dom[SMMU_MAX_DOMAINS];
	struct pgtable s1[SMMU_MAX_DOMAINS];     /* stage-1 SMMU only */
	struct dma_log {
		struct log_window w;
		struct smmu_event last;      /* the last fault logged */
	} log[SMMU_MAX_DOMAINS + 1];         /* [SMMU_MAX_DOMAINS]: no partition */
	bool overflow_said;
} io;

/* on, with no wired event interrupt: every interrupt Umbra takes polls
 * (also read by the IRQ entry's fast path, vectors.S) */
bool iommu_polled;

bool iommu_probe(const struct platform *plat)
{
	int err;

	if (!plat->smmu.size)
		return false;
	err = mmu_map_device(plat->smmu.base, plat->smmu.size);
	if (!err)
		err = smmu_probe(pa_to_ptr(pa_init(plat->smmu.base)), plat->smmu.size);
	if (err) {
		pr_warn("smmu: SMMUv3 at 0x%lx not usable (error %d): devices behind it are not confined",
			plat->smmu.base, err);
		return false;
	}
	io.probed = true;
	return true;
}

/* The devices of p whose DMA goes through the SMMU. */
static bool behind_smmu(const struct dev_cfg *dc, const struct platform *plat)
{
	return dc->nr_sids && dc->iommu_phandle == plat->smmu_phandle;
}

/* What p's devices may reach: its RAM, read-write, and its channel
 * regions as its stage 2 has them; never MMIO, never anything else. */
static int build_view(struct partition *p, struct pgtable *pt, struct page_pool *pool)
{
	const struct part_cfg *c = p->cfg;
	unsigned i;
	int err = pgtable_init(pt, PT_DEV_S1, 0, pool);

	for (i = 0; !err && i < c->nr_mem; i++)
		err = pgtable_map(pt, c->mem[i].base, pa_init(c->mem[i].base), c->mem[i].size,
				  PT_R | PT_W);
	for (i = 0; !err && i < c->nr_chan; i++)
		err = pgtable_map(pt, c->chan[i].mem.base, pa_init(c->chan[i].mem.base),
				  c->chan[i].mem.size, c->chan[i].read_only ? PT_R : PT_R | PT_W);
	return err;
}

static void route_spi(u32 intid, u64 mpidr)
{
	if (!intid)
		return;
	vgic_set_umbra_spi(intid, iommu_irq);
	gic_set_edge(intid, true);      /* the SMMU pulses its wired interrupts */
	gic_set_priority(intid, GIC_PRIO_DEFAULT);
	gic_route_spi(intid, mpidr);
	gic_set_enable(intid, true);
}

int iommu_setup(struct partition *parts, unsigned n, const struct platform *plat,
		struct page_pool *pool)
{
	unsigned i, k, domains = 0;
	int err = 0, first = -1;

	if (!io.probed)
		return 0;
	for (i = 0; !err && i < n; i++) {
		struct partition *p = &parts[i];
		struct smmu_domain_cfg dc = { .tag = (u16)(p->id + 1) };
		unsigned dom = p->id;             /* domain d is partition d */
		bool any = false;

		for (k = 0; k < p->cfg->nr_dev; k++)
			any |= behind_smmu(&p->cfg->dev[k], plat);
		if (!any)
			continue;
		if (dom >= SMMU_MAX_DOMAINS) {
			err = -E_RANGE;
			break;
		}
		if (smmu_uses_stage2()) {
			dc.ttb = pa_addr(pgtable_root_pa(&p->s2));   /* its stage 2, its VMID */
		} else {
			err = build_view(p, &io.s1[dom], pool);
			dc.ttb = err ? 0 : pa_addr(pgtable_root_pa(&io.s1[dom]));
		}
		if (!err)
			err = smmu_set_domain(dom, &dc);
		for (k = 0; !err && k < p->cfg->nr_dev; k++) {
			const struct dev_cfg *d = &p->cfg->dev[k];

			if (behind_smmu(d, plat))
				err = smmu_assign(d->sid_base, d->nr_sids, dom);
			if (!err && behind_smmu(d, plat))
				pr_info("smmu: '%s' gets streams 0x%x-0x%x ('%s')", p->cfg->name,
					d->sid_base, d->sid_base + d->nr_sids - 1, d->path);
		}
		io.dom[dom] = p;
		domains++;
		if (first < 0)
			first = (int)i;
	}
	if (!err)
		err = smmu_enable();
	if (err) {
		pr_err("smmu: cannot set up DMA confinement (error %d)", err);
		return err;
	}
	io.on = true;
	/* its interrupts go to a CPU of the partition whose DMA faults
	 * (not a real-time partition's, in the usual setup) */
	if (first >= 0) {
		route_spi(plat->smmu_evt_intid, parts[first].cfg->cpu_mpidr[0]);
		route_spi(plat->smmu_gerr_intid, parts[first].cfg->cpu_mpidr[0]);
	}
	iommu_polled = !plat->smmu_evt_intid;
	pr_info("smmu: on (stage %u), %u partition%s confined, every other stream aborts%s",
		smmu_uses_stage2() ? 2 : 1, domains, domains == 1 ? "" : "s",
		iommu_polled ? "; events polled" : "");
	return 0;
}

void iommu_partition_changed(struct partition *p)
{
	if (io.on && p->id < SMMU_MAX_DOMAINS && io.dom[p->id])
		smmu_inval(p->id);
}

void iommu_partition_block(struct partition *p, bool block)
{
	int err;

	if (!io.on || p->id >= SMMU_MAX_DOMAINS || !io.dom[p->id])
		return;
	err = smmu_block(p->id, block);
	if (err)
		pr_err("smmu: cannot %s the DMA of '%s' (error %d)", block ? "stop" : "restart",
		       p->cfg->name, err);
}

static bool same_page(const struct smmu_event *a, const struct smmu_event *b)
{
	return a->type == b->type && a->sid == b->sid && a->read == b->read &&
	       (a->addr >> PAGE_SHIFT) == (b->addr >> PAGE_SHIFT);
}

static void smmu_log_event(const struct smmu_event *e)
{
	int d = smmu_sid_domain(e->sid);
	struct partition *p = d >= 0 ? io.dom[d] : NULL;
	struct dma_log *l = &io.log[p ? (unsigned)d : SMMU_MAX_DOMAINS];
	char more[48] = "";
	u64 now = arch_counter();

	if (e->has_addr && same_page(e, &l->last) && now - l->w.start < arch_counter_freq()) {
		l->w.suppressed++;                   /* a repeat: counted */
		return;
	}
	if (!log_window(&l->w, DMA_LOG_BURST, now, arch_counter_freq()))
		return;
	if (l->w.suppressed)
		snprintf(more, sizeof(more), "; %u more before not logged", l->w.suppressed);
	/* throttled like the lines: a DMA storm must not push the other
	 * events out of the ring; what is skipped is counted in the next */
	log_event(p ? p->id : ~0u, EV_SMMU_FAULT, e->type | (u64)l->w.suppressed << 32,
		  e->has_addr ? e->addr : ~0ull, e->sid);
	l->w.suppressed = 0;
	l->last = *e;
	if (e->has_addr)
		pr_info("smmu: '%s' stream 0x%x: DMA %s at 0x%lx refused (%s)%s",
			p ? p->cfg->name : "(no partition)", e->sid, e->read ? "read" : "write",
			e->addr, smmu_event_name(e->type), more);
	else
		pr_info("smmu: %s%s%s stream 0x%x: DMA refused (%s)%s", p ? "'" : "",
			p ? p->cfg->name : "unassigned", p ? "'" : "", e->sid,
			smmu_event_name(e->type), more);
}

void iommu_irq(void)
{
	struct smmu_event ev[8];
	unsigned n, i, rounds = 8; /* then back to the guests; the rest next time */
	u32 gerr;

	bool lost = false;

	while (rounds-- && (n = smmu_events(ev, ARRAY_SIZE(ev), &lost)))
		for (i = 0; i < n; i++)
			smmu_log_event(&ev[i]);
	if (lost && !io.overflow_said) {
		pr_warn("smmu: event queue overflowed: some DMA faults were not recorded");
		io.overflow_said = true;
	}
	gerr = smmu_global_errors();
	if (gerr && log_window(&io.log[SMMU_MAX_DOMAINS].w, DMA_LOG_BURST, arch_counter(),
			       arch_counter_freq()))
		pr_err("smmu: global error 0x%x", gerr);
}

void iommu_poll(void)
{
	if (iommu_polled)
		iommu_irq();
}
