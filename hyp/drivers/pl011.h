/* SPDX-License-Identifier: Apache-2.0 */
/* The PL011 UART Umbra writes its console to (Arm PL011 TRM). */
#ifndef UMBRA_PL011_H
#define UMBRA_PL011_H

#include "umbra/types.h"

void pl011_init(paddr_t base);
void pl011_putc(char c);
void pl011_rx_enable(void);
int pl011_getc(void);           /* -1: nothing received */

#endif
