// SPDX-License-Identifier: GPL-2.0-only
/*
 * umbra.ko: Umbra's Linux driver. Finds the Umbra hypervisor through the
 * SMCCC vendor-hypervisor UID query and gives user space /dev/umbra, whose
 * ioctls (guest/linux/include/umbra_ioctl.h) forward to Umbra's
 * attestation hypercalls (guest/lib/umbra_abi.h): INFO, ATTEST, EXTEND,
 * DERIVE_KEY.
 *
 * The monitor reads and writes guest memory by intermediate physical
 * address, which for a partition is its physical address: every buffer
 * handed to a hypercall is a kmalloc() buffer (physically contiguous,
 * linear-mapped) passed by virt_to_phys(). User memory is never passed to
 * the monitor; it is copied with copy_{from,to}_user, after every length
 * has been checked here (the monitor checks again).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic_notifier.h>
#include <linux/poll.h>
#include <linux/workqueue.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "umbra_abi.h"
#include "umbra_ioctl.h"

/* One call at a time: keeps extends and the tokens that report them in
 * the order user space issued them. */
static DEFINE_MUTEX(umbra_lock);

static struct arm_smccc_res umbra_call(u32 fid, unsigned long a1, unsigned long a2,
				       unsigned long a3, unsigned long a4)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(fid, a1, a2, a3, a4, &res);
	return res;
}

/* An Umbra status (x0 of an SMC64 call, negative on failure) as an errno. */
static long umbra_errno(long status)
{
	switch (status) {
	case UMBRA_E_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case UMBRA_E_INVALID_PARAM:
		return -EINVAL;
	case UMBRA_E_BAD_ADDRESS:
		return -EFAULT;
	case UMBRA_E_DENIED:
		return -EPERM;
	case UMBRA_E_NO_MEMORY:
		return -ENOSPC;
	case UMBRA_E_BUSY:
		return -EBUSY;
	default:
		return -EIO;
	}
}

static void umbra_get_info(struct umbra_info *info)
{
	struct arm_smccc_res res;

	memset(info, 0, sizeof(*info));
	/* SMC32 calls: only w0..w3 are results */
	res = umbra_call(UMBRA_HC_VERSION, 0, 0, 0, 0);
	if ((s32)res.a0 == UMBRA_OK) {
		info->abi_major = (u32)res.a1 >> 16;
		info->abi_minor = (u32)res.a1 & 0xffff;
	}
	res = umbra_call(UMBRA_HC_REVISION, 0, 0, 0, 0);
	info->revision_major = (u32)res.a0;
	info->revision_minor = (u32)res.a1;
	res = umbra_call(UMBRA_HC_PARTITION_INFO, 0, 0, 0, 0);
	if ((long)res.a0 == UMBRA_OK) {
		info->partition_id = (u32)res.a1;
		info->nr_vcpus = (u32)res.a2;
		info->ram_bytes = res.a3;
	}
}

static long umbra_ioc_info(struct umbra_info __user *uarg)
{
	struct umbra_info info;

	mutex_lock(&umbra_lock);
	umbra_get_info(&info);
	mutex_unlock(&umbra_lock);
	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long umbra_ioc_attest(struct umbra_attest __user *uarg)
{
	struct arm_smccc_res res;
	u32 nonce_len, cap, rsv[2];
	u8 *nonce = NULL, *token = NULL;
	long ret;

	if (get_user(nonce_len, &uarg->nonce_len) || get_user(cap, &uarg->token_len) ||
	    copy_from_user(rsv, uarg->reserved, sizeof(rsv)))
		return -EFAULT;
	if ((nonce_len != 32 && nonce_len != 48 && nonce_len != 64) ||
	    cap == 0 || cap > UMBRA_TOKEN_MAX || rsv[0] || rsv[1])
		return -EINVAL;

	nonce = kmalloc(UMBRA_NONCE_MAX, GFP_KERNEL);
	/* zeroed: only what the monitor reports as written is copied out,
	 * but never let a short write expose old heap contents */
	token = kzalloc(cap, GFP_KERNEL);
	if (!nonce || !token) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(nonce, uarg->nonce, nonce_len)) {
		ret = -EFAULT;
		goto out;
	}

	mutex_lock(&umbra_lock);
	res = umbra_call(UMBRA_HC_ATTEST, virt_to_phys(nonce), nonce_len,
			 virt_to_phys(token), cap);
	mutex_unlock(&umbra_lock);

	ret = (long)res.a0;
	if (ret == UMBRA_E_NO_MEMORY) {
		/* the token needs x1 bytes: tell the caller how many */
		if (res.a1 <= cap || res.a1 > U32_MAX) {
			pr_warn_ratelimited("ATTEST: monitor asked for %lu bytes with %u offered\n",
					    res.a1, cap);
			ret = -EIO;
		} else {
			ret = put_user((u32)res.a1, &uarg->token_len) ? -EFAULT : -ENOSPC;
		}
		goto out;
	}
	if (ret < 0) {
		ret = umbra_errno(ret);
		goto out;
	}
	if (ret == 0 || ret > cap) {
		pr_warn_ratelimited("ATTEST: monitor returned a token of %ld bytes for a %u-byte buffer\n",
				    ret, cap);
		ret = -EIO;
		goto out;
	}
	if (copy_to_user(uarg->token, token, ret) || put_user((u32)ret, &uarg->token_len))
		ret = -EFAULT;
out:
	kfree(nonce);
	kfree(token);
	return ret;
}

