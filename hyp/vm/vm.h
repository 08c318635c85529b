/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition and vCPU objects every subsystem above works on: one vCPU
 * per physical CPU, pinned, no scheduler. Their lifecycle (create, start,
 * stop, restart) is partition/partition.h; what a subsystem keeps per
 * partition it keeps itself, indexed by the partition's id.
 *
 * Lock order, for the whole monitor (a lock may only be taken while
 * holding those above it in this list):
 *
 *   1. out_lock           console/console.c   the UART, one whole line at a time
 *   2. con_port.out.lock  console/console.c   a partition's line and queue
 *
 * Every other lock is a leaf: nothing else is taken while it is held, and
 * no path holds two of them.
 *
 *   partition.lock        partition/          state and vCPU on/off
 *   con_port.vuart.lock   console/vuart.c     a vUART's registers and RX FIFO
 *   lock                  attest/attest_svc.c the attestation service's state
 *                                             (a report reads the event log under
 *                                             it: ev_lock is taken inside it)
 *   ev_lock               console/events.c    the event ring; innermost
 *   devs.lock             devices/device.c    shared devices' state (the transfer
 *                                             work runs outside it, IN_TRANSFER)
 *   dist_lock             drivers/gicv3.c     GICD_ICFGR read-modify-write
 *
 * A vCPU writing its partition's output only tries out_lock: it never
 * waits for the UART (console.c). The panic path takes the console over
 * without it (log_take_over).
 */
#ifndef UMBRA_VM_H
#define UMBRA_VM_H

#include "umbra/log.h"
#include "config/config.h"
#include "mm/pgtable.h"
#include "umbra/spinlock.h"
#include "vm/vgic.h"
#include "arch/regs.h"
#include "vm/vcpu_offsets.h"

enum part_state { PART_STOPPED, PART_RUNNING, PART_RESTARTING };

struct partition;

/* Loading a partition's RAM (partition.c): window by window, each one
 * zeroed but where an image lands, which is copied from its pristine copy.
 * At boot the partition's other CPUs take windows too, and one of them
 * the measurement. */
struct load_plan {
	u64 windows;                 /* in all */
	u64 next;                    /* atomic: the next window to take */
	u64 done;                    /* atomic: windows finished */
	bool offered;                /* other CPUs may take windows */
	bool measure_taken;          /* atomic: a CPU measures this load */
};

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
	/* its image in the staging region: from the config, replaced by a
	 * live update (partition/update.c) */
	u64 image_off, image_size, text_offset;
	struct load_plan load;       /* the boot-time load (a restart's: its own) */
	/* atomic: its measurement is being made, from the load's start until
	 * it is in the attestation service (which waits for it) */
	bool measuring;
	struct log_limit fault_log;  /* its faults' lines (fault.c) */
	unsigned restarts;
	/* only vCPU 0 has run since its VMID was last invalidated on every
	 * CPU (its entry): its TLBIs need not be broadcast (arch trap.c) */
	bool tlbi_local;
	u64 fail_window_start;       /* counter at the first restart by policy ... */
	u32 fail_restarts;           /* ... and how many since (partition_fail) */
	spinlock_t lock;             /* state and vCPU on/off */
	u64 idreg[56];               /* ID registers as it sees them (vm/idregs.h) */
	u64 idreg_known;             /* ... which of them are set (one bit each) */
};

#define VCPU_OFF(f, o) _Static_assert(__builtin_offsetof(struct vcpu, f) == (o), #f)
VCPU_OFF(on, VCPU_ON);
VCPU_OFF(gen, VCPU_GEN);
VCPU_OFF(entered_gen, VCPU_ENTERED_GEN);
VCPU_OFF(vgic.pending_map, VCPU_VGIC_FLUSH);
VCPU_OFF(vgic.flush_zero, VCPU_VGIC_FLUSH + 7);
VCPU_OFF(vgic.enabled, VCPU_VGIC_ENABLED);
VCPU_OFF(vgic.prio, VCPU_VGIC_PRIO);
#undef VCPU_OFF

/* Is [ipa, ipa+len) wholly inside the partition's RAM? */
bool partition_ram_range(const struct partition *p, u64 ipa, u64 len);

/* Copy guest memory after checking the range; -E_RANGE if not RAM. */
int guest_copy_from(const struct partition *p, u64 ipa, void *dst, u64 len);

/* Copy to guest memory after checking the range; -E_RANGE if not RAM. */
int guest_copy_to(const struct partition *p, u64 ipa, const void *src, u64 len);

/* Wait while p's measurement is being made (partition.c: at boot on
 * another of its CPUs while it runs): a restart and its attestation calls
 * need the finished one. */
static inline void partition_wait_measured(const struct partition *p)
{
	while (__atomic_load_n(&p->measuring, __ATOMIC_ACQUIRE))
		;
}

/* Should the trap path resume v, or park it? Sequentially consistent
 * (LDAR, as an acquire load is): vcpu_park checks it right after
 * clearing parked (partition.c). */
static inline bool vcpu_resumable(const struct vcpu *v)
{
	return __atomic_load_n(&v->on, __ATOMIC_SEQ_CST) &&
	       __atomic_load_n(&v->gen, __ATOMIC_SEQ_CST) == v->entered_gen;
}
/* The vCPU with this (virtual == physical) MPIDR in p, or NULL. */
struct vcpu *partition_vcpu_by_mpidr(struct partition *p, u64 mpidr);

#endif
