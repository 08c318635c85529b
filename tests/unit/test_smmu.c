// SPDX-License-Identifier: Apache-2.0
/*
 * The SMMUv3 driver (hyp/drivers/smmuv3.c) against a register model
 * (fake_smmu.c), and DMA confinement (hyp/devices/iommu.c) on partitions:
 * stream table and context descriptor contents for assigned and unowned
 * StreamIDs, both stages, command queue wrap, CMD_SYNC timeout and command
 * errors, event decoding and fault lines, blocking a domain.
 */
#include <stdio.h>

#include "unit.h"
#include "fake_smmu.h"
#include "drivers/smmuv3.h"
#include "devices/iommu.h"
#include "umbra/arch.h"

#define TTB0 0x1234000ULL
#define TTB1 0x5678000ULL

#define OP(c) ((u8)(c)[0])

static void setup(void)
{
	fake_arch_reset();
	fake_smmu_reset(FAKE_IDR0_S1, 16);
	capture_start();
}

static void teardown(void)
{
	unit_free_all();
}

static const u64 *strtab(void)
{
	return (const u64 *)(uintptr_t)(fake_smmu.strtab_base & 0x000fffffffffffc0ULL);
}

/* The STE of sid through the two-level table, or NULL if its level-1
 * descriptor is invalid. */
static const u64 *ste_of(u32 sid)
{
	u64 l1 = strtab()[sid >> SMMU_SPLIT];

	if ((l1 & 0x1f) == 0)
		return NULL;
	ck_assert_uint_eq(l1 & 0x1f, SMMU_SPLIT + 1);
	return (const u64 *)(uintptr_t)(l1 & 0x000fffffffffffc0ULL) + 8 * (sid & 63);
}

static const u64 *cd_of(const u64 *ste)
{
	return (const u64 *)(uintptr_t)(ste[0] & 0x000fffffffffffc0ULL);
}

static void two_domains(void)
{
	struct smmu_domain_cfg d0 = { TTB0, 5 }, d1 = { TTB1, 6 };

	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), 0);
	ck_assert_int_eq(smmu_set_domain(0, &d0), 0);
	ck_assert_int_eq(smmu_set_domain(1, &d1), 0);
}

START_TEST(test_probe)
{
	fake_smmu_reset(0, 16);
	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), -E_NOENT);
	fake_smmu_reset(1u << 1, 16);                              /* S1P, AArch32 tables only */
	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), -E_INVAL);
	fake_smmu_reset(FAKE_IDR0_S1 & ~(3u << 27), 16);            /* 16-bit SIDs, linear only */
	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), -E_INVAL);
	fake_smmu_reset(FAKE_IDR0_S1, 16);
	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x10000), -E_INVAL);  /* page 1 missing */
	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), 0);
	ck_assert(smmu_present());
	ck_assert(!smmu_uses_stage2());
	fake_smmu_reset(FAKE_IDR0_S2 | (1u << 1), 16);
	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), 0);
	ck_assert(smmu_uses_stage2());
}
END_TEST

