/* SPDX-License-Identifier: Apache-2.0 */
/* Freestanding library pieces shared by the monitor and the test guests. */
#ifndef UMBRA_LIB_H
#define UMBRA_LIB_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Provided by each program that links hyp/lib: report an unrecoverable
 * library failure (stack smash, fortify check) and stop. */
__attribute__((noreturn)) void lib_fatal(const char *why);

#endif
