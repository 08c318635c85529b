// SPDX-License-Identifier: Apache-2.0
/*
 * PSCI (DEN0022 1.1) as partitions see it. Calls act on the calling
 * partition only: SYSTEM_OFF stops that partition, never the machine.
 */
#include "umbra/partition.h"
#include "../../guest/lib/umbra_abi.h"

#define PSCI_MIGRATE_NOT_REQUIRED 2

static bool implemented(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_CPU_OFF:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

bool psci_guest_call(struct vcpu *v, u32 fid, const u64 *a, u64 *ret)
{
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
	case PSCI_CPU_OFF:
		vcpu_stop(v);
		return true;
	case PSCI_SYSTEM_OFF:
		partition_stop(v->part, "PSCI SYSTEM_OFF");
		return true;
	default:
		ret[0] = (u64)PSCI_RET_NOT_SUPPORTED;
		return false;
	}
}
