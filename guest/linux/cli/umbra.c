// SPDX-License-Identifier: Apache-2.0
/*
 * umbra: the command-line client of /dev/umbra (guest/linux/module) inside
 * a Linux partition. See guest/linux/README.md.
 *
 *   umbra info
 *   umbra attest --nonce HEX [-o FILE] [--hex]
 *   umbra extend INDEX HEXDIGEST
 *   umbra key [--label-hex] LABEL
 *   umbra device claim|release|state ID
 *   umbra events [--since SEQ] [--follow] [--json]
 *   umbra report --nonce HEX [--since SEQ] [-o FILE] [--hex]
 *
 * Exit status: 0 done, 1 the driver or the monitor refused or failed,
 * 2 bad usage (caught before anything is sent).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "umbra_abi.h"
#include "umbra_ioctl.h"

#define EXIT_FAIL  1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: umbra COMMAND [ARGS]\n"
	"  info                               the monitor's ABI version, this partition's\n"
	"                                     id, vCPUs and RAM\n"
	"  attest --nonce HEX [-o FILE] [--hex]\n"
	"                                     an attestation token for the verifier's\n"
	"                                     nonce (32, 48 or 64 bytes); -o writes it to\n"
	"                                     FILE ('-': stdout), --hex prints it as one hex\n"
	"                                     line (the default without -o)\n"
	"  extend INDEX HEXDIGEST             extend runtime measurement register INDEX\n"
	"                                     (0-3) with a 32-byte digest\n"
	"  key [--label-hex] LABEL            print this partition's 32-byte sealing key\n"
	"                                     for LABEL (0-64 bytes; text, or hex with\n"
	"                                     --label-hex)\n"
	"  device claim|release|state ID      take, give back, or look at shared device\n"
	"                                     ID (its index among the config's\n"
	"                                     umbra,shared-device nodes)\n"
	"  update PARTITION FILE              replace PARTITION's image with the signed\n"
	"                                     image FILE (live update; docs/signing.md)\n"
	"  events [--since SEQ] [--follow] [--json]\n"
	"                                     the security event log, one line per event\n"
	"                                     (this partition's own unless it is an\n"
	"                                     event-reader); --follow waits for more\n"
	"  report --nonce HEX [--since SEQ] [-o FILE] [--hex]\n"
	"                                     a failure report: the events since SEQ and\n"
	"                                     a token binding them (docs/attestation.md);\n"
	"                                     -o writes it for umbra-verify report\n"
	"exit status: 0 done, 1 refused or failed, 2 bad usage\n";

static const char *cmd;   /* the command running, for messages */

static void vmsg(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static void vmsg(const char *fmt, va_list ap)
{
	fputs("umbra: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vmsg(fmt, ap);
		va_end(ap);
		fputs("usage: umbra help\n", stderr);
	} else {
		fputs(usage_text, stderr);
	}
	return EXIT_USAGE;
}

/* HEX (even length, no prefix) into out[max]; -1 if malformed or too long. */
static int parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (n % 2)
		return -1;
	if (n / 2 > max)
		return -2;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (v < 0)
			return -1;
		if (i % 2)
			out[i / 2] = (uint8_t)(out[i / 2] | v);
		else
			out[i / 2] = (uint8_t)(v << 4);
	}
	*len = n / 2;
	return 0;
}

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

