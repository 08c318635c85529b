#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Exact instruction counts of Umbra's paths from a QEMU execution trace.

Run QEMU with `-icount shift=0 -d in_asm,exec,nochain -D LOG` (every
translation block logged when translated, every execution logged, no
chaining so none is missed; `-dfilter BASE+SIZE` keeps the log to Umbra's
own blocks), then

  scripts/trace-paths.py LOG build/umbra.elf BASE [--cpu N] [--match FN]...
      [--boot] [--show K]

BASE is the address Umbra runs at (its boot line "image 0xBASE-..."). The
trace is cut into traps: a trap ends with the block that ERETs to the
guest (or at the next guest block when those are logged). Traps with the
same sequence of functions are one path; for every path seen (or only
those that go through every --match function) the count, the instructions
per trap and, for the K most frequent (--show), the instructions per
function in order (per function in total for long paths). --boot: each
CPU's first stretch, from its first instruction in Umbra to its first ERET
into a guest, per function.
"""
import argparse
import bisect
import collections
import re
import subprocess
import sys

TRACE = re.compile(r'^Trace (\d+): 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]')
IN_HDR = re.compile(r'^IN:')
INSN = re.compile(r'^0x([0-9a-f]+):\s')


def symbols(elf):
    out = subprocess.run(['aarch64-linux-gnu-nm', '-n', elf], capture_output=True, text=True,
                         check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'tTW':
            addrs.append(int(f[0], 16))
            names.append(f[2])
    end = subprocess.run(['aarch64-linux-gnu-nm', elf], capture_output=True, text=True,
                         check=True).stdout
    text_end = max(int(l.split()[0], 16) for l in end.splitlines() if l.endswith(' _text_end'))
    return addrs, names, text_end


def blocks(log):
    """Yield (cpu, pc, insns, erets) for every executed block, in order."""
    size, eret = {}, {}
    cur, n = None, 0
    with open(log, errors='replace') as f:
        for line in f:
            if IN_HDR.match(line):
                cur, n = None, 0
                continue
            m = INSN.match(line)
            if m:
                if cur is None:
                    cur = int(m.group(1), 16)
                n += 1
                size[cur] = n
                eret[cur] = line.split()[-1] == 'eret'
                continue
            m = TRACE.match(line)
            if m:
                pc, cflags = int(m.group(2), 16), int(m.group(3), 16)
                count = cflags & 0x1ff  # CF_COUNT_MASK: a block cut short by icount
                yield int(m.group(1)), pc, count or size.get(pc, 0), eret.get(pc, False)


def segments(log, in_umbra, fn):
    """Yield (cpu, [(function, insns)...]) for each stretch in Umbra."""
    cur = collections.defaultdict(list)
    for cpu, pc, n, erets in blocks(log):
        if in_umbra(pc):
            t = cur[cpu]
            f = fn(pc)
            if t and t[-1][0] == f:
                t[-1] = (f, t[-1][1] + n)
            else:
                t.append((f, n))
            if erets:
                yield cpu, cur.pop(cpu)
        elif cur[cpu]:
            yield cpu, cur.pop(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('log')
    ap.add_argument('elf')
    ap.add_argument('base', type=lambda s: int(s, 0))
    ap.add_argument('--cpu', type=int)
    ap.add_argument('--match', action='append', default=[])
    ap.add_argument('--boot', action='store_true')
    ap.add_argument('--show', type=int, default=3)
    a = ap.parse_args()
    addrs, names, text_end = symbols(a.elf)

    def fn(pc):
        off = pc - a.base
        i = bisect.bisect_right(addrs, off) - 1
        return names[i] if i >= 0 else '?'

    def in_umbra(pc):
        return a.base <= pc < a.base + text_end

    if a.boot:
        seen = set()
        for cpu, t in segments(a.log, in_umbra, fn):
            if cpu in seen:
                continue
            seen.add(cpu)
            per = collections.Counter()
            for f, n in t:
                per[f] += n
            print(f'cpu {cpu}: {sum(per.values())} instructions in Umbra before its first '
                  f'guest instruction')
            for f, c in per.most_common(25):
                print(f'  {c:10d}  {f}')
        return

    paths = collections.Counter()
    example = {}
    for cpu, t in segments(a.log, in_umbra, fn):
        if a.cpu is not None and cpu != a.cpu:
            continue
        key = tuple(f for f, _ in t)
        if all(m in key for m in a.match):
            paths[key] += 1
            example[key] = t
    for key, count in paths.most_common(a.show):
        t = example[key]
        print(f'{count} traps, {sum(n for _, n in t)} instructions each (last one):')
        if len(t) > 40:
            per = collections.Counter()
            for f, n in t:
                per[f] += n
            t = per.most_common(30)
        for f, n in t:
            print(f'  {n:8d}  {f}')


if __name__ == '__main__':
    sys.exit(main())
