// SPDX-License-Identifier: Apache-2.0
/* Building partitions from their validated config, and their lifecycle:
 * start, vCPU on/off, stop, restart from pristine images. */
#include <libfdt.h>

#include "umbra/arch.h"
#include "attest/attest_svc.h"
#include "attest/image_auth.h"
#include "devices/channel.h"
#include "console/console.h"
#include "console/vuart.h"
#include "devices/device.h"
#include "devices/iommu.h"
#include "partition/guest_dt.h"
#include "partition/partition.h"

#define PARK_WAIT_SPINS (1u << 24)

static const void *platform_fdt;
static const struct platform *platform;

/* Map the devices it owns and claim their interrupts. */
static int assign_devices(struct partition *p)
{
	const struct part_cfg *c = p->cfg;
	unsigned i, k;
	int err;

	for (i = 0; i < c->nr_dev; i++) {
		const struct dev_cfg *d = &c->dev[i];

		if ((err = device_map(p, d)))
			return err;
		for (k = 0; k < d->nr_spi; k++)
			vgic_own_spi(p, d->spi[k]);
	}
	return device_assign_initial(p);
}

/*
 * A partition's RAM is loaded in windows of LOAD_WINDOW bytes of each of
 * its memory ranges: a window is zeroed, but where the image or the
 * initrd lands, which is copied there from its pristine copy, and cleaned
 * to PoC. Windows do not depend on one another, nor on the measurement,
 * which reads the pristine copies only (Umbra's: no partition maps them),
 * so it need not be finished when the partition starts: only its
 * attestation waits for it (p->measuring, attest_svc.c). At boot the
 * partition's other CPUs, started before it loads (main.c), help: the
 * first one measures, on while vCPU 0 runs (its own vCPU starts when it is
 * done), the others take windows with the boot CPU. The boot CPU measures
 * only if none took the measurement by the time the windows are done (a
 * partition with one CPU, a restart).
 */
#define LOAD_WINDOW (2UL << 20)

static u64 windows_of(u64 size)
{
	return (size + LOAD_WINDOW - 1) / LOAD_WINDOW;
}

static void load_plan_init(struct load_plan *l, const struct part_cfg *c)
{
	unsigned i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < c->nr_mem; i++)
		l->windows += windows_of(c->mem[i].size);
}

/* Window w: zeroes up to each image that overlaps it (the image, then
 * the initrd above it: config.c, update.c), the image's part, zeroes
 * after the last one. */
static void load_window(const struct partition *p, u64 w)
{
	const struct part_cfg *c = p->cfg;
	const struct { u64 dst, src, len; } copy[2] = {
		{ c->mem[0].base + p->text_offset, c->image.base + p->image_off, p->image_size },
		{ c->initrd.size ? config_initrd_ipa(c) : 0, c->initrd.base, c->initrd.size },
	};
	u64 at, end, a;
	unsigned i = 0, k;

	while (w >= windows_of(c->mem[i].size))
		w -= windows_of(c->mem[i++].size);
	at = c->mem[i].base + w * LOAD_WINDOW;
	end = MIN(at + LOAD_WINDOW, c->mem[i].base + c->mem[i].size);
	a = at;
	for (k = 0; k < ARRAY_SIZE(copy); k++) {
		u64 lo = MAX(copy[k].dst, at), hi = MIN(copy[k].dst + copy[k].len, end);

		if (lo >= hi)
			continue;
		arch_mem_zero(pa_to_ptr(pa_init(at)), lo - at);
		memcpy(pa_to_ptr(pa_init(lo)), pa_to_ptr(pa_init(copy[k].src + lo - copy[k].dst)),
		       hi - lo);
		at = hi;
	}
	arch_mem_zero(pa_to_ptr(pa_init(at)), end - at);
	arch_dcache_clean_range(pa_to_ptr(pa_init(a)), end - a);
}

/* Measure (once per load: the first CPU to ask), from the pristine
 * copies; attestation waits until this is done. A failure leaves the
 * partition without attestation (attest_svc.c refuses its calls). */