static int open_dev(void)
{
	int fd = open(UMBRA_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
		msg("%s: %s: is the driver loaded? (insmod /lib/modules/umbra.ko; it "
		    "loads only under Umbra)", UMBRA_DEVICE, strerror(errno));
	else if (errno == EACCES || errno == EPERM)
		msg("%s: %s: root only", UMBRA_DEVICE, strerror(errno));
	else
		msg("%s: %s", UMBRA_DEVICE, strerror(errno));
	return -1;
}

/* Explain an ioctl failure the same way for every command. */
static int ioctl_failed(const char *what)
{
	int e = errno;

	switch (e) {
	case EOPNOTSUPP:
		msg("this Umbra monitor does not offer %s (not supported)", what);
		break;
	case EPERM:
		msg("%s: the monitor refused this partition (denied)", what);
		break;
	case ENOTTY:
		msg("%s: the driver does not know this request (driver and CLI differ)", what);
		break;
	case EFAULT:
		msg("%s: bad address (the monitor refused the driver's buffer)", what);
		break;
	default:
		msg("%s: %s", what, strerror(e));
		break;
	}
	return EXIT_FAIL;
}

static int cmd_info(int argc, char **argv)
{
	struct umbra_info info;
	int fd;

	(void)argv;
	if (argc != 1)
		return usage("takes no arguments");
	fd = open_dev();
	if (fd < 0)
		return EXIT_FAIL;
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, UMBRA_IOC_INFO, &info) < 0) {
		close(fd);
		return ioctl_failed("info");
	}
	close(fd);
	printf("abi %u.%u\n", info.abi_major, info.abi_minor);
	printf("revision %u.%u\n", info.revision_major, info.revision_minor);
	printf("partition %u\n", info.partition_id);
	printf("vcpus %u\n", info.nr_vcpus);
	printf("ram %llu\n", (unsigned long long)info.ram_bytes);
	return fflush(stdout) ? EXIT_FAIL : 0;
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
	int fd = strcmp(path, "-") ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
				   : STDOUT_FILENO;
	size_t done = 0;

	if (fd < 0) {
		msg("%s: %s", path, strerror(errno));
		return -1;
	}
	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			msg("%s: %s", path, w < 0 ? strerror(errno) : "short write");
			if (fd != STDOUT_FILENO)
				close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	if (fd != STDOUT_FILENO && close(fd) < 0) {
		msg("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int cmd_attest(int argc, char **argv)
{
	static struct umbra_attest a;   /* 4 KiB: not on the stack */
	const char *nonce = NULL, *out = NULL;
	size_t nonce_len = 0;
	int hex = 0, fd, i, len;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--hex")) {
			hex = 1;
		} else if (!strncmp(arg, "--nonce=", 8)) {
			nonce = arg + 8;
		} else if (!strncmp(arg, "--output=", 9)) {
			out = arg + 9;
		} else if (!strcmp(arg, "--nonce") || !strcmp(arg, "-n")) {
			if (i + 1 >= argc)
				return usage("%s needs a value", arg);
			nonce = argv[++i];
		} else if (!strcmp(arg, "--output") || !strcmp(arg, "-o")) {
			if (i + 1 >= argc)
				return usage("%s needs a value", arg);
			out = argv[++i];
		} else {
			return usage("unknown argument '%s'", arg);
		}
	}
	if (!nonce)
		return usage("--nonce HEX is required");
	switch (parse_hex(nonce, a.nonce, sizeof(a.nonce), &nonce_len)) {
	case -1:
		return usage("the nonce must be hex digits, two per byte");
	case -2:
		return usage("the nonce is %zu bytes; it must be 32, 48 or 64", strlen(nonce) / 2);
	}
	if (!out)
		hex = 1;

	fd = open_dev();
	if (fd < 0)
		return EXIT_FAIL;
	a.nonce_len = (uint32_t)nonce_len;
	a.token_len = sizeof(a.token);
	len = ioctl(fd, UMBRA_IOC_ATTEST, &a);
	if (len < 0) {
		int e = errno;

		close(fd);
		if (e == EINVAL) {
			msg("invalid argument: the nonce is %zu bytes; it must be 32, 48 or 64",
			    nonce_len);
			return EXIT_FAIL;
		}
		if (e == ENOSPC) {
			msg("the token needs %u bytes, more than the %u this interface carries",
			    a.token_len, (unsigned)sizeof(a.token));
			return EXIT_FAIL;
		}
		errno = e;
		return ioctl_failed("attestation");
	}
	close(fd);
	if ((size_t)len > sizeof(a.token) || (uint32_t)len != a.token_len) {
		msg("the driver returned an inconsistent token length (%d, %u)", len, a.token_len);
		return EXIT_FAIL;
	}
	if (out && write_file(out, a.token, (size_t)len))
		return EXIT_FAIL;
	if (hex)
		print_hex(stdout, a.token, (size_t)len);
	return fflush(stdout) ? EXIT_FAIL : 0;
}

