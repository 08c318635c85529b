// SPDX-License-Identifier: Apache-2.0
/* Exceptions taken at EL2 are monitor bugs: dump state, power off. And the
 * one message Umbra gives when started at the wrong exception level. */
#include <libfdt.h>

#include "umbra/arch.h"
#include "console/console.h"
#include "umbra/panic.h"
#include "config/platform.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "umbra_abi.h"

static const char *const kinds[] = { "synchronous", "IRQ", "FIQ", "SError" };

__noreturn void panic_exception(struct arch_regs *r, u64 kind)
{
	unsigned i;

	log_take_over();
	printk("umbra: PANIC: %s exception at EL2 on CPU 0x%lx\n", kinds[kind & 3],
	       arch_this_mpidr());
	printk("umbra:   ESR 0x%016lx  ELR 0x%016lx  FAR 0x%016lx\n", read_sysreg(esr_el2),
	       r->elr, read_sysreg(far_el2));
	printk("umbra:   SPSR 0x%016lx  SP 0x%016lx\n", r->spsr, (u64)(r + 1));
	for (i = 0; i < 30; i += 2)
		printk("umbra:   x%-2u 0x%016lx  x%-2u 0x%016lx\n", i, r->x[i], i + 1, r->x[i + 1]);
	printk("umbra:   x30 0x%016lx\n", r->x[30]);
	panic("unexpected exception at EL2");
}

/* Entered below EL2 (head.S), MMU off: find the UART, say so, power off
 * through the DT's PSCI conduit. libfdt only reads aligned data here. */
static u64 uart_base;
static void early_putc(char c)
{
	volatile u32 *uart = (volatile u32 *)uart_base;

	while (uart[0x18 / 4] & (1u << 5))
		;
	uart[0] = (u8)c;
}

__noreturn void boot_wrong_el(u64 dtb)
{
	const void *fdt = (const void *)dtb;
	struct mem_range uart;
	u64 el = (read_sysreg(CurrentEL) >> 2) & 3;
	int psci;
	const char *method = NULL;

	if (el == 1) { /* libfdt uses FP/SIMD: CPACR_EL1.FPEN = 0b11 */
		write_sysreg(cpacr_el1, 3UL << 20);
		isb();
	}
	if (fdt && fdt_check_header(fdt) == 0) {
		if (platform_find_console(fdt, &uart) >= 0) {
			uart_base = uart.base;
			console_attach(early_putc);
		}
		psci = fdt_path_offset(fdt, "/psci");
		method = psci >= 0 ? fdt_getprop(fdt, psci, "method", NULL) : NULL;
	}
	printk("umbra: entered at EL%lu, but Umbra must be started at EL2 "
	       "(QEMU: -machine virt,virtualization=on). Stopping.\n", el);
	if (el == 1 && method && strcmp(method, "hvc") == 0)
		__asm__ volatile("mov x0, %0; hvc #0" : : "r"((u64)PSCI_SYSTEM_OFF) : "x0");
	else if (method && strcmp(method, "smc") == 0)
		__asm__ volatile("mov x0, %0; smc #0" : : "r"((u64)PSCI_SYSTEM_OFF) : "x0");
	for (;;)
		__asm__ volatile("wfe");
}
