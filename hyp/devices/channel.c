// SPDX-License-Identifier: Apache-2.0
/*
 * Channels at run time (umbra/channel.h, docs/channels.md). The monitor
 * never reads or writes a channel's contents after the boot-time scrub:
 * the rings are the guests' business; Umbra only maps the region and
 * delivers doorbells.
 */
#include "umbra/arch.h"
#include "devices/channel.h"
#include "umbra/log.h"
#include "drivers/gic.h"
#include "umbra_abi.h"

static unsigned nr_channels;
/* partitions by index, as channel peers name them */
static struct partition *peers[MAX_PARTITIONS];

void channel_boot(const struct umbra_config *cfg)
{
	unsigned i;

	nr_channels = cfg->nr_chans;
	for (i = 0; i < cfg->nr_chans; i++) {
		void *va = pa_to_ptr(pa_init(cfg->chan_mem[i].base));

		arch_mem_zero(va, cfg->chan_mem[i].size);
		arch_dcache_clean_range(va, cfg->chan_mem[i].size);
	}
}

int channel_attach(struct partition *p)
{
	const struct part_cfg *c = p->cfg;
	unsigned i;
	int err;

	if (p->id >= MAX_PARTITIONS)
		return -E_INVAL;
	for (i = 0; i < c->nr_chan; i++) {
		const struct chan_end *e = &c->chan[i];

		/* the guest could never enable a doorbell its vGIC does not
		 * have (GICD_TYPER.ITLinesNumber follows the GIC's) */
		if (e->intid >= GIC_SPI_BASE + gic_nr_spis()) {
			pr_info("%s: channel %u: doorbell SPI %u is beyond the GIC's %u SPIs",
				c->name, e->id, e->intid - GIC_SPI_BASE, gic_nr_spis());
			return -E_INVAL;
		}
		/* Normal memory, never executable: data only (W^X for code
		 * another partition wrote) */
		err = pgtable_map(&p->s2, e->mem.base, pa_init(e->mem.base), e->mem.size,
				  e->read_only ? PT_R : PT_R | PT_W);
		if (err)
			return err;
		vgic_own_soft_spi(p, e->intid);
	}
	__atomic_store_n(&peers[p->id], p, __ATOMIC_RELEASE);
	return 0;
}

/* The end of channel id that belongs to c, or NULL. */
static const struct chan_end *end_of(const struct part_cfg *c, u64 id)
{
	unsigned i;

	for (i = 0; i < c->nr_chan; i++)
		if (c->chan[i].id == id)
			return &c->chan[i];
	return NULL;
}

static void ring(const struct chan_end *e)
{
	struct partition *q = e->peer < MAX_PARTITIONS ?
			      __atomic_load_n(&peers[e->peer], __ATOMIC_ACQUIRE) : NULL;

	/* A peer that is stopped or being restarted gets no doorbell: its
	 * vGIC is being reset. It looks at the rings when it starts (and
	 * its restart rings ours). */
	if (q && __atomic_load_n(&q->state, __ATOMIC_ACQUIRE) == PART_RUNNING)
		vgic_raise_spi(q, e->peer_intid);
}

void channel_peer_restarted(struct partition *p)
{
	unsigned i;

	for (i = 0; i < p->cfg->nr_chan; i++)
		ring(&p->cfg->chan[i]);
}

void channel_call(struct vcpu *v, u32 fid, const u64 *a, u64 *ret)
{
	const struct chan_end *e;

	if (a[0] >= nr_channels) {
		ret[0] = (u64)UMBRA_E_INVALID_PARAM;
		return;
	}
	e = end_of(v->part->cfg, a[0]);
	if (!e) {
		ret[0] = (u64)UMBRA_E_DENIED; /* a channel, but not the caller's */
		return;
	}
	ret[0] = UMBRA_OK;
	if (fid == UMBRA_HC_CHANNEL_NOTIFY) {
		ring(e);
		return;
	}
	ret[1] = e->mem.base;
	ret[2] = e->mem.size;
	ret[3] = (e->read_only ? 0 : UMBRA_CHAN_WRITABLE) | (e->first ? UMBRA_CHAN_FIRST : 0) |
		 ((u64)(e->intid - GIC_SPI_BASE) << UMBRA_CHAN_SPI_SHIFT);
}