static int cmd_extend(int argc, char **argv)
{
	struct umbra_extend e;
	unsigned long index;
	size_t n = 0;
	char *end;
	int fd;

	if (argc != 3)
		return usage("needs INDEX and HEXDIGEST");
	memset(&e, 0, sizeof(e));
	errno = 0;
	index = strtoul(argv[1], &end, 10);
	if (!argv[1][0] || *end || errno || argv[1][0] == '-' || index > UINT32_MAX)
		return usage("'%s' is not a register index (0-%d)", argv[1], UMBRA_NR_REGISTERS - 1);
	if (parse_hex(argv[2], e.digest, sizeof(e.digest), &n) || n != sizeof(e.digest))
		return usage("the digest must be %d bytes, %d hex digits", UMBRA_DIGEST_LEN,
			     2 * UMBRA_DIGEST_LEN);
	e.index = (uint32_t)index;

	fd = open_dev();
	if (fd < 0)
		return EXIT_FAIL;
	if (ioctl(fd, UMBRA_IOC_EXTEND, &e) < 0) {
		int err = errno;

		close(fd);
		if (err == EINVAL) {
			msg("invalid argument: register %lu does not exist (0-%d)", index,
			    UMBRA_NR_REGISTERS - 1);
			return EXIT_FAIL;
		}
		errno = err;
		return ioctl_failed("measurement extend");
	}
	close(fd);
	return 0;
}

static int cmd_key(int argc, char **argv)
{
	struct umbra_derive_key k;
	const char *label;
	int label_hex = 0, fd, ret = 0;
	size_t n = 0;

	if (argc == 3 && !strcmp(argv[1], "--label-hex"))
		label_hex = 1;
	else if (argc != 2)
		return usage("needs one LABEL");
	label = argv[argc - 1];
	memset(&k, 0, sizeof(k));
	if (label_hex) {
		int r = parse_hex(label, k.label, sizeof(k.label), &n);

		if (r == -1)
			return usage("the label must be hex digits, two per byte");
		if (r == -2)
			return usage("the label is longer than %d bytes", UMBRA_LABEL_MAX);
	} else {
		n = strlen(label);
		if (n > sizeof(k.label))
			return usage("the label is %zu bytes, longer than %d", n, UMBRA_LABEL_MAX);
		memcpy(k.label, label, n);
	}
	k.label_len = (uint32_t)n;

	fd = open_dev();
	if (fd < 0)
		return EXIT_FAIL;
	if (ioctl(fd, UMBRA_IOC_DERIVE_KEY, &k) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return ioctl_failed("key derivation");
	}
	close(fd);
	print_hex(stdout, k.key, sizeof(k.key));
	if (fflush(stdout))
		ret = EXIT_FAIL;
	explicit_bzero(&k, sizeof(k));
	return ret;
}

static int cmd_device(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned long req;
	} ops[] = {
		{ "claim", UMBRA_IOC_DEVICE_CLAIM },
		{ "release", UMBRA_IOC_DEVICE_RELEASE },
		{ "state", UMBRA_IOC_DEVICE_STATE },
	};
	static const char *const states[] = { "free", "owned", "in transfer" };
	struct umbra_device d;
	unsigned long id;
	size_t i;
	char *end;
	int fd, err;

	if (argc != 3)
		return usage("needs claim, release or state, and an ID");
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]) && strcmp(argv[1], ops[i].name); i++)
		;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return usage("unknown device operation '%s' (claim, release, state)", argv[1]);
	errno = 0;
	id = strtoul(argv[2], &end, 10);
	if (!argv[2][0] || *end || errno || argv[2][0] == '-' || id > UINT32_MAX)
		return usage("'%s' is not a device id", argv[2]);
	memset(&d, 0, sizeof(d));
	d.id = (uint32_t)id;

	fd = open_dev();
	if (fd < 0)
		return EXIT_FAIL;
	if (ioctl(fd, ops[i].req, &d) < 0) {
		err = errno;
		close(fd);
		if (err == EBUSY) {
			msg("device %lu: busy: held by another partition or being moved (UMBRA_E_BUSY)",
			    id);
			return EXIT_FAIL;
		}
		if (err == EINVAL) {
			msg("device %lu: invalid argument: no such shared device", id);
			return EXIT_FAIL;
		}
		if (err == EPERM) {
			msg("device %lu: denied: this partition may not %s it%s", id, argv[1],
			    i == 1 ? " (it does not hold it)" : "");
			return EXIT_FAIL;
		}
		errno = err;
		return ioctl_failed("device");
	}
	close(fd);
	if (i == 2) {
		if (d.holder == UMBRA_DEV_NO_HOLDER)
			printf("device %lu: %s\n", id, d.state < 3 ? states[d.state] : "unknown");
		else
			printf("device %lu: %s by partition %u\n", id,
			       d.state < 3 ? states[d.state] : "unknown", d.holder);
	} else {
		printf("device %lu: %s\n", id, i == 0 ? "claimed" : "released");
	}
	return fflush(stdout) ? EXIT_FAIL : 0;
}

