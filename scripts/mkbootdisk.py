#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A boot disk for U-Boot, as a board's BSP makes one (docs/porting.md, 4).

  mkbootdisk.py -o DISK --overlay CONFIG.dtbo --dtb-addr ADDR
                --file NAME=PATH@ADDR ... [--boot NAME]

DISK gets an MBR with one bootable Linux partition (at 1 MiB) holding an
ext4 file system (mke2fs -d: no root needed) with:

  every --file, under NAME;
  umbra.dtbo        the /umbra configuration overlay, as given;
  boot.cmd          the U-Boot script, as text;
  boot.scr.uimg     the same wrapped for U-Boot's `source` (a legacy
                    script image, as mkimage -T script makes it).

U-Boot's distro boot finds boot.scr.uimg on the disk by itself. The script
loads each file where its ADDR says, moves the board DT U-Boot was given
(QEMU's, at ${fdtcontroladdr}) to ADDR of --dtb-addr, adds the /umbra
configuration to it and starts the --boot file (umbra.bin) with booti.

Adding the configuration: Debian 12's U-Boot for QEMU is built without
CONFIG_OF_LIBFDT_OVERLAY, so it has no `fdt apply`. The script therefore
carries the overlay's /umbra node as `fdt mknode` / `fdt set` commands,
generated here from the .dtbo: the same nodes and property bytes that
`fdt apply umbra.dtbo` (or fdtoverlay) would add. A U-Boot with overlay
support can `fdt apply` the umbra.dtbo on the disk instead.

Reproducible: file times, the file system's UUID, hash seed and times come
from SOURCE_DATE_EPOCH (default 0).
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

PART_START = 1 << 20          # the partition starts 1 MiB into the disk
SECTOR = 512


# --- the overlay: a minimal flattened-DT reader ---------------------------

FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def fdt_tree(blob):
    """The DT as nested (name, props [(name, bytes)], children) tuples."""
    magic, _total, off_struct, off_strings = struct.unpack_from(">IIII", blob, 0)
    if magic != 0xd00dfeed:
        raise ValueError("not a flattened device tree")

    def string(off):
        end = blob.index(b"\0", off_strings + off)
        return blob[off_strings + off:end].decode()

    pos = off_struct
    stack = []
    root = None
    while True:
        (tok,) = struct.unpack_from(">I", blob, pos)
        pos += 4
        if tok == FDT_BEGIN_NODE:
            end = blob.index(b"\0", pos)
            node = (blob[pos:end].decode(), [], [])
            pos = (end + 4) & ~3
            if stack:
                stack[-1][2].append(node)
            else:
                root = node
            stack.append(node)
        elif tok == FDT_END_NODE:
            stack.pop()
        elif tok == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", blob, pos)
            pos += 8
            stack[-1][1].append((string(nameoff), blob[pos:pos + length]))
            pos = (pos + length + 3) & ~3
        elif tok == FDT_NOP:
            continue
        elif tok == FDT_END:
            return root
        else:
            raise ValueError("bad FDT token %d" % tok)


def overlay_root_nodes(tree):
    """The nodes a dtso's `&{/} { ... }` adds to the root: the children of
    the __overlay__ of each fragment whose target-path is "/"."""
    out = []
    for frag in tree[2]:
        props = dict(frag[1])
        if props.get("target-path") != b"/\0":
            continue
        for child in frag[2]:
            if child[0] == "__overlay__":
                if child[1]:
                    raise ValueError("overlay sets root properties: not supported")
                out.extend(child[2])
    if not out:
        raise ValueError("the overlay adds no node to /")
    return out


def quote(s):
    """A string as one word of a U-Boot (hush) command line."""
    if any(c in s for c in '"\\$\n'):
        raise ValueError("cannot quote %r for U-Boot" % s)
    return '"%s"' % s


def prop_value(value):
    """`fdt set` arguments giving exactly these bytes."""
    if not value:
        return ""
    if value.endswith(b"\0"):
        parts = value[:-1].split(b"\0")
        if all(p and all(32 <= c < 127 for c in p) for p in parts):
            return " " + " ".join(quote(p.decode()) for p in parts)
    if len(value) % 4 == 0:
        cells = struct.unpack(">%dI" % (len(value) // 4), value)
        return " <%s>" % " ".join("0x%x" % c for c in cells)
    return " [%s]" % " ".join("%02x" % b for b in value)


def fdt_commands(node, parent):
    """Commands that add NODE (and its subtree) below PARENT."""
    name, props, children = node
    path = parent.rstrip("/") + "/" + name
    cmds = ["fdt mknode %s %s" % (parent, name)]
    for pname, value in props:
        if pname == "phandle":      # dtc -@ numbering, not configuration
            continue
        # quoted: hush takes a word starting with # for a comment
        cmds.append("fdt set %s %s%s" % (path, quote(pname), prop_value(value)))
    for child in children:
        cmds.extend(fdt_commands(child, path))
    return cmds


# --- the script and its image ---------------------------------------------

def boot_script(files, boot, dtb_addr, overlay_cmds):
    dev = "${devtype} ${devnum}:${distro_bootpart}"
    lines = [
        "# Umbra's boot script (scripts/mkbootdisk.py): load the images,",
        "# add the /umbra configuration to the board DT, booti Umbra.",
        "echo umbra-boot: loading from %s" % dev,
    ]
    for name, _path, addr in files:
        lines.append("load %s 0x%x %s || exit" % (dev, addr, name))
    lines += [
        "# the board's DT (QEMU's, as U-Boot was given it), with room to grow",
        "fdt addr ${fdtcontroladdr}",
        "fdt header get umbra_dtsize totalsize",
        "setexpr umbra_dtsize ${umbra_dtsize} + 0x4000",
        "fdt move ${fdtcontroladdr} 0x%x ${umbra_dtsize}" % dtb_addr,
        "fdt addr 0x%x" % dtb_addr,
        "# the /umbra overlay (umbra.dtbo), node by node",
    ]
    lines += overlay_cmds
    boot_addr = [a for n, _p, a in files if n == boot][0]
    lines += [
        "echo umbra-boot: configuration added, starting %s" % boot,
        "booti 0x%x - 0x%x" % (boot_addr, dtb_addr),
        "",
    ]
    return "\n".join(lines).encode()


def script_image(script, epoch):
    """A legacy U-Boot image of type script: 64-byte header, then the
    length of each part (one), a zero, the script."""
    data = struct.pack(">II", len(script), 0) + script
    name = b"umbra boot script".ljust(32, b"\0")
    # magic, hcrc, time, size, load, ep, dcrc, os (Linux), arch (arm64),
    # type (script), compression (none), name
    fmt = ">IIIIIII BBBB 32s"
    fields = [0x27051956, 0, epoch & 0xffffffff, len(data), 0, 0,
              zlib.crc32(data), 5, 22, 6, 0, name]
    hdr = struct.pack(fmt, *fields)
    fields[1] = zlib.crc32(hdr)
    return struct.pack(fmt, *fields) + data


# --- the disk ---------------------------------------------------------------

def mbr(part_sectors):
    """An MBR with one bootable partition (type 0x83) at PART_START."""
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff",
                        PART_START // SECTOR, part_sectors)
    return bytes(440) + struct.pack("<I", 0x554d4252) + bytes(2) + entry + \
        bytes(48) + b"\x55\xaa"


def run(argv, env):
    # e2fsprogs (Debian: Priority required) lives in /sbin, not in a user's PATH
    argv = [shutil.which(argv[0]) or "/sbin/" + argv[0]] + argv[1:]
    r = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode:
        sys.exit("mkbootdisk: %s failed:\n%s" % (argv[0], r.stdout.decode(errors="replace")))


def parse_file(spec):
    name, rest = spec.split("=", 1)
    path, addr = rest.rsplit("@", 1)
    if "/" in name or not name:
        raise argparse.ArgumentTypeError("bad file name %r" % name)
    return name, path, int(addr, 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", dest="out", required=True)
    ap.add_argument("--overlay", required=True)
    ap.add_argument("--dtb-addr", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--file", type=parse_file, action="append", default=[])
    ap.add_argument("--boot", default="umbra.bin")
    ap.add_argument("--size-mib", type=int, default=0,
                    help="file system size (default: the files plus 25%%, at least 16)")
    args = ap.parse_args()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    if args.boot not in [n for n, _p, _a in args.file]:
        sys.exit("mkbootdisk: no --file %s to boot" % args.boot)

    with open(args.overlay, "rb") as f:
        dtbo = f.read()
    cmds = []
    for node in overlay_root_nodes(fdt_tree(dtbo)):
        cmds.extend(fdt_commands(node, "/"))
    script = boot_script(args.file, args.boot, args.dtb_addr, cmds)

    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        os.mkdir(root)
        for name, path, _addr in args.file:
            shutil.copyfile(path, os.path.join(root, name))
        shutil.copyfile(args.overlay, os.path.join(root, "umbra.dtbo"))
        with open(os.path.join(root, "boot.cmd"), "wb") as f:
            f.write(script)
        with open(os.path.join(root, "boot.scr.uimg"), "wb") as f:
            f.write(script_image(script, epoch))
        total = 0
        for name in sorted(os.listdir(root)):
            p = os.path.join(root, name)
            os.chmod(p, 0o644)
            os.utime(p, (epoch, epoch))
            total += os.path.getsize(p)
        os.chmod(root, 0o755)
        os.utime(root, (epoch, epoch))
        size_mib = args.size_mib or max(16, (total * 5 // 4 >> 20) + 4)

        fs = os.path.join(tmp, "fs.img")
        env = dict(os.environ, E2FSPROGS_FAKE_TIME=str(epoch))
        # fixed UUID and hash seed: the same disk on every build
        uuid = "756d6272-612d-626f-6f74-2d6469736b31"
        run(["mke2fs", "-q", "-F", "-t", "ext4", "-L", "umbra-boot", "-U", uuid,
             "-E", "hash_seed=%s,root_owner=0:0" % uuid, "-O", "^metadata_csum,^64bit",
             "-d", root, fs, "%dM" % size_mib], env)
        # mke2fs -d copies each file's ctime, which no one can set: set it
        cmds = os.path.join(tmp, "debugfs.cmd")
        with open(cmds, "w") as f:
            for name in sorted(os.listdir(root)):
                f.write("set_inode_field /%s ctime @%d\n" % (name, epoch))
        run(["debugfs", "-w", "-f", cmds, fs], env)

        tmp_out = args.out + ".tmp"
        with open(tmp_out, "wb") as f:
            f.write(mbr(size_mib << 20 >> 9))
            f.seek(PART_START)
            with open(fs, "rb") as src:
                shutil.copyfileobj(src, f)
        os.replace(tmp_out, args.out)


if __name__ == "__main__":
    main()
