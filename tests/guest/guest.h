// SPDX-License-Identifier: Apache-2.0
/* Internal interfaces of the test guest (main.c, run.c, head.S). */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "umbra_hvc.h"
#include "vector.h"

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))

/* ESR_ELx fields used here (Arm ARM D17.2.37) */
#define ESR_EC(esr)       (((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR   0x25     /* data abort taken without a change of EL */
#define ESR_DFSC(esr)     ((esr) & 0x3f)
#define ESR_DFSC_SEA      0x10     /* synchronous external abort, not on a walk */
#define ESR_FNV           (1UL << 10) /* FAR not valid */

/* Saved by head.S exc_entry; FRAME_SIZE there must match. */
struct exc_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};
_Static_assert(sizeof(struct exc_frame) == 272, "FRAME_SIZE in head.S");

/* The fault taken by the last probe, if any. */
struct fault {
	bool taken;
	uint64_t esr, far, elr;
};

/* Output through UMBRA_HC_CONSOLE_WRITE, in chunks the monitor accepts. */
void gprintf(const char *fmt, ...) __printf(1, 2);

/* Power off through PSCI SYSTEM_OFF on the device tree's conduit. */
__noreturn void guest_off(void);

/* Hypercalls on either conduit. */
static inline struct umbra_res guest_call(bool smc, unsigned long fid,
					  const unsigned long a[6])
{
	if (smc)
		return umbra_smc(fid, a[0], a[1], a[2], a[3], a[4], a[5]);
	return umbra_hvc(fid, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Run-time symbols (enum vec_sym) from the device tree. sym_missing[s] is
 * NULL when sym_value[s] is known, else the reason it is not. */
extern uint64_t sym_value[VEC_NR_SYMS];
extern const char *sym_missing[VEC_NR_SYMS];
extern const char *const sym_name[VEC_NR_SYMS];

/* Between probe_arm() and probe_disarm(), a synchronous exception at EL1
 * is recorded instead of being fatal, and the faulting instruction is
 * skipped. */
void probe_arm(void);
void probe_disarm(struct fault *f);

/* head.S: one access each */
uint64_t probe_read8(uint64_t addr);
uint64_t probe_read16(uint64_t addr);
uint64_t probe_read32(uint64_t addr);
uint64_t probe_read64(uint64_t addr);
void probe_write8(uint64_t addr, uint64_t v);
void probe_write16(uint64_t addr, uint64_t v);
void probe_write32(uint64_t addr, uint64_t v);
void probe_write64(uint64_t addr, uint64_t v);

/* main.c: entry `index` of node's reg (no `ranges` translation); NULL or
 * why not. */
const char *dt_reg(const void *fdt, int node, int index, uint64_t *base, uint64_t *size);

/* conform.c: the partition-machine conformance suite (one "CONF PASS|FAIL"
 * line per test, then "conformance: N passed, M failed"). Returns the
 * number of failures. conf_irq() is the IRQ exception's handler: false if
 * the suite is not taking interrupts. */
unsigned run_conformance(const void *fdt);
bool conf_irq(void);

/* run.c: run every vector, print one line each and a summary. Returns the
 * number of failures. */
unsigned run_vectors(void);

/* storm.c: the storm and canary modes (bootargs umbra-test=storm|canary).
 * storm_mode() runs the one chosen (false: none; the canary never returns);
 * storm_exc() takes every exception while the storm runs (false: not the
 * storm's). */
bool storm_mode(const void *fdt);
bool storm_exc(unsigned kind, struct exc_frame *frame, uint64_t esr);

#endif
