// SPDX-License-Identifier: Apache-2.0
/*
 * Partitions from a validated config (hyp/partition/partition.c, guest_dt.c):
 * stage 2, images, the guest DT, and the lifecycle (PSCI SYSTEM_OFF,
 * SYSTEM_RESET). Platform RAM used here is host memory mapped at its own
 * physical address (phys_map), so the monitor's identity map holds.
 */
#include <libfdt.h>
#include <pthread.h>
#include <setjmp.h>

#include "unit.h"
#include "umbra_abi.h"

#define LIFE_RAM 0x50000000ULL
#define OTHER_RAM 0x58000000ULL
#define RAM_SIZE 0x00400000ULL
#define LIFE_IMAGE 0x41000000ULL
#define LIFE_INITRD 0x41100000ULL
#define INITRD_SIZE 0x3000ULL
#define OTHER_IMAGE 0x42000000ULL
#define STAGING_SIZE 0x00100000ULL
#define IMAGE_SIZE 0x2000ULL
#define OTHER_TEXT_OFFSET 0x80000ULL
#define LIFE_DTB (LIFE_RAM + RAM_SIZE - GUEST_DTB_MAX)
#define POOL_PAGES 16

static struct platform plat;
static struct umbra_config cfg;
static struct partition parts[2];
static struct page_pool pool;
static const void *fdt;
#define life (&parts[0])
#define other (&parts[1])


static void setup(void)
{
	struct diag d = { 0 };
	struct cfg_env env = unit_cfg_env(&plat);
	unsigned i;

	fake_arch_reset();
	partition_stopped_calls = 0;
	capture_start();
	phys_map(LIFE_RAM, RAM_SIZE);
	phys_map(OTHER_RAM, RAM_SIZE);
	phys_map(LIFE_IMAGE, 2 * STAGING_SIZE);   /* image and initrd */
	phys_map(OTHER_IMAGE, STAGING_SIZE);
	put_arm64_image(LIFE_IMAGE, 0, IMAGE_SIZE, 1);
	memset(phys_ptr(LIFE_INITRD), 0x1d, INITRD_SIZE);
	put_arm64_image(OTHER_IMAGE, OTHER_TEXT_OFFSET, IMAGE_SIZE, 2);

	fdt = load_dtb("life");
	ck_assert_uint_eq(platform_parse(fdt, &plat, &d), 0);
	ck_assert_uint_eq(config_parse(fdt, &env, &cfg, &d), 0);
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE), POOL_PAGES * PAGE_SIZE);
	for (i = 0; i < 2; i++) {
		struct partition *p = &parts[i];
		unsigned j;

		ck_assert_int_eq(partition_create(p, i, &cfg.part[i], fdt, &plat, &pool), 0);
		cpus_track(p);
		/* main.c: every CPU of a partition waits in vcpu_park(), and
		 * enters vCPU 0 once it is started */
		for (j = 0; j < p->nr_vcpus; j++)
			p->vcpu[j].parked = true;
		vcpu_enter_fake(&p->vcpu[0]);
	}
	capture_clear();
}

static void teardown(void)
{
	unit_free_all();
}

/* An SMCCC call from v on its own CPU; returns x0. */
static u64 call(struct vcpu *v, u64 x0, u64 x1, u64 x2, u64 x3)
{
	fake_arch.mpidr = v->part->cfg->cpu_mpidr[v->index];
	v->regs.x[0] = x0;
	v->regs.x[1] = x1;
	v->regs.x[2] = x2;
	v->regs.x[3] = x3;
	hypercall_dispatch(v);
	return v->regs.x[0];
}

static void assert_fresh_vcpu0(struct partition *p, u64 entry, u64 dtb)
{
	struct vcpu *v = &p->vcpu[0];

	ck_assert(v->on);
	ck_assert_uint_eq(v->regs.elr, entry);
	ck_assert_msg(v->regs.x[0] == dtb, "vCPU 0 starts with x0 = 0x%llx, not the DT at 0x%llx",
		      (unsigned long long)v->regs.x[0], (unsigned long long)dtb);
	ck_assert_uint_eq(v->regs.x[1], 0);
	ck_assert_uint_eq(v->regs.x[2], 0);
	ck_assert_uint_eq(v->regs.x[3], 0);
}