/* UMBRA_IMG_E_* by name, as Umbra's log names them */
static const char *const img_reasons[] = { "?", "image-envelope", "image-signer",
	"image-signature", "image-name", "image-rollback", "image-format" };

static int cmd_update(int argc, char **argv)
{
	struct umbra_update u;
	struct stat st;
	uint8_t *img;
	int fd, err;
	ssize_t got;
	size_t done = 0;

	if (argc != 3)
		return usage("needs PARTITION and FILE");
	if (!argv[1][0] || strlen(argv[1]) >= sizeof(u.name))
		return usage("'%s' is not a partition name", argv[1]);
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size <= 0) {
		msg("%s: %s", argv[2], fd < 0 ? strerror(errno) : "empty or unreadable");
		return EXIT_FAIL;
	}
	img = malloc((size_t)st.st_size);
	while (img && done < (size_t)st.st_size) {
		got = read(fd, img + done, (size_t)st.st_size - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		done += (size_t)got;
	}
	close(fd);
	if (!img || done != (size_t)st.st_size) {
		msg("%s: cannot read it", argv[2]);
		free(img);
		return EXIT_FAIL;
	}
	memset(&u, 0, sizeof(u));
	memcpy(u.name, argv[1], strlen(argv[1]));
	u.data = (uintptr_t)img;
	u.len = done;
	fd = open_dev();
	if (fd < 0) {
		free(img);
		return EXIT_FAIL;
	}
	err = ioctl(fd, UMBRA_IOC_IMAGE_UPDATE, &u) < 0 ? errno : 0;
	close(fd);
	free(img);
	if (err == EKEYREJECTED) {
		printf("update %s: refused: %s (%s runs on)\n", argv[1],
		       u.reason < sizeof(img_reasons) / sizeof(img_reasons[0]) ?
		       img_reasons[u.reason] : "?", argv[1]);
		fflush(stdout);
		return EXIT_FAIL;
	}
	if (err) {
		msg("%s: %s", argv[1], strerror(err));
		return EXIT_FAIL;
	}
	printf("update %s: done, down %llu us\n", argv[1], (unsigned long long)u.downtime_us);
	return fflush(stdout) ? EXIT_FAIL : 0;
}

/* ---- events ----------------------------------------------------------- */

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

enum fkind { F_NONE, F_HEX, F_DEC, F_CAUSE, F_ACCESS, F_BOOL, F_REASON };
static const struct ev_desc {
	const char *name;
	const char *f[3];
	enum fkind k[3];
} ev_desc[] = {
	[UMBRA_EV_LOST] = { "lost", { "lost" }, { F_DEC } },
	[UMBRA_EV_S2_FAULT] = { "s2-fault", { "ipa", "pc", "access" }, { F_HEX, F_HEX, F_ACCESS } },
	[UMBRA_EV_TRAP] = { "trap", { "esr", "pc" }, { F_HEX, F_HEX } },
	[UMBRA_EV_VECTOR_FAULT] = { "vector-fault", { "ipa", "pc", "access" },
				    { F_HEX, F_HEX, F_ACCESS } },
	[UMBRA_EV_PART_START] = { "start", { "restarts" }, { F_DEC } },
	[UMBRA_EV_PART_STOP] = { "stop", { NULL, "budget-spent", "cause" },
				 { F_NONE, F_BOOL, F_CAUSE } },
	[UMBRA_EV_PART_RESTART] = { "restart", { "restart", NULL, "cause" },
				    { F_DEC, F_NONE, F_CAUSE } },
	[UMBRA_EV_DEV_CLAIM] = { "device-claim", { "device", "by-reset" }, { F_DEC, F_BOOL } },
	[UMBRA_EV_DEV_RELEASE] = { "device-release", { "device", "by-reset" }, { F_DEC, F_BOOL } },
	[UMBRA_EV_SMMU_FAULT] = { "smmu-fault", { "smmu-event", "address", "stream" },
				  { F_HEX, F_HEX, F_HEX } },
	[UMBRA_EV_PART_PANIC] = { "panic", { "pc" }, { F_HEX } },
	[UMBRA_EV_IMAGE_REFUSED] = { "image-refused", { "reason", "update" }, { F_REASON, F_BOOL } },
	[UMBRA_EV_UPDATE] = { "update", { "svn", "downtime-us" }, { F_DEC, F_DEC } },
};
static const char *const causes[] = {
	[UMBRA_EV_CAUSE_OTHER] = "other",
	[UMBRA_EV_CAUSE_SYSTEM_OFF] = "system-off",
	[UMBRA_EV_CAUSE_SYSTEM_RESET] = "system-reset",
	[UMBRA_EV_CAUSE_VECTOR_FAULT] = "vector-fault",
	[UMBRA_EV_CAUSE_PANIC] = "panic",
	[UMBRA_EV_CAUSE_LAST_VCPU] = "last-vcpu-off",
	[UMBRA_EV_CAUSE_LOAD_FAILED] = "load-failed",
	[UMBRA_EV_CAUSE_UPDATE] = "update",
};

