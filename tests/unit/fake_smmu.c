// SPDX-License-Identifier: Apache-2.0
/*
 * A register model of an SMMUv3 for the driver's host tests (the driver is
 * built with SMMU_FAKE_MMIO): acknowledgements follow their registers, the
 * command queue is consumed when CMDQ_PROD is written (as QEMU's model
 * does) into a log the tests read, and tests can stall it, make it refuse
 * a command, or post event records.
 */
#include <stdlib.h>

#include "unit.h"
#include "fake_smmu.h"

struct fake_smmu fake_smmu;

void fake_smmu_reset(u32 idr0, u32 sidsize)
{
	memset(&fake_smmu, 0, sizeof(fake_smmu));
	fake_smmu.reg[0x00 / 4] = idr0;
	fake_smmu.reg[0x04 / 4] = sidsize | (19u << 16) | (19u << 21);  /* EVENTQS, CMDQS */
	fake_smmu.reg[0x14 / 4] = 4 | (1u << 4);                          /* 44-bit OAS, 4K */
}

static u32 *reg(u64 off)
{
	off &= 0xffff;                          /* page 1 aliases page 0 here */
	if (off >= sizeof(fake_smmu.reg))       /* (no ck_assert: called a million times) */
		abort();
	return &fake_smmu.reg[off / 4];
}

u32 smmu_fake_read32(u64 off)
{
	return *reg(off);
}

static void consume(void)
{
	u64 base = fake_smmu.cmdq_base & 0x000fffffffffffe0UL;
	unsigned log2 = fake_smmu.cmdq_base & 0x1f, mask = (2u << log2) - 1;
	u32 *prod = reg(0x98), *cons = reg(0x9c);

	if (!(*reg(0x20) & (1u << 3)) || fake_smmu.stalled)
		return;
	while ((*cons & mask) != (*prod & mask)) {
		const u64 *cmd = (const u64 *)(uintptr_t)(base + 16 * (*cons & ((1u << log2) - 1)));
		u8 op = (u8)cmd[0];

		if (op == fake_smmu.refuse_op) {
			*cons = (*cons & mask) | (1u << 24);          /* CERROR_ILL */
			*reg(0x60) ^= 1;                              /* GERROR.CMDQ_ERR */
			fake_smmu.refuse_op = 0;
			return;
		}
		if (fake_smmu.nr_cmds < FAKE_SMMU_LOG)
			memcpy(fake_smmu.cmds[fake_smmu.nr_cmds], cmd, 16);
		fake_smmu.nr_cmds++;
		*cons = (*cons + 1) & mask;
	}
}

void smmu_fake_write32(u64 off, u32 v)
{
	switch (off & 0xffff) {
	case 0x20: *reg(0x20) = v; *reg(0x24) = v; consume(); return;  /* CR0 -> CR0ACK */
	case 0x50: *reg(0x50) = v; *reg(0x54) = v; return;             /* IRQ_CTRL -> ACK */
	case 0x44: *reg(0x44) = v & ~(1u << 31); return;               /* GBPA: update done */
	case 0x64:                                                       /* GERRORN */
		*reg(0x64) = v;
		return;
	case 0x98: *reg(0x98) = v; consume(); return;
	default: *reg(off) = v; return;
	}
}

void smmu_fake_write64(u64 off, u64 v)
{
	if (off == 0x90)
		fake_smmu.cmdq_base = v;
	if (off == 0xa0)
		fake_smmu.evtq_base = v;
	if (off == 0x80)
		fake_smmu.strtab_base = v;
	*reg(off) = (u32)v;
	*reg(off + 4) = (u32)(v >> 32);
}

void fake_smmu_unstall(void)
{
	fake_smmu.stalled = false;
	consume();
}

void fake_smmu_post_event(const u64 rec[4])
{
	u64 base = fake_smmu.evtq_base & 0x000fffffffffffe0UL;
	unsigned log2 = fake_smmu.evtq_base & 0x1f;
	u32 *prod = reg(0xa8), cons = *reg(0xac), mask = (2u << log2) - 1;

	if ((*prod & ((1u << log2) - 1)) == (cons & ((1u << log2) - 1)) &&
	    (*prod & (1u << log2)) != (cons & (1u << log2))) {
		/* full: the record is lost, OVFLG toggles (if acknowledged) */
		if (!((*prod ^ cons) & (1u << 31)))
			*prod ^= 1u << 31;
		return;
	}
	memcpy((void *)(uintptr_t)(base + 32 * (*prod & ((1u << log2) - 1))), rec, 32);
	*prod = (*prod & (1u << 31)) | ((*prod + 1) & mask);
}
