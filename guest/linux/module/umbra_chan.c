// SPDX-License-Identifier: GPL-2.0-only
/*
 * umbra_chan.ko: Umbra's inter-partition channels for user space
 * (docs/channels.md). A platform driver for the "umbra,channel" nodes
 * Umbra puts in the partition's device tree: each becomes /dev/umbra-chanN
 * (N = the channel id), whose interface is in umbra_chan_ioctl.h: mmap of
 * the shared region, read/poll for doorbells (the node's interrupt, a
 * software SPI Umbra raises), write/ioctl to ring the peer's doorbell
 * (the CHANNEL_NOTIFY hypercall). The ring protocol itself lives in user
 * space (guest/lib/umbra_chan.h): the driver never touches the region.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "umbra_abi.h"
#include "umbra_chan_ioctl.h"

struct umbra_chan {
	struct miscdevice misc;
	char name[24];
	u32 id;
	phys_addr_t base;
	resource_size_t size;
	bool read_only;
	atomic_t doorbells;          /* since the last read() */
	wait_queue_head_t wait;
};

static long chan_errno(long status)
{
	switch (status) {
	case UMBRA_OK:
		return 0;
	case UMBRA_E_INVALID_PARAM:
		return -EINVAL;
	case UMBRA_E_DENIED:
		return -EPERM;
	case UMBRA_E_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

static long chan_notify(u64 id)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(UMBRA_HC_CHANNEL_NOTIFY, id, &res);
	return chan_errno((long)res.a0);
}

static irqreturn_t chan_irq(int irq, void *data)
{
	struct umbra_chan *c = data;

	atomic_inc(&c->doorbells);
	wake_up_interruptible(&c->wait);
	return IRQ_HANDLED;
}

static struct umbra_chan *chan_of(struct file *f)
{
	return container_of(f->private_data, struct umbra_chan, misc);
}

static ssize_t chan_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	struct umbra_chan *c = chan_of(f);
	u32 n;
	int err;

	if (len < sizeof(n))
		return -EINVAL;
	for (;;) {
		n = (u32)atomic_xchg(&c->doorbells, 0);
		if (n)
			break;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(c->wait, atomic_read(&c->doorbells));
		if (err)
			return err;
	}
	return copy_to_user(buf, &n, sizeof(n)) ? -EFAULT : sizeof(n);
}

static __poll_t chan_poll(struct file *f, poll_table *wait)
{
	struct umbra_chan *c = chan_of(f);

	poll_wait(f, &c->wait, wait);
	return atomic_read(&c->doorbells) ? EPOLLIN | EPOLLRDNORM : 0;
}

static ssize_t chan_write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
	long err;

	if (!len)
		return 0;
	err = chan_notify(chan_of(f)->id);
	return err ? err : (ssize_t)len;
}

static int chan_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct umbra_chan *c = chan_of(f);
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;

	if (off >= c->size || len > c->size - off)
		return -EINVAL;
	if (c->read_only) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		vma->vm_flags &= ~VM_MAYWRITE; /* 6.1: no vm_flags_clear() */
	}
	/* Normal cacheable, as the peer maps it (vm_page_prot of a shared
	 * mapping): the ring's ordering rules assume coherent memory. */
	return remap_pfn_range(vma, vma->vm_start, (c->base + off) >> PAGE_SHIFT, len,
			       vma->vm_page_prot);
}

static long chan_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct umbra_chan *c = chan_of(f);
	struct umbra_chan_info info;
	struct arm_smccc_res res;
	u64 id;

	switch (cmd) {
	case UMBRA_CHAN_IOC_INFO:
		arm_smccc_1_1_invoke(UMBRA_HC_CHANNEL_INFO, (u64)c->id, &res);
		if ((long)res.a0 != UMBRA_OK)
			return chan_errno((long)res.a0);
		memset(&info, 0, sizeof(info));
		info.base = res.a1;
		info.size = res.a2;
		info.id = c->id;
		info.flags = (u32)res.a3;
		return copy_to_user((void __user *)arg, &info, sizeof(info)) ? -EFAULT : 0;
	case UMBRA_CHAN_IOC_NOTIFY:
		return chan_notify(c->id);
	case UMBRA_CHAN_IOC_NOTIFY_ID:
		if (get_user(id, (u64 __user *)arg))
			return -EFAULT;
		return chan_notify(id);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations chan_fops = {
	.owner = THIS_MODULE,
	.read = chan_read,
	.write = chan_write,
	.poll = chan_poll,
	.mmap = chan_mmap,
	.unlocked_ioctl = chan_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static int chan_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct umbra_chan *c;
	struct resource *r;
	int irq, err;

	c = devm_kzalloc(dev, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	r = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!r || of_property_read_u32(dev->of_node, "umbra,channel-id", &c->id))
		return -EINVAL;
	if (!PAGE_ALIGNED(r->start) || !PAGE_ALIGNED(resource_size(r)))
		return -EINVAL;
	c->base = r->start;
	c->size = resource_size(r);
	c->read_only = of_property_read_bool(dev->of_node, "read-only");
	atomic_set(&c->doorbells, 0);
	init_waitqueue_head(&c->wait);
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;
	err = devm_request_irq(dev, irq, chan_irq, 0, dev_name(dev), c);
	if (err)
		return err;
	snprintf(c->name, sizeof(c->name), "umbra-chan%u", c->id);
	c->misc.minor = MISC_DYNAMIC_MINOR;
	c->misc.name = c->name;
	c->misc.fops = &chan_fops;
	c->misc.mode = 0600;
	err = misc_register(&c->misc);
	if (err)
		return err;
	platform_set_drvdata(pdev, c);
	dev_info(dev, "/dev/%s: %pa+0x%llx%s, doorbell IRQ %d\n", c->name, &c->base,
		 (unsigned long long)c->size, c->read_only ? " (read-only)" : "", irq);
	return 0;
}

static int chan_remove(struct platform_device *pdev)
{
	struct umbra_chan *c = platform_get_drvdata(pdev);

	misc_deregister(&c->misc);
	return 0;
}

static const struct of_device_id chan_of_match[] = {
	{ .compatible = "umbra,channel" },
	{ }
};
MODULE_DEVICE_TABLE(of, chan_of_match);

static struct platform_driver chan_driver = {
	.probe = chan_probe,
	.remove = chan_remove,
	.driver = {
		.name = "umbra-channel",
		.of_match_table = chan_of_match,
	},
};
module_platform_driver(chan_driver);

MODULE_DESCRIPTION("Umbra hypervisor: inter-partition channels for user space");
MODULE_AUTHOR("The Umbra authors");
MODULE_LICENSE("GPL");
