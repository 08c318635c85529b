/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one physical console, shared (console.c, console_input.c), and the
 * log (umbra/log.h) written on it.
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

#include "umbra/log.h"
#include "umbra/types.h"

struct partition;

/* Output goes nowhere until a console driver is attached. */
void console_attach(void (*putc)(char c));
/* Partition tags in colour (ANSI SGR), for a terminal. */
void console_set_colour(bool on);
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
/* Non-zero while lines may wait in a queue (read by console_poll and by
 * the IRQ entry's fast path, vectors.S, which then takes the C path). */
extern u32 console_queued;
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

#endif
