#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Line coverage per file of hyp/ from gcc's gcov data (make coverage).

Runs gcov on each source given (objects under --objdir, mirrored paths),
keeps the annotated copies in --out, prints lines covered / executable
per file and in total, then every report site of the config validator
(a diag_report() call in hyp/config/) that no test reached. Fails when
the total is below --goal percent or a validator error site is unreached.
"""
import argparse
import os
import re
import subprocess
import sys


def annotate(src, objdir, out):
    """Run gcov on src; return {line: count or None (uncovered)} of src."""
    obj = os.path.join(objdir, os.path.dirname(src))
    # in the source tree (gcov annotates from the sources it finds), then
    # the annotated copies are moved to out
    subprocess.run(["gcov", "-p", "-o", obj, src], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for made in os.listdir("."):
        if made.endswith(".gcov"):
            os.replace(made, os.path.join(out, made))
    # -p: the path is kept in the name, '/' as '#'
    path = os.path.join(out, src.replace("/", "#") + ".gcov")
    lines = {}
    if not os.path.exists(path):   # no .gcda: never run
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        for row in f:
            parts = row.split(":", 2)
            if len(parts) < 3:
                continue
            count, num = parts[0].strip(), int(parts[1])
            if num == 0 or count == "-":
                continue
            lines[num] = None if count in ("#####", "=====") else count
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objdir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--goal", type=float, default=85.0)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    total = covered = 0
    below = []
    unreached = []
    print(f"{'file':<34} {'lines':>11} {'cover':>7}")
    for src in sorted(a.sources):
        lines = annotate(src, a.objdir, a.out)
        if lines is None:
            print(f"{src:<34} {'(no data)':>11}")
            continue
        n = len(lines)
        c = sum(1 for v in lines.values() if v is not None)
        total += n
        covered += c
        pct = 100.0 * c / n if n else 100.0
        print(f"{src:<34} {c:>5}/{n:<5} {pct:>6.1f}%")
        if pct < a.goal:
            below.append(src)
        if src.startswith("hyp/config/"):
            with open(src, encoding="utf-8") as f:
                text = f.readlines()
            for i, row in enumerate(text, 1):
                if re.search(r"\bdiag_report\(", row) and not row.lstrip().startswith(("void", "*", "/")):
                    if i in lines and lines[i] is None:
                        unreached.append(f"{src}:{i}: {row.strip()}")
    pct = 100.0 * covered / total if total else 0.0
    print(f"{'total (hyp/)':<34} {covered:>5}/{total:<5} {pct:>6.1f}%   (goal {a.goal:.0f}%)")
    if below:
        print(f"below the goal: {', '.join(below)}")
    print(f"config validator: {len(unreached)} diag_report() site(s) no test reaches")
    for u in unreached:
        print(f"  {u}")
    print(f"annotated sources (##### = never run): {a.out}/")
    return 0 if pct >= a.goal and not unreached else 1


if __name__ == "__main__":
    sys.exit(main())
