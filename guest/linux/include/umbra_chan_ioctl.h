/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * /dev/umbra-chanN: one Umbra channel (docs/channels.md) for user space,
 * from umbra_chan.ko (guest/linux/module/umbra_chan.c). N is the channel
 * id. The device offers:
 *   mmap     the shared region (offset 0, at most its size; PROT_WRITE
 *            only if this partition may write it), mapped cacheable
 *   read     blocks until at least one doorbell arrived since the last
 *            read, then returns a __u32: how many (O_NONBLOCK: EAGAIN)
 *   poll     POLLIN when a doorbell is waiting
 *   write    any 1..N bytes ring the peer's doorbell (CHANNEL_NOTIFY)
 *   ioctl    below
 */
#ifndef UMBRA_CHAN_IOCTL_H
#define UMBRA_CHAN_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UMBRA_CHAN_DEVICE_FMT "/dev/umbra-chan%u"

struct umbra_chan_info {
	__u64 base;        /* out: the region's physical address */
	__u64 size;        /* out: its size in bytes */
	__u32 id;          /* out: the channel id */
	__u32 flags;       /* out: UMBRA_CHAN_* from CHANNEL_INFO (umbra_abi.h) */
};

#define UMBRA_CHAN_IOC_MAGIC 0xb5
/* CHANNEL_INFO for this channel */
#define UMBRA_CHAN_IOC_INFO   _IOR(UMBRA_CHAN_IOC_MAGIC, 1, struct umbra_chan_info)
/* CHANNEL_NOTIFY for this channel (as write() does) */
#define UMBRA_CHAN_IOC_NOTIFY _IO(UMBRA_CHAN_IOC_MAGIC, 2)
/* CHANNEL_NOTIFY with any id, passed to the monitor unchecked (tests of
 * the monitor's own checks): 0 or -1 with errno EINVAL (no such channel),
 * EPERM (not this partition's) */
#define UMBRA_CHAN_IOC_NOTIFY_ID _IOW(UMBRA_CHAN_IOC_MAGIC, 3, __u64)

#endif