/* /chosen/umbra,restarts of a partition's DT */
static u32 dt_restarts(u64 dtb)
{
	int chosen = fdt_path_offset(phys_ptr(dtb), "/chosen"), len;
	const fdt32_t *v = chosen >= 0 ? fdt_getprop(phys_ptr(dtb), chosen, "umbra,restarts", &len)
				      : NULL;

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(len, 4);
	return fdt32_ld(v);
}

static void assert_loaded(void)
{
	ck_assert_int_eq(memcmp(phys_ptr(LIFE_RAM), phys_ptr(LIFE_IMAGE), IMAGE_SIZE), 0);
	ck_assert_int_eq(memcmp(phys_ptr(config_initrd_ipa(&cfg.part[0])), phys_ptr(LIFE_INITRD),
				INITRD_SIZE), 0);
	ck_assert_int_eq(fdt_check_header(phys_ptr(LIFE_DTB)), 0);
}

START_TEST(test_create_stage2)
{
	paddr_t pa;
	unsigned attrs, level;

	ck_assert_int_eq(life->state, PART_RUNNING);
	ck_assert_uint_eq(life->s2.vmid, 1);
	ck_assert_uint_eq(other->s2.vmid, 2);
	ck_assert(pgtable_lookup(&life->s2, LIFE_RAM + 0x1234, &pa, &attrs, &level));
	ck_assert_uint_eq(pa_addr(pa), LIFE_RAM + 0x1234);
	ck_assert_uint_eq(attrs, PT_R | PT_W | PT_X);
	ck_assert_uint_eq(level, 2);
	ck_assert(pgtable_lookup(&life->s2, LIFE_RAM + RAM_SIZE - 1, NULL, NULL, NULL));
	/* nothing else: not the next page, not the other partition, not
	 * the staging regions (pristine images), not Umbra, not the UART */
	ck_assert(!pgtable_lookup(&life->s2, LIFE_RAM + RAM_SIZE, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, LIFE_RAM - 1, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, OTHER_RAM, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, LIFE_IMAGE, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, LIFE_INITRD, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, OTHER_IMAGE, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, UNIT_UMBRA_BASE, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, 0x09000000, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, 0x09030000, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, plat.gicd.base, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&life->s2, plat.gicr.base, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&other->s2, LIFE_RAM, NULL, NULL, NULL));
	ck_assert(pgtable_lookup(&other->s2, OTHER_RAM, NULL, NULL, NULL));
}
END_TEST

START_TEST(test_create_devices)
{
	paddr_t pa;
	unsigned attrs, level;

	/* its RTC: one device page, RW, never executable; its SPI is its
	 * own and starts disabled, routed to its first CPU */
	ck_assert(pgtable_lookup(&life->s2, 0x09010004, &pa, &attrs, &level));
	ck_assert_uint_eq(pa_addr(pa), 0x09010004);
	ck_assert_uint_eq(attrs, PT_R | PT_W | PT_DEVICE);
	ck_assert_uint_eq(level, 3);
	ck_assert(!pgtable_lookup(&life->s2, 0x09011000, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&other->s2, 0x09010000, NULL, NULL, NULL));
	ck_assert(vgic_owns(life, 34));
	ck_assert(!vgic_owns(other, 34));
	ck_assert(!vgic_owns(life, 39));
	ck_assert(!fake_gic.enabled[34]);
	ck_assert_uint_eq(fake_gic.route[34], cfg.part[0].cpu_mpidr[0]);
	ck_assert_int_ge(fdt_path_offset(phys_ptr(LIFE_DTB), "/pl031@9010000"), 0);
	ck_assert_int_lt(fdt_path_offset(phys_ptr(LIFE_DTB), "/pl061@9030000"), 0);
	ck_assert_int_lt(fdt_path_offset(phys_ptr(OTHER_RAM + RAM_SIZE - GUEST_DTB_MAX),
					 "/pl031@9010000"), 0);
}
END_TEST

