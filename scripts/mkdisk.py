#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The Linux partition's test disk (behind virtio-blk-pci): mkdisk.py OUT.

4 MiB of fixed content, the same on every machine and every build: sector
0 starts with the header line below, every other 512-byte sector holds its
own number in a text line, then bytes that depend on the sector number and
the offset (no two sectors alike, no long runs of zeros). The image's
SHA-256 is recorded here; the file is written only if it matches, so the
system tests can compare Linux's `sha256sum /dev/vda` with SHA256 below.
"""
import hashlib
import os
import sys

HEADER = b"UMBRA-TEST-DISK v1: 4 MiB, read-only, sha256 in scripts/mkdisk.py\n"
SIZE = 4 << 20
SECTOR = 512
SHA256 = "4b254b41a14ebec0b158fd2df09fc3679dd8def181e1f690a1269ed4262c5b8b"


def image():
    out = bytearray()
    for n in range(SIZE // SECTOR):
        line = HEADER if n == 0 else b"umbra disk sector %06d\n" % n
        fill = bytes((n * 7 + i * 13 + (n >> 8)) & 0xff for i in range(SECTOR - len(line)))
        out += line + fill
    return bytes(out)


def main():
    data = image()
    digest = hashlib.sha256(data).hexdigest()
    if len(sys.argv) == 2 and sys.argv[1] == "--sha256":
        print(digest)
        return 0
    if len(sys.argv) != 2:
        print("usage: mkdisk.py OUT | --sha256", file=sys.stderr)
        return 2
    if digest != SHA256:
        print("mkdisk: the image's sha256 %s is not the recorded %s" % (digest, SHA256),
              file=sys.stderr)
        return 1
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
