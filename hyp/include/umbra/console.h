/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one physical console, shared (console.c, console_input.c).
 *
 * Output: Umbra's own lines and each partition's lines, tagged "[name] ",
 * never one cut into another. A partition's bytes are assembled into
 * lines and queued in its own bounded buffer; whoever holds the UART
 * writes queued lines out. A vCPU never waits for the UART: if another CPU
 * is writing, its lines stay queued for the next writer; a writer writes at
 * most CON_OWN_LINES of its own lines and CON_FOREIGN_LINES lines of other
 * partitions per round, two rounds per call. What does not fit
 * is dropped, counted, and reported ("umbra: NAME: N bytes of console
 * output dropped").
 *
 * Input: bytes from the UART go to the virtual UART of the partition that
 * has the focus; Ctrl-T then a partition's number switches (console_input.c).
 */
#ifndef UMBRA_CONSOLE_H
#define UMBRA_CONSOLE_H

#include "umbra/spinlock.h"
#include "umbra/types.h"

struct partition;

#define CON_LINE 120            /* longer lines continue on the next */
#define CON_QUEUE 2048          /* queued complete lines, per partition */
#define CON_FOREIGN_LINES 2     /* other partitions' lines a writer emits */
#define CON_OWN_LINES 16        /* ... and its own, per round (two rounds) */
#define CON_HOLD_MS 50          /* others wait this long for an open line */
#define CONSOLE_ESC 0x14        /* Ctrl-T */

/* A partition's console state (in struct partition). */
struct con_buf {
	spinlock_t lock;
	unsigned len;               /* the line being assembled */
	char line[CON_LINE];
	u8 q[CON_QUEUE];            /* complete lines: length byte, bytes */
	u32 head, tail;             /* free-running: used = tail - head */
	u32 dropped, reported;      /* bytes dropped, of which reported */
	unsigned shown;             /* of line[], already on the terminal */
	unsigned erase;             /* shown bytes taken back: "\b"s owed to the terminal */
	u8 esc;                     /* in an escape sequence: 1 after ESC, 2 in CSI */
	bool opened;                /* some of this line went out early */
};
/* A queued line's length byte: the line's rest after `shown` bytes went
 * out early (the focused partition's prompt or echo). */
#define CON_Q_REST 0x80

/* Output goes nowhere until a console driver is attached. */
void console_attach(void (*putc)(char c));
/* Partition tags in colour (ANSI SGR), for a terminal. */
void console_set_colour(bool on);
/* Umbra's own messages; whole lines are never interleaved. */
void printk(const char *fmt, ...) __printf(1, 2);
#define pr_info(fmt, ...) printk("umbra: " fmt "\n", ##__VA_ARGS__)
/* A partition takes part in the mux (its output, and the input focus if
 * it has a virtual UART). At creation; idempotent. */
void console_register(struct partition *p);
/* The i-th registered partition (config order), NULL past the last. */
struct partition *console_source(unsigned i);
unsigned console_nr_sources(void);
/* Bytes from a partition: assembled into lines tagged "[name] ", with
 * control characters replaced so a guest cannot forge or garble output. */
void console_guest_write(struct partition *p, const char *buf, size_t len);
/* Write out a partition's queue and partial line, waiting for the UART
 * (when it stops or restarts, so its last words come before Umbra's). */
void console_guest_flush(struct partition *p);
/* Write out lines still queued (from the interrupt path, any CPU). */
void console_poll(void);
/* Panic path: take the console even if another CPU holds it. */
void console_force_unlock(void);

/* Input (console_input.c) */
void console_attach_input(int (*getc)(void));
/* One byte typed on the console: escape handling, then to the focus. */
void console_input_byte(u8 c);
/* The UART's receive interrupt: read what arrived. */
void console_rx_irq(void);
/* The partition with the input focus (NULL: none has a virtual UART). */
struct partition *console_focus(void);
void console_set_focus(struct partition *p);
/* Say who has the focus and how to switch. */
void console_input_announce(void);

/* PL011 (drivers/pl011.c) */
void pl011_init(paddr_t base);
void pl011_putc(char c);
void pl011_rx_enable(void);
int pl011_getc(void);           /* -1: nothing received */

#endif