START_TEST(test_stream_table_stage1)
{
	const u64 *ste, *cd;
	u32 sid;

	two_domains();
	ck_assert_int_eq(smmu_assign(0x100, 0x100, 0), 0);           /* groups 4-7 whole */
	ck_assert_int_eq(smmu_assign(0x205, 1, 1), 0);               /* one StreamID of group 8 */
	ck_assert_int_eq(smmu_enable(), 0);
	/* two levels, SPLIT 6, 16-bit StreamIDs */
	ck_assert_uint_eq(smmu_fake_read32(0x88), (1u << 16) | (SMMU_SPLIT << 6) | 16);
	ck_assert_ptr_null(ste_of(0));
	ck_assert_ptr_null(ste_of(0xff));
	ck_assert_ptr_null(ste_of(0x300));
	ck_assert_ptr_null(ste_of(0xffff));
	/* the four whole groups share one level-2 table */
	ck_assert_uint_eq(strtab()[4], strtab()[7]);
	for (sid = 0x100; sid < 0x200; sid += 0x33) {
		ste = ste_of(sid);
		ck_assert_ptr_nonnull(ste);
		ck_assert_uint_eq(ste[0] & 0xf, 1 | (5 << 1));       /* V, stage-1 translate */
		ck_assert_uint_eq(ste[0] >> 59, 0);                   /* S1CDMax 0: one CD */
		ck_assert_uint_eq((ste[1] >> 48) & 0xf, 3 | (2 << 2)); /* privileged, data */
	}
	cd = cd_of(ste_of(0x100));
	ck_assert_uint_eq(cd[0] & 0x3f, 25);                       /* T0SZ: 39-bit IOVAs */
	ck_assert_uint_eq((cd[0] >> 6) & 3, 0);                    /* 4 KiB granule */
	ck_assert(cd[0] & (1ULL << 31));                           /* V */
	ck_assert(cd[0] & (1ULL << 30));                           /* EPD1: no TTB1 */
	ck_assert(cd[0] & (1ULL << 41));                           /* AArch64 */
	ck_assert(cd[0] & (1ULL << 45));                           /* R: faults recorded */
	ck_assert(cd[0] & (1ULL << 46));                           /* A: faults abort */
	ck_assert_uint_eq(cd[0] >> 48, 5);                         /* ASID */
	ck_assert_uint_eq((cd[0] >> 32) & 7, 4);                   /* IPS = OAS (44 bits) */
	ck_assert_uint_eq(cd[1], TTB0);
	ck_assert_uint_eq(cd[3], MAIR_EL2_VALUE);
	/* the split group: its own table, the others' StreamIDs abort */
	ck_assert_uint_ne(strtab()[8], strtab()[4]);
	ste = ste_of(0x205);
	ck_assert_uint_eq(ste[0] & 0xf, 1 | (5 << 1));
	ck_assert_uint_eq(cd_of(ste)[1], TTB1);
	ck_assert_uint_eq(cd_of(ste)[0] >> 48, 6);
	for (sid = 0x200; sid < 0x240; sid++)
		if (sid != 0x205)
			ck_assert_uint_eq(ste_of(sid)[0] & 0xf, 1);        /* V, abort */
	ck_assert_int_eq(smmu_sid_domain(0x1ff), 0);
	ck_assert_int_eq(smmu_sid_domain(0x205), 1);
	ck_assert_int_eq(smmu_sid_domain(0x206), -1);
	/* on, never bypassing */
	ck_assert_uint_eq(smmu_fake_read32(0x24), 1 | 4 | 8);       /* SMMUEN, EVENTQEN, CMDQEN */
	ck_assert(smmu_fake_read32(0x44) & (1u << 20));             /* GBPA.ABORT */
	ck_assert_uint_eq(smmu_fake_read32(0x54), 1 | 4);           /* GERROR, EVENTQ irqs */
	/* nothing cached from before: every STE and CD, every TLB entry */
	ck_assert_uint_eq(fake_smmu.nr_cmds, 3);
	ck_assert_uint_eq(OP(fake_smmu.cmds[0]), 0x04);
	ck_assert_uint_eq(fake_smmu.cmds[0][1] & 0x1f, 31);
	ck_assert_uint_eq(OP(fake_smmu.cmds[1]), 0x30);
	ck_assert_uint_eq(OP(fake_smmu.cmds[2]), 0x46);
}
END_TEST

START_TEST(test_stream_table_stage2)
{
	struct smmu_domain_cfg d0 = { TTB0, 2 };
	const u64 *ste;
	u64 vtcr;

	fake_smmu_reset(FAKE_IDR0_S2, 16);
	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), 0);
	ck_assert_int_eq(smmu_set_domain(0, &d0), 0);
	ck_assert_int_eq(smmu_assign(0, 0x10000, 0), 0);
	ck_assert_int_eq(smmu_enable(), 0);
	ste = ste_of(0x1234);
	ck_assert_uint_eq(ste[0] & 0xf, 1 | (6 << 1));             /* V, stage-2 translate */
	ck_assert_uint_eq(ste[2] & 0xffff, 2);                     /* S2VMID: the partition's */
	vtcr = (ste[2] >> 32) & 0x7ffff;
	ck_assert_uint_eq(vtcr & 0x3f, 25);                        /* S2T0SZ */
	ck_assert_uint_eq((vtcr >> 6) & 3, 1);                     /* start at level 1 */
	ck_assert_uint_eq((vtcr >> 14) & 3, 0);                    /* 4 KiB granule */
	ck_assert_uint_eq((vtcr >> 16) & 7, 4);                    /* PS: 44 bits */
	ck_assert(ste[2] & (1ULL << 51));                          /* S2AA64 */
	ck_assert(ste[2] & (1ULL << 58));                          /* S2R */
	ck_assert_uint_eq(ste[3], TTB0);                           /* its stage 2 */
	/* invalidation by VMID */
	fake_smmu.nr_cmds = 0;
	ck_assert_int_eq(smmu_inval(0), 0);
	ck_assert_uint_eq(OP(fake_smmu.cmds[0]), 0x28);
	ck_assert_uint_eq((fake_smmu.cmds[0][0] >> 32) & 0xffff, 2);
}
END_TEST