static long umbra_ioc_extend(struct umbra_extend __user *uarg)
{
	struct umbra_extend arg;
	struct arm_smccc_res res;
	u8 *digest;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.index >= UMBRA_NR_REGISTERS || arg.reserved)
		return -EINVAL;
	digest = kmemdup(arg.digest, UMBRA_DIGEST_LEN, GFP_KERNEL);
	if (!digest)
		return -ENOMEM;

	mutex_lock(&umbra_lock);
	res = umbra_call(UMBRA_HC_MEASURE_EXTEND, arg.index, virt_to_phys(digest), 0, 0);
	mutex_unlock(&umbra_lock);

	ret = (long)res.a0;
	ret = ret < 0 ? umbra_errno(ret) : 0;
	kfree(digest);
	return ret;
}

static long umbra_ioc_derive_key(struct umbra_derive_key __user *uarg)
{
	struct umbra_derive_key arg;
	struct arm_smccc_res res;
	u8 *label, *key;
	long ret;

	if (copy_from_user(&arg, uarg, offsetof(struct umbra_derive_key, key)))
		return -EFAULT;
	if (arg.label_len > UMBRA_LABEL_MAX || arg.reserved)
		return -EINVAL;
	/* always a valid buffer, even for an empty label */
	label = kmemdup(arg.label, UMBRA_LABEL_MAX, GFP_KERNEL);
	key = kzalloc(UMBRA_KEY_LEN, GFP_KERNEL);
	if (!label || !key) {
		ret = -ENOMEM;
		goto out;
	}

	mutex_lock(&umbra_lock);
	res = umbra_call(UMBRA_HC_DERIVE_KEY, virt_to_phys(label), arg.label_len,
			 virt_to_phys(key), 0);
	mutex_unlock(&umbra_lock);

	ret = (long)res.a0;
	if (ret < 0) {
		ret = umbra_errno(ret);
		goto out;
	}
	ret = copy_to_user(uarg->key, key, UMBRA_KEY_LEN) ? -EFAULT : 0;
out:
	kfree_sensitive(key);
	kfree_sensitive(label);
	memzero_explicit(&arg, sizeof(arg));
	return ret;
}

/* Shared devices: claim, release, state. The monitor checks everything
 * again (the id, who may hold it, who holds it). */
static long umbra_ioc_device(unsigned int cmd, struct umbra_device __user *uarg)
{
	struct umbra_device arg;
	struct arm_smccc_res res;
	u32 fid = cmd == UMBRA_IOC_DEVICE_CLAIM ? UMBRA_HC_DEVICE_CLAIM :
		  cmd == UMBRA_IOC_DEVICE_RELEASE ? UMBRA_HC_DEVICE_RELEASE :
		  UMBRA_HC_DEVICE_STATE;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	mutex_lock(&umbra_lock);
	res = umbra_call(fid, arg.id, 0, 0, 0);
	mutex_unlock(&umbra_lock);
	ret = (long)res.a0;
	if (ret < 0)
		return umbra_errno(ret);
	if (cmd != UMBRA_IOC_DEVICE_STATE)
		return 0;
	arg.state = (u32)res.a1;
	arg.holder = res.a2 == ~0UL ? UMBRA_DEV_NO_HOLDER : (u32)res.a2;
	return copy_to_user(uarg, &arg, sizeof(arg)) ? -EFAULT : 0;
}

