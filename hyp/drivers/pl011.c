// SPDX-License-Identifier: Apache-2.0
/* PL011 transmit only. The bootloader configured baud rate and line
 * control; Umbra only writes characters (PL011 TRM, UARTDR/UARTFR). */
#include "drivers/pl011.h"

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

#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44
#define UARTFR_RXFE (1u << 4)
#define UARTCR_EN (1u << 0)
#define UARTCR_TXE (1u << 8)
#define UARTCR_RXE (1u << 9)
#define UART_RXIM (1u << 4)
#define UART_RTIM (1u << 6)

/* Receive interrupts on (RX level and RX timeout); the rest stay masked.
 * Umbra takes the console input now, not a partition. */
void pl011_rx_enable(void)
{
	if (!pl011)
		return;
	pl011[UARTCR / 4] |= UARTCR_EN | UARTCR_TXE | UARTCR_RXE;
	pl011[UARTICR / 4] = 0x7ff;
	pl011[UARTIMSC / 4] = UART_RXIM | UART_RTIM;
}

/* Reading DR pops the FIFO and clears the RX interrupts once it drains. */
int pl011_getc(void)
{
	if (!pl011 || (pl011[UARTFR / 4] & UARTFR_RXFE))
		return -1;
	return (int)(pl011[UARTDR / 4] & 0xff);
}