START_TEST(test_assign_errors)
{
	struct smmu_domain_cfg d = { TTB0, 1 };

	ck_assert_int_eq(smmu_probe((void *)0x9050000, 0x20000), 0);
	ck_assert_int_eq(smmu_assign(0, 1, 0), -E_INVAL);           /* domain not set up */
	ck_assert_int_eq(smmu_set_domain(SMMU_MAX_DOMAINS, &d), -E_INVAL);
	d.ttb = TTB0 | 8;                                             /* not 16-byte aligned */
	ck_assert_int_eq(smmu_set_domain(0, &d), -E_INVAL);
	two_domains();
	ck_assert_int_eq(smmu_assign(0x10, 0x10, 0), 0);
	ck_assert_int_eq(smmu_assign(0x18, 4, 1), -E_EXIST);
	ck_assert_int_eq(smmu_assign(0x0, 0x11, 1), -E_EXIST);
	ck_assert_int_eq(smmu_assign(0x12, 2, 0), 0);                /* its own again: fine */
	ck_assert_int_eq(smmu_assign(0x10000, 1, 1), -E_RANGE);
	ck_assert_int_eq(smmu_assign(0xfff0, 0x11, 1), -E_RANGE);
	ck_assert_int_eq(smmu_assign(0x20, 0, 1), -E_RANGE);
	ck_assert_int_eq(smmu_assign(0x20, 0xffffffffu, 1), -E_RANGE);
}
END_TEST

/* More split groups than level-2 tables: refused whole at enable. */
START_TEST(test_out_of_tables)
{
	unsigned g;

	two_domains();
	for (g = 0; g <= SMMU_L2_TABLES; g++) {
		ck_assert_int_eq(smmu_assign(g * 64, 1, 0), 0);
		ck_assert_int_eq(smmu_assign(g * 64 + 1, 1, 1), 0);
	}
	ck_assert_int_eq(smmu_enable(), -E_NOMEM);
}
END_TEST

START_TEST(test_cmdq_wrap)
{
	unsigned i, first;

	two_domains();
	ck_assert_int_eq(smmu_assign(0, 64, 0), 0);
	ck_assert_int_eq(smmu_enable(), 0);
	first = fake_smmu.nr_cmds;
	for (i = 0; i < 100; i++)                                     /* 200 commands, 64 slots */
		ck_assert_int_eq(smmu_inval(0), 0);
	ck_assert_uint_eq(fake_smmu.nr_cmds, first + 200);
	for (i = 0; i < 200; i += 2) {
		ck_assert_uint_eq(OP(fake_smmu.cmds[first + i]), 0x11); /* TLBI_NH_ASID */
		ck_assert_uint_eq(fake_smmu.cmds[first + i][0] >> 48, 5);
		ck_assert_uint_eq(OP(fake_smmu.cmds[first + i + 1]), 0x46);
	}
	/* producer and consumer met, wrap bit included */
	ck_assert_uint_eq(smmu_fake_read32(0x98), smmu_fake_read32(0x9c));
	ck_assert_uint_eq(smmu_fake_read32(0x98), (first + 200) % 128);
}
END_TEST

START_TEST(test_sync_timeout)
{
	two_domains();
	ck_assert_int_eq(smmu_assign(0, 64, 0), 0);
	ck_assert_int_eq(smmu_enable(), 0);
	fake_smmu.stalled = true;
	ck_assert_int_eq(smmu_inval(0), -E_TIMEOUT);                 /* bounded, not a hang */
	fake_smmu_unstall();
	ck_assert_int_eq(smmu_inval(0), 0);
}
END_TEST

START_TEST(test_command_error)
{
	two_domains();
	ck_assert_int_eq(smmu_assign(0, 64, 0), 0);
	ck_assert_int_eq(smmu_enable(), 0);
	fake_smmu.refuse_op = 0x11;
	ck_assert_int_eq(smmu_inval(0), -E_INVAL);
	/* acknowledged, and the queue goes on */
	ck_assert_uint_eq(smmu_fake_read32(0x60), smmu_fake_read32(0x64));
	ck_assert_int_eq(smmu_inval(0), 0);
}
END_TEST

