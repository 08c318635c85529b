#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The monitor's include graph must follow its layers (docs/architecture.md).

Every C and assembly source of hyp/ (the host-only fake arch aside), and
every header on its own, is run through the compiler with -H, which prints
each header it opens with its nesting depth: that gives the direct include
edges as the compiler resolves them (a header compiled alone shows all of
its own includes, which a guard may hide when it comes second). Each file belongs to a layer (its folder); an include may only go to
a strictly lower layer or stay in its own folder. Also checked: no include
circle between files, and the console's internals are the console's own.

    check-layers.py [--graph] CC CFLAGS...

--graph prints the folder-level graph (one "from -> to" line per edge).
Exit status 1 on any violation, each printed as one line.
"""
import os
import subprocess
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# Lower number = lower layer. Folders of the same rank may not include each
# other. Keep in step with the picture in docs/architecture.md.
RANK = {
    "abi": 0,        # guest/lib/umbra_abi.h: the hypercall ABI, shared with guests
    "lib": 0,        # hyp/lib, hyp/include: libc subset, printf, CBOR, log.h, arch.h
    "arch-defs": 1,  # hyp/arch/*/include, asm.h: register and descriptor layouts
    "drivers": 2,    # physical GIC, UART, SMMU
    "mm": 2,         # page tables, stage 2, EL2 map
    "config": 3,     # platform discovery, config parsing and validation
    "vm": 4,         # partition and vCPU objects, the virtual GIC
    "console": 5,    # console mux and input, virtual UART, log sink
    "devices": 5,    # device ownership and transfer, channels, DMA confinement
    "attest": 5,     # attestation: token, keys, the service
    "partition": 6,  # lifecycle, PSCI, hypercall dispatch, faults, guest DT
    "arch": 7,       # exception entry, vCPU entry, EL2 MMU and GIC CPU interface
    "main": 7,       # the boot sequence
}
PRIVATE = {"hyp/console/internal.h": "console"}


def layer(path):
    """The layer of a repository-relative path, or None if outside hyp/."""
    if path == "guest/lib/umbra_abi.h":
        return "abi"
    parts = path.split("/")
    if parts[0] != "hyp":
        return None
    if parts[1] in ("include", "lib"):
        return "lib"
    if parts[1] == "arch":
        if "include" in parts or parts[-1] == "asm.h":
            return "arch-defs"
        return "arch"
    if parts[1] == "main.c":
        return "main"
    return parts[1]


def sources():
    out = []
    for root, dirs, files in os.walk(os.path.join(TOP, "hyp")):
        rel = os.path.relpath(root, TOP)
        dirs.sort()
        for f in sorted(files):
            if f.endswith((".c", ".S", ".h")):
                out.append(os.path.join(rel, f))
    return out


def edges_of(cc, cflags, src):
    """Direct (includer, included) pairs, from the compiler's -H trace."""
    flags = list(cflags)
    asm = src.endswith(".S") or src.endswith("/asm.h")
    if asm:
        flags = [f for f in flags if f.startswith("-I") or f.startswith("-D")] + ["-D__ASSEMBLER__"]
    if src.endswith(".h"):
        flags += ["-x", "assembler-with-cpp" if asm else "c"]
    r = subprocess.run([cc] + flags + ["-H", "-E" if asm else "-fsyntax-only",
                                       "-o", os.devnull, src],
                       cwd=TOP, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"check-layers: {cc} failed on {src}:\n{r.stderr}")
    stack = [src]
    edges = []
    for line in r.stderr.splitlines():
        dots = len(line) - len(line.lstrip("."))
        if dots == 0 or not line[dots:].startswith(" "):
            continue
        path = os.path.relpath(os.path.normpath(os.path.join(TOP, line[dots + 1:].strip())), TOP)
        del stack[dots:]
        edges.append((stack[-1], path))
        stack.append(path)
    return edges


def find_cycle(graph):
    """A list of nodes forming a cycle, or None (iterative DFS)."""
    state = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        path, it = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while path:
            nxt = next(it[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                it.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                it.append(iter(sorted(graph.get(nxt, ()))))
    return None


def main(argv):
    show = "--graph" in argv
    argv = [a for a in argv if a != "--graph"]
    if len(argv) < 2:
        sys.exit(__doc__)
    cc, cflags = argv[1], argv[2:]
    files, folders, bad = {}, {}, []
    for src in sources():
        for a, b in edges_of(cc, cflags, src):
            la, lb = layer(a), layer(b)
            if la is None or lb is None:
                continue                       # libfdt, BearSSL, the compiler's own
            files.setdefault(a, set()).add(b)
            if b in PRIVATE and la != PRIVATE[b]:
                bad.append(f"{a} includes {b}, private to {PRIVATE[b]}/")
            if la == lb:
                continue
            folders.setdefault(la, set()).add(lb)
            if RANK[lb] >= RANK[la]:
                bad.append(f"{a} ({la}, layer {RANK[la]}) includes {b} ({lb}, layer {RANK[lb]})")
    for graph, what in ((files, "files"), (folders, "folders")):
        cyc = find_cycle(graph)
        if cyc:
            bad.append(f"include circle between {what}: " + " -> ".join(cyc))
    if show:
        for a in sorted(folders, key=lambda n: (-RANK[n], n)):
            for b in sorted(folders[a], key=lambda n: (-RANK[n], n)):
                print(f"{a} -> {b}")
    for line in sorted(set(bad)):
        print("check-layers: " + line)
    print(f"check-layers: {len(files)} files, {sum(len(v) for v in folders.values())} "
          f"folder edges, {len(set(bad))} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
