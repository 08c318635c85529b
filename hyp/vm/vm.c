// SPDX-License-Identifier: Apache-2.0
/* Lookups on the partition objects every subsystem shares (vm.h). */
#include "umbra/arch.h"
#include "vm/vm.h"

bool partition_ram_range(const struct partition *p, u64 ipa, u64 len)
{
	unsigned i;

	if (len == 0 || ipa + len < ipa)
		return false;
	for (i = 0; i < p->cfg->nr_mem; i++)
		if (range_within(ipa, len, p->cfg->mem[i].base, p->cfg->mem[i].size))
			return true;
	return false;
}

int guest_copy_from(const struct partition *p, u64 ipa, void *dst, u64 len)
{
	void *src = pa_to_ptr(pa_init(ipa));

	if (!partition_ram_range(p, ipa, len))
		return -E_RANGE;
	/* Partition RAM is identity mapped (IPA == PA) and mapped at EL2. A
	 * guest with its MMU off wrote around the caches: look at memory. */
	arch_dcache_clean_inval_range(src, len);
	memcpy(dst, src, len);
	return 0;
}

int guest_copy_to(const struct partition *p, u64 ipa, const void *src, u64 len)
{
	void *dst = pa_to_ptr(pa_init(ipa));

	if (!partition_ram_range(p, ipa, len))
		return -E_RANGE;
	memcpy(dst, src, len);
	/* a guest with its MMU off reads memory, not the cache */
	arch_dcache_clean_range(dst, len);
	return 0;
}

struct vcpu *partition_vcpu_by_mpidr(struct partition *p, u64 mpidr)
{
	unsigned i;

	for (i = 0; i < p->nr_vcpus; i++)
		if (p->cfg->cpu_mpidr[i] == mpidr)
			return &p->vcpu[i];
	return NULL;
}