START_TEST(test_events)
{
	const u64 fault[4] = { 0x10 | (0x108ULL << 32), 0, 0x73fff000, 0 };
	const u64 read_fault[4] = { 0x13 | (0x109ULL << 32), 1ULL << 35, 0x40200000, 0 };
	const u64 bad_sid[4] = { 0x02 | (0x300ULL << 32), 0, 0, 0 };
	struct smmu_event ev[4];
	bool lost = false;
	unsigned i;

	two_domains();
	ck_assert_int_eq(smmu_assign(0x100, 0x100, 0), 0);
	ck_assert_int_eq(smmu_enable(), 0);
	ck_assert_uint_eq(smmu_events(ev, 4, &lost), 0);
	fake_smmu_post_event(fault);
	fake_smmu_post_event(read_fault);
	fake_smmu_post_event(bad_sid);
	ck_assert_uint_eq(smmu_events(ev, 4, &lost), 3);
	ck_assert_uint_eq(ev[0].type, SMMU_EVT_F_TRANSLATION);
	ck_assert_uint_eq(ev[0].sid, 0x108);
	ck_assert(ev[0].has_addr && !ev[0].read);
	ck_assert_uint_eq(ev[0].addr, 0x73fff000);
	ck_assert_str_eq(smmu_event_name(ev[1].type), "F_PERMISSION");
	ck_assert(ev[1].read);
	ck_assert_uint_eq(ev[2].type, SMMU_EVT_C_BAD_STREAMID);
	ck_assert(!ev[2].has_addr);
	/* consumed: the consumer index follows, around the ring */
	for (i = 0; i < 60; i++)
		fake_smmu_post_event(fault);
	ck_assert_uint_eq(smmu_events(ev, 4, &lost), 4);
	while (smmu_events(ev, 4, &lost))
		;
	ck_assert(!lost);
	ck_assert_uint_eq(smmu_fake_read32(0xac), smmu_fake_read32(0xa8));
	/* more than the queue holds: the overflow is reported, acknowledged */
	for (i = 0; i < 70; i++)
		fake_smmu_post_event(fault);
	ck_assert_uint_eq(smmu_events(ev, 4, &lost), 4);
	ck_assert(lost);
	ck_assert_uint_eq(smmu_fake_read32(0xac) >> 31, smmu_fake_read32(0xa8) >> 31);
	lost = false;
	while (smmu_events(ev, 4, &lost))
		;
	ck_assert(!lost);
}
END_TEST

START_TEST(test_block)
{
	two_domains();
	ck_assert_int_eq(smmu_assign(0x40, 0x40, 0), 0);
	ck_assert_int_eq(smmu_assign(0x80, 1, 0), 0);
	ck_assert_int_eq(smmu_assign(0x81, 1, 1), 0);
	ck_assert_int_eq(smmu_enable(), 0);
	fake_smmu.nr_cmds = 0;
	ck_assert_int_eq(smmu_block(0, true), 0);
	ck_assert_uint_eq(ste_of(0x40)[0] & 0xf, 1);                 /* abort */
	ck_assert_uint_eq(ste_of(0x80)[0] & 0xf, 1);
	ck_assert_uint_eq(ste_of(0x81)[0] & 0xf, 1 | (5 << 1));      /* the other domain runs on */
	ck_assert_uint_eq(OP(fake_smmu.cmds[0]), 0x04);              /* CFGI_ALL */
	ck_assert_uint_eq(OP(fake_smmu.cmds[1]), 0x11);              /* its TLB entries */
	ck_assert_uint_eq(OP(fake_smmu.cmds[2]), 0x46);
	ck_assert_int_eq(smmu_block(0, false), 0);
	ck_assert_uint_eq(ste_of(0x40)[0] & 0xf, 1 | (5 << 1));
	ck_assert_uint_eq(ste_of(0x80)[0] & 0xf, 1 | (5 << 1));
}
END_TEST

/* ---- DMA confinement of partitions (iommu.c) ---- */

#define SMMU_PHANDLE 7

static struct platform plat;
static struct page_pool pool;
static struct test_guest alpha;

static void confine_alpha(bool with_channel)
{
	struct dev_cfg *dc = &alpha.cfg.dev[0];

	memset(&plat, 0, sizeof(plat));
	plat.smmu = (struct mem_range){ 0x9050000, 0x20000 };
	plat.smmu_phandle = SMMU_PHANDLE;
	guest_init(&alpha, "alpha", 1, 1, 1, 2 * SZ_2M);
	snprintf(dc->path, sizeof(dc->path), "/pcie@10000000");
	dc->dma = dc->pci = true;
	dc->iommu_phandle = SMMU_PHANDLE;
	dc->sid_base = 0;
	dc->nr_sids = 0x100;
	alpha.cfg.nr_dev = 1;
	if (with_channel) {
		alpha.cfg.chan[0].mem = (struct mem_range){ 0x4c000000, 0x10000 };
		alpha.cfg.chan[0].read_only = true;
		alpha.cfg.nr_chan = 1;
	}
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, 16 * PAGE_SIZE), 16 * PAGE_SIZE);
	ck_assert(iommu_probe(&plat));
	ck_assert_int_eq(iommu_setup(&alpha.p, 1, &plat, &pool), 0);
}

