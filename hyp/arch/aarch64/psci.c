// SPDX-License-Identifier: Apache-2.0
/* Umbra's own PSCI calls to firmware, over SMC (the EL2 conduit). */
#include "umbra/arch.h"
#include "umbra/limits.h"
#include "drivers/gic.h"
#include "umbra_abi.h"

extern char secondary_entry[];

static s64 smc_call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	/* SMCCC 1.0 firmware may clobber x4-x17 */
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "memory");
	return (s64)x0;
}

__noreturn void arch_system_off(void)
{
	smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	arch_cpu_idle();
}

/* WFI, not WFE: it wakes on a pending interrupt even with IRQs masked at
 * EL2, and on QEMU it really sleeps (WFE spins). */
void arch_cpu_wait(void)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
}

void arch_cpu_wake(u64 mpidr)
{
	arch_gic_send_sgi(mpidr, GIC_KICK_SGI);
}

__noreturn void arch_cpu_idle(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

_Static_assert((STACK_SIZE & (STACK_SIZE - 1)) == 0 && STACK_SIZE > MAX_CPUS,
	       "head.S takes a CPU's index from the low bits of its stack's top");

int arch_cpu_on(u64 mpidr, unsigned logical_cpu, u64 stack_top)
{
	/* affinity fields only: firmware rejects the RES1 bit 31. The context
	 * is the stack's top with the CPU's index in its low bits (head.S). */
	if (!stack_top || !IS_ALIGNED(stack_top, STACK_SIZE) || logical_cpu >= MAX_CPUS)
		return PSCI_RET_INVALID_PARAMS;
	return (int)smc_call(PSCI_CPU_ON_64, mpidr & 0xff00ffffffUL, (u64)secondary_entry,
			     stack_top | logical_cpu);
}
