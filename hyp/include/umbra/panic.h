/* SPDX-License-Identifier: Apache-2.0 */
/* For broken internal invariants only. Anything a guest or a config
 * supplies gets an error code and a log line instead. */
#ifndef UMBRA_PANIC_H
#define UMBRA_PANIC_H

#include "umbra/types.h"

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
#define BUG_ON(cond) do { if (cond) panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); } while (0)

#endif