/* Walk the domain's stage-1 tables as the SMMU would (4 KiB granule, 39
 * bits from level 1): the descriptor mapping iova, or 0. */
static u64 dma_pte(const u64 *cd, u64 iova)
{
	const u64 *t = (const u64 *)(uintptr_t)(cd[1] & 0x000ffffffffff000ULL);
	unsigned level;

	for (level = 1; level <= 3; level++) {
		u64 e = t[(iova >> (12 + 9 * (3 - level))) & 511];

		if (!(e & 1))
			return 0;
		if (level == 3 || !(e & 2))
			return e;
		t = (const u64 *)(uintptr_t)(e & 0x000ffffffffff000ULL);
	}
	return 0;
}

START_TEST(test_partition_view)
{
	const u64 *cd;
	u64 ram, e;

	confine_alpha(true);
	ram = alpha.cfg.mem[0].base;
	ck_assert(strstr(captured(), "umbra: smmu: 'alpha' gets streams 0x0-0xff ('/pcie@10000000')"));
	ck_assert(strstr(captured(), "umbra: smmu: on (stage 1), 1 partition confined"));
	cd = cd_of(ste_of(0x42));
	ck_assert_uint_eq(cd[0] >> 48, 2);                          /* ASID: partition id + 1 */
	/* its RAM: read-write, never executable, non-global */
	e = dma_pte(cd, ram);
	ck_assert_msg(e & 1, "RAM not mapped: 0x%llx", (unsigned long long)e);
	ck_assert_uint_eq(e & 0x000ffffffffff000ULL, ram);
	ck_assert_uint_eq((e >> 6) & 3, 1);                           /* AP: RW */
	ck_assert(e & (1ULL << 11) && e & (1ULL << 53) && e & (1ULL << 54));
	e = dma_pte(cd, ram + 2 * SZ_2M - PAGE_SIZE);
	ck_assert_uint_eq(e & 0x000ffffffffff000ULL, ram + SZ_2M);   /* the 2 MiB block */
	/* its read-only channel end: read only */
	e = dma_pte(cd, 0x4c000000 + 0x8000);
	ck_assert_uint_eq((e >> 6) & 3, 3);
	/* nothing else: past its RAM, its own MMIO, Umbra, another's RAM */
	ck_assert_uint_eq(dma_pte(cd, ram + 2 * SZ_2M), 0);
	ck_assert_uint_eq(dma_pte(cd, ram - PAGE_SIZE), 0);
	ck_assert_uint_eq(dma_pte(cd, 0x10000000), 0);
	ck_assert_uint_eq(dma_pte(cd, 0x40200000), 0);
	ck_assert_uint_eq(dma_pte(cd, GUEST_RAM_BASE(2, 0)), 0);
	/* StreamIDs beyond its range abort */
	ck_assert_ptr_null(ste_of(0x100));
}
END_TEST

