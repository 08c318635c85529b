/* SPDX-License-Identifier: Apache-2.0 */
/* Partitions and their vCPUs: one vCPU per physical CPU, pinned, no
 * scheduler. */
#ifndef UMBRA_PARTITION_H
#define UMBRA_PARTITION_H

#include "umbra/config.h"
#include "umbra/console.h"
#include "umbra/pgtable.h"
#include "umbra/spinlock.h"
#include "umbra/vgic.h"
#include "umbra/vuart.h"
#include "arch/regs.h"

enum part_state { PART_STOPPED, PART_RUNNING, PART_RESTARTING };

struct partition;

struct vcpu {
	struct arch_regs regs;       /* first: the trap entry saves here */
	struct partition *part;
	unsigned index;              /* within the partition */
	bool on;
	bool parked;                 /* its CPU waits at EL2 */
	u32 gen;                     /* bumped by every reset */
	u32 entered_gen;             /* gen its CPU last entered */
	struct vgic_cpu vgic;
};

struct partition {
	unsigned id;                 /* also its VMID (id + 1) */
	const struct part_cfg *cfg;
	struct pgtable s2;
	struct vgic_dist vgic;
	struct vcpu vcpu[MAX_PART_CPUS];
	unsigned nr_vcpus;
	enum part_state state;
	u64 entry_ipa;
	u64 dtb_ipa;
	unsigned aborts;             /* stage-2 aborts so far (for rate limiting) */
	unsigned restarts;
	spinlock_t lock;             /* state and vCPU on/off */
	struct con_buf con;          /* its console output (console.c) */
	struct vuart vuart;          /* its virtual UART, if configured */
};

/* Set up a partition from its validated config: stage 2, image, DT. */
int partition_create(struct partition *p, unsigned id, const struct part_cfg *cfg,
		     const void *platform_fdt, const struct platform *plat,
		     struct page_pool *pool);
/* Is [ipa, ipa+len) wholly inside the partition's RAM? */
bool partition_ram_range(const struct partition *p, u64 ipa, u64 len);
/* Copy guest memory after checking the range; -E_RANGE if not RAM. */
int guest_copy_from(const struct partition *p, u64 ipa, void *dst, u64 len);
/* A vCPU stops; the partition stops when its last vCPU does. */
void vcpu_stop(struct vcpu *v);
void partition_stop(struct partition *p, const char *why);
/* Scrub, reload from the pristine images and start again (PSCI
 * SYSTEM_RESET). Other partitions are not touched. */
void partition_restart(struct partition *p, const char *why);
/* Reset a vCPU to start at entry with x0 = arg, and switch it on. */
void vcpu_start(struct vcpu *v, u64 entry, u64 arg);
/* This CPU's vCPU is off or was reset: wait at EL2 until it is started,
 * then enter it fresh. */
__noreturn void vcpu_park(struct vcpu *v);
/* Should the trap path resume v, or park it? */
static inline bool vcpu_resumable(const struct vcpu *v)
{
	return __atomic_load_n(&v->on, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&v->gen, __ATOMIC_ACQUIRE) == v->entered_gen;
}
/* The vCPU with this (virtual == physical) MPIDR in p, or NULL. */
struct vcpu *partition_vcpu_by_mpidr(struct partition *p, u64 mpidr);

/* Monitor-wide state (main.c) */
extern struct partition partitions[MAX_PARTITIONS];
extern unsigned nr_partitions;
/* Called when a partition stops: powers off once none is running. */
void umbra_partition_stopped(void);

/* Stage-2 data/instruction abort outside what the partition may touch. */
void guest_abort(struct vcpu *v, u64 ipa, u64 va, bool instr, bool write);
/* A trap Umbra does not handle: undef into the guest, one log line. */
void guest_unhandled_trap(struct vcpu *v, u64 syndrome);

/* SMCCC dispatch of an HVC #0 / SMC #0 from a guest (hypercall.c) */
void hypercall_dispatch(struct vcpu *v);
/* PSCI for guests (psci.c): returns true if fid is a PSCI function. */
bool psci_guest_call(struct vcpu *v, u32 fid, const u64 *args, u64 *ret);

#endif