START_TEST(test_create_images_and_vcpus)
{
	const u8 *ram = phys_ptr(LIFE_RAM);

	assert_loaded();
	ck_assert_uint_eq(ram[IMAGE_SIZE], 0);
	ck_assert_uint_eq(config_initrd_ipa(&cfg.part[0]), LIFE_DTB - INITRD_SIZE);
	ck_assert_int_eq(memcmp(phys_ptr(OTHER_RAM + OTHER_TEXT_OFFSET), phys_ptr(OTHER_IMAGE), IMAGE_SIZE), 0);
	ck_assert_uint_eq(life->entry_ipa, LIFE_RAM);
	ck_assert_uint_eq(life->dtb_ipa, LIFE_DTB);
	assert_fresh_vcpu0(life, LIFE_RAM, LIFE_DTB);
	ck_assert(!life->vcpu[1].on);
	assert_fresh_vcpu0(other, OTHER_RAM + OTHER_TEXT_OFFSET, OTHER_RAM + RAM_SIZE - GUEST_DTB_MAX);
	/* what the guest reads was cleaned to memory */
	ck_assert_uint_gt(fake_arch.dcache_cleans, 0);
	ck_assert_uint_gt(fake_arch.icache_invals, 0);
}
END_TEST

START_TEST(test_create_guest_dt)
{
	const void *g = phys_ptr(LIFE_DTB);
	const fdt32_t *reg;
	const char *s;
	int node, len;

	ck_assert_int_eq(fdt_check_header(g), 0);
	ck_assert_uint_le(fdt_totalsize(g), GUEST_DTB_MAX);
	s = fdt_getprop(g, 0, "model", NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "life");
	/* its memory, exactly */
	node = fdt_path_offset(g, "/memory");
	ck_assert_int_ge(node, 0);
	reg = fdt_getprop(g, node, "reg", &len);
	ck_assert_int_eq(len, 16);
	ck_assert_uint_eq(fdt_cells_read(reg, 0, 2), LIFE_RAM);
	ck_assert_uint_eq(fdt_cells_read(reg, 2, 2), RAM_SIZE);
	ck_assert_int_lt(fdt_path_offset(g, "/memory@40000000"), 0);
	/* its CPUs only */
	ck_assert_int_ge(fdt_path_offset(g, "/cpus/cpu@0"), 0);
	ck_assert_int_ge(fdt_path_offset(g, "/cpus/cpu@1"), 0);
	ck_assert_int_lt(fdt_path_offset(g, "/cpus/cpu@2"), 0);
	ck_assert_int_lt(fdt_path_offset(g, "/cpus/cpu@3"), 0);
	/* no config, no Umbra's console, PSCI through HVC */
	ck_assert_int_lt(fdt_path_offset(g, "/umbra"), 0);
	ck_assert_int_lt(fdt_path_offset(g, "/pl011@9000000"), 0);
	node = fdt_path_offset(g, "/psci");
	ck_assert_int_ge(node, 0);
	ck_assert_str_eq(fdt_getprop(g, node, "method", NULL), "hvc");
	/* the vGIC: distributor and one redistributor frame per vCPU */
	node = fdt_node_offset_by_compatible(g, -1, "arm,gic-v3");
	ck_assert_int_ge(node, 0);
	reg = fdt_getprop(g, node, "reg", &len);
	ck_assert_int_eq(len, 32);
	ck_assert_uint_eq(fdt_cells_read(reg, 0, 2), plat.gicd.base);
	ck_assert_uint_eq(fdt_cells_read(reg, 2, 2), VGIC_DIST_SIZE);
	ck_assert_uint_eq(fdt_cells_read(reg, 4, 2), plat.gicr.base);
	ck_assert_uint_eq(fdt_cells_read(reg, 6, 2), 2 * VGIC_FRAME);
	/* /chosen from its config */
	node = fdt_path_offset(g, "/chosen");
	ck_assert_int_ge(node, 0);
	ck_assert_str_eq(fdt_getprop(g, node, "bootargs", NULL), "console=hvc0 quiet");
	ck_assert_ptr_null(fdt_getprop(g, node, "stdout-path", NULL));
	ck_assert_str_eq(fdt_getprop(g, node, "umbra,partition", NULL), "life");
	ck_assert_uint_eq(dt_restarts(LIFE_DTB), 0);
	reg = fdt_getprop(g, node, "linux,initrd-start", &len);
	ck_assert_int_eq(len, 8);
	ck_assert_uint_eq(fdt_cells_read(reg, 0, 2), LIFE_DTB - INITRD_SIZE);
	reg = fdt_getprop(g, node, "linux,initrd-end", &len);
	ck_assert_int_eq(len, 8);
	ck_assert_uint_eq(fdt_cells_read(reg, 0, 2), LIFE_DTB);
}
END_TEST

