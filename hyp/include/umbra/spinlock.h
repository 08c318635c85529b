/* SPDX-License-Identifier: Apache-2.0 */
#ifndef UMBRA_SPINLOCK_H
#define UMBRA_SPINLOCK_H

#include "umbra/types.h"

typedef struct { u32 locked; } spinlock_t;

static inline bool spin_trylock(spinlock_t *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
