/* SPDX-License-Identifier: Apache-2.0 */
#ifndef UMBRA_CONSOLE_H
#define UMBRA_CONSOLE_H

#include "umbra/types.h"

struct partition;

/* Output goes nowhere until a console driver is attached. */
void console_attach(void (*putc)(char c));
/* Umbra's own messages; whole lines are never interleaved. */
void printk(const char *fmt, ...) __printf(1, 2);
#define pr_info(fmt, ...) printk("umbra: " fmt "\n", ##__VA_ARGS__)
/* Bytes from a partition: assembled into lines tagged "[name] ", with
 * control characters replaced so a guest cannot forge or garble output. */
void console_guest_write(struct partition *p, const char *buf, size_t len);
/* Flush a partition's partial line (when it stops). */
void console_guest_flush(struct partition *p);
/* Panic path: take the console even if another CPU holds it. */
void console_force_unlock(void);

/* PL011 (drivers/pl011.c) */
void pl011_init(paddr_t base);
void pl011_putc(char c);

#endif
