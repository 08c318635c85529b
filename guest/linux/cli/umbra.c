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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int cmd_update(int argc, char **argv)
{
	static const char *const reasons[] = { "?", "image-envelope", "image-signer",
		"image-signature", "image-name", "image-rollback", "image-format" };
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
		       u.reason < 7 ? reasons[u.reason] : "?", argv[1]);
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