static int measure(struct partition *p, struct load_plan *l)
{
	int err;

	if (__atomic_exchange_n(&l->measure_taken, true, __ATOMIC_ACQ_REL))
		return 0;
	err = attest_svc_partition(p);
	if (err)
		pr_info("%s: cannot measure it (error %d)", p->cfg->name, err);
	__atomic_store_n(&p->measuring, false, __ATOMIC_RELEASE);
	return err;
}

/* Take windows until none is left. */
static void load_take(struct load_plan *l, const struct partition *p)
{
	u64 w;

	while ((w = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED)) < l->windows) {
		load_window(p, w);
		__atomic_fetch_add(&l->done, 1, __ATOMIC_RELEASE);
	}
}

void partition_offer_load(struct partition *p)
{
	load_plan_init(&p->load, p->cfg);
	__atomic_store_n(&p->measuring, true, __ATOMIC_RELEASE);
	__atomic_store_n(&p->load.offered, true, __ATOMIC_RELEASE);
}

void partition_help_load(struct partition *p)
{
	if (__atomic_load_n(&p->load.offered, __ATOMIC_ACQUIRE)) {
		measure(p, &p->load);
		load_take(&p->load, p);
	}
}

/* Scrub and copy (l: offered to other CPUs at boot, or this CPU's own),
 * measure unless another CPU does, build the DT, reset the vGIC, start
 * vCPU 0. The partition's vCPUs are all parked or being parked. */
static int partition_load(struct partition *p, struct load_plan *l)
{
	const struct part_cfg *c = p->cfg;
	const struct mem_range *ram0 = &c->mem[0];
	u64 initrd_ipa = c->initrd.size ? config_initrd_ipa(c) : 0;
	unsigned i, w;
	int err;

	p->entry_ipa = ram0->base + p->text_offset;
	if (!l->offered) {
		/* a restart re-measures: once the last measurement is done */
		partition_wait_measured(p);
		__atomic_store_n(&p->measuring, true, __ATOMIC_RELEASE);
	}
	load_take(l, p);
	while (__atomic_load_n(&l->done, __ATOMIC_ACQUIRE) < l->windows)
		;
	if (measure(p, l))
		return -E_INVAL;
	p->dtb_ipa = ram0->base + ram0->size - GUEST_DTB_MAX;
	err = guest_dt_build(pa_to_ptr(pa_init(p->dtb_ipa)), GUEST_DTB_MAX, platform_fdt, c,
			     platform, initrd_ipa, p->restarts);
	if (err) {
		pr_info("%s: cannot build its device tree: %s", c->name, fdt_strerror(err));
		return -E_INVAL;
	}
	arch_dcache_clean_range(pa_to_ptr(pa_init(p->dtb_ipa)), GUEST_DTB_MAX);
	arch_icache_inval_all();

	/* interrupts: nothing of the previous life stays pending or active */
	vgic_init(p, platform->gicd.base, platform->gicr.base);
	for (w = GIC_SPI_BASE; w < GIC_MAX_INTID; w++)
		if (vgic_owns(p, w) && !vgic_is_soft(p, w)) {
			gic_spi_reset(w, c->cpu_mpidr[0]);
		}
	for (i = 0; i < p->nr_vcpus; i++)
		vgic_cpu_reset(&p->vcpu[i]);
	vuart_reset(p);
	iommu_partition_block(p, false);
	log_event(p->id, EV_PART_START, p->restarts, 0, 0);
	__atomic_store_n(&p->tlbi_local, true, __ATOMIC_RELEASE);
	vcpu_start(&p->vcpu[0], p->entry_ipa, p->dtb_ipa);
	return 0;
}