START_TEST(test_fault_lines)
{
	const u64 fault[4] = { 0x10 | (0x8ULL << 32), 0, 0x73fff000, 0 };
	const u64 bad_sid[4] = { 0x02 | (0x4242ULL << 32), 0, 0, 0 };
	u64 rec[4] = { 0x10 | (0x8ULL << 32), 0, 0, 0 };
	struct event_rec ev[4];
	u64 seq, next;
	unsigned i;

	events_read(~0ull, true, 0, ev, 1, &seq);
	confine_alpha(false);
	capture_clear();
	iommu_poll();                                                   /* no interrupt wired */
	ck_assert_str_eq(captured(), "");
	fake_smmu_post_event(fault);
	fake_smmu_post_event(bad_sid);
	iommu_poll();
	ck_assert_str_eq(captured(),
			 "umbra: smmu: 'alpha' stream 0x8: DMA write at 0x73fff000 refused (F_TRANSLATION)\r\n"
			 "umbra: smmu: unassigned stream 0x4242: DMA refused (C_BAD_STREAMID)\r\n");
	/* the same two as security events: the partition of the stream, or none */
	ck_assert_uint_eq(events_read(seq, true, 0, ev, 4, &next), 2);
	ck_assert(ev[0].type == EV_SMMU_FAULT && ev[0].a == 0x10 && ev[0].b == 0x73fff000 &&
		  ev[0].c == 8 && ev[0].part != ~0u);
	ck_assert(ev[1].type == EV_SMMU_FAULT && ev[1].a == 0x02 && ev[1].b == ~0ull &&
		  ev[1].c == 0x4242 && ev[1].part == ~0u);
	/* a device repeating a refused write (QEMU: every 4 bytes): counted */
	capture_clear();
	for (i = 1; i < 40; i++) {
		rec[2] = 0x73fff000 + 4 * i;
		fake_smmu_post_event(rec);
	}
	iommu_irq();
	ck_assert_str_eq(captured(), "");
	/* another page: a line of its own, saying what was not logged */
	rec[2] = 0x40200000;
	fake_smmu_post_event(rec);
	iommu_irq();
	ck_assert_str_eq(captured(),
			 "umbra: smmu: 'alpha' stream 0x8: DMA write at 0x40200000 refused (F_TRANSLATION); 39 more before not logged\r\n");
	/* the event, like the line, counts the repeats it stands for */
	ck_assert_uint_eq(events_read(next, true, 0, ev, 4, &next), 1);
	ck_assert_uint_eq(ev[0].a, 0x10 | (39ULL << 32));
	/* at most a burst of lines a second, then the rest is counted */
	capture_clear();
	for (i = 0; i < 20; i++) {
		rec[2] = 0x80000000 + i * PAGE_SIZE;
		fake_smmu_post_event(rec);
	}
	iommu_irq();
	ck_assert_uint_eq(captured_count("DMA write at"), 6);      /* 8 a second, 2 used */
	fake_arch.counter += arch_counter_freq();
	rec[2] = 0x90000000;
	fake_smmu_post_event(rec);
	iommu_irq();
	ck_assert(strstr(captured(), "DMA write at 0x90000000 refused (F_TRANSLATION); 14 more before not logged"));
}
END_TEST

/* Stopping or reloading a partition stops its DMA; a change of its memory
 * map drops the SMMU's cached translations. */
START_TEST(test_partition_lifecycle)
{
	confine_alpha(false);
	fake_smmu.nr_cmds = 0;
	iommu_partition_changed(&alpha.p);
	ck_assert_uint_eq(fake_smmu.nr_cmds, 2);
	ck_assert_uint_eq(OP(fake_smmu.cmds[0]), 0x11);
	ck_assert_uint_eq(fake_smmu.cmds[0][0] >> 48, 2);
	iommu_partition_block(&alpha.p, true);
	ck_assert_uint_eq(ste_of(0)[0] & 0xf, 1);
	iommu_partition_block(&alpha.p, false);
	ck_assert_uint_eq(ste_of(0)[0] & 0xf, 1 | (5 << 1));
}
END_TEST

/* No SMMU, or one that cannot be used: nothing confined, and said so. */
START_TEST(test_iommu_absent_or_unusable)
{
	memset(&plat, 0, sizeof(plat));
	guest_init(&alpha, "alpha", 1, 1, 1, SZ_2M);
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, 4 * PAGE_SIZE), 4 * PAGE_SIZE);
	ck_assert(!iommu_probe(&plat));
	ck_assert_str_eq(captured(), "");
	/* no translation stage at all */
	fake_smmu_reset(0, 16);
	plat.smmu = (struct mem_range){ 0x9050000, 0x20000 };
	ck_assert(!iommu_probe(&plat));
	ck_assert_str_eq(captured(),
			 "umbra: warning: smmu: SMMUv3 at 0x9050000 not usable (error -2): devices behind it are not confined\r\n");
	/* then setting up does nothing, and the hooks are no-ops */
	capture_clear();
	ck_assert_int_eq(iommu_setup(&alpha.p, 1, &plat, &pool), 0);
	iommu_partition_block(&alpha.p, true);
	iommu_partition_changed(&alpha.p);
	iommu_poll();
	ck_assert_str_eq(captured(), "");
	ck_assert_uint_eq(fake_smmu.nr_cmds, 0);
	ck_assert_uint_eq(pool.used, 0);
}
END_TEST

static void give_device(struct test_guest *g, u32 sid_base)
{
	struct dev_cfg *dc = &g->cfg.dev[0];

	snprintf(dc->path, sizeof(dc->path), "/dma@%x", sid_base);
	dc->dma = true;
	dc->iommu_phandle = SMMU_PHANDLE;
	dc->sid_base = sid_base;
	dc->nr_sids = 1;
	g->cfg.nr_dev = 1;
}

