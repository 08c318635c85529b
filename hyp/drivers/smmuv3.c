// SPDX-License-Identifier: Apache-2.0
/*
 * SMMUv3 driver (smmuv3.h). Section numbers are of Arm IHI 0070 (SMMUv3).
 *
 * Stream table: two levels (3.3.2) with SPLIT = 6, so a level-2 table of
 * 64 STEs is one page. All StreamIDs of a group of 64 that belong to one
 * domain share that domain's level-2 table (its STEs are all the same);
 * a group split between owners gets a table of its own, with abort STEs
 * for the StreamIDs nobody owns. Level-1 descriptors of groups nobody owns
 * stay invalid: the SMMU aborts their transactions (C_BAD_STREAMID).
 * An SMMU whose StreamIDs fit one group gets a linear table instead.
 *
 * Commands go one at a time through a small queue, each batch closed by a
 * CMD_SYNC whose completion is polled (bounded). Event records are taken
 * off the event queue by smmu_events() (from the interrupt, or polled).
 */
#include "umbra/arch.h"
#include "arch/pte.h"
#include "drivers/smmuv3.h"

/* Registers (6.3), page 0 unless noted */
#define SMMU_IDR0          0x00
#define SMMU_IDR1          0x04
#define SMMU_IDR5          0x14
#define SMMU_CR0           0x20
#define SMMU_CR0ACK        0x24
#define SMMU_CR1           0x28
#define SMMU_CR2           0x2c
#define SMMU_GBPA          0x44
#define SMMU_IRQ_CTRL      0x50
#define SMMU_IRQ_CTRLACK   0x54
#define SMMU_GERROR        0x60
#define SMMU_GERRORN       0x64
#define SMMU_STRTAB_BASE   0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE     0x90
#define SMMU_CMDQ_PROD     0x98
#define SMMU_CMDQ_CONS     0x9c
#define SMMU_EVENTQ_BASE   0xa0
#define SMMU_EVENTQ_PROD   0x100a8 /* page 1 */
#define SMMU_EVENTQ_CONS   0x100ac /* page 1 */
#define SMMU_REGS_SIZE     0x20000

#define IDR0_S2P           BIT(0)
#define IDR0_S1P           BIT(1)
#define IDR0_TTF(v)        (((v) >> 2) & 3)     /* 2: AArch64, 3: both */
#define IDR0_COHACC        BIT(4)
#define IDR0_ASID16        BIT(12)
#define IDR0_VMID16        BIT(18)
#define IDR0_ST_LEVEL(v)   (((v) >> 27) & 3)    /* 1: 2-level supported */
#define IDR1_SIDSIZE(v)    ((v) & 0x3f)
#define IDR1_EVENTQS(v)    (((v) >> 16) & 0x1f)
#define IDR1_CMDQS(v)      (((v) >> 21) & 0x1f)
#define IDR5_OAS(v)        ((v) & 7)
#define IDR5_GRAN4K        BIT(4)

#define CR0_SMMUEN         BIT(0)
#define CR0_EVENTQEN       BIT(2)
#define CR0_CMDQEN         BIT(3)
/* CR1: tables and queues Normal WB cacheable, inner shareable */
#define CR1_VALUE          ((1u << 0) | (1u << 2) | (3u << 4) | (1u << 6) | (1u << 8) | (3u << 10))
#define CR2_RECINVSID      BIT(1)                /* log C_BAD_STREAMID */
#define CR2_PTM            BIT(2)                /* no broadcast TLB maintenance */
#define GBPA_ABORT         BIT(20)
#define GBPA_UPDATE        BIT(31)
#define IRQ_CTRL_GERROR    BIT(0)
#define IRQ_CTRL_EVENTQ    BIT(2)
#define GERROR_CMDQ_ERR    BIT(0)
#define Q_BASE_RWA         BIT(62)               /* RA (CMDQ) / WA (EVENTQ) */
#define Q_ADDR_MASK        0x000fffffffffffe0UL
#define Q_OVF              BIT(31)               /* EVENTQ_PROD.OVFLG, _CONS.OVACKFLG */
#define STRTAB_ADDR_MASK   0x000fffffffffffc0UL
#define STRTAB_CFG_2LVL    (1u << 16)

