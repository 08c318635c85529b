/* SPDX-License-Identifier: Apache-2.0 */
/* Static sizes of the monitor. Usable from assembly. */
#ifndef UMBRA_LIMITS_H
#define UMBRA_LIMITS_H

#define MAX_CPUS            8
#define MAX_PARTITIONS      4
#define MAX_PART_CPUS       MAX_CPUS
#define MAX_PART_REGIONS    4
#define MAX_RAM_REGIONS     8
#define PART_NAME_MAX       16
#define STACK_SIZE          8192      /* deepest measured: 4,720 bytes (boot and
                                         ATTEST: BearSSL), docs/performance.md */
#define PT_EL2_POOL_PAGES   16        /* Umbra's own (EL2 stage-1) tables: a
                                         table per GiB of RAM, and the devices';
                                         the QEMU configs use 8 (1 GiB) to 11
                                         (virt-big, 4 GiB); boot prints the use.
                                         The partitions' tables are counted from
                                         the configuration (main.c) */
#define PT_POOL_FALLBACK    48        /* ... when that count overflows */
#define GUEST_DTB_MAX       (64 * 1024)

#endif
