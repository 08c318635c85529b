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

/* The PL031 RTC's and the PL061 GPIO's MMIO (mapped), from the device
 * tree, or 0; whether the GPIO's node says "disabled" (not held at boot). */
uint64_t board_rtc(void);
uint64_t board_gpio(void);
bool board_gpio_disabled(void);

/* Running in an Umbra partition (the SMCCC UID call answered). */
bool board_under_umbra(void);

/* PSCI SYSTEM_OFF: the whole machine on bare QEMU, the partition under
 * Umbra. */
__attribute__((noreturn)) void board_poweroff(void);

/* The application: called once the machine is up, in EL1h, interrupts
 * masked; it creates tasks and calls rtos_start(). */
void app_main(void);

#endif