int partition_setup(struct partition *p, unsigned id, const struct part_cfg *cfg,
		    const void *pfdt, const struct platform *plat, struct page_pool *pool)
{
	unsigned i;
	int err;

	platform_fdt = pfdt;
	platform = plat;
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->cfg = cfg;
	p->nr_vcpus = cfg->nr_cpus;
	p->image_off = cfg->image_off;
	p->image_size = cfg->image_size;
	p->text_offset = cfg->text_offset;
	for (i = 0; i < p->nr_vcpus; i++) {
		p->vcpu[i].part = p;
		p->vcpu[i].index = i;
		p->vcpu[i].parked = true; /* its CPU is not in the guest (not even started) */
	}
	err = pgtable_init(&p->s2, PT_S2, (u16)(id + 1), pool);
	for (i = 0; !err && i < cfg->nr_mem; i++)
		err = pgtable_map(&p->s2, cfg->mem[i].base, pa_init(cfg->mem[i].base),
				  cfg->mem[i].size, PT_R | PT_W | PT_X);
	if (!err)
		err = assign_devices(p);
	if (!err)
		err = channel_attach(p);
	if (!err)
		err = vuart_setup(p, cfg->vuart, cfg->vuart_intid);
	if (err) {
		pr_info("%s: cannot build stage-2 tables (error %d%s)", cfg->name, err,
			err == -E_NOMEM ? ": page-table pool exhausted" : "");
		return err;
	}
	console_register(p);
	/* a refused image stops this partition only (logged with its reason) */
	if (image_auth_partition(p) != IMG_OK) {
		p->state = PART_STOPPED;
		iommu_partition_block(p, true);
		device_partition_reset(p, false);
		return PARTITION_REFUSED;
	}
	p->state = PART_RESTARTING;
	return 0;
}

int partition_boot(struct partition *p)
{
	int err;

	if (!p->load.offered)
		load_plan_init(&p->load, p->cfg);
	err = partition_load(p, &p->load);

	if (!err)
		__atomic_store_n(&p->state, PART_RUNNING, __ATOMIC_RELEASE);
	return err;
}

int partition_create(struct partition *p, unsigned id, const struct part_cfg *cfg,
		     const void *pfdt, const struct platform *plat, struct page_pool *pool)
{
	int err = partition_setup(p, id, cfg, pfdt, plat, pool);

	return err ? err : partition_boot(p);
}

void vcpu_start(struct vcpu *v, u64 entry, u64 arg)
{
	arch_vcpu_reset(v, entry, arg);
	__atomic_add_fetch(&v->gen, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&v->on, true, __ATOMIC_RELEASE);
	arch_cpu_wake(v->part->cfg->cpu_mpidr[v->index]);
}

/* Wait until started, then enter. stop_vcpus takes parked for "off its
 * CPU": a stop that came after the wait ended but read parked before it
 * was cleared is seen by the check after clearing it (all sequentially
 * consistent, as in stop_vcpus), and the vCPU waits again. */
__noreturn void vcpu_park(struct vcpu *v)
{
	do {
		__atomic_store_n(&v->parked, true, __ATOMIC_SEQ_CST);
		while (!__atomic_load_n(&v->on, __ATOMIC_ACQUIRE)) {
			arch_cpu_wait();
			/* take the kick (and queue anything HW-linked for later) */
			vgic_handle_irqs(v);
			console_poll();
		}
		v->entered_gen = __atomic_load_n(&v->gen, __ATOMIC_ACQUIRE);
		__atomic_store_n(&v->parked, false, __ATOMIC_SEQ_CST);
	} while (!vcpu_resumable(v));
	arch_vcpu_enter(v);
}

/* Take every vCPU of p but the caller's off its CPU; wait until parked. */
static void stop_vcpus(struct partition *p, struct vcpu *self)
{
	unsigned i, spins;

	for (i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = &p->vcpu[i];

		__atomic_store_n(&v->on, false, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&v->gen, 1, __ATOMIC_SEQ_CST);
		if (v != self)
			arch_gic_send_sgi(p->cfg->cpu_mpidr[i], GIC_KICK_SGI);
	}
	for (i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = &p->vcpu[i];

		for (spins = 0; v != self && spins < PARK_WAIT_SPINS &&
		     !__atomic_load_n(&v->parked, __ATOMIC_SEQ_CST); spins++)
			;
		if (v != self && spins == PARK_WAIT_SPINS)
			pr_info("%s: vCPU %u did not stop", p->cfg->name, i);
	}
}

