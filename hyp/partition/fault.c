// SPDX-License-Identifier: Apache-2.0
/* What happens when a partition touches what it must not: the access is
 * refused with an external abort in the guest, one log line is written,
 * and the monitor carries on. */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "partition/partition.h"

#define FAULT_LOG_BURST 32 /* per partition; a looping guest must not flood */

static bool log_allowed(struct partition *p)
{
	switch (log_limit(&p->fault_log, FAULT_LOG_BURST)) {
	case LOG_SHOW:
		return true;
	case LOG_STOP:
		pr_info("%s: further faults of this partition are not logged", p->cfg->name);
		return false;
	default:
		return false;
	}
}

void guest_abort(struct vcpu *v, u64 ipa, u64 va, bool instr, bool write)
{
	struct partition *p = v->part;

	u64 pc = arch_vcpu_pc(v);
	bool injected = arch_inject_abort(v, instr, write, va);

	/* the ring is bounded and counts its losses: every fault goes in */
	log_event(p->id, injected ? EV_S2_FAULT : EV_VECTOR_FAULT, ipa, pc,
		  instr ? 2 : write ? 1 : 0);

	if (log_allowed(p))
		pr_info("%s: stage-2 fault: %s IPA 0x%lx PC 0x%lx: %s", p->cfg->name,
			instr ? "fetch" : write ? "write" : "read", ipa, pc,
			injected ? "external abort injected" : "its vectors fault too");
	if (!injected && !partition_fail(p, EV_CAUSE_VECTOR_FAULT, "fault in its exception vectors"))
		partition_stop(p, EV_CAUSE_VECTOR_FAULT, "fault in its exception vectors");
}

void guest_unhandled_trap(struct vcpu *v, u64 syndrome)
{
	struct partition *p = v->part;

	log_event(p->id, EV_TRAP, syndrome, arch_vcpu_pc(v), 0);
	if (log_allowed(p))
		pr_info("%s: unhandled trap (syndrome 0x%lx) PC 0x%lx: undef injected",
			p->cfg->name, syndrome, arch_vcpu_pc(v));
	arch_inject_undef(v);
}