/* One record as one line: text (key=value) or a JSON object. */
static void print_event(const uint8_t *r, int json)
{
	uint64_t seq = get_le(r, 8), time = get_le(r + 8, 8), v[3];
	uint32_t part = (uint32_t)get_le(r + 16, 4), type = (uint32_t)get_le(r + 20, 4);
	const struct ev_desc *d = type < sizeof(ev_desc) / sizeof(ev_desc[0]) &&
				  ev_desc[type].name ? &ev_desc[type] : NULL;
	static const char *const access[] = { "read", "write", "fetch" };
	char val[40];
	unsigned i;

	for (i = 0; i < 3; i++)
		v[i] = get_le(r + 24 + 8 * i, 8);
	if (json) {
		printf("{\"seq\":%llu,\"time\":%llu,\"partition\":", (unsigned long long)seq,
		       (unsigned long long)time);
		if (part == 0xffffffffu)
			printf("null");
		else
			printf("%u", part);
		if (d)
			printf(",\"type\":\"%s\"", d->name);
		else
			printf(",\"type\":%u", type);
	} else {
		printf("%llu time=%llu partition=", (unsigned long long)seq,
		       (unsigned long long)time);
		if (part == 0xffffffffu)
			printf("-");
		else
			printf("%u", part);
		if (d)
			printf(" %s", d->name);
		else
			printf(" type-%u", type);
	}
	for (i = 0; i < 3; i++) {
		enum fkind k = d ? d->k[i] : F_HEX;
		const char *name = d ? d->f[i] : (const char *[]){ "a", "b", "c" }[i];
		int quoted = 1;

		if (k == F_NONE || !name)
			continue;
		switch (k) {
		case F_HEX:
			snprintf(val, sizeof(val), "0x%llx", (unsigned long long)v[i]);
			break;
		case F_DEC:
		case F_BOOL:
			snprintf(val, sizeof(val), "%llu", (unsigned long long)v[i]);
			quoted = 0;
			break;
		case F_REASON:
			snprintf(val, sizeof(val), "%s", v[i] < sizeof(img_reasons) /
				 sizeof(img_reasons[0]) ? img_reasons[v[i]] : "unknown");
			break;
		case F_CAUSE:
			snprintf(val, sizeof(val), "%s", v[i] < sizeof(causes) / sizeof(causes[0]) &&
				 causes[v[i]] ? causes[v[i]] : "unknown");
			break;
		default:
			snprintf(val, sizeof(val), "%s", v[i] < 3 ? access[v[i]] : "unknown");
			break;
		}
		if (json)
			printf(quoted ? ",\"%s\":\"%s\"" : ",\"%s\":%s", name, val);
		else
			printf(" %s=%s", name, val);
	}
	printf(json ? "}\n" : "\n");
}

static int parse_seq(const char *s, uint64_t *seq)
{
	char *end;

	errno = 0;
	*seq = strtoull(s, &end, 10);
	return !s[0] || *end || errno || s[0] == '-' ? -1 : 0;
}

