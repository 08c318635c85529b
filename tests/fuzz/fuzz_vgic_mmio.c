// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the guest-visible GICv3 (hyp/vm/vgic_mmio.c and the
 * vGIC state behind it) on the fake GIC. Two partitions owning disjoint
 * SPIs; each operation is a trapped distributor or redistributor access
 * (every size trap.c decodes: 1, 2, 4, 8; any offset, aligned or not,
 * inside and just past the frames), an ICC_SGI1R_EL1 write, a physical
 * SPI arriving, or the flush on the way back into the guest. Checked:
 * no sanitizer report, no panic, and a partition never changes the
 * physical state of an SPI it does not own.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "vm/vgic.h"

#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080a0000ULL
#define MAX_OPS 256

static struct fz_guest a, b;
static const unsigned a_spis[] = { 34, 35, 64, 1019 };
static const unsigned b_spis[] = { 39, 40, 65 };

static bool owned_by(const unsigned *s, unsigned n, unsigned intid)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (s[i] == intid)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct fake_gic before;
	struct fz_in in = { data, size };
	unsigned n, i;

	fake_arch_reset();
	fz_console_quiet();
	fz_guest_init(&a, "a", 1, 3, 0x1000);
	fz_guest_init(&b, "b", 2, 1, 0x1000);
	vgic_init(&a.p, GICD_BASE, GICR_BASE);
	vgic_init(&b.p, GICD_BASE, GICR_BASE);
	for (i = 0; i < sizeof(a_spis) / sizeof(a_spis[0]); i++)
		vgic_own_spi(&a.p, a_spis[i]);
	for (i = 0; i < sizeof(b_spis) / sizeof(b_spis[0]); i++)
		vgic_own_spi(&b.p, b_spis[i]);
	for (i = 0; i < a.p.nr_vcpus; i++)
		vgic_cpu_reset(&a.p.vcpu[i]);
	vgic_cpu_reset(&b.p.vcpu[0]);

	for (n = 0; n < MAX_OPS && fz_more(&in); n++) {
		u8 op = fz_u8(&in);
		struct fz_guest *g = op & 1 ? &b : &a;
		struct vcpu *v = &g->p.vcpu[fz_u8(&in) % g->p.nr_vcpus];
		unsigned sz = 1u << ((op >> 1) & 3);
		u64 val = fz_value(&in, 0, 0), ipa;

		fake_arch.mpidr = g->cfg.cpu_mpidr[v->index];
		switch (op >> 3) {
		case 0 ... 11:   /* distributor */
			ipa = GICD_BASE + fz_bytes(&in, 2);
			break;
		case 12 ... 23:  /* redistributors, and one frame past them */
			ipa = GICR_BASE + (u64)(fz_u8(&in) % 5) * VGIC_FRAME + fz_bytes(&in, 3) % VGIC_FRAME;
			break;
		case 24 ... 26:
			vgic_sgi_write(v, val);
			continue;
		case 27 ... 28: {
			unsigned intid = 32 + fz_bytes(&in, 2) % 992;

			if (owned_by(a_spis, 4, intid))
				vgic_raise_spi(&a.p, intid);
			else if (owned_by(b_spis, 3, intid))
				vgic_raise_spi(&b.p, intid);
			continue;
		}
		default:
			vgic_flush(v);
			continue;
		}
		before = fake_gic;
		vgic_mmio(v, ipa, sz, op & 0x80 ? true : false, &val);
		/* The other partition's SPIs and every unowned one: untouched. */
		for (i = 32; i < FAKE_NR_IRQS; i++) {
			if (owned_by(g == &a ? a_spis : b_spis, g == &a ? 4 : 3, i))
				continue;
			if (fake_gic.enabled[i] != before.enabled[i] ||
			    fake_gic.pending[i] != before.pending[i] ||
			    fake_gic.active[i] != before.active[i] ||
			    fake_gic.prio[i] != before.prio[i] || fake_gic.route[i] != before.route[i])
				abort();
		}
	}
	return 0;
}
