// SPDX-License-Identifier: Apache-2.0
/*
 * The arm64 port: tasks run at EL1 in EL1t (on SP_EL0, their own stack);
 * exceptions run in EL1h on SP_EL1, one exception stack. A task's
 * registers are saved into its struct rtos_port_ctx (the first member of
 * struct rtos_task) on every exception, and the exception returns into
 * whichever task is rtos_current by then. Critical sections mask IRQs in
 * DAIF; a task asks for a switch with SVC #0.
 */
#ifndef RTOS_PORT_ARM64_H
#define RTOS_PORT_ARM64_H

#define RTOS_STACK_MIN  1024
#define RTOS_IDLE_STACK 1024

/* Offsets used by vectors.S. */
#define CTX_X0   0
#define CTX_X30  240
#define CTX_SP   248
#define CTX_ELR  256
#define CTX_SPSR 264
#define CTX_SIZE 272

#ifndef __ASSEMBLER__
#include <stdint.h>

struct rtos_port_ctx {
	uint64_t x[31];
	uint64_t sp;   /* SP_EL0 */
	uint64_t elr;
	uint64_t spsr;
};
_Static_assert(sizeof(struct rtos_port_ctx) == CTX_SIZE, "CTX_SIZE");

typedef uint64_t rtos_irqflags_t;

#define port_stack_claim(stack, size) ((void)(stack), (void)(size))

static inline rtos_irqflags_t port_irq_save(void)
{
	rtos_irqflags_t f;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(f) : : "memory");
	return f;
}

static inline void port_irq_restore(rtos_irqflags_t f)
{
	__asm__ volatile("msr daif, %0" : : "r"(f) : "memory");
}
#endif

#endif
