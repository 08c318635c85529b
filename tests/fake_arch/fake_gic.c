// SPDX-License-Identifier: Apache-2.0
/* The fake GIC for host unit tests: distributor/redistributor state in
 * arrays, SGIs and acknowledgements recorded; see arch/fake.h. */
#include "arch/fake.h"
#include "drivers/gic.h"
#include "vm/vgic.h"

struct fake_gic fake_gic;

void fake_gic_reset(void)
{
	memset(&fake_gic, 0, sizeof(fake_gic));
	fake_gic.nr_spis = 224;
	fake_gic.nr_lrs = FAKE_NR_LRS;
}

static bool valid(unsigned intid)
{
	return intid < FAKE_NR_IRQS;
}

int gic_dist_init(u64 gicd_pa, u64 gicr_pa, u64 gicr_size)
{
	(void)gicd_pa;
	(void)gicr_pa;
	(void)gicr_size;
	return 0;
}

unsigned gic_nr_spis(void)
{
	return fake_gic.nr_spis;
}

int gic_cpu_init(u64 mpidr)
{
	(void)mpidr;
	return 0;
}

void gic_set_enable(unsigned intid, bool on)
{
	if (valid(intid))
		fake_gic.enabled[intid] = on;
}

bool gic_enabled(unsigned intid)
{
	return valid(intid) && fake_gic.enabled[intid];
}

void gic_set_priority(unsigned intid, u8 prio)
{
	if (valid(intid))
		fake_gic.prio[intid] = prio;
}

void gic_set_edge(unsigned intid, bool edge)
{
	if (valid(intid))
		fake_gic.edge[intid] = edge;
}

bool gic_is_edge(unsigned intid)
{
	return valid(intid) && fake_gic.edge[intid];
}

void gic_set_pending(unsigned intid, bool on)
{
	if (valid(intid))
		fake_gic.pending[intid] = on;
}

bool gic_pending(unsigned intid)
{
	return valid(intid) && fake_gic.pending[intid];
}

void gic_set_active(unsigned intid, bool on)
{
	if (valid(intid))
		fake_gic.active[intid] = on;
}

bool gic_active(unsigned intid)
{
	return valid(intid) && fake_gic.active[intid];
}

void gic_route_spi(unsigned intid, u64 mpidr)
{
	if (valid(intid))
		fake_gic.route[intid] = mpidr;
}

void arch_gic_cpuif_init(void)
{
}

u32 arch_gic_ack(void)
{
	if (fake_gic.next_ack < fake_gic.nr_acks)
		return fake_gic.ack_queue[fake_gic.next_ack++];
	return GIC_SPURIOUS;
}

void arch_gic_eoi(u32 intid)
{
	fake_gic.eois++;
	fake_gic.last_eoi = intid;
}

void arch_gic_deactivate(u32 intid)
{
	fake_gic.deactivates++;
	fake_gic.last_deactivate = intid;
}

void arch_gic_send_sgi(u64 target_mpidr, unsigned sgi)
{
	fake_gic.sgis++;
	fake_gic.sgi_mpidr = target_mpidr;
	fake_gic.sgi_id = sgi;
	if (fake_gic.sgi_hook)
		fake_gic.sgi_hook(target_mpidr, sgi);
}

unsigned arch_vgic_nr_lrs(void)
{
	return fake_gic.nr_lrs;
}

u64 arch_vgic_read_lr(unsigned n)
{
	return n < FAKE_NR_LRS ? fake_gic.lr[n] : 0;
}

u32 arch_vgic_empty_lrs(void)
{
	u32 m = 0;

	for (unsigned i = 0; i < fake_gic.nr_lrs && i < FAKE_NR_LRS; i++)
		if (!(fake_gic.lr[i] & (3UL << 62)))
			m |= 1u << i;
	return m;
}

void arch_vgic_write_lr(unsigned n, u64 v)
{
	if (n < FAKE_NR_LRS)
		fake_gic.lr[n] = v;
}

void arch_vgic_fast_ppis(u32 ppis)
{
	fake_gic.fast_ppis = ppis;
}

void arch_vgic_underflow_irq(bool on)
{
	fake_gic.underflow_irq = on;
}

void arch_vgic_trap_group1(bool on)
{
	fake_gic.trap_group1 = on;
}

bool arch_vgic_taken_at_once(const struct vcpu *v, unsigned prio)
{
	(void)v;
	(void)prio;
	return fake_gic.taken_at_once;
}

void arch_vgic_reset_cpu(void)
{
	fake_gic.trap_group1 = false;
	memset(fake_gic.lr, 0, sizeof(fake_gic.lr));
	fake_gic.underflow_irq = false;
	fake_gic.vcpu_if_resets++;
}
