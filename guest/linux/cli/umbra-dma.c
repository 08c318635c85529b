// SPDX-License-Identifier: Apache-2.0
/*
 * umbra-dma: a hostile driver, for the DMA-confinement tests. As root, it
 * takes a modern virtio-pci device away from its Linux driver and makes it
 * write to a physical address of the caller's choosing:
 *
 *   umbra-dma [options] DEVICE TARGET
 *     DEVICE   a PCI address (0000:00:01.0 or 00:01.0), VENDOR:DEVICE in hex
 *              (1af4:1044), or `rng` / `blk` (the first modern virtio-rng /
 *              virtio-blk)
 *     TARGET   the physical address the device is to write (hex), or `self`:
 *              a page of this process's own memory, filled with a pattern
 *              first and compared afterwards (the device really writes there
 *              unless an IOMMU stops it)
 *   -l LEN     bytes to ask for (default 64; at most 4096)
 *   -w MS      how long to wait for the device (default 500)
 *   -n         do not acknowledge VIRTIO_F_ACCESS_PLATFORM even if offered
 *   -r         give the device back to its driver afterwards
 *
 * What it does, in the order it prints it: unbind DEVICE from its driver
 * (sysfs), turn on memory decoding and bus mastering (config space), find
 * the virtio common/notify configuration capabilities and mmap their BAR
 * (/sys/bus/pci/devices/D/resourceN), reset the device, negotiate features,
 * set up virtqueue 0 by hand with its rings in a locked page of its own
 * (physical address from /proc/self/pagemap), post one device-writable
 * descriptor whose buffer is TARGET (virtio-rng: the entropy buffer;
 * virtio-blk: a read of sector 0 into it), notify, wait, and print the used
 * ring and the device status (DEVICE_NEEDS_RESET if the device gave up, e.g.
 * because its DMA faulted). Then it resets the device.
 *
 * Output lines start with "umbra-dma: "; the last is
 *   umbra-dma: result: used N len L status 0xSS [NEEDS_RESET] [self: K of LEN bytes changed]
 * Exit status: 0 the request completed (the device wrote), 3 it did not
 * (no used entry, or the device needs a reset), 1 an error, 2 usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PCI_SYS "/sys/bus/pci/devices"

#define VIRTIO_VENDOR    0x1af4
#define VIRTIO_ID_BLK    2
#define VIRTIO_ID_RNG    4
#define VIRTIO_MODERN(t) (0x1040 + (t))

/* PCI config space */
#define PCI_COMMAND        0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_STATUS         0x06
#define PCI_STATUS_CAP     0x10
#define PCI_CAP_PTR        0x34
#define PCI_CAP_VNDR       0x09

/* virtio_pci_cap.cfg_type */
#define VIRTIO_PCI_CAP_COMMON 1
#define VIRTIO_PCI_CAP_NOTIFY 2

/* struct virtio_pci_common_cfg (virtio 1.x, 4.1.4.3) */
#define CC_DFSELECT  0x00
#define CC_DF        0x04
#define CC_GFSELECT  0x08
#define CC_GF        0x0c
#define CC_MSIX      0x10
#define CC_NUMQ      0x12
#define CC_STATUS    0x14
#define CC_Q_SELECT  0x16
#define CC_Q_SIZE    0x18
#define CC_Q_MSIX    0x1a
#define CC_Q_ENABLE  0x1c
#define CC_Q_NOFF    0x1e
#define CC_Q_DESC    0x20
#define CC_Q_DRIVER  0x28
#define CC_Q_DEVICE  0x30

#define ST_ACKNOWLEDGE 0x01
#define ST_DRIVER      0x02
#define ST_DRIVER_OK   0x04
#define ST_FEATURES_OK 0x08
#define ST_NEEDS_RESET 0x40
#define ST_FAILED      0x80

#define F_VERSION_1       32
#define F_ACCESS_PLATFORM 33

#define VIRTQ_DESC_F_NEXT  1
#define VIRTQ_DESC_F_WRITE 2
#define NO_VECTOR          0xffff

#define QSIZE 8

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* The ring page: everything the device reads or writes besides TARGET. */
struct ring_page {
	struct virtq_desc desc[QSIZE];             /* 16-byte aligned */
	struct {
		uint16_t flags, idx, ring[QSIZE], used_event;
	} avail __attribute__((aligned(16)));
	struct {
		uint16_t flags, idx;
		struct {
			uint32_t id, len;
		} ring[QSIZE];
		uint16_t avail_event;
	} used __attribute__((aligned(16)));
	struct {                                   /* virtio-blk request */
		uint32_t type, reserved;
		uint64_t sector;
	} blk_hdr __attribute__((aligned(16)));
	uint8_t blk_status __attribute__((aligned(16)));
};

