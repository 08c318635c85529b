// SPDX-License-Identifier: Apache-2.0
/*
 * PSCI (DEN0022 1.1) as partitions see it. Every call acts on the calling
 * partition only: CPU_ON reaches only its own vCPUs, SYSTEM_OFF and
 * SYSTEM_RESET stop or restart that partition, never the machine.
 */
#include "umbra/log.h"
#include "partition/partition.h"
#include "umbra_abi.h"

#define PSCI_CPU_ON_32          0x84000003u
#define PSCI_AFFINITY_INFO_32   0x84000004u
#define PSCI_RET_ALREADY_ON     -4
#define PSCI_RET_INTERNAL_FAILURE -6
#define PSCI_RET_INVALID_ADDRESS -9
#define PSCI_MIGRATE_NOT_REQUIRED 2
#define MPIDR_AFF_MASK 0xff00ffffffUL

static bool implemented(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

static s64 cpu_on(struct vcpu *v, u64 target, u64 entry, u64 ctx)
{
	struct partition *p = v->part;
	struct vcpu *t = partition_vcpu_by_mpidr(p, target & MPIDR_AFF_MASK);
	s64 ret = PSCI_RET_SUCCESS;
	unsigned spins;

	if (!t)
		return PSCI_RET_INVALID_PARAMS; /* other partitions' CPUs do not exist */
	if (!partition_ram_range(p, entry, 4) || entry % 4)
		return PSCI_RET_INVALID_ADDRESS;
	spin_lock(&p->lock);
	if (t->on || p->state != PART_RUNNING) {
		ret = PSCI_RET_ALREADY_ON;
	} else {
		/* its CPU must have left the guest before we rewrite it */
		for (spins = 0; spins < (1u << 24) && !__atomic_load_n(&t->parked, __ATOMIC_ACQUIRE);
		     spins++)
			;
		if (spins == (1u << 24))
			ret = PSCI_RET_INTERNAL_FAILURE;
		else {
			/* a second CPU may cache its translations: broadcast */
			__atomic_store_n(&p->tlbi_local, false, __ATOMIC_RELEASE);
			vcpu_start(t, entry, ctx);
		}
	}
	spin_unlock(&p->lock);
	return ret;
}

bool psci_guest_call(struct vcpu *v, u32 fid, const u64 *a, u64 *ret)
{
	struct vcpu *t;

	switch (fid) {
	case PSCI_VERSION:
		ret[0] = 0x10001;
		return true;
	case PSCI_FEATURES:
		ret[0] = implemented((u32)a[0]) ? 0 : (u64)PSCI_RET_NOT_SUPPORTED;
		return true;
	case PSCI_MIGRATE_INFO_TYPE:
		ret[0] = PSCI_MIGRATE_NOT_REQUIRED;
		return true;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		ret[0] = (u64)cpu_on(v, a[0], a[1], a[2]);
		return true;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		t = partition_vcpu_by_mpidr(v->part, a[0] & MPIDR_AFF_MASK);
		if (!t || a[1] != 0)
			ret[0] = (u64)PSCI_RET_INVALID_PARAMS;
		else
			ret[0] = __atomic_load_n(&t->on, __ATOMIC_ACQUIRE) ? 0 : 1;
		return true;
	case PSCI_CPU_OFF:
		vcpu_stop(v);
		return true;
	case PSCI_SYSTEM_OFF:
		partition_stop(v->part, EV_CAUSE_SYSTEM_OFF, "PSCI SYSTEM_OFF");
		return true;
	case PSCI_SYSTEM_RESET:
		partition_restart(v->part, EV_CAUSE_SYSTEM_RESET, "PSCI SYSTEM_RESET");
		return true;
	default:
		ret[0] = (u64)PSCI_RET_NOT_SUPPORTED;
		return false;
	}
}
