// SPDX-License-Identifier: Apache-2.0
/*
 * Symbols Debian's libfdt.a and libbearssl.a expect from glibc: they were
 * built with _FORTIFY_SOURCE and -fstack-protector. The checked variants
 * enforce their bound and otherwise defer to the plain functions.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "umbra/lib.h"

uintptr_t __stack_chk_guard = 0x5a3c96e1f00dfaceUL;

void __stack_chk_fail(void)
{
	lib_fatal("stack protector: stack smashed");
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
	if (n > dstlen)
		lib_fatal("__memcpy_chk: overflow");
	return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
	if (n > dstlen)
		lib_fatal("__memmove_chk: overflow");
	return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
	if (n > dstlen)
		lib_fatal("__memset_chk: overflow");
	return memset(dst, c, n);
}