/* Boot in two steps (main.c): partition_setup leaves it set up but not
 * loaded (PART_RESTARTING: nothing can restart it, no vCPU on, its CPUs
 * count as parked, nothing written to its RAM); partition_boot loads and
 * starts it. A partition stopped between the two (a load failure) does
 * not wait for CPUs that never ran. */
START_TEST(test_setup_then_boot)
{
	static struct partition p;
	struct page_pool pool2;
	const u8 *ram = phys_ptr(OTHER_RAM);
	unsigned i, before = partition_stopped_calls;

	page_pool_init(&pool2, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE), POOL_PAGES * PAGE_SIZE);
	memset(phys_ptr(OTHER_RAM), 0xaa, RAM_SIZE);
	ck_assert_int_eq(partition_setup(&p, 1, &cfg.part[1], fdt, &plat, &pool2), 0);
	ck_assert_int_eq(p.state, PART_RESTARTING);
	for (i = 0; i < p.nr_vcpus; i++) {
		ck_assert(!p.vcpu[i].on);
		ck_assert(p.vcpu[i].parked);
	}
	ck_assert_uint_eq(ram[0], 0xaa);
	ck_assert_uint_eq(ram[RAM_SIZE - 1], 0xaa);
	ck_assert(!partition_halt(&p, EV_CAUSE_OTHER, "test"));
	ck_assert_int_eq(p.state, PART_RESTARTING);

	ck_assert_int_eq(partition_boot(&p), 0);
	ck_assert_int_eq(p.state, PART_RUNNING);
	assert_fresh_vcpu0(&p, OTHER_RAM + OTHER_TEXT_OFFSET, OTHER_RAM + RAM_SIZE - GUEST_DTB_MAX);
	ck_assert_uint_eq(ram[0], 0);   /* scrubbed below the image */
	ck_assert_int_eq(memcmp(phys_ptr(OTHER_RAM + OTHER_TEXT_OFFSET), phys_ptr(OTHER_IMAGE),
				IMAGE_SIZE), 0);

	/* set up again and stopped before it loads */
	page_pool_init(&pool2, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE), POOL_PAGES * PAGE_SIZE);
	memset(phys_ptr(OTHER_RAM), 0xaa, RAM_SIZE);
	ck_assert_int_eq(partition_setup(&p, 1, &cfg.part[1], fdt, &plat, &pool2), 0);
	capture_clear();
	partition_stop(&p, EV_CAUSE_LOAD_FAILED, "it did not load");
	ck_assert_int_eq(p.state, PART_STOPPED);
	ck_assert_uint_eq(partition_stopped_calls, before + 1);
	ck_assert_uint_eq(captured_count("did not stop"), 0);
	ck_assert_uint_eq(captured_count("stopped (it did not load)"), 1);
}
END_TEST

/* RAM at base (size bytes) as a load leaves it: the image and the initrd
 * (if any) where c puts them, the DT in its slot, zeroes elsewhere. */
