// SPDX-License-Identifier: Apache-2.0
/*
 * The partition-machine conformance suite (docs/partition-machine.md):
 * what a partition sees must be what the Arm architecture promises. Its
 * tests run at EL1 with the drivers a bare-metal port would have (a GICv3
 * driver, the generic timers, the PMU, the ID registers), in the
 * partition of tests/system (one CPU, the PL031 assigned).
 *
 * Shared between conform*.c: a small GICv3 driver, interrupt dispatch,
 * the counter, and result lines.
 */
#ifndef GUEST_CONFORM_H
#define GUEST_CONFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define __printf(a, b) __attribute__((format(printf, a, b)))

#define sysreg_read(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define irq_unmask() __asm__ volatile("msr daifclr, #2; isb" ::: "memory")
#define irq_mask() __asm__ volatile("msr daifset, #2; isb" ::: "memory")

/*
 * MMIO through single plain loads and stores: a compiler may otherwise use
 * a writeback or pair form (clang does: `str w9, [x8, #128]!`), which
 * reports no instruction syndrome (ESR_ELx.ISV = 0, Arm ARM D17.2.40) and
 * so cannot be emulated by a hypervisor: Umbra injects an abort, as KVM
 * refuses it. Drivers access MMIO this way for the same reason (Linux's
 * readl/writel).
 */
static inline uint32_t mmio_read32(uint64_t a)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void mmio_write32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}
static inline uint64_t mmio_read64(uint64_t a)
{
	uint64_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void mmio_write64(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

/* GICv3 register offsets (IHI 0069, 12.9, 12.10) */
#define GICD_CTLR       0x0000
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000
#define GICR_SGI        0x10000   /* SGI_base: GICD_* offsets for INTIDs 0-31 */

/* The machine, from the partition's device tree. */
struct conf_machine {
	uint64_t gicd, gicr;          /* distributor; this CPU's redistributor */
	uint64_t rtc;                 /* the PL031, 0 if none */
	unsigned rtc_intid;
	unsigned timer_ppi[4];        /* secure phys, phys, virt, hyp */
	bool pmu_in_dt;               /* an arm,armv8-pmuv3 node */
	unsigned pmu_ppi;
	uint64_t freq;                /* CNTFRQ_EL0 */
};
extern struct conf_machine conf_m;

/* one result line; false if it failed */
bool conf_result(const char *name, bool ok, const char *fmt, ...) __printf(3, 4);

/* The GIC: bit registers address the distributor for SPIs and this CPU's
 * SGI frame for SGIs and PPIs. */
uint64_t gic_reg(unsigned intid, uint64_t off);
bool gic_bit(unsigned intid, uint64_t off);
void gic_set_bit(unsigned intid, uint64_t off);
void gic_irq_setup(unsigned intid, bool on);  /* group 1, prio 0x80, routed here, enable */
void gic_irq_quiesce(unsigned intid);        /* disabled, not pending, not active */
void gic_eoimode(bool split);                /* ICC_CTLR_EL1.EOImode */
void gic_eoi(unsigned intid);                /* EOIR1, then DIR if split */

/* Interrupts taken while a handler is installed go to it with the INTID
 * the CPU acknowledged (1020-1023 are counted as spurious, not passed);
 * the handler must end the interrupt itself (gic_eoi). */
typedef void (*conf_irq_fn)(unsigned intid);
void conf_set_handler(conf_irq_fn fn);
extern volatile unsigned conf_spurious;

static inline uint64_t counter(void)
{
	isb();
	return sysreg_read(cntvct_el0);
}
/* spin for us microseconds with interrupts as they are */
void conf_delay_us(uint64_t us);

/* the suites */
void conform_gic(void);
void conform_timer(void);
void conform_cpu(void);
void conform_tlbi(void);

#endif