/* Wired interrupts go to the first confined partition's CPU, edge
 * triggered, handled by Umbra (not polled); partitions without a device
 * behind the SMMU are left alone. */
START_TEST(test_iommu_interrupts_wired)
{
	static struct test_guest beta;
	struct partition ps[2];
	const u64 fault[4] = { 0x10 | (0x8ULL << 32), 0, 0x73fff000, 0 };
	struct vcpu *v;

	memset(&plat, 0, sizeof(plat));
	plat.smmu = (struct mem_range){ 0x9050000, 0x20000 };
	plat.smmu_phandle = SMMU_PHANDLE;
	plat.smmu_evt_intid = 106;
	plat.smmu_gerr_intid = 108;
	guest_init(&beta, "beta", 2, 1, 1, SZ_2M);               /* no device */
	guest_init(&alpha, "alpha", 1, 1, 1, SZ_2M);
	give_device(&alpha, 8);
	beta.cfg.dev[0] = alpha.cfg.dev[0];
	beta.cfg.dev[0].iommu_phandle = SMMU_PHANDLE + 1;        /* behind another IOMMU */
	beta.cfg.nr_dev = 1;
	ps[0] = beta.p;
	ps[1] = alpha.p;
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, 16 * PAGE_SIZE), 16 * PAGE_SIZE);
	ck_assert(iommu_probe(&plat));
	ck_assert_int_eq(iommu_setup(ps, 2, &plat, &pool), 0);
	ck_assert(strstr(captured(),
			 "umbra: smmu: on (stage 1), 1 partition confined, every other stream aborts\r\n"));
	ck_assert_uint_eq(captured_count("gets streams"), 1);
	ck_assert_ptr_nonnull(ste_of(0x8));
	ck_assert(fake_gic.enabled[106] && fake_gic.enabled[108]);
	ck_assert(fake_gic.edge[106] && fake_gic.edge[108]);
	ck_assert_uint_eq(fake_gic.prio[106], GIC_PRIO_DEFAULT);
	ck_assert_uint_eq(fake_gic.route[106], alpha.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(fake_gic.route[108], alpha.cfg.cpu_mpidr[0]);
	/* not polled: the interrupt brings the event in */
	fake_smmu_post_event(fault);
	capture_clear();
	iommu_poll();
	ck_assert_str_eq(captured(), "");
	v = &alpha.p.vcpu[0];
	fake_gic.ack_queue[0] = 106;
	fake_gic.ack_queue[1] = GIC_SPURIOUS;
	fake_gic.nr_acks = 2;
	vgic_handle_irqs(v);
	ck_assert_str_eq(captured(),
			 "umbra: smmu: 'alpha' stream 0x8: DMA write at 0x73fff000 refused (F_TRANSLATION)\r\n");
	ck_assert_uint_eq(fake_gic.last_deactivate, 106);
	ck_assert_uint_eq(v->vgic.pending[0], 0);             /* nothing for the guest */
}
END_TEST

/* A stage-2 SMMU walks the partition's own stage 2. */
START_TEST(test_iommu_stage2)
{
	const u64 *ste;

	fake_smmu_reset(FAKE_IDR0_S2, 16);
	memset(&plat, 0, sizeof(plat));
	plat.smmu = (struct mem_range){ 0x9050000, 0x20000 };
	plat.smmu_phandle = SMMU_PHANDLE;
	guest_init(&alpha, "alpha", 1, 1, 1, SZ_2M);
	give_device(&alpha, 0x21);
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, 4 * PAGE_SIZE), 4 * PAGE_SIZE);
	ck_assert_int_eq(pgtable_init(&alpha.p.s2, PT_S2, 2, &pool), 0);
	ck_assert(iommu_probe(&plat));
	ck_assert_int_eq(iommu_setup(&alpha.p, 1, &plat, &pool), 0);
	ck_assert_uint_eq(pool.used, 1);                           /* no tables of its own */
	ste = ste_of(0x21);
	ck_assert_uint_eq(ste[0] & 0xf, 1 | (6 << 1));
	ck_assert_uint_eq(ste[2] & 0xffff, 2);                     /* tag: id + 1 */
	ck_assert_uint_eq(ste[3], pa_addr(pgtable_root_pa(&alpha.p.s2)));
	ck_assert(strstr(captured(), "umbra: smmu: on (stage 2), 1 partition confined, every other stream aborts; events polled\r\n"));
}
END_TEST