/* Write the image into the target's update-staging region (which Umbra
 * maps into this partition only), then ask Umbra to verify and load it. */
static long umbra_ioc_update(struct umbra_update __user *uarg)
{
	struct umbra_update u;
	struct arm_smccc_res res;
	size_t nlen;
	char *name;
	void *map;
	long ret;

	if (copy_from_user(&u, uarg, sizeof(u)))
		return -EFAULT;
	nlen = strnlen(u.name, sizeof(u.name));
	if (!nlen || nlen == sizeof(u.name) || !u.len || u.reserved)
		return -EINVAL;
	name = kmemdup(u.name, sizeof(u.name), GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	mutex_lock(&umbra_lock);
	res = umbra_call(UMBRA_HC_IMAGE_UPDATE, virt_to_phys(name), nlen, 0, 0);
	if ((long)res.a0 != UMBRA_OK) {
		ret = umbra_errno((long)res.a0);
		goto out;
	}
	if (u.len > res.a2) {
		ret = -EFBIG;
		goto out;
	}
	map = memremap(res.a1, res.a2, MEMREMAP_WB);
	if (!map) {
		ret = -ENOMEM;
		goto out;
	}
	ret = copy_from_user(map, u64_to_user_ptr(u.data), u.len) ? -EFAULT : 0;
	memunmap(map);
	if (ret)
		goto out;
	res = umbra_call(UMBRA_HC_IMAGE_UPDATE, virt_to_phys(name), nlen, u.len, 0);
	if ((long)res.a0 == UMBRA_E_REFUSED) {
		u.reason = (u32)res.a1;
		ret = -EKEYREJECTED;
	} else if ((long)res.a0 != UMBRA_OK) {
		ret = umbra_errno((long)res.a0);
		goto out;
	} else {
		u.downtime_us = res.a1;
		ret = 0;
	}
	if (copy_to_user(uarg, &u, sizeof(u)))
		ret = -EFAULT;
out:
	mutex_unlock(&umbra_lock);
	kfree(name);
	return ret;
}

/*
 * Events. Umbra raises no interrupt for a new event: while /dev/umbra is
 * open, a work item asks for the head sequence number every
 * EVENTS_POLL_MS and wakes pollers when it moved. Each open file keeps
 * the sequence number it has read up to (private_data).
 */
#define EVENTS_POLL_MS 200
static DECLARE_WAIT_QUEUE_HEAD(events_wq);
static atomic_t nr_open = ATOMIC_INIT(0);
static atomic64_t events_head = ATOMIC64_INIT(0);
static void events_poll_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(events_work, events_poll_fn);

static u64 umbra_events_head(void)
{
	struct arm_smccc_res res = umbra_call(UMBRA_HC_EVENTS_READ, 0, 0, 0, 0);

	return (long)res.a0 < 0 ? 0 : res.a2;
}

static void events_poll_fn(struct work_struct *w)
{
	u64 head = umbra_events_head();

	if (atomic64_xchg(&events_head, head) != head)
		wake_up_interruptible(&events_wq);
	if (atomic_read(&nr_open) > 0)
		schedule_delayed_work(&events_work, msecs_to_jiffies(EVENTS_POLL_MS));
}

static int umbra_open(struct inode *inode, struct file *file)
{
	file->private_data = NULL;   /* read up to: nothing yet */
	atomic64_set(&events_head, umbra_events_head());
	if (atomic_inc_return(&nr_open) == 1)
		schedule_delayed_work(&events_work, msecs_to_jiffies(EVENTS_POLL_MS));
	return 0;
}

static int umbra_release(struct inode *inode, struct file *file)
{
	if (atomic_dec_return(&nr_open) == 0)
		cancel_delayed_work_sync(&events_work);
	return 0;
}

static __poll_t umbra_poll(struct file *file, poll_table *wait)
{
	u64 seen = (u64)(uintptr_t)file->private_data;

	poll_wait(file, &events_wq, wait);
	return atomic64_read(&events_head) > seen ? EPOLLIN | EPOLLRDNORM : 0;
}

static long umbra_ioc_events(struct file *file, struct umbra_events __user *uarg)
{
	struct arm_smccc_res res;
	u64 from;
	u32 rsv;
	u8 *buf;
	long ret;

	if (get_user(from, &uarg->from) || get_user(rsv, &uarg->reserved))
		return -EFAULT;
	if (rsv)
		return -EINVAL;
	buf = kzalloc(UMBRA_EVENTS_MAX * UMBRA_EVENT_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&umbra_lock);
	res = umbra_call(UMBRA_HC_EVENTS_READ, from, virt_to_phys(buf),
			 UMBRA_EVENTS_MAX * UMBRA_EVENT_SIZE, 0);
	mutex_unlock(&umbra_lock);
	ret = (long)res.a0;
	if (ret < 0) {
		ret = umbra_errno(ret);
		goto out;
	}
	if (ret > UMBRA_EVENTS_MAX) {
		ret = -EIO;
		goto out;
	}
	/* the sequence numbers are 64-bit; private_data holds them on arm64 */
	file->private_data = (void *)(uintptr_t)res.a1;
	if (copy_to_user(uarg->records, buf, ret * UMBRA_EVENT_SIZE) ||
	    put_user(res.a1, &uarg->next) || put_user(res.a2, &uarg->head) ||
	    put_user((u32)ret, &uarg->count))
		ret = -EFAULT;
	else
		ret = 0;
out:
	kfree(buf);
	return ret;
}

static long umbra_ioc_report(struct umbra_report __user *uarg)
{
	struct arm_smccc_res res;
	struct arm_smccc_1_2_regs args = { 0 }, out;
	u32 nonce_len, rsv;
	u64 from;
	u8 *nonce = NULL, *buf = NULL;
	long ret;

	if (get_user(from, &uarg->from) || get_user(nonce_len, &uarg->nonce_len) ||
	    get_user(rsv, &uarg->reserved))
		return -EFAULT;
	if ((nonce_len != 32 && nonce_len != 48 && nonce_len != 64) || rsv)
		return -EINVAL;
	nonce = kzalloc(UMBRA_NONCE_MAX, GFP_KERNEL);
	buf = kzalloc(UMBRA_REPORT_BUF_MAX, GFP_KERNEL);
	if (!nonce || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(nonce, uarg->nonce, nonce_len)) {
		ret = -EFAULT;
		goto out;
	}
	/* five arguments: x1..x5 */
	args.a0 = UMBRA_HC_EVENTS_REPORT;
	args.a1 = virt_to_phys(nonce);
	args.a2 = nonce_len;
	args.a3 = from;
	args.a4 = virt_to_phys(buf);
	args.a5 = UMBRA_REPORT_BUF_MAX;
	mutex_lock(&umbra_lock);
	if (arm_smccc_1_1_get_conduit() == SMCCC_CONDUIT_SMC)
		arm_smccc_1_2_smc(&args, &out);
	else
		arm_smccc_1_2_hvc(&args, &out);
	mutex_unlock(&umbra_lock);
	res.a0 = out.a0;
	res.a1 = out.a1;
	res.a2 = out.a2;
	ret = (long)res.a0;
	if (ret < 0) {
		ret = umbra_errno(ret);
		goto out;
	}
	if (ret > UMBRA_REPORT_BUF_MAX || res.a1 > (unsigned long)ret) {
		ret = -EIO;
		goto out;
	}
	if (copy_to_user(uarg->buf, buf, ret) || put_user((u32)ret, &uarg->len) ||
	    put_user((u32)res.a1, &uarg->report_len) || put_user(res.a2, &uarg->next))
		ret = -EFAULT;
	else
		ret = 0;
out:
	kfree(nonce);
	kfree(buf);
	return ret;
}

static long umbra_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case UMBRA_IOC_EVENTS:
		return umbra_ioc_events(file, uarg);
	case UMBRA_IOC_REPORT:
		return umbra_ioc_report(uarg);
	case UMBRA_IOC_INFO:
		return umbra_ioc_info(uarg);
	case UMBRA_IOC_ATTEST:
		return umbra_ioc_attest(uarg);
	case UMBRA_IOC_EXTEND:
		return umbra_ioc_extend(uarg);
	case UMBRA_IOC_DERIVE_KEY:
		return umbra_ioc_derive_key(uarg);
	case UMBRA_IOC_DEVICE_CLAIM:
	case UMBRA_IOC_DEVICE_RELEASE:
	case UMBRA_IOC_DEVICE_STATE:
		return umbra_ioc_device(cmd, uarg);
	case UMBRA_IOC_IMAGE_UPDATE:
		return umbra_ioc_update(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations umbra_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = umbra_ioctl,
	.open = umbra_open,
	.release = umbra_release,
	.poll = umbra_poll,
	.compat_ioctl = compat_ptr_ioctl,   /* same layout for 32-bit callers */
	.llseek = noop_llseek,
};

static struct miscdevice umbra_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "umbra",
	.fops = &umbra_fops,
	.mode = 0600,
};

