# SPDX-License-Identifier: Apache-2.0
"""scripts/verify-report.py on a made-up log: results and monitor lines go
to the right vector, a vector without a result line fails, both reports
carry the header facts. Run by `make verify` before it boots QEMU."""
import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VEC = """# comment
define x 1
t.ok      hvc  UMBRA_HC_VERSION  => ret=UMBRA_OK
t.abort   read ram_end           => abort   # trailing comment
t.bad     read ram_base          => ok
t.missing read ram_base          => ok
"""
LOG = """umbra: Umbra 9.8.7 at EL2: image 0x40200000-0x402a1000, DTB 0x48000000\r
umbra: partition 0 'guest': boot line\r
[guest] guest: 4 vectors from guest\r
[guest] VEC PASS t.ok\r
umbra: guest: stage-2 fault: read IPA 0x54000000 PC 0x500047cc: external abort injected\r
[guest] VEC PASS t.abort\r
[guest] VEC FAIL t.bad: expected ok, got abort\r
[guest] vectors: 2 passed, 1 failed\r
[guest] CONF PASS gic.typer\r
[guest] conformance: 1 passed, 0 failed\r
"""


class VerifyReport(unittest.TestCase):
    def test_report(self):
        with tempfile.TemporaryDirectory() as d:
            vec, log = os.path.join(d, "t.vec"), os.path.join(d, "console.log")
            with open(vec, "w") as f:
                f.write(VEC)
            with open(log, "w") as f:
                f.write(LOG)
            r = subprocess.run([sys.executable, os.path.join(TOP, "scripts/verify-report.py"),
                                "--log", log, "--out", d, "--platform", "QEMU test",
                                "--config", "c.dtb", "--config-digest", "ab" * 32, vec],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("verify: 3 passed, 2 failed", r.stdout)
            md = open(os.path.join(d, "report.md")).read()
            self.assertIn("- Umbra: Umbra 9.8.7", md)
            self.assertIn("ab" * 32, md)
            self.assertIn("- Platform: QEMU test", md)
            rows = {l.split("|")[1].strip(" `"): l for l in md.splitlines() if l.startswith("| `")}
            self.assertEqual(set(rows), {"t.ok", "t.abort", "t.bad", "t.missing", "gic.typer"})
            self.assertIn("stage-2 fault: read IPA 0x54000000", rows["t.abort"])
            self.assertNotIn("stage-2", rows["t.ok"])
            self.assertNotIn("boot line", rows["t.ok"])      # Umbra's boot: no vector's
            self.assertIn("`read ram_end => abort`", rows["t.abort"])
            self.assertIn("FAIL: expected ok, got abort", rows["t.bad"])
            self.assertIn("NOT RUN", rows["t.missing"])
            x = ET.parse(os.path.join(d, "report.xml")).getroot()
            self.assertEqual((x.get("tests"), x.get("failures")), ("5", "2"))
            failed = {t.get("name") for t in x.iter("testcase") if t.find("failure") is not None}
            self.assertEqual(failed, {"t.bad", "t.missing"})
            props = {p.get("name"): p.get("value") for p in x.iter("property")}
            self.assertEqual(props["config-digest"], "ab" * 32)


if __name__ == "__main__":
    unittest.main()
