// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>

#include "umbra/arch.h"
#include "console/console.h"
#include "umbra/lib.h"
#include "umbra/panic.h"

__noreturn void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_take_over();
	printk("umbra: PANIC on CPU 0x%lx: %s\n", arch_this_mpidr(), msg);
	printk("umbra: powering off\n");
	arch_system_off();
}

__noreturn void lib_fatal(const char *why)
{
	panic("%s", why);
}