/* What cannot be confined stops the set-up, loudly. */
START_TEST(test_iommu_setup_fails)
{
	memset(&plat, 0, sizeof(plat));
	plat.smmu = (struct mem_range){ 0x9050000, 0x20000 };
	plat.smmu_phandle = SMMU_PHANDLE;
	guest_init(&alpha, "alpha", SMMU_MAX_DOMAINS, 1, 1, SZ_2M);   /* no domain for it */
	give_device(&alpha, 0x30);
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, 16 * PAGE_SIZE), 16 * PAGE_SIZE);
	ck_assert(iommu_probe(&plat));
	ck_assert_int_eq(iommu_setup(&alpha.p, 1, &plat, &pool), -E_RANGE);
	ck_assert_str_eq(captured(), "umbra: error: smmu: cannot set up DMA confinement (error -34)\r\n");
	ck_assert_uint_eq(fake_smmu.reg[0x20 / 4] & 1, 0);      /* CR0.SMMUEN never set */
	/* and the hooks stay off */
	capture_clear();
	iommu_partition_block(&alpha.p, true);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_iommu_setup_no_tables)
{
	memset(&plat, 0, sizeof(plat));
	plat.smmu = (struct mem_range){ 0x9050000, 0x20000 };
	plat.smmu_phandle = SMMU_PHANDLE;
	guest_init(&alpha, "alpha", 1, 1, 1, SZ_2M);
	give_device(&alpha, 0x30);
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);  /* root only */
	ck_assert(iommu_probe(&plat));
	ck_assert_int_eq(iommu_setup(&alpha.p, 1, &plat, &pool), -E_NOMEM);
	ck_assert(strstr(captured(), "umbra: error: smmu: cannot set up DMA confinement (error -12)\r\n"));
}
END_TEST

/* A command the SMMU refuses while a partition's DMA is stopped is
 * reported; an overflowing event queue and global errors are said once. */
START_TEST(test_iommu_errors_reported)
{
	const u64 fault[4] = { 0x10 | (0x8ULL << 32), 0, 0x73fff000, 0 };
	unsigned i;

	confine_alpha(false);
	capture_clear();
	fake_smmu.refuse_op = 0x04;                                  /* CFGI_ALL */
	iommu_partition_block(&alpha.p, true);
	ck_assert_str_eq(captured(),
			 "umbra: error: smmu: cannot stop the DMA of 'alpha' (error -22)\r\n");
	/* (the driver acknowledged that command error itself) */
	capture_clear();
	iommu_irq();
	ck_assert_str_eq(captured(), "");
	/* a global error: reported by the next interrupt, acknowledged */
	fake_smmu.reg[0x60 / 4] ^= 1u << 2;                          /* GERROR.EVTQ_ABT_ERR */
	iommu_irq();
	ck_assert_str_eq(captured(), "umbra: error: smmu: global error 0x4\r\n");
	ck_assert_uint_eq(smmu_fake_read32(0x60), smmu_fake_read32(0x64));
	capture_clear();
	iommu_irq();
	ck_assert_str_eq(captured(), "");
	iommu_partition_block(&alpha.p, false);
	ck_assert_str_eq(captured(), "");
	/* more events than the queue holds: said once */
	for (i = 0; i < 70; i++)
		fake_smmu_post_event(fault);
	iommu_irq();
	ck_assert_uint_eq(captured_count("smmu: event queue overflowed: some DMA faults were not recorded"), 1);
	for (i = 0; i < 70; i++)
		fake_smmu_post_event(fault);
	iommu_irq();
	iommu_irq();
	ck_assert_uint_eq(captured_count("event queue overflowed"), 1);
}
END_TEST

Suite *smmu_suite(void)
{
	Suite *s = suite_create("smmu");
	TCase *tc = tcase_create("smmu");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_stream_table_stage1);
	tcase_add_test(tc, test_stream_table_stage2);
	tcase_add_test(tc, test_assign_errors);
	tcase_add_test(tc, test_out_of_tables);
	tcase_add_test(tc, test_cmdq_wrap);
	tcase_add_test(tc, test_sync_timeout);
	tcase_add_test(tc, test_command_error);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_block);
	tcase_add_test(tc, test_partition_view);
	tcase_add_test(tc, test_fault_lines);
	tcase_add_test(tc, test_partition_lifecycle);
	tcase_add_test(tc, test_iommu_absent_or_unusable);
	tcase_add_test(tc, test_iommu_interrupts_wired);
	tcase_add_test(tc, test_iommu_stage2);
	tcase_add_test(tc, test_iommu_setup_fails);
	tcase_add_test(tc, test_iommu_setup_no_tables);
	tcase_add_test(tc, test_iommu_errors_reported);
	suite_add_tcase(s, tc);
	return s;
}
