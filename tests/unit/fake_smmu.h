/* SPDX-License-Identifier: Apache-2.0 */
/* The SMMUv3 register model the driver's host tests run against. */
#ifndef FAKE_SMMU_H
#define FAKE_SMMU_H

#include "umbra/types.h"

#define FAKE_SMMU_LOG 512

struct fake_smmu {
	u32 reg[0x100 / 4];
	u64 cmdq_base, evtq_base, strtab_base;
	u64 cmds[FAKE_SMMU_LOG][2];   /* commands consumed, in order */
	unsigned nr_cmds;
	bool stalled;                 /* consume nothing (CMD_SYNC never completes) */
	u8 refuse_op;                 /* the next command with this opcode fails */
};
extern struct fake_smmu fake_smmu;

#define FAKE_IDR0_S1 ((1u << 1) | (2u << 2) | (1u << 4) | (1u << 27))  /* S1P, AArch64, COHACC, 2-level */
#define FAKE_IDR0_S2 ((1u << 0) | (2u << 2) | (1u << 4) | (1u << 27))

void fake_smmu_reset(u32 idr0, u32 sidsize);
u32 smmu_fake_read32(u64 off);
void smmu_fake_write32(u64 off, u32 v);
void smmu_fake_write64(u64 off, u64 v);
void fake_smmu_unstall(void);
/* Write an event record where the SMMU would and advance EVENTQ_PROD. */
void fake_smmu_post_event(const u64 rec[4]);

#endif
