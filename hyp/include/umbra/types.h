/* SPDX-License-Identifier: Apache-2.0 */
/* Basic types for the monitor. Physical addresses and guest IPAs are
 * distinct struct types so that mixing them up is a compile error. */
#ifndef UMBRA_TYPES_H
#define UMBRA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

typedef struct { u64 pa; } paddr_t;   /* physical address */
typedef struct { u64 ipa; } ipaddr_t; /* intermediate physical (guest) address */

static inline paddr_t pa_init(u64 v) { return (paddr_t){ v }; }
static inline u64 pa_addr(paddr_t p) { return p.pa; }
static inline ipaddr_t ipa_init(u64 v) { return (ipaddr_t){ v }; }
static inline u64 ipa_addr(ipaddr_t i) { return i.ipa; }

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define BIT(n) (1UL << (n))

#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define SZ_2M 0x200000UL

#define __aligned(n) __attribute__((aligned(n)))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __section(s) __attribute__((section(s)))
#define __unused __attribute__((unused))

/* [a, a+alen) and [b, b+blen) intersect; callers guarantee no wrap. */
static inline bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* [inner, inner+ilen) lies wholly within [outer, outer+olen). */
static inline bool range_within(u64 inner, u64 ilen, u64 outer, u64 olen)
{
	return inner >= outer && ilen <= olen && inner - outer <= olen - ilen;
}

/* base + size does not wrap past 2^64 (end may equal 2^64 only if size 0). */
static inline bool range_valid(u64 base, u64 size)
{
	return size != 0 && base + size - 1 >= base;
}

/* Kernel-style error numbers for internal interfaces (negated). */
enum {
	E_OK = 0,
	E_INVAL = 22,
	E_NOMEM = 12,
	E_EXIST = 17,
	E_NOENT = 2,
	E_RANGE = 34,
	E_PERM = 1,
	E_TIMEOUT = 110,
};

#endif