static void assert_ram_loaded(const struct partition *p, u64 base, u64 size)
{
	const struct part_cfg *c = p->cfg;
	const u8 *ram = phys_ptr(base);
	const u8 *image = phys_ptr(c->image.base + p->image_off);
	const u8 *initrd = c->initrd.size ? phys_ptr(c->initrd.base) : NULL;
	u64 img = c->mem[0].base + p->text_offset;
	u64 rd = c->initrd.size ? config_initrd_ipa(c) : 0;
	u64 dtb = c->mem[0].base + c->mem[0].size - GUEST_DTB_MAX, a;
	unsigned wrong = 0;

	for (a = base; a < base + size; a++) {
		u8 want = 0;

		if (a >= img && a < img + p->image_size)
			want = image[a - img];
		else if (initrd && a >= rd && a < rd + c->initrd.size)
			want = initrd[a - rd];
		else if (a >= dtb && a < dtb + GUEST_DTB_MAX)
			continue;
		if (ram[a - base] != want && !wrong++)
			ck_assert_msg(0, "byte 0x%llx: 0x%02x, not 0x%02x", (unsigned long long)a,
				      ram[a - base], want);
	}
}

#define EXTRA_RAM 0x60000000ULL
#define EXTRA_SIZE 0x00301000ULL /* not a whole number of load windows */

static void *help_load(void *arg)
{
	partition_help_load(arg);
	return NULL;
}

/* The load in windows (partition.c): a partition with two memory ranges,
 * one of them not a multiple of the window, and RAM full of an earlier
 * owner's data. Its other CPUs (threads here) take windows while the boot
 * CPU measures; however the windows are shared out, RAM ends up as a load
 * leaves it and every window is done before vCPU 0 starts. Helping when
 * nothing is offered, or after the load, does nothing. */
START_TEST(test_load_in_windows)
{
	static struct partition p;
	static struct part_cfg c;
	struct page_pool pool2;
	pthread_t helper[2];
	unsigned i;

	c = cfg.part[0];
	c.mem[1] = (struct mem_range){ EXTRA_RAM, EXTRA_SIZE };
	c.nr_mem = 2;
	phys_map(EXTRA_RAM, EXTRA_SIZE);
	page_pool_init(&pool2, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE), POOL_PAGES * PAGE_SIZE);
	memset(phys_ptr(LIFE_RAM), 0xaa, RAM_SIZE);
	memset(phys_ptr(EXTRA_RAM), 0x55, EXTRA_SIZE);
	ck_assert_int_eq(partition_setup(&p, 0, &c, fdt, &plat, &pool2), 0);
	partition_help_load(&p); /* nothing offered: nothing taken */
	ck_assert_uint_eq(*(u8 *)phys_ptr(EXTRA_RAM), 0x55);

	partition_offer_load(&p);
	ck_assert_uint_eq(p.load.windows, 2 + 2);
	ck_assert(p.measuring);           /* attestation waits from the offer on */
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&helper[i], NULL, help_load, &p), 0);
	ck_assert_int_eq(partition_boot(&p), 0);
	ck_assert_uint_eq(__atomic_load_n(&p.load.done, __ATOMIC_ACQUIRE), p.load.windows);
	for (i = 0; i < 2; i++)
		pthread_join(helper[i], NULL);
	/* measured once, by whichever CPU took it first */
	ck_assert(p.load.measure_taken);
	ck_assert(!p.measuring);
	ck_assert_int_eq(p.state, PART_RUNNING);
	assert_fresh_vcpu0(&p, LIFE_RAM, LIFE_DTB);
	assert_ram_loaded(&p, LIFE_RAM, RAM_SIZE);
	assert_ram_loaded(&p, EXTRA_RAM, EXTRA_SIZE);
	ck_assert_int_eq(fdt_check_header(phys_ptr(LIFE_DTB)), 0);

	/* a late helper finds nothing left */
	memset(phys_ptr(EXTRA_RAM), 0x55, 16);
	partition_help_load(&p);
	ck_assert_uint_eq(*(u8 *)phys_ptr(EXTRA_RAM), 0x55);

	/* a restart loads and measures on its own, the same way */
	memset(phys_ptr(EXTRA_RAM + EXTRA_SIZE - PAGE_SIZE), 0x77, PAGE_SIZE);
	fake_arch.mpidr = c.cpu_mpidr[0];
	partition_restart(&p, EV_CAUSE_OTHER, "test");
	ck_assert_int_eq(p.state, PART_RUNNING);
	ck_assert(!p.measuring);
	assert_ram_loaded(&p, LIFE_RAM, RAM_SIZE);
	assert_ram_loaded(&p, EXTRA_RAM, EXTRA_SIZE);
}
END_TEST