static const char *prog = "umbra-dma";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s: ", prog);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s: error: ", prog);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: umbra-dma [-l LEN] [-w MS] [-n] [-r] DEVICE TARGET\n"
			"  DEVICE: PCI address, VENDOR:DEVICE (hex), rng or blk\n"
			"  TARGET: physical address (hex) or self\n");
	exit(2);
}

static int read_hex_file(const char *dev, const char *name, unsigned long *v)
{
	char path[640], buf[64];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), PCI_SYS "/%s/%s", dev, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	*v = strtoul(buf, NULL, 16);
	return 0;
}

/* DEVICE as given -> a sysfs device name (0000:00:01.0) */
static void find_device(const char *spec, char *out, size_t size)
{
	unsigned long want_v = 0, want_d = 0, v, d;
	struct dirent *e;
	DIR *dir;
	char *end;

	if (!strcmp(spec, "rng") || !strcmp(spec, "blk")) {
		want_v = VIRTIO_VENDOR;
		want_d = VIRTIO_MODERN(spec[0] == 'r' ? VIRTIO_ID_RNG : VIRTIO_ID_BLK);
	} else if (strchr(spec, '.')) {
		struct stat st;
		char path[640];

		snprintf(out, size, "%s%s", strlen(spec) < 10 ? "0000:" : "", spec);
		snprintf(path, sizeof(path), PCI_SYS "/%s", out);
		if (stat(path, &st))
			die("no PCI device %s (%s)", out, strerror(errno));
		return;
	} else {
		want_v = strtoul(spec, &end, 16);
		if (*end != ':')
			usage();
		want_d = strtoul(end + 1, &end, 16);
		if (*end)
			usage();
	}
	dir = opendir(PCI_SYS);
	if (!dir)
		die("%s: %s", PCI_SYS, strerror(errno));
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		if (read_hex_file(e->d_name, "vendor", &v) || read_hex_file(e->d_name, "device", &d))
			continue;
		if (v == want_v && d == want_d) {
			snprintf(out, size, "%s", e->d_name);
			closedir(dir);
			return;
		}
	}
	closedir(dir);
	die("no PCI device %04lx:%04lx", want_v, want_d);
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("write %s to %s: %s", s, path, strerror(errno));
	close(fd);
}

