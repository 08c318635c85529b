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