static struct vcpu *current_vcpu_of(struct partition *p)
{
	return partition_vcpu_by_mpidr(p, arch_this_mpidr());
}

/* spent: its restart budget was spent (EV_PART_STOP's b) */
static void stop(struct partition *p, enum event_cause cause, bool spent, const char *why)
{
	spin_lock(&p->lock);
	if (p->state == PART_STOPPED) {
		spin_unlock(&p->lock);
		return;
	}
	p->state = PART_STOPPED;
	spin_unlock(&p->lock);
	log_event(p->id, EV_PART_STOP, 0, spent, cause);
	stop_vcpus(p, current_vcpu_of(p));
	iommu_partition_block(p, true);
	device_partition_reset(p, false);
	console_guest_flush(p);
	pr_info("%s: stopped (%s)", p->cfg->name, why);
	umbra_partition_stopped();
}

void partition_stop(struct partition *p, enum event_cause cause, const char *why)
{
	stop(p, cause, false, why);
}

bool partition_halt(struct partition *p, enum event_cause cause, const char *why)
{
	spin_lock(&p->lock);
	if (p->state != PART_RUNNING) {
		spin_unlock(&p->lock);
		return false;
	}
	p->state = PART_RESTARTING;
	spin_unlock(&p->lock);
	log_event(p->id, EV_PART_RESTART, p->restarts + 1, 0, cause);
	stop_vcpus(p, current_vcpu_of(p));
	iommu_partition_block(p, true); /* no DMA into what is scrubbed and reloaded */
	device_partition_reset(p, true);
	console_guest_flush(p);
	p->restarts++;
	pr_info("%s: restarting (%s)", p->cfg->name, why);
	return true;
}

bool partition_resume(struct partition *p)
{
	struct load_plan l;

	load_plan_init(&l, p->cfg);
	if (partition_load(p, &l)) {
		partition_stop(p, EV_CAUSE_LOAD_FAILED, "restart failed");
		return false;
	}
	spin_lock(&p->lock);
	p->state = PART_RUNNING;
	spin_unlock(&p->lock);
	/* its peers learn that it starts afresh (docs/channels.md) */
	channel_peer_restarted(p);
	return true;
}

void partition_restart(struct partition *p, enum event_cause cause, const char *why)
{
	if (partition_halt(p, cause, why))
		partition_resume(p);
}

void vcpu_stop(struct vcpu *v)
{
	struct partition *p = v->part;
	bool any = false;
	unsigned i;

	spin_lock(&p->lock);
	__atomic_store_n(&v->on, false, __ATOMIC_RELEASE);
	for (i = 0; i < p->nr_vcpus; i++)
		any |= p->vcpu[i].on;
	spin_unlock(&p->lock);
	if (!any)
		partition_stop(p, EV_CAUSE_LAST_VCPU, "last vCPU off");
}

/* The restart budget: at most max_restarts restarts by policy within
 * any window of restart_window_ms starting at the first of them. */
static bool restart_allowed(struct partition *p)
{
	const struct part_cfg *c = p->cfg;
	u64 now = arch_counter();
	u64 window = arch_counter_freq() / 1000 * c->restart_window_ms;

	spin_lock(&p->lock);
	if (p->fail_restarts == 0 || now - p->fail_window_start >= window) {
		p->fail_window_start = now;
		p->fail_restarts = 0;
	}
	bool ok = p->fail_restarts < c->max_restarts;

	if (ok)
		p->fail_restarts++;
	spin_unlock(&p->lock);
	return ok;
}

bool partition_fail(struct partition *p, enum event_cause cause, const char *why)
{
	switch (p->cfg->on_failure) {
	case ON_FAILURE_RESTART:
		if (restart_allowed(p)) {
			partition_restart(p, cause, why);
			return true;
		}
		pr_warn("%s: %u restarts within %u ms: not restarted again", p->cfg->name,
			p->cfg->max_restarts, p->cfg->restart_window_ms);
		stop(p, cause, true, why);
		return true;
	case ON_FAILURE_STOP:
		partition_stop(p, cause, why);
		return true;
	default:
		return false;
	}
}
