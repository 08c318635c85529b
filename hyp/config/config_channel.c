// SPDX-License-Identifier: Apache-2.0
/*
 * Inter-partition channels in the configuration (binding: dt/bindings/
 * umbra.md, "Channels"): /umbra children with compatible "umbra,channel".
 * A channel is a RAM region shared by exactly two partitions plus one
 * software SPI per peer for doorbells. Its region must be nobody else's:
 * not Umbra's, the UDS, a partition's RAM, a staging region or another
 * channel; its doorbells must not be a device's interrupt or another
 * doorbell of the same partition.
 */
#include <libfdt.h>

#include "config/config.h"
#include "drivers/gic.h"
#include "umbra/lib.h"

/* Doorbells are DT SPI numbers: INTID = 32 + n, below the special 1020. */
#define CHAN_SPI_MAX (GIC_MAX_INTID - GIC_SPI_BASE)

/* peers = "a", "b": two distinct, existing partitions. */
static bool parse_peers(const void *fdt, int node, const char *cname,
			const struct umbra_config *cfg, int peer[2], struct diag *d)
{
	unsigned i;

	if (fdt_stringlist_count(fdt, node, "peers") != 2) {
		diag_report(d, CFG_E_CHANNEL, "channel '%s': 'peers' must name exactly two partitions",
			    cname);
		return false;
	}
	for (i = 0; i < 2; i++) {
		const char *name = fdt_stringlist_get(fdt, node, "peers", (int)i, NULL);

		peer[i] = name ? config_part_index(cfg, name) : -1;
		if (peer[i] < 0) {
			diag_report(d, CFG_E_CHANNEL, "channel '%s': peer '%s' is not a partition",
				    cname, name ? name : "?");
			return false;
		}
	}
	if (peer[0] == peer[1]) {
		diag_report(d, CFG_E_CHANNEL, "channel '%s': both peers are '%s'", cname,
			    cfg->part[peer[0]].name);
		return false;
	}
	return true;
}

/* read-only = "peer": that peer maps the region read-only. */
static bool parse_read_only(const void *fdt, int node, const char *cname,
			    const struct umbra_config *cfg, const int peer[2], bool ro[2],
			    struct diag *d)
{
	int len;
	const char *who = fdt_getprop(fdt, node, "read-only", &len);

	ro[0] = ro[1] = false;
	if (!who)
		return true;
	if (len <= 0 || who[len - 1] != '\0' || (int)strlen(who) != len - 1) {
		diag_report(d, CFG_E_CHANNEL, "channel '%s': 'read-only' must name one peer", cname);
		return false;
	}
	ro[0] = strcmp(who, cfg->part[peer[0]].name) == 0;
	ro[1] = strcmp(who, cfg->part[peer[1]].name) == 0;
	if (!ro[0] && !ro[1]) {
		diag_report(d, CFG_E_CHANNEL, "channel '%s': read-only '%s' is not one of its peers",
			    cname, who);
		return false;
	}
	return true;
}

static bool overlaps_any(const struct mem_range *r, const struct mem_range *set, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (set[i].size && ranges_overlap(r->base, r->size, set[i].base, set[i].size))
			return true;
	return false;
}

/* The region: page aligned, in RAM, and nobody else's. */
static bool check_region(const struct cfg_env *env, const struct umbra_config *cfg,
			 const char *cname, const struct mem_range *r, struct diag *d)
{
	unsigned i;

	if (!range_valid(r->base, r->size) || !IS_ALIGNED(r->base | r->size, PAGE_SIZE)) {
		diag_report(d, CFG_E_CHANNEL_MEM, "channel '%s': memory 0x%lx+0x%lx must be page aligned",
			    cname, r->base, r->size);
		return false;
	}
	if (!platform_in_ram(env->plat, r->base, r->size)) {
		diag_report(d, CFG_E_CHANNEL_MEM, "channel '%s': memory 0x%lx+0x%lx is not inside RAM",
			    cname, r->base, r->size);
		return false;
	}
	if (overlaps_any(r, env->reserved, env->nr_reserved)) {
		diag_report(d, CFG_E_CHANNEL_MEM, "channel '%s': memory overlaps Umbra's own memory",
			    cname);
		return false;
	}
	for (i = 0; i < cfg->nr_parts; i++) {
		const struct part_cfg *q = &cfg->part[i];

		if (overlaps_any(r, q->mem, q->nr_mem) || overlaps_any(r, &q->image, 1) ||
		    overlaps_any(r, &q->initrd, 1)) {
			diag_report(d, CFG_E_CHANNEL_MEM,
				    "channel '%s': memory 0x%lx+0x%lx overlaps the memory or images of '%s'",
				    cname, r->base, r->size, q->name);
			return false;
		}
	}
	if (overlaps_any(r, cfg->chan_mem, cfg->nr_chans)) {
		diag_report(d, CFG_E_CHANNEL_MEM, "channel '%s': memory overlaps another channel's",
			    cname);
		return false;
	}
	return true;
}

/* Is intid one of p's doorbells already, its virtual UART's, any
 * partition's or shared device's SPI, or the console UART's? */