/* Commands (4.1) */
#define CMD_CFGI_ALL       0x04
#define CMD_TLBI_NH_ASID   0x11
#define CMD_TLBI_S12_VMALL 0x28
#define CMD_TLBI_NSNH_ALL  0x30
#define CMD_SYNC           0x46
#define CONS_ERR(v)        (((v) >> 24) & 0x7f)

/* Stream table entry (5.2) */
#define STE0_V             BIT(0)
#define STE0_CFG_ABORT     (0UL << 1)
#define STE0_CFG_S1        (5UL << 1)
#define STE0_CFG_S2        (6UL << 1)
#define STE1_S1_WB_ISH     ((1UL << 2) | (1UL << 4) | (3UL << 6))   /* S1CIR, S1COR, S1CSH */
#define STE1_SHCFG_INCOMING (1UL << 44)
#define STE1_PRIV_DATA     ((3UL << 48) | (2UL << 50))              /* privileged, data */
#define STE2_VTCR_SHIFT    32
#define STE2_S2AA64        BIT(51)
#define STE2_S2PTW         BIT(54)
#define STE2_S2R           BIT(58)
/* Context descriptor (5.4) */
#define CD0_T0SZ(n)        ((u64)(n))
#define CD0_TG0_4K         (0UL << 6)
#define CD0_WB_ISH         ((1UL << 8) | (1UL << 10) | (3UL << 12)) /* IR0, OR0, SH0 */
#define CD0_EPD1           BIT(30)
#define CD0_V              BIT(31)
#define CD0_IPS(n)         ((u64)(n) << 32)
#define CD0_AA64           BIT(41)
#define CD0_R              BIT(45)               /* record faults */
#define CD0_A              BIT(46)               /* abort (no stall) */
#define CD0_ASET           BIT(47)               /* ASID not shared with CPUs */
#define CD0_ASID(n)        ((u64)(n) << 48)
#define TTB_MASK           0x000ffffffffffff0UL
/* VTCR fields as the STE holds them (5.2, STE.S2T0SZ ... S2PS) */
#define VTCR_T0SZ(n)       ((u64)(n))
#define VTCR_SL0_L1        (1UL << 6)
#define VTCR_WB_ISH        ((1UL << 8) | (1UL << 10) | (3UL << 12))
#define VTCR_PS(n)         ((u64)(n) << 16)

#define T0SZ_39BIT         25                    /* the monitor's tables: 39-bit input */
#define STES_PER_L2        (1u << SMMU_SPLIT)
#define L1_ENTRIES         (1u << (SMMU_MAX_SIDBITS - SMMU_SPLIT))
#define MAX_RANGES         16
#define NO_DOMAIN          (-1)
#define MIXED              (-2)

struct sid_range { u32 first, count; unsigned d; };

static struct {
	u8 *regs;
	u32 idr0, sidbits, oas;
	bool present, enabled, stage2, two_level;
	struct smmu_domain_cfg dom[SMMU_MAX_DOMAINS];
	bool dom_set[SMMU_MAX_DOMAINS], blocked[SMMU_MAX_DOMAINS];
	struct sid_range range[MAX_RANGES];
	unsigned nr_ranges;
	u32 cmd_prod, evt_cons;
	unsigned l2_used;
	int l2_owner[SMMU_L2_TABLES];        /* domain a shared table is for, or MIXED */
	u32 l2_first[SMMU_L2_TABLES];        /* a MIXED table's first StreamID */
} smmu;