/* Is the hypervisor behind the SMCCC conduit Umbra? */
static int umbra_discover(void)
{
	static const u32 uid[4] = { UMBRA_UID0, UMBRA_UID1, UMBRA_UID2, UMBRA_UID3 };
	struct arm_smccc_res res;
	__le32 got[4];
	unsigned int i;
	bool match = true;

	if (arm_smccc_1_1_get_conduit() == SMCCC_CONDUIT_NONE) {
		pr_err("no SMCCC 1.1 conduit (PSCI over HVC or SMC): not running under Umbra\n");
		return -ENODEV;
	}
	res = umbra_call(UMBRA_HC_CALL_UID, 0, 0, 0, 0);
	if ((s32)res.a0 == SMCCC_RET_NOT_SUPPORTED) {
		pr_err("the hypervisor answers no vendor-hypervisor UID query: not running under Umbra\n");
		return -ENODEV;
	}
	got[0] = cpu_to_le32((u32)res.a0);
	got[1] = cpu_to_le32((u32)res.a1);
	got[2] = cpu_to_le32((u32)res.a2);
	got[3] = cpu_to_le32((u32)res.a3);
	for (i = 0; i < 4; i++)
		match &= le32_to_cpu(got[i]) == uid[i];
	if (!match) {
		/* SMCCC: the UUID's bytes are little-endian in w0..w3 */
		pr_err("hypervisor UID %pUb is not Umbra's: not running under Umbra\n", got);
		return -ENODEV;
	}
	return 0;
}

