/* SPDX-License-Identifier: Apache-2.0 */
#ifndef UMBRA_LIBC_STDLIB_H
#define UMBRA_LIBC_STDLIB_H
#include <stddef.h>
unsigned long strtoul(const char *s, char **end, int base);
#endif
