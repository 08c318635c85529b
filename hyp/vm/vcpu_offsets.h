/* SPDX-License-Identifier: Apache-2.0 */
/* Where the IRQ entry's fast path (vectors.S, irq_fast) finds what it
 * reads of a vCPU; vm.h checks them against the C layout. */
#ifndef UMBRA_VCPU_OFFSETS_H
#define UMBRA_VCPU_OFFSETS_H

#define VCPU_ON            284  /* bool on */
#define VCPU_GEN           288  /* u32 gen */
#define VCPU_ENTERED_GEN   292  /* u32 entered_gen */
#define VCPU_VGIC_FLUSH    552  /* u64: what vgic_flush_needed reads */
#define VCPU_VGIC_ENABLED  560  /* u32: SGI and PPI enable bits */
#define VCPU_VGIC_PRIO     568  /* u8[32]: SGI and PPI priorities */

/* struct irq_fast (gic_cpuif.c) */
#define IRQ_FAST_PPIS      0
#define IRQ_FAST_LRS_EMPTY 4

#ifndef __ASSEMBLER__
#include "umbra/types.h"

struct irq_fast {
	u32 ppis;       /* HW-linked PPIs it may list, one bit each */
	u32 lrs_empty;  /* ICH_ELRSR_EL2 when no list register is in use */
};
extern struct irq_fast irq_fast;
#endif

#endif