/* A panic tells Umbra, which applies the partition's on-failure policy
 * (restart or stop: the call does not return); without a policy it
 * returns and the kernel goes on (panic=N resets through PSCI). */
static int umbra_panic_notify(struct notifier_block *nb, unsigned long event, void *msg)
{
	umbra_call(UMBRA_HC_PANIC, 0, 0, 0, 0);
	return NOTIFY_DONE;
}

static struct notifier_block umbra_panic_nb = {
	.notifier_call = umbra_panic_notify,
	.priority = INT_MIN,   /* last: after the kernel's own notifiers */
};

static int __init umbra_init(void)
{
	struct umbra_info info;
	int err;

	err = umbra_discover();
	if (err)
		return err;
	umbra_get_info(&info);
	if (info.abi_major != UMBRA_ABI_MAJOR) {
		pr_err("Umbra ABI %u.%u, but this driver speaks %u.x\n",
		       info.abi_major, info.abi_minor, UMBRA_ABI_MAJOR);
		return -ENODEV;
	}
	err = misc_register(&umbra_dev);
	if (err) {
		pr_err("cannot register /dev/umbra: %d\n", err);
		return err;
	}
	atomic_notifier_chain_register(&panic_notifier_list, &umbra_panic_nb);
	pr_info("Umbra ABI %u.%u (revision %u.%u), partition %u, %u vCPUs, %llu MiB: /dev/umbra\n",
		info.abi_major, info.abi_minor, info.revision_major, info.revision_minor,
		info.partition_id, info.nr_vcpus, info.ram_bytes >> 20);
	return 0;
}

static void __exit umbra_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &umbra_panic_nb);
	misc_deregister(&umbra_dev);
}

module_init(umbra_init);
module_exit(umbra_exit);

MODULE_DESCRIPTION("Umbra hypervisor: attestation and partition information for user space");
MODULE_AUTHOR("The Umbra authors");
MODULE_LICENSE("GPL");