static int cmd_events(int argc, char **argv)
{
	static struct umbra_events ev;
	int json = 0, follow = 0, fd, i;
	uint64_t from = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--follow") || !strcmp(argv[i], "-f")) {
			follow = 1;
		} else if (!strcmp(argv[i], "--since")) {
			if (i + 1 >= argc || parse_seq(argv[++i], &from))
				return usage("--since needs a sequence number");
		} else {
			return usage("unknown argument '%s'", argv[i]);
		}
	}
	fd = open_dev();
	if (fd < 0)
		return EXIT_FAIL;
	for (;;) {
		memset(&ev, 0, sizeof(ev));
		ev.from = from;
		if (ioctl(fd, UMBRA_IOC_EVENTS, &ev) < 0) {
			close(fd);
			return ioctl_failed("events");
		}
		if (ev.count > UMBRA_EVENTS_MAX) {
			close(fd);
			msg("the driver returned %u records", ev.count);
			return EXIT_FAIL;
		}
		for (i = 0; i < (int)ev.count; i++)
			print_event(ev.records + (size_t)i * UMBRA_EVENT_SIZE, json);
		if (fflush(stdout))
			break;
		if (ev.next < ev.head && ev.next > from) {
			from = ev.next;          /* more there now */
			continue;
		}
		from = ev.next;
		if (!follow)
			break;
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, -1) < 0 && errno != EINTR) {
			msg("poll: %s", strerror(errno));
			break;
		}
	}
	close(fd);
	return 0;
}

/* The report and its token, as one file: u32 report length (LE), the
 * report, the token (tools/umbra-verify report reads it). */
static int cmd_report(int argc, char **argv)
{
	static struct umbra_report r;
	const char *nonce = NULL, *out = NULL;
	size_t nonce_len = 0;
	uint64_t from = 0;
	int hex = 0, fd, i;
	uint8_t *file;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--hex")) {
			hex = 1;
		} else if (!strcmp(argv[i], "--nonce") || !strcmp(argv[i], "-n")) {
			if (i + 1 >= argc)
				return usage("%s needs a value", argv[i]);
			nonce = argv[++i];
		} else if (!strcmp(argv[i], "--output") || !strcmp(argv[i], "-o")) {
			if (i + 1 >= argc)
				return usage("%s needs a value", argv[i]);
			out = argv[++i];
		} else if (!strcmp(argv[i], "--since")) {
			if (i + 1 >= argc || parse_seq(argv[++i], &from))
				return usage("--since needs a sequence number");
		} else {
			return usage("unknown argument '%s'", argv[i]);
		}
	}
	if (!nonce)
		return usage("--nonce HEX is required");
	if (parse_hex(nonce, r.nonce, sizeof(r.nonce), &nonce_len) ||
	    (nonce_len != 32 && nonce_len != 48 && nonce_len != 64))
		return usage("the nonce must be 32, 48 or 64 bytes of hex");
	if (!out)
		hex = 1;
	fd = open_dev();
	if (fd < 0)
		return EXIT_FAIL;
	r.from = from;
	r.nonce_len = (uint32_t)nonce_len;
	if (ioctl(fd, UMBRA_IOC_REPORT, &r) < 0) {
		close(fd);
		return ioctl_failed("report");
	}
	close(fd);
	if (r.len > sizeof(r.buf) || r.report_len > r.len) {
		msg("the driver returned inconsistent lengths (%u, %u)", r.len, r.report_len);
		return EXIT_FAIL;
	}
	file = malloc(4 + (size_t)r.len);
	if (!file) {
		msg("out of memory");
		return EXIT_FAIL;
	}
	for (i = 0; i < 4; i++)
		file[i] = (uint8_t)(r.report_len >> (8 * i));
	memcpy(file + 4, r.buf, r.len);
	if (out && write_file(out, file, 4 + (size_t)r.len)) {
		free(file);
		return EXIT_FAIL;
	}
	if (hex)
		print_hex(stdout, file, 4 + (size_t)r.len);
	free(file);
	fprintf(stderr, "umbra: report: events %llu..%llu\n", (unsigned long long)from,
		(unsigned long long)r.next - 1);
	return fflush(stdout) ? EXIT_FAIL : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "info", cmd_info },
		{ "attest", cmd_attest },
		{ "extend", cmd_extend },
		{ "key", cmd_key },
		{ "device", cmd_device },
		{ "update", cmd_update },
		{ "events", cmd_events },
		{ "report", cmd_report },
	};
	size_t i;

	if (argc < 2)
		return usage(NULL);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			cmd = cmds[i].name;
			return cmds[i].fn(argc - 1, argv + 1);
		}
	}
	return usage("unknown command '%s'", argv[1]);
}
