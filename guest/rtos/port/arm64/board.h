// SPDX-License-Identifier: Apache-2.0
/* What the arm64 port offers the application beyond the kernel API. */
#ifndef RTOS_ARM64_BOARD_H
#define RTOS_ARM64_BOARD_H

#include <stdbool.h>
#include <stdint.h>

/* Formatted output to the console (PL011 or Umbra's console hypercall).
 * From tasks, whole calls are serialised by a mutex; lines longer than
 * 255 characters are cut. */
void rtos_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* /chosen/bootargs: is the word `name` there; the number after `name=`. */
bool board_option(const char *name);
long board_option_value(const char *name, long dflt);
const char *board_bootargs(void);

/* The PL061 GPIO's MMIO (mapped), from the device tree, or 0; whether its
 * node says "disabled" (not held at boot). */
uint64_t board_gpio(void);
bool board_gpio_disabled(void);
/* An Umbra channel of this partition (docs/channels.md), from its DT
 * node; mapped Normal write-back (read-only if the config says so). */
struct board_channel {
	uint64_t base, size;
	unsigned id;             /* umbra,channel-id: for CHANNEL_NOTIFY */
	unsigned intid;          /* its doorbell */
	bool first;              /* umbra,first-peer: writes the lower ring */
	bool read_only;
};
const struct board_channel *board_channel(unsigned index);
/* CHANNEL_NOTIFY: ring the peer's doorbell; Umbra's status. */
long board_channel_notify(unsigned id);
/* The PL031 RTC's registers (mapped Device), or 0 if it has none. */
uintptr_t board_rtc(void);
/* Call fn(arg) in interrupt context for SPI intid (edge-triggered,
 * routed to this CPU, enabled). 0, or -1 if no slot or a bad INTID. */
int board_irq_attach(unsigned intid, void (*fn)(void *arg), void *arg);

/* The canary page (app/canary.c): the 4 KiB page 1 MiB below the end of
 * the first RAM bank, 0x73f00000 in the run config (rtos RAM 0x70000000-
 * 0x73ffffff; Umbra puts the partition's DTB in its top 64 KiB), or 0 if
 * the image or the DTB is there. Mapped read-write, Normal memory. */
uint64_t board_canary_page(void);
/* Clean [start, start + size) to the point of coherency (what the CPU wrote
 * is in memory); invalidate it (the next read comes from memory, e.g. what
 * a device wrote). */
void board_dcache_clean(uint64_t start, uint64_t size);
void board_dcache_inval(uint64_t start, uint64_t size);

/* Running in an Umbra partition (the SMCCC UID call answered). */
bool board_under_umbra(void);

/* PSCI SYSTEM_OFF: the whole machine on bare QEMU, the partition under
 * Umbra. */
__attribute__((noreturn)) void board_poweroff(void);

/* The application: called once the machine is up, in EL1h, interrupts
 * masked; it creates tasks and calls rtos_start(). */
void app_main(void);

#endif