START_TEST(test_create_pool_exhausted)
{
	struct partition p;
	struct page_pool tiny;

	page_pool_init(&tiny, unit_alloc(PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
	ck_assert_int_eq(partition_create(&p, 3, &cfg.part[1], fdt, &plat, &tiny), -E_NOMEM);
	ck_assert_str_eq(captured(), "umbra: other: cannot build stage-2 tables "
				     "(error -12: page-table pool exhausted)\r\n");
}
END_TEST

START_TEST(test_guest_cannot_reach_staging)
{
	struct vcpu *v = &life->vcpu[0];

	/* the pristine images are Umbra's: no console output from them, no
	 * vCPU started in them */
	ck_assert_uint_eq(call(v, UMBRA_HC_CONSOLE_WRITE, LIFE_IMAGE, 16, 0),
			  (u64)(s64)UMBRA_E_BAD_ADDRESS);
	ck_assert_uint_eq(call(v, UMBRA_HC_CONSOLE_WRITE, OTHER_RAM, 16, 0),
			  (u64)(s64)UMBRA_E_BAD_ADDRESS);
	ck_assert_uint_eq(call(v, PSCI_CPU_ON_64, 1, LIFE_IMAGE, 0), (u64)(s64)-9);
	ck_assert(!life->vcpu[1].on);
	ck_assert(life->tlbi_local); /* no other vCPU ran: TLBIs stay local */
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_system_reset_from_vcpu0)
{
	struct vcpu *v0 = &life->vcpu[0], *v1 = &life->vcpu[1];

	/* vCPU 1 was started and runs (so TLBIs are broadcast); the guest
	 * scribbles everywhere */
	ck_assert(life->tlbi_local);
	ck_assert_uint_eq(call(v0, PSCI_CPU_ON_64, 1, LIFE_RAM + 0x100, 0), PSCI_RET_SUCCESS);
	ck_assert(!life->tlbi_local);
	vcpu_enter_fake(v1);
	memset(phys_ptr(LIFE_RAM), 0xee, RAM_SIZE);
	memset(phys_ptr(OTHER_RAM + 0x200000), 0xee, 16);
	fake_arch.dcache_cleans = 0;

	call(v0, PSCI_SYSTEM_RESET, 0, 0, 0);
	ck_assert_int_eq(life->state, PART_RUNNING);
	ck_assert_uint_eq(partition_stopped_calls, 0);
	ck_assert_str_eq(captured(), "umbra: life: restarting (PSCI SYSTEM_RESET)\r\n");
	/* vCPU 1 was kicked off its CPU and stays off */
	ck_assert(!v1->on);
	ck_assert(v1->parked);
	ck_assert_uint_eq(fake_gic.sgi_mpidr, cfg.part[0].cpu_mpidr[1]);
	/* memory scrubbed, images reloaded, DT rebuilt */
	ck_assert_uint_eq(((u8 *)phys_ptr(LIFE_RAM))[0x200000], 0);
	assert_loaded();
	ck_assert_uint_gt(fake_arch.dcache_cleans, 0);
	/* the caller does not resume: its CPU enters vCPU 0 afresh, with the
	 * boot protocol's registers (x0 = its DT) */
	ck_assert(!vcpu_resumable(v0));
	assert_fresh_vcpu0(life, LIFE_RAM, LIFE_DTB);
	ck_assert(life->tlbi_local); /* vCPU 0 alone again */
	ck_assert_uint_eq(dt_restarts(LIFE_DTB), 1);
	/* nothing of the other partition changed */
	ck_assert_int_eq(other->state, PART_RUNNING);
	ck_assert_uint_eq(((u8 *)phys_ptr(OTHER_RAM))[0x200000], 0xee);
	ck_assert(vcpu_resumable(&other->vcpu[0]));
}
END_TEST

START_TEST(test_system_reset_from_vcpu1)
{
	struct vcpu *v0 = &life->vcpu[0], *v1 = &life->vcpu[1];

	ck_assert_uint_eq(call(v0, PSCI_CPU_ON_64, 1, LIFE_RAM + 0x100, 0x5), PSCI_RET_SUCCESS);
	vcpu_enter_fake(v1);
	memset(phys_ptr(LIFE_RAM), 0xee, 0x1000);
	call(v1, PSCI_SYSTEM_RESET, 0, 0, 0);
	ck_assert_int_eq(life->state, PART_RUNNING);
	/* vCPU 0 was kicked and parked, then started afresh; the caller is
	 * off and gets no return value */
	ck_assert_uint_eq(fake_gic.sgi_mpidr, cfg.part[0].cpu_mpidr[0]);
	ck_assert(!v1->on);
	ck_assert_uint_eq(v1->regs.x[0], PSCI_SYSTEM_RESET);
	assert_fresh_vcpu0(life, LIFE_RAM, LIFE_DTB);
	assert_loaded();
}
END_TEST

START_TEST(test_reset_after_off)
{
	struct vcpu *v0 = &life->vcpu[0];

	call(v0, PSCI_SYSTEM_OFF, 0, 0, 0);
	ck_assert_int_eq(life->state, PART_STOPPED);
	ck_assert_uint_eq(partition_stopped_calls, 1);
	memset(phys_ptr(LIFE_RAM), 0xee, 16);
	/* a stopped partition stays stopped */
	partition_restart(life, EV_CAUSE_OTHER, "too late");
	ck_assert_int_eq(life->state, PART_STOPPED);
	ck_assert(!v0->on);
	ck_assert_uint_eq(((u8 *)phys_ptr(LIFE_RAM))[0], 0xee);
	ck_assert_uint_eq(captured_count("restarting"), 0);
}
END_TEST

static struct vcpu *wake_target;

static void start_on_third_wait(void)
{
	if (fake_arch.cpu_waits == 3)
		vcpu_start(wake_target, LIFE_RAM + 0x200, 7);
}

START_TEST(test_vcpu_park_until_started)
{
	struct vcpu *v1 = &life->vcpu[1];
	jmp_buf entered;

	/* a CPU whose vCPU is off waits at EL2 until CPU_ON starts it, then
	 * enters it afresh */
	wake_target = v1;
	fake_arch.wait_hook = start_on_third_wait;
	fake_arch.halt = &entered;
	if (setjmp(entered) == 0) {
		vcpu_park(v1);
		ck_abort_msg("vcpu_park() returned");
	}
	ck_assert_ptr_eq(fake_arch.entered, v1);
	ck_assert_uint_eq(fake_arch.cpu_waits, 3);
	ck_assert(!v1->parked);
	ck_assert(vcpu_resumable(v1));
	ck_assert_uint_eq(v1->regs.elr, LIFE_RAM + 0x200);
	ck_assert_uint_eq(v1->regs.x[0], 7);
}
END_TEST

Suite *partition_suite(void)
{
	Suite *s = suite_create("partition");
	TCase *tc = tcase_create("lifecycle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_stage2);
	tcase_add_test(tc, test_create_devices);
	tcase_add_test(tc, test_create_images_and_vcpus);
	tcase_add_test(tc, test_create_guest_dt);
	tcase_add_test(tc, test_create_pool_exhausted);
	tcase_add_test(tc, test_guest_cannot_reach_staging);
	tcase_add_test(tc, test_system_reset_from_vcpu0);
	tcase_add_test(tc, test_system_reset_from_vcpu1);
	tcase_add_test(tc, test_reset_after_off);
	tcase_add_test(tc, test_vcpu_park_until_started);
	tcase_add_test(tc, test_setup_then_boot);
	tcase_add_test(tc, test_load_in_windows);
	suite_add_tcase(s, tc);
	return s;
}
