// SPDX-License-Identifier: Apache-2.0
/* PL011 transmit only. The bootloader configured baud rate and line
 * control; Umbra only writes characters (PL011 TRM, UARTDR/UARTFR). */
#include "umbra/console.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)

static volatile u32 *pl011;

void pl011_init(paddr_t base)
{
	pl011 = (volatile u32 *)(uintptr_t)pa_addr(base);
}

void pl011_putc(char c)
{
	unsigned spins = 1u << 20; /* never hang on a wedged UART */

	if (!pl011)
		return;
	while ((pl011[UARTFR / 4] & UARTFR_TXFF) && --spins)
		;
	pl011[UARTDR / 4] = (u8)c;
}
