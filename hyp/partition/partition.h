/* SPDX-License-Identifier: Apache-2.0 */
/* A partition's lifecycle (partition.c), the guest-facing calls that drive
 * it (hypercall.c, psci.c) and what happens when a guest misbehaves
 * (fault.c). The objects themselves are vm/vm.h. */
#ifndef UMBRA_PARTITION_H
#define UMBRA_PARTITION_H

#include "vm/vm.h"

/* Set up a partition from its validated config: stage 2, devices,
 * channels, its image checked. 0, PARTITION_REFUSED (its image may not
 * start: it stays stopped, the others go on) or a negative error. Until
 * partition_boot it is PART_RESTARTING: no doorbell, no restart. */
#define PARTITION_REFUSED 1
int partition_setup(struct partition *p, unsigned id, const struct part_cfg *cfg,
		    const void *platform_fdt, const struct platform *plat,
		    struct page_pool *pool);
/* Scrub, copy, measure, build its DT and start its vCPU 0: 0 or a
 * negative error. Each partition's CPUs can start once it is done, while
 * the next one loads. */
int partition_boot(struct partition *p);
/* At boot, before its CPUs start: offer the load's scrub and copy to
 * them; each one, before it first waits for its vCPU, helps (takes what
 * is left, if anything). partition_boot does the rest. */
void partition_offer_load(struct partition *p);
void partition_help_load(struct partition *p);
/* Both at once (the unit tests). */
int partition_create(struct partition *p, unsigned id, const struct part_cfg *cfg,
		     const void *platform_fdt, const struct platform *plat,
		     struct page_pool *pool);

/* A vCPU stops; the partition stops when its last vCPU does. */
void vcpu_stop(struct vcpu *v);
/* Both log the event (with its cause) and a console line (why). */
void partition_stop(struct partition *p, enum event_cause cause, const char *why);

/* Scrub, reload from the pristine images and start again (PSCI
 * SYSTEM_RESET). Other partitions are not touched. */
void partition_restart(struct partition *p, enum event_cause cause, const char *why);
/* ... in two halves, for a live update to replace the image in between:
 * halt (false if it was not running), then resume (reload and start). */
bool partition_halt(struct partition *p, enum event_cause cause, const char *why);
bool partition_resume(struct partition *p);

/* The partition failed (its vectors fault, it panics): apply its
 * on-failure policy, restarting it within its budget or stopping it.
 * false: it has no policy (on-failure absent), nothing was done. */
bool partition_fail(struct partition *p, enum event_cause cause, const char *why);

/* Live update (update.c): map each update-staging region into its
 * writer's stage 2 (boot); UMBRA_HC_IMAGE_UPDATE. */
int update_attach(struct partition *parts, unsigned n);
void update_call(struct vcpu *v, const u64 *a, u64 *ret);

/* Reset a vCPU to start at entry with x0 = arg, and switch it on. */
void vcpu_start(struct vcpu *v, u64 entry, u64 arg);

/* This CPU's vCPU is off or was reset: wait at EL2 until it is started,
 * then enter it fresh. */
__noreturn void vcpu_park(struct vcpu *v);

/* Called when a partition stops: powers off once none is running (main.c). */
void umbra_partition_stopped(void);

/* Stage-2 data/instruction abort outside what the partition may touch. */
void guest_abort(struct vcpu *v, u64 ipa, u64 va, bool instr, bool write);
/* A trap Umbra does not handle: undef into the guest, one log line. */
void guest_unhandled_trap(struct vcpu *v, u64 syndrome);

/* SMCCC dispatch of an HVC #0 / SMC #0 from a guest (hypercall.c) */
void hypercall_dispatch(struct vcpu *v);
/* What SMCCC_VERSION answers: 1.2 (also in vectors.S, checked in trap.c) */
#define UMBRA_SMCCC_VERSION 0x10002
/* PSCI for guests (psci.c): returns true if fid is a PSCI function. */
bool psci_guest_call(struct vcpu *v, u32 fid, const u64 *args, u64 *ret);

#endif