/* the driver DEV is bound to ("" if none) */
static void driver_of(const char *dev, char *out, size_t size)
{
	char path[640], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), PCI_SYS "/%s/driver", dev);
	n = readlink(path, link, sizeof(link) - 1);
	out[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		snprintf(out, size, "%s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	}
}

/* ---- config space ------------------------------------------------------- */

static int cfg_fd = -1;

static uint32_t cfg_read(unsigned off, unsigned size)
{
	uint8_t b[4] = { 0 };

	if (pread(cfg_fd, b, size, off) != (ssize_t)size)
		die("config read at 0x%x: %s", off, strerror(errno));
	return b[0] | b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void cfg_write16(unsigned off, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	if (pwrite(cfg_fd, b, 2, off) != 2)
		die("config write at 0x%x: %s", off, strerror(errno));
}

struct vcap {
	int found;
	unsigned bar;
	uint32_t offset, length, notify_mult;
};

static void find_caps(struct vcap *common, struct vcap *notify)
{
	unsigned pos, guard = 0;

	if (!(cfg_read(PCI_STATUS, 2) & PCI_STATUS_CAP))
		die("the device has no capability list (not a modern virtio device)");
	for (pos = cfg_read(PCI_CAP_PTR, 1) & 0xfc; pos && guard < 48;
	     pos = cfg_read(pos + 1, 1) & 0xfc, guard++) {
		struct vcap *c;
		unsigned type;

		if (cfg_read(pos, 1) != PCI_CAP_VNDR)
			continue;
		type = cfg_read(pos + 3, 1);
		c = type == VIRTIO_PCI_CAP_COMMON ? common : type == VIRTIO_PCI_CAP_NOTIFY ? notify : NULL;
		if (!c || c->found)
			continue;
		c->found = 1;
		c->bar = cfg_read(pos + 4, 1);
		c->offset = cfg_read(pos + 8, 4);
		c->length = cfg_read(pos + 12, 4);
		if (type == VIRTIO_PCI_CAP_NOTIFY)
			c->notify_mult = cfg_read(pos + 16, 4);
	}
	if (!common->found || !notify->found)
		die("no virtio common/notify configuration capability (a legacy-only device?)");
}

/* ---- MMIO through the BAR mapping --------------------------------------- */

static volatile uint8_t *cc; /* common config */
static volatile uint8_t *nt; /* notify area */

static inline void mb(void)
{
	__sync_synchronize();
}
static uint8_t cc8(unsigned o)
{
	return *(volatile uint8_t *)(cc + o);
}
static uint16_t cc16(unsigned o)
{
	return *(volatile uint16_t *)(cc + o);
}
static uint32_t cc32(unsigned o)
{
	return *(volatile uint32_t *)(cc + o);
}
static void cc8w(unsigned o, uint8_t v)
{
	*(volatile uint8_t *)(cc + o) = v;
	mb();
}
static void cc16w(unsigned o, uint16_t v)
{
	*(volatile uint16_t *)(cc + o) = v;
	mb();
}
static void cc32w(unsigned o, uint32_t v)
{
	*(volatile uint32_t *)(cc + o) = v;
	mb();
}
static void cc64w(unsigned o, uint64_t v)
{
	cc32w(o, (uint32_t)v);
	cc32w(o + 4, (uint32_t)(v >> 32));
}

static void *map_bar(const char *dev, unsigned bar, size_t *size)
{
	char path[640];
	struct stat st;
	void *p;
	int fd;

	snprintf(path, sizeof(path), PCI_SYS "/%s/resource%u", dev, bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0 || fstat(fd, &st))
		die("%s: %s", path, strerror(errno));
	*size = (size_t)st.st_size;
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap %s: %s", path, strerror(errno));
	close(fd);
	return p;
}

/* ---- memory the device sees --------------------------------------------- */

static uint64_t phys_of(void *va)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t e;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		die("/proc/self/pagemap: %s", strerror(errno));
	if (pread(fd, &e, 8, (off_t)((uintptr_t)va / (uintptr_t)page) * 8) != 8)
		die("pagemap read: %s", strerror(errno));
	close(fd);
	if (!(e & (1ULL << 63)) || !(e & ((1ULL << 55) - 1)))
		die("no physical address for %p (not root?)", va);
	return (e & ((1ULL << 55) - 1)) * (uint64_t)page + ((uintptr_t)va % (uintptr_t)page);
}

static void *locked_page(void)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	memset(p, 0, (size_t)page);
	if (mlock(p, (size_t)page))
		die("mlock: %s", strerror(errno));
	return p;
}