static const char *intid_taken(const struct cfg_env *env, const struct umbra_config *cfg,
			       const struct part_cfg *pc, u32 intid)
{
	unsigned i, j, k;

	if (intid == env->plat->uart_intid)
		return "the console UART's interrupt";
	for (i = 0; i < pc->nr_chan; i++)
		if (pc->chan[i].intid == intid)
			return "already a doorbell of this partition";
	for (i = 0; i < cfg->nr_parts; i++)
		for (j = 0; j < cfg->part[i].nr_dev; j++)
			for (k = 0; k < cfg->part[i].dev[j].nr_spi; k++)
				if (cfg->part[i].dev[j].spi[k] == intid)
					return "a device's interrupt";
	for (i = 0; i < cfg->nr_shared; i++)
		for (k = 0; k < cfg->shared[i].dev.nr_spi; k++)
			if (cfg->shared[i].dev.spi[k] == intid)
				return "a shared device's interrupt";
	if (pc->vuart && pc->vuart_intid == intid)
		return "its virtual UART's interrupt";
	return NULL;
}

/* doorbells = <a b>: the DT SPI number peer i receives doorbells on. */
static bool parse_doorbells(const void *fdt, int node, const char *cname,
			    const struct cfg_env *env, const struct umbra_config *cfg,
			    const int peer[2], u32 intid[2], struct diag *d)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "doorbells", &len);
	unsigned i;
	bool ok = true;

	if (!p || len != 8) {
		diag_report(d, CFG_E_CHANNEL,
			    "channel '%s': 'doorbells' must be two SPI numbers (one per peer)", cname);
		return false;
	}
	for (i = 0; i < 2; i++) {
		u32 spi = fdt32_ld(&p[i]);
		const char *why;

		if (spi >= CHAN_SPI_MAX) {
			diag_report(d, CFG_E_CHANNEL_IRQ, "channel '%s': doorbell SPI %u is not below %u",
				    cname, spi, CHAN_SPI_MAX);
			ok = false;
			continue;
		}
		intid[i] = spi + GIC_SPI_BASE;
		why = intid_taken(env, cfg, &cfg->part[peer[i]], intid[i]);
		if (why) {
			diag_report(d, CFG_E_CHANNEL_IRQ, "channel '%s': doorbell SPI %u of '%s' is %s",
				    cname, spi, cfg->part[peer[i]].name, why);
			ok = false;
		}
	}
	return ok;
}

static void parse_channel(const void *fdt, int node, int ac, int sc, const struct cfg_env *env,
			  struct umbra_config *cfg, struct diag *d)
{
	const char *cname = fdt_get_name(fdt, node, NULL);
	unsigned id = cfg->nr_chans, i;
	int len, peer[2];
	const void *mem = fdt_getprop(fdt, node, "memory", &len);
	struct mem_range r;
	u32 intid[2];
	bool ro[2];

	if (!cname)
		cname = "?";
	/* the id is the node's index: count it even if it is rejected, so
	 * that the ids of the others are what the config says */
	cfg->nr_chans++;
	if (!mem || len != 4 * (ac + sc)) {
		diag_report(d, CFG_E_CHANNEL, "channel '%s': 'memory' must be one <base size> pair",
			    cname);
		return;
	}
	r.base = fdt_cells_read(mem, 0, (unsigned)ac);
	r.size = fdt_cells_read(mem, (unsigned)ac, (unsigned)sc);
	if (!parse_peers(fdt, node, cname, cfg, peer, d) ||
	    !parse_read_only(fdt, node, cname, cfg, peer, ro, d))
		return;
	if (!check_region(env, cfg, cname, &r, d) ||
	    !parse_doorbells(fdt, node, cname, env, cfg, peer, intid, d))
		return;
	for (i = 0; i < 2; i++)
		if (cfg->part[peer[i]].nr_chan == MAX_PART_CHANNELS) {
			diag_report(d, CFG_E_TOO_MANY, "channel '%s': '%s' has more than %u channels",
				    cname, cfg->part[peer[i]].name, MAX_PART_CHANNELS);
			return;
		}
	cfg->chan_mem[id] = r;
	for (i = 0; i < 2; i++) {
		struct part_cfg *pc = &cfg->part[peer[i]];
		struct chan_end *e = &pc->chan[pc->nr_chan++];

		e->id = id;
		e->mem = r;
		e->intid = intid[i];
		e->read_only = ro[i];
		e->first = i == 0;
		e->peer = (unsigned)peer[1 - i];
		e->peer_intid = intid[1 - i];
		memcpy(e->peer_name, cfg->part[peer[1 - i]].name, PART_NAME_MAX);
	}
}

void config_channels(const void *fdt, int root, int ac, int sc, const struct cfg_env *env,
		     struct umbra_config *cfg, struct diag *d)
{
	int node;

	fdt_for_each_subnode(node, fdt, root) {
		if (fdt_node_check_compatible(fdt, node, "umbra,channel") != 0)
			continue;
		if (cfg->nr_chans == MAX_CHANNELS) {
			diag_report(d, CFG_E_TOO_MANY, "config: more than %u channels", MAX_CHANNELS);
			return;
		}
		parse_channel(fdt, node, ac, sc, env, cfg, d);
	}
}
