// SPDX-License-Identifier: Apache-2.0
/*
 * The console: the PL011 that /chosen/stdout-path names, if there is one
 * (bare QEMU, a partition that was given the UART, or Umbra's virtual
 * UART, an SBSA generic UART with the same DR/FR); otherwise, inside
 * Umbra, the UMBRA_HC_CONSOLE_WRITE hypercall (the monitor prefixes each
 * line with the partition's name). No console at all is possible too: then
 * output is dropped.
 *
 * rtos_printf formats into a buffer on the caller's stack and writes it in
 * one go; between tasks a mutex keeps lines whole (with priority
 * inheritance: a high-priority printer is not held up by a preempted
 * low-priority one for long). Interrupt handlers, the fault path and the
 * boot write directly.
 */
#include <stdarg.h>
#include <string.h>

#include "arch.h"
#include "rtos.h"
#include "umbra/lib.h"
#include "umbra_abi.h"

#define PL011_DR   0x00
#define PL011_FR   0x18
#define PL011_TXFF (1u << 5)
#define PL011_RXFE (1u << 4)

static enum { CON_NONE, CON_PL011, CON_UMBRA } con;
static struct rtos_mutex con_lock;

void console_init(void)
{
	rtos_mutex_init(&con_lock);
	if (board.uart)
		con = CON_PL011;
	else if (board_under_umbra())
		con = CON_UMBRA;
	else
		con = CON_NONE;
}

const char *console_name(void)
{
	switch (con) {
	case CON_PL011:
		return "PL011";
	case CON_UMBRA:
		return "Umbra console hypercall";
	default:
		return "none";
	}
}

static void pl011_putc(char c)
{
	unsigned spins;

	/* bounded: a dead UART must not hang the system */
	for (spins = 0; spins < 1000000 && (mmio_read32(board.uart + PL011_FR) & PL011_TXFF);
	     spins++)
		;
	mmio_write32(board.uart + PL011_DR, (uint8_t)c);
}

void console_write(const char *s, size_t len)
{
	if (con == CON_PL011) {
		for (; len; len--, s++) {
			if (*s == '\n')
				pl011_putc('\r');
			pl011_putc(*s);
		}
	} else if (con == CON_UMBRA) {
		while (len) {
			size_t n = len < UMBRA_CONSOLE_WRITE_MAX ? len : UMBRA_CONSOLE_WRITE_MAX;
			struct umbra_res r = fw_call(UMBRA_HC_CONSOLE_WRITE, (uintptr_t)s, n, 0);

			if (r.x0 <= 0 || (size_t)r.x0 > n)
				return;
			s += r.x0;
			len -= (size_t)r.x0;
		}
	}
}

bool console_readable(void)
{
	return con == CON_PL011;
}

int console_getc(void)
{
	if (con != CON_PL011 || (mmio_read32(board.uart + PL011_FR) & PL011_RXFE))
		return -1;
	return (int)(mmio_read32(board.uart + PL011_DR) & 0xff);
}

void rtos_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;
	int r;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		memcpy(&buf[sizeof(buf) - 5], "...\n", 5);
		n = sizeof(buf) - 1;
	}
	/* a task may block; anything else writes straight through */
	r = rtos_mutex_lock(&con_lock, RTOS_FOREVER);
	console_write(buf, (size_t)n);
	if (r == RTOS_OK || r == RTOS_EOWNERDEAD)
		rtos_mutex_unlock(&con_lock);
}
