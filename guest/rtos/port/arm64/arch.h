// SPDX-License-Identifier: Apache-2.0
/* Internal interfaces of the arm64 port. */
#ifndef RTOS_ARM64_ARCH_H
#define RTOS_ARM64_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "umbra_hvc.h"

#define read_sysreg(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* MMIO with single plain loads and stores: a hypervisor can only emulate
 * accesses whose syndrome it gets (no pairs, no writeback). */
static inline uint32_t mmio_read32(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t mmio_read64(uint64_t a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void mmio_write64(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void mmio_write8(uint64_t a, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

#define MAX_RAM 8
#define MAX_GICR 4
#define MAX_CHAN 4

/* What the device tree says about the machine (dt.c). */
struct board {
	uint64_t ram_base[MAX_RAM], ram_size[MAX_RAM];
	unsigned nr_ram;
	uint64_t gicd, gicd_size;
	uint64_t gicr[MAX_GICR], gicr_size[MAX_GICR];
	unsigned nr_gicr;
	uint64_t gicr_stride;    /* 0: from GICR_TYPER */
	uint64_t uart, uart_size; /* a PL011 at /chosen/stdout-path, or 0 */
	uint64_t gpio;           /* a PL061 (one page), or 0 */
	bool gpio_disabled;      /* status "disabled": not ours at boot */
	unsigned timer_intid;    /* EL1 virtual timer */
	bool timer_from_dt;
	bool psci;               /* a /psci node */
	bool psci_smc;           /* its method is "smc" */
	uint64_t dtb, dtb_size;
	struct board_channel chan[MAX_CHAN]; /* umbra,channel nodes */
	unsigned nr_chan;
	uint64_t rtc, rtc_size;  /* an arm,pl031 the partition owns, or 0 */
	char model[64];
	char bootargs[256];
};

extern struct board board;

/* dt.c: fill in `board`; NULL, or why the DT is unusable. */
const char *dt_parse(uint64_t dtb);
/* mmu.c: identity map from `board`, caches on; NULL or what went wrong */
const char *mmu_init(void);
/* gic.c */
const char *gic_init(void);
void gic_handle_irqs(void);
/* console.c */
void console_init(void);
void console_write(const char *s, size_t len);
const char *console_name(void);
/* A received byte, or -1 (nothing received, or no UART to read). */
int console_getc(void);
bool console_readable(void);
/* port.c */
bool umbra_detect(void);
/* An SMCCC call on the device tree's PSCI conduit (HVC without /psci). */
struct umbra_res fw_call(unsigned long fid, unsigned long a1, unsigned long a2,
			 unsigned long a3);
void port_timer_irq(void);

extern char _head[], _end[], __text_end[], __rodata_end[];

#endif