static u64 strtab_l1[L1_ENTRIES] __aligned(L1_ENTRIES * 8);
static u64 l2_tables[SMMU_L2_TABLES][STES_PER_L2 * 8] __aligned(PAGE_SIZE);
static u64 cds[SMMU_MAX_DOMAINS][8] __aligned(64);
static u64 cmdq[1u << SMMU_CMDQ_LOG2][2] __aligned(16u << SMMU_CMDQ_LOG2);
static u64 evtq[1u << SMMU_EVTQ_LOG2][4] __aligned(32u << SMMU_EVTQ_LOG2);

/* Register access: a host test supplies a register model instead. */
#ifdef SMMU_FAKE_MMIO
u32 smmu_fake_read32(u64 off);
void smmu_fake_write32(u64 off, u32 v);
void smmu_fake_write64(u64 off, u64 v);
#define rd32(off) smmu_fake_read32(off)
#define wr32(off, v) smmu_fake_write32(off, v)
#define wr64(off, v) smmu_fake_write64(off, v)
#else
static u32 rd32(u64 off) { return *(volatile u32 *)(smmu.regs + off); }
static void wr32(u64 off, u32 v) { *(volatile u32 *)(smmu.regs + off) = v; }
static void wr64(u64 off, u64 v) { *(volatile u64 *)(smmu.regs + off) = v; }
#endif

