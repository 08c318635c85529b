#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The conformance report of `make verify` (docs/assurance.md).

Reads the verification vectors (tests/vectors/*.vec, as the guest was
built with them) and the console log of one boot of the test guest, and
writes a Markdown report and JUnit XML: the platform, Umbra's version and
the configuration's digest at the top; per vector its class, what it
expects, the result and the monitor's log lines printed while it ran;
then the partition-machine conformance tests (CONF lines) the same way.
A vector the log does not show is a failure ("not run").

  verify-report.py --log LOG --out DIR --platform TEXT --config DTB
                   --config-digest HEX VEC...
"""
import argparse
import html
import os
import re
import sys
import xml.etree.ElementTree as ET

VEC_LINE = re.compile(r"^(\S+)\s+(\S+)(.*?)\s+=>\s+(.*?)\s*$")


def read_vectors(paths):
    """[(name, class, operation, expectation)] in file order."""
    out = []
    for path in paths:
        cls = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            for row in f:
                row = row.split("#", 1)[0].strip() if '"' not in row else row.strip()
                if not row or row.startswith("#") or row.startswith("define "):
                    continue
                m = VEC_LINE.match(row)
                if m:
                    out.append((m.group(1), cls, (m.group(2) + m.group(3)).strip(),
                                m.group(4)))
    return out


def read_log(path):
    """Results {name: (PASS|FAIL, detail, [monitor lines])} of VEC and CONF
    lines, in order, and the log's facts (version, model, summaries)."""
    vec, conf, facts = {}, {}, {}
    pending = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.replace("\r", "").rstrip("\n")
            m = re.match(r"^umbra: (Umbra \S+) at EL2", line)
            if m:
                facts["umbra"] = m.group(1)
            if line.startswith("umbra: "):
                pending.append(line)
                continue
            m = re.match(r"^\[\w+\] guest: (\d+) vectors from (.*)$", line)
            if m:
                facts["model"] = m.group(2)
                facts["announced"] = int(m.group(1))
                facts["boot"] = pending   # Umbra's boot lines: no vector's
                pending = []
            m = re.match(r"^\[\w+\] (VEC|CONF) (PASS|FAIL) ([^:\s]+)(?:: (.*))?$", line)
            if m:
                table = vec if m.group(1) == "VEC" else conf
                table[m.group(3)] = (m.group(2), m.group(4) or "", pending)
                pending = []
                continue
            if re.match(r"^\[\w+\] (vectors|conformance): ", line):
                facts[line.split("] ", 1)[1].split(":")[0]] = line.split("] ", 1)[1]
                pending = []
    return vec, conf, facts


def md_text(s):
    return html.escape(s, quote=False).replace("|", "\\|") if s else "-"


def md_code(s):
    # (entities are not decoded in a code span; a table needs \| still)
    return "`" + " ".join(s.split()).replace("|", "\\|") + "`"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--platform", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--config-digest", required=True)
    ap.add_argument("vectors", nargs="+")
    a = ap.parse_args()

    vectors = read_vectors(a.vectors)
    vec, conf, facts = read_log(a.log)
    rows = []   # (name, class, expectation, result, detail, monitor lines)
    for name, cls, op, exp in vectors:
        res, detail, mon = vec.get(name, ("NOT RUN", "no result line in the log", []))
        rows.append((name, cls, " ".join(f"{op} => {exp}".split()), res, detail, mon))
    for name, (res, detail, mon) in conf.items():
        rows.append((name, "conformance", "as docs/partition-machine.md says", res, detail, mon))
    failed = sum(1 for r in rows if r[3] != "PASS")
    version = facts.get("umbra", "Umbra (no boot line in the log)")

    os.makedirs(a.out, exist_ok=True)
    md = [
        "# Umbra conformance report",
        "",
        f"- Platform: {a.platform}; partition DT model: {facts.get('model', '?')}",
        f"- Umbra: {version}",
        f"- Configuration: `{a.config}`, digest (umbra/config, SHA-256 of its canonical form): "
        f"`{a.config_digest}`",
        f"- Result: {len(rows) - failed} passed, {failed} failed "
        f"({len(vectors)} verification vectors, {len(conf)} conformance tests)",
        f"- Console log: `{a.log}`",
        "",
        "| vector | class | expectation | result | monitor log |",
        "|---|---|---|---|---|",
    ]
    for name, cls, exp, res, detail, mon in rows:
        result = res if not detail else f"{res}: {detail}"
        md.append(f"| `{name}` | {cls} | {md_code(exp)} | {md_text(result)} | "
                  f"{'<br>'.join(md_text(x) for x in mon) if mon else '-'} |")
    with open(os.path.join(a.out, "report.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")

    suites = ET.Element("testsuites", name=f"umbra-verify {version}",
                        tests=str(len(rows)), failures=str(failed))
    by_class = {}
    for r in rows:
        by_class.setdefault(r[1], []).append(r)
    for cls, rs in by_class.items():
        s = ET.SubElement(suites, "testsuite", name=cls, tests=str(len(rs)),
                          failures=str(sum(1 for r in rs if r[3] != "PASS")))
        props = ET.SubElement(s, "properties")
        for k, v in (("platform", a.platform), ("umbra", version), ("config", a.config),
                     ("config-digest", a.config_digest)):
            ET.SubElement(props, "property", name=k, value=v)
        for name, _, exp, res, detail, mon in rs:
            t = ET.SubElement(s, "testcase", name=name, classname=f"umbra.{cls}")
            ET.SubElement(t, "system-out").text = "\n".join([f"expectation: {exp}"] + mon)
            if res != "PASS":
                ET.SubElement(t, "failure", message=f"{res}: {detail}" if detail else res)
    ET.ElementTree(suites).write(os.path.join(a.out, "report.xml"), encoding="utf-8",
                                 xml_declaration=True)
    print(f"verify: report in {a.out}/report.md and report.xml")
    print(f"verify: {len(rows) - failed} passed, {failed} failed")
    return 1 if failed or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
