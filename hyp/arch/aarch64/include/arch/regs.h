/* SPDX-License-Identifier: Apache-2.0 */
/* Guest register frame saved by the trap entry (vectors.S). The offsets are
 * used by assembly and checked against the C layout at compile time. */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#define REGS_X0        0
#define REGS_ELR       248
#define REGS_SPSR      256
#define REGS_STACK_TOP 264
#define REGS_SIZE      272

/*
 * The leaf hypercalls vectors.S answers without the trap frame (values
 * checked against umbra_abi.h in trap.c): ESR_EL2 of HVC #0 from AArch64
 * (EC 0x16, IL), rotated right by 12 as the entry compares it, and each
 * call's function ID (its low 32 bits, as SMCCC matches them) and result.
 */
#define HVC0_ESR_ROR12         0x5a000
#define HVC_LEAF_VERSION       0x86000000   /* UMBRA_HC_VERSION */
#define HVC_LEAF_VERSION_X1    0x2          /* ABI 0.2 */
#define HVC_LEAF_SMCCC_VERSION 0x80000000   /* SMCCC_VERSION */
#define HVC_LEAF_SMCCC_X0      0x10002      /* SMCCC 1.2 */
/* UMBRA_HC_CHANNEL_NOTIFY, which vectors.S sends to C without the whole
 * frame (guest_notify) */
#define HVC_CHANNEL_NOTIFY     0xc6000009

#ifndef __ASSEMBLER__
#include "umbra/types.h"

struct arch_regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 stack_top; /* this CPU's EL2 stack, reloaded on every guest entry */
};

_Static_assert(__builtin_offsetof(struct arch_regs, elr) == REGS_ELR, "elr");
_Static_assert(__builtin_offsetof(struct arch_regs, spsr) == REGS_SPSR, "spsr");
_Static_assert(__builtin_offsetof(struct arch_regs, stack_top) == REGS_STACK_TOP, "stack");
_Static_assert(sizeof(struct arch_regs) == REGS_SIZE, "size");
#endif

#endif