/* Tables written by the CPU must reach the SMMU before it is told. */
static void publish(const void *p, u64 len)
{
	if (!(smmu.idr0 & IDR0_COHACC))
		arch_dcache_clean_range(p, len);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static int wait_reg(u64 off, u32 mask, u32 want)
{
	u32 i;

	for (i = 0; i < SMMU_SPIN_MAX; i++)
		if ((rd32(off) & mask) == want)
			return 0;
	return -E_TIMEOUT;
}

static int write_cr0(u32 v)
{
	wr32(SMMU_CR0, v);
	return wait_reg(SMMU_CR0ACK, ~0u, v);
}

int smmu_probe(void *regs, u64 size)
{
	u32 idr1, idr5;

	smmu.regs = regs;
	smmu.present = false;
	if (size < SMMU_REGS_SIZE)
		return -E_INVAL;
	smmu.idr0 = rd32(SMMU_IDR0);
	idr1 = rd32(SMMU_IDR1);
	idr5 = rd32(SMMU_IDR5);
	if (!(smmu.idr0 & (IDR0_S1P | IDR0_S2P)))
		return -E_NOENT;
	if (!(IDR0_TTF(smmu.idr0) & 2) || !(idr5 & IDR5_GRAN4K) ||
	    IDR1_CMDQS(idr1) < SMMU_CMDQ_LOG2 || IDR1_EVENTQS(idr1) < SMMU_EVTQ_LOG2)
		return -E_INVAL;
	smmu.sidbits = MIN(IDR1_SIDSIZE(idr1), (u32)SMMU_MAX_SIDBITS);
	smmu.two_level = smmu.sidbits > SMMU_SPLIT;
	if (smmu.two_level && IDR0_ST_LEVEL(smmu.idr0) != 1)
		return -E_INVAL;
	smmu.oas = MIN(IDR5_OAS(idr5), 5u);      /* 48 bits at most: no LPA */
	smmu.stage2 = smmu.idr0 & IDR0_S2P;
	smmu.present = true;
	return 0;
}

bool smmu_present(void) { return smmu.present; }
bool smmu_uses_stage2(void) { return smmu.stage2; }

int smmu_set_domain(unsigned d, const struct smmu_domain_cfg *c)
{
	if (d >= SMMU_MAX_DOMAINS || !smmu.present || smmu.enabled || (c->ttb & ~TTB_MASK))
		return -E_INVAL;
	smmu.dom[d] = *c;
	smmu.dom_set[d] = true;
	return 0;
}

int smmu_sid_domain(u32 sid)
{
	unsigned i;

	for (i = 0; i < smmu.nr_ranges; i++)
		if (sid - smmu.range[i].first < smmu.range[i].count)
			return (int)smmu.range[i].d;
	return NO_DOMAIN;
}

int smmu_assign(u32 sid, u32 count, unsigned d)
{
	unsigned i;

	if (!smmu.present || smmu.enabled || d >= SMMU_MAX_DOMAINS || !smmu.dom_set[d])
		return -E_INVAL;
	if (count == 0 || sid >= (1u << smmu.sidbits) || count > (1u << smmu.sidbits) - sid)
		return -E_RANGE;
	for (i = 0; i < smmu.nr_ranges; i++)
		if (sid < smmu.range[i].first + smmu.range[i].count &&
		    smmu.range[i].first < sid + count)
			return smmu.range[i].d == d ? 0 : -E_EXIST;
	if (smmu.nr_ranges == MAX_RANGES)
		return -E_NOMEM;
	smmu.range[smmu.nr_ranges++] = (struct sid_range){ sid, count, d };
	return 0;
}

/* ---- stream table ---- */

static void cd_build(unsigned d)
{
	u64 *cd = cds[d];

	cd[1] = smmu.dom[d].ttb & TTB_MASK;
	cd[2] = 0;
	cd[3] = MAIR_EL2_VALUE;                 /* the attribute indexes of arch/pte.h */
	cd[0] = CD0_T0SZ(T0SZ_39BIT) | CD0_TG0_4K | CD0_WB_ISH | CD0_EPD1 | CD0_V |
		CD0_IPS(smmu.oas) | CD0_AA64 | CD0_R | CD0_A | CD0_ASET |
		CD0_ASID(smmu.dom[d].tag);
	publish(cd, 64);
}

/* The STE for a StreamID of domain d (or of nobody: d < 0). dw0 last: an
 * SMMU reading a live STE sees the old or the new one whole enough. */
static void ste_write(u64 *ste, int d)
{
	bool live = d >= 0 && !smmu.blocked[d];

	if (d >= 0 && smmu.stage2) {
		ste[1] = STE1_SHCFG_INCOMING | STE1_PRIV_DATA;
		ste[2] = smmu.dom[d].tag | ((VTCR_T0SZ(T0SZ_39BIT) | VTCR_SL0_L1 | VTCR_WB_ISH |
					     VTCR_PS(smmu.oas)) << STE2_VTCR_SHIFT) |
			 STE2_S2AA64 | STE2_S2PTW | STE2_S2R;
		ste[3] = smmu.dom[d].ttb & TTB_MASK;
	} else if (d >= 0) {
		ste[1] = STE1_S1_WB_ISH | STE1_SHCFG_INCOMING | STE1_PRIV_DATA;
		ste[2] = ste[3] = 0;
	}
	__atomic_store_n(&ste[0], STE0_V | (!live ? STE0_CFG_ABORT :
		smmu.stage2 ? STE0_CFG_S2 : (STE0_CFG_S1 | (ptr_to_pa(cds[d]).pa & STRTAB_ADDR_MASK))),
		__ATOMIC_RELEASE);
}

/* Owner of a group of StreamIDs: a domain, NO_DOMAIN or MIXED. */
static int group_owner(u32 first, u32 n)
{
	int owner = smmu_sid_domain(first);
	u32 i;

	for (i = 1; i < n; i++)
		if (smmu_sid_domain(first + i) != owner)
			return MIXED;
	return owner;
}

static void table_fill(unsigned t, u32 first, int owner)
{
	u32 i;

	for (i = 0; i < STES_PER_L2; i++)
		ste_write(&l2_tables[t][i * 8], owner == MIXED ? smmu_sid_domain(first + i) : owner);
	publish(l2_tables[t], sizeof(l2_tables[t]));
}

/* A level-2 table for a group: the owner's shared one, or one of its own. */
static int table_for(u32 first, int owner)
{
	unsigned t;

	if (owner != MIXED)
		for (t = 0; t < smmu.l2_used; t++)
			if (smmu.l2_owner[t] == owner)
				return (int)t;
	if (smmu.l2_used == SMMU_L2_TABLES)
		return -E_NOMEM;
	t = smmu.l2_used++;
	smmu.l2_owner[t] = owner;
	smmu.l2_first[t] = first;
	table_fill(t, first, owner);
	return (int)t;
}

/* Level 1 (two levels), or the one linear table: its base address. */
static int strtab_build(u64 *base)
{
	u32 g;
	int owner, t;

	smmu.l2_used = 0;
	if (!smmu.two_level) {
		/* every StreamID fits one table; those of nobody abort */
		owner = group_owner(0, 1u << smmu.sidbits);
		t = table_for(0, owner == NO_DOMAIN ? MIXED : owner);
		*base = ptr_to_pa(l2_tables[t]).pa;
		return 0;
	}
	*base = ptr_to_pa(strtab_l1).pa;
	for (g = 0; g < 1u << (smmu.sidbits - SMMU_SPLIT); g++) {
		owner = group_owner(g * STES_PER_L2, STES_PER_L2);
		strtab_l1[g] = 0;
		if (owner == NO_DOMAIN)
			continue;
		t = table_for(g * STES_PER_L2, owner);
		if (t < 0)
			return t;
		strtab_l1[g] = (ptr_to_pa(l2_tables[t]).pa & STRTAB_ADDR_MASK) | (SMMU_SPLIT + 1);
	}
	publish(strtab_l1, sizeof(strtab_l1));
	return 0;
}

/* ---- command queue (3.5) ---- */

static u32 q_idx(u32 p, unsigned log2) { return p & ((1u << log2) - 1); }
static u32 q_wrap(u32 p, unsigned log2) { return p & (1u << log2); }

static bool cmdq_full(u32 prod, u32 cons)
{
	return q_idx(prod, SMMU_CMDQ_LOG2) == q_idx(cons, SMMU_CMDQ_LOG2) &&
	       q_wrap(prod, SMMU_CMDQ_LOG2) != q_wrap(cons, SMMU_CMDQ_LOG2);
}

static u32 q_next(u32 p, unsigned log2)
{
	return (p + 1) & ((2u << log2) - 1);
}

static int cmd_push(u64 dw0, u64 dw1)
{
	u32 i, slot;

	for (i = 0; cmdq_full(smmu.cmd_prod, rd32(SMMU_CMDQ_CONS)); i++)
		if (i == SMMU_SPIN_MAX)
			return -E_TIMEOUT;
	slot = q_idx(smmu.cmd_prod, SMMU_CMDQ_LOG2);
	cmdq[slot][0] = dw0;
	cmdq[slot][1] = dw1;
	publish(cmdq[slot], 16);
	smmu.cmd_prod = q_next(smmu.cmd_prod, SMMU_CMDQ_LOG2);
	wr32(SMMU_CMDQ_PROD, smmu.cmd_prod);
	return 0;
}

/* A command the SMMU refused (CMDQ_ERR): make it a harmless CMD_SYNC and
 * let the queue go on (7.1). */
static int cmdq_recover(void)
{
	u32 err = rd32(SMMU_GERROR) ^ rd32(SMMU_GERRORN), cons;

	if (!(err & GERROR_CMDQ_ERR))
		return 0;
	cons = rd32(SMMU_CMDQ_CONS);
	cmdq[q_idx(cons, SMMU_CMDQ_LOG2)][0] = CMD_SYNC;
	cmdq[q_idx(cons, SMMU_CMDQ_LOG2)][1] = 0;
	publish(cmdq[q_idx(cons, SMMU_CMDQ_LOG2)], 16);
	wr32(SMMU_GERRORN, rd32(SMMU_GERRORN) ^ GERROR_CMDQ_ERR);
	return -E_INVAL;
}

/* CMD_SYNC, then wait until the SMMU has consumed everything up to it. */
static int cmd_sync(void)
{
	int err = cmd_push(CMD_SYNC, 0), bad = 0;
	u32 i, cons;

	if (err)
		return err;
	for (i = 0; i < SMMU_SPIN_MAX; i++) {
		cons = rd32(SMMU_CMDQ_CONS);
		if (CONS_ERR(cons) || (rd32(SMMU_GERROR) ^ rd32(SMMU_GERRORN)) & GERROR_CMDQ_ERR)
			bad = cmdq_recover();
		if ((cons & ((2u << SMMU_CMDQ_LOG2) - 1)) == smmu.cmd_prod)
			return bad;
	}
	return -E_TIMEOUT;
}

static int inval_tlb(int d)
{
	if (d < 0)
		return cmd_push(CMD_TLBI_NSNH_ALL, 0);
	if (smmu.stage2)
		return cmd_push(CMD_TLBI_S12_VMALL | ((u64)smmu.dom[d].tag << 32), 0);
	return cmd_push(CMD_TLBI_NH_ASID | ((u64)smmu.dom[d].tag << 48), 0);
}

int smmu_inval(unsigned d)
{
	int err;

	if (!smmu.enabled || d >= SMMU_MAX_DOMAINS)
		return smmu.enabled ? -E_INVAL : 0;
	err = inval_tlb((int)d);
	return err ? err : cmd_sync();
}

int smmu_block(unsigned d, bool block)
{
	unsigned t, i;
	int err;

	if (d >= SMMU_MAX_DOMAINS)
		return -E_INVAL;
	smmu.blocked[d] = block;
	if (!smmu.enabled)
		return 0;
	for (t = 0; t < smmu.l2_used; t++)
		for (i = 0; i < STES_PER_L2; i++) {
			u64 *ste = &l2_tables[t][i * 8];
			int owner = smmu.l2_owner[t];

			if (owner == (int)d ||
			    (owner == MIXED && smmu_sid_domain(smmu.l2_first[t] + i) == (int)d))
				ste_write(ste, (int)d);
		}
	publish(l2_tables, sizeof(l2_tables));
	/* every STE and CD cached anywhere, then the domain's TLB entries */
	if ((err = cmd_push(CMD_CFGI_ALL, 31)) || (err = inval_tlb((int)d)))
		return err;
	return cmd_sync();
}

/* ---- bring-up (6.3.9 and the initialisation flow in its appendix) ---- */

int smmu_enable(void)
{
	unsigned d;
	u64 strtab;
	int err;

	if (!smmu.present || smmu.enabled)
		return -E_INVAL;
	if ((err = write_cr0(0)))
		return err;
	for (d = 0; d < SMMU_MAX_DOMAINS; d++)
		if (smmu.dom_set[d] && !smmu.stage2)
			cd_build(d);
	if ((err = strtab_build(&strtab)))
		return err;
	wr32(SMMU_CR1, CR1_VALUE);
	wr32(SMMU_CR2, CR2_RECINVSID | CR2_PTM);
	wr64(SMMU_STRTAB_BASE, Q_BASE_RWA | (strtab & STRTAB_ADDR_MASK));
	wr32(SMMU_STRTAB_BASE_CFG, smmu.two_level ?
	     STRTAB_CFG_2LVL | (SMMU_SPLIT << 6) | smmu.sidbits : smmu.sidbits);
	wr64(SMMU_CMDQ_BASE, Q_BASE_RWA | (ptr_to_pa(cmdq).pa & Q_ADDR_MASK) | SMMU_CMDQ_LOG2);
	wr32(SMMU_CMDQ_PROD, 0);
	wr32(SMMU_CMDQ_CONS, 0);
	smmu.cmd_prod = 0;
	wr64(SMMU_EVENTQ_BASE, Q_BASE_RWA | (ptr_to_pa(evtq).pa & Q_ADDR_MASK) | SMMU_EVTQ_LOG2);
	wr32(SMMU_EVENTQ_PROD, 0);
	wr32(SMMU_EVENTQ_CONS, 0);
	smmu.evt_cons = 0;
	publish(evtq, sizeof(evtq));
	if ((err = write_cr0(CR0_CMDQEN)))
		return err;
	/* nothing cached from before Umbra (a bootloader's configuration) */
	if ((err = cmd_push(CMD_CFGI_ALL, 31)) || (err = inval_tlb(NO_DOMAIN)) ||
	    (err = cmd_sync()))
		return err;
	if ((err = write_cr0(CR0_CMDQEN | CR0_EVENTQEN)))
		return err;
	wr32(SMMU_IRQ_CTRL, IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ);
	if ((err = wait_reg(SMMU_IRQ_CTRLACK, ~0u, IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ)))
		return err;
	/* transactions outside any configuration abort, never bypass */
	wr32(SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	if ((err = wait_reg(SMMU_GBPA, GBPA_UPDATE, 0)))
		return err;
	if ((err = write_cr0(CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN)))
		return err;
	smmu.enabled = true;
	return 0;
}

/* ---- events (7.3) ---- */

static void event_decode(const u64 *r, struct smmu_event *e)
{
	e->type = (u8)r[0];
	e->sid = (u32)(r[0] >> 32);
	e->read = (r[1] >> 35) & 1;
	e->addr = r[2];
	e->has_addr = e->type >= SMMU_EVT_F_TRANSLATION && e->type <= SMMU_EVT_F_PERMISSION;
}

unsigned smmu_events(struct smmu_event *ev, unsigned max, bool *lost)
{
	unsigned n = 0;
	u32 prod, raw;

	if (!smmu.enabled)
		return 0;
	raw = rd32(SMMU_EVENTQ_PROD);
	prod = raw & ((2u << SMMU_EVTQ_LOG2) - 1);
	/* PROD.OVFLG differs from CONS.OVACKFLG: records were lost (7.4) */
	if ((raw ^ smmu.evt_cons) & Q_OVF) {
		*lost = true;
		smmu.evt_cons ^= Q_OVF;
		wr32(SMMU_EVENTQ_CONS, smmu.evt_cons);
	}
	while (n < max && (smmu.evt_cons & ~Q_OVF) != prod) {
		const u64 *r = evtq[q_idx(smmu.evt_cons, SMMU_EVTQ_LOG2)];

		if (!(smmu.idr0 & IDR0_COHACC))
			arch_dcache_clean_inval_range(r, 32);
		event_decode(r, &ev[n++]);
		smmu.evt_cons = (smmu.evt_cons & Q_OVF) | q_next(smmu.evt_cons, SMMU_EVTQ_LOG2);
		wr32(SMMU_EVENTQ_CONS, smmu.evt_cons);
	}
	return n;
}

u32 smmu_global_errors(void)
{
	u32 active;

	if (!smmu.present)
		return 0;
	active = rd32(SMMU_GERROR) ^ rd32(SMMU_GERRORN);
	if (active)
		wr32(SMMU_GERRORN, rd32(SMMU_GERRORN) ^ active);
	return active;
}

const char *smmu_event_name(u8 type)
{
	switch (type) {
	case SMMU_EVT_C_BAD_STREAMID: return "C_BAD_STREAMID";
	case SMMU_EVT_C_BAD_STE: return "C_BAD_STE";
	case SMMU_EVT_F_STREAM_DISABLED: return "F_STREAM_DISABLED";
	case SMMU_EVT_F_TRANSLATION: return "F_TRANSLATION";
	case SMMU_EVT_F_ADDR_SIZE: return "F_ADDR_SIZE";
	case SMMU_EVT_F_ACCESS: return "F_ACCESS";
	case SMMU_EVT_F_PERMISSION: return "F_PERMISSION";
	default: return "event";
	}
}