static const char *status_words(uint8_t s, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s%s", s & ST_ACKNOWLEDGE ? " ACKNOWLEDGE" : "",
		 s & ST_DRIVER ? " DRIVER" : "", s & ST_FEATURES_OK ? " FEATURES_OK" : "",
		 s & ST_DRIVER_OK ? " DRIVER_OK" : "", s & ST_NEEDS_RESET ? " NEEDS_RESET" : "",
		 s & ST_FAILED ? " FAILED" : "");
	return buf;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	unsigned long len = 64, wait_ms = 500, vid = 0, did = 0;
	int no_ap = 0, rebind = 0, self = 0, opt, changed = 0, rc;
	char dev[256], drv[256], path[640], sw[96];
	uint64_t target, dfeat, gfeat, ring_pa;
	struct vcap common = { 0 }, notify = { 0 };
	struct ring_page *rp;
	uint8_t *selfbuf = NULL, status;
	size_t cbar_size, nbar_size;
	volatile uint8_t *cbar, *nbar;
	uint16_t qmax, qsize, noff, used;
	unsigned i, type, n;
	double t0;

	while ((opt = getopt(argc, argv, "l:w:nrh")) != -1) {
		switch (opt) {
		case 'l': len = strtoul(optarg, NULL, 0); break;
		case 'w': wait_ms = strtoul(optarg, NULL, 0); break;
		case 'n': no_ap = 1; break;
		case 'r': rebind = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 2 || !len || len > 4096)
		usage();
	find_device(argv[optind], dev, sizeof(dev));
	if (read_hex_file(dev, "vendor", &vid) || read_hex_file(dev, "device", &did))
		die("%s: cannot read its ids", dev);
	if (vid != VIRTIO_VENDOR || did < 0x1000 || did > 0x107f)
		die("%s (%04lx:%04lx) is not a virtio device", dev, vid, did);
	type = did >= 0x1040 ? (unsigned)(did - 0x1040)
			     : did == 0x1001 ? VIRTIO_ID_BLK : did == 0x1005 ? VIRTIO_ID_RNG : 0;
	if (type != VIRTIO_ID_RNG && type != VIRTIO_ID_BLK)
		die("%s: virtio device type %u: only rng (4) and blk (2) are supported", dev, type);

	if (!strcmp(argv[optind + 1], "self")) {
		self = 1;
		selfbuf = locked_page();
		for (i = 0; i < len; i++)
			selfbuf[i] = (uint8_t)(0xa5 ^ i);
		target = phys_of(selfbuf);
	} else {
		char *end;

		target = strtoull(argv[optind + 1], &end, 16);
		if (*end || end == argv[optind + 1])
			usage();
	}
	say("device %s (%04lx:%04lx, virtio-%s), target PA 0x%" PRIx64 "%s, %lu bytes", dev, vid,
	    did, type == VIRTIO_ID_RNG ? "rng" : "blk", target, self ? " (own page)" : "", len);

	/* 1. take it from its driver */
	driver_of(dev, drv, sizeof(drv));
	if (drv[0]) {
		snprintf(path, sizeof(path), PCI_SYS "/%s/driver/unbind", dev);
		write_file(path, dev);
		say("unbound %s from %s", dev, drv);
	} else {
		say("%s has no driver", dev);
	}

	/* 2. config space: memory decoding and bus mastering on */
	snprintf(path, sizeof(path), PCI_SYS "/%s/config", dev);
	cfg_fd = open(path, O_RDWR);
	if (cfg_fd < 0)
		die("%s: %s", path, strerror(errno));
	find_caps(&common, &notify);
	cfg_write16(PCI_COMMAND, (uint16_t)(cfg_read(PCI_COMMAND, 2) | PCI_COMMAND_MEMORY |
					    PCI_COMMAND_MASTER));
	say("command 0x%04x (memory + bus master); common cfg BAR%u+0x%x, notify BAR%u+0x%x (x%u)",
	    cfg_read(PCI_COMMAND, 2), common.bar, common.offset, notify.bar, notify.offset,
	    notify.notify_mult);

	/* 3. the BARs */
	cbar = map_bar(dev, common.bar, &cbar_size);
	nbar = notify.bar == common.bar ? cbar : map_bar(dev, notify.bar, &nbar_size);
	if (notify.bar == common.bar)
		nbar_size = cbar_size;
	if ((size_t)common.offset + 0x38 > cbar_size || notify.offset >= nbar_size)
		die("capabilities beyond their BAR");
	cc = cbar + common.offset;
	nt = nbar + notify.offset;

	/* 4. reset, then the driver handshake */
	cc8w(CC_STATUS, 0);
	for (t0 = now_ms(); cc8(CC_STATUS) && now_ms() - t0 < 1000;)
		usleep(1000);
	if (cc8(CC_STATUS))
		die("the device does not reset (status 0x%02x)", cc8(CC_STATUS));
	cc8w(CC_STATUS, ST_ACKNOWLEDGE);
	cc8w(CC_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
	cc32w(CC_DFSELECT, 0);
	dfeat = cc32(CC_DF);
	cc32w(CC_DFSELECT, 1);
	dfeat |= (uint64_t)cc32(CC_DF) << 32;
	gfeat = dfeat & ((1ULL << F_VERSION_1) | (no_ap ? 0 : 1ULL << F_ACCESS_PLATFORM));
	cc32w(CC_GFSELECT, 0);
	cc32w(CC_GF, (uint32_t)gfeat);
	cc32w(CC_GFSELECT, 1);
	cc32w(CC_GF, (uint32_t)(gfeat >> 32));
	cc8w(CC_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
	status = cc8(CC_STATUS);
	say("reset; device features 0x%" PRIx64 ", accepted 0x%" PRIx64 " (ACCESS_PLATFORM %s); status 0x%02x",
	    dfeat, gfeat,
	    gfeat & (1ULL << F_ACCESS_PLATFORM) ? "acknowledged"
	    : dfeat & (1ULL << F_ACCESS_PLATFORM) ? "offered, not acknowledged" : "not offered",
	    status);
	if (!(status & ST_FEATURES_OK))
		die("the device refused the features (status 0x%02x)", status);

	/* 5. virtqueue 0, rings in a locked page of ours */
	rp = locked_page();
	ring_pa = phys_of(rp);
	cc16w(CC_Q_SELECT, 0);
	qmax = cc16(CC_Q_SIZE);
	if (!qmax)
		die("the device has no queue 0");
	qsize = qmax < QSIZE ? qmax : QSIZE;
	noff = cc16(CC_Q_NOFF);
	cc16w(CC_Q_SIZE, qsize);
	cc16w(CC_MSIX, NO_VECTOR);
	cc16w(CC_Q_MSIX, NO_VECTOR);
	cc64w(CC_Q_DESC, ring_pa + offsetof(struct ring_page, desc));
	cc64w(CC_Q_DRIVER, ring_pa + offsetof(struct ring_page, avail));
	cc64w(CC_Q_DEVICE, ring_pa + offsetof(struct ring_page, used));
	cc16w(CC_Q_ENABLE, 1);
	cc8w(CC_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
	say("queue 0: size %u (max %u), rings at PA 0x%" PRIx64 ", notify offset %u; status 0x%02x",
	    qsize, qmax, ring_pa, noff, cc8(CC_STATUS));

	/* 6. one request whose device-writable buffer is TARGET */
	if (type == VIRTIO_ID_RNG) {
		rp->desc[0] = (struct virtq_desc){ target, (uint32_t)len, VIRTQ_DESC_F_WRITE, 0 };
		n = 1;
	} else {
		len = (len + 511) & ~511UL;
		rp->blk_hdr.type = 0; /* VIRTIO_BLK_T_IN: read */
		rp->blk_hdr.sector = 0;
		rp->blk_status = 0xff;
		rp->desc[0] = (struct virtq_desc){ ring_pa + offsetof(struct ring_page, blk_hdr), 16,
						   VIRTQ_DESC_F_NEXT, 1 };
		rp->desc[1] = (struct virtq_desc){ target, (uint32_t)len,
						   VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2 };
		rp->desc[2] = (struct virtq_desc){ ring_pa + offsetof(struct ring_page, blk_status), 1,
						   VIRTQ_DESC_F_WRITE, 0 };
		n = 3;
	}
	rp->avail.ring[0] = 0;
	mb();
	rp->avail.idx = 1;
	mb();
	*(volatile uint16_t *)(nt + (size_t)noff * notify.notify_mult) = 0;
	mb();
	say("posted %u descriptor%s (buffer 0x%" PRIx64 ", %lu bytes, device-writable) and notified",
	    n, n > 1 ? "s" : "", target, len);

	/* 7. wait, then look */
	for (t0 = now_ms(); now_ms() - t0 < (double)wait_ms;) {
		if (*(volatile uint16_t *)&rp->used.idx || (cc8(CC_STATUS) & ST_NEEDS_RESET))
			break;
		usleep(2000);
	}
	usleep(20000); /* a fault's side effects (logs) have time to show */
	used = *(volatile uint16_t *)&rp->used.idx;
	status = cc8(CC_STATUS);
	if (self)
		for (i = 0; i < len; i++)
			changed += selfbuf[i] != (uint8_t)(0xa5 ^ i);
	say("after %.0f ms: used.idx %u, used len %u%s; device status 0x%02x:%s", now_ms() - t0,
	    used, used ? rp->used.ring[0].len : 0,
	    type == VIRTIO_ID_BLK ? (rp->blk_status == 0 ? ", blk status OK"
				     : rp->blk_status == 0xff ? ", blk status not written"
							      : ", blk status error")
				  : "",
	    status, status_words(status, sw, sizeof(sw)));
	if (self)
		say("own page: %d of %lu bytes changed%s", changed, len,
		    changed ? " (the device wrote to it)" : "");
	if (self && type == VIRTIO_ID_BLK && changed)
		say("own page starts with '%.*s'", 18, (const char *)selfbuf);
	rc = used && !(status & ST_NEEDS_RESET) ? 0 : 3;
	printf("%s: result: used %u len %u status 0x%02x%s", prog, used,
	       used ? rp->used.ring[0].len : 0, status, status & ST_NEEDS_RESET ? " NEEDS_RESET" : "");
	if (self)
		printf(" self: %d of %lu bytes changed", changed, len);
	printf("\n");

	/* 8. leave the device quiet (reset), and give it back if asked */
	cc8w(CC_STATUS, 0);
	for (t0 = now_ms(); cc8(CC_STATUS) && now_ms() - t0 < 1000;)
		usleep(1000);
	say("device reset (status 0x%02x)", cc8(CC_STATUS));
	if (rebind && drv[0]) {
		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", drv);
		write_file(path, dev);
		say("rebound %s to %s", dev, drv);
	}
	fflush(stdout);
	return rc;
}
