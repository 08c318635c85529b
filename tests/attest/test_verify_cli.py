# SPDX-License-Identifier: Apache-2.0
"""umbra-verify on good and tampered tokens.

Every rejection must exit non-zero and name the failing check; usage and
input errors exit 2. Inputs: the committed vectors in
tests/vectors/attestation/ (and attest-gen for a token from another image).
"""
import json
import os
import re
import subprocess
import tempfile
import unittest

import gen_vectors

BUILD = os.environ.get("ATTEST_BUILD", os.path.join(gen_vectors.TOP, "build"))
VERIFY = os.path.join(BUILD, "tools", "umbra-verify")
GEN = os.environ.get("ATTEST_GEN", os.path.join(BUILD, "attest", "attest-gen"))
V = gen_vectors.VECTORS


def vec(name):
    return os.path.join(V, name)


def load_json(path):
    with open(path) as f:
        return json.load(f)


class VerifyCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.inputs = gen_vectors.load_inputs()
        cls.set1, cls.set2 = cls.inputs["sets"]
        with open(vec(cls.set1["token"]), "rb") as f:
            cls.token = f.read()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def path(self, name, data=None):
        p = os.path.join(self.tmp.name, name)
        if data is not None:
            with open(p, "wb" if isinstance(data, bytes) else "w") as f:
                f.write(data)
        return p

    def verify(self, token=None, ek=None, nonce=None, ref=None, extra=()):
        argv = [VERIFY, "--token", token or vec(self.set1["token"]),
                "--ek", ek or vec(self.inputs["ek"]),
                "--nonce", nonce or self.set1["nonce"],
                "--reference", ref or vec(self.inputs["reference"])] + list(extra)
        r = subprocess.run(argv, capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr

    def assertRejected(self, out_rc, *checks):
        rc, out = out_rc
        self.assertEqual(rc, 1, out)
        verdict = [l for l in out.splitlines() if l.startswith("verdict:")]
        self.assertEqual(len(verdict), 1, out)
        self.assertIn("FAIL", verdict[0])
        for c in checks:
            self.assertRegex(out, r"(?m)^  FAIL  %s\s" % re.escape(c), out)
            self.assertIn(c, verdict[0])

    def test_good_token(self):
        rc, out = self.verify()
        self.assertEqual(rc, 0, out)
        self.assertIn("verdict: PASS", out)
        self.assertNotIn("FAIL", out)
        for c in ("signature", "alias-endorsement", "partition-endorsement", "nonce",
                  "instance-id", "component:umbra/image", "component:partition/image",
                  "umbra-measurement", "partition-measurement"):
            self.assertRegex(out, r"(?m)^  PASS  %s\s" % re.escape(c))

    def test_second_set_64_byte_nonce(self):
        rc, out = self.verify(token=vec(self.set2["token"]), nonce=self.set2["nonce"])
        self.assertEqual(rc, 0, out)
        self.assertIn("non-psa-rot-debug", out)

    def test_ek_formats(self):
        pub = load_json(vec(self.set1["json"]))["endorsement-key"]["public"]
        self.assertEqual(self.verify(ek=self.path("ek.hex", pub))[0], 0)
        self.assertEqual(self.verify(ek=self.path("ek.bin", bytes.fromhex(pub)))[0], 0)

    def test_quiet(self):
        rc, out = self.verify(extra=["-q"])
        self.assertEqual((rc, out.strip().splitlines()[-1][:13]), (0, "verdict: PASS"))
        self.assertEqual(len(out.strip().splitlines()), 1)

    def test_flipped_payload_byte(self):
        t = bytearray(self.token)
        t[len(t) - 66 - 40] ^= 0x01       # inside the last software component
        self.assertRejected(self.verify(token=self.path("t", bytes(t))), "signature")

    def test_flipped_signature_byte(self):
        t = bytearray(self.token)
        t[-1] ^= 0x80
        self.assertRejected(self.verify(token=self.path("t", bytes(t))), "signature")

    def test_flipped_endorsement_byte(self):
        t = bytearray(self.token)
        t[50] ^= 0x01                      # the alias key, inside the alias endorsement
        self.assertRejected(self.verify(token=self.path("t", bytes(t))),
                            "alias-endorsement")

    def test_wrong_nonce(self):
        n = bytearray.fromhex(self.set1["nonce"])
        n[0] ^= 1
        self.assertRejected(self.verify(nonce=n.hex()), "nonce")

    def test_wrong_measurement(self):
        ref = load_json(vec(self.inputs["reference"]))
        d = bytearray.fromhex(ref["components"]["partition/image"])
        d[31] ^= 1
        ref["components"]["partition/image"] = d.hex()
        out = self.verify(ref=self.path("ref.json", json.dumps(ref)))
        self.assertRejected(out, "component:partition/image")

    def test_signed_component_reference(self):
        """A component's reference as {"value", "signer-id", "version"}
        (docs/signing.md): the vector token's image is unsigned (signer
        zeros, no version)."""
        ref = load_json(vec(self.inputs["reference"]))
        digest = ref["components"]["partition/image"]

        def run(entry):
            ref["components"]["partition/image"] = entry
            return self.verify(ref=self.path("ref.json", json.dumps(ref)))

        for entry in ({"value": digest}, {"value": digest, "signer-id": "00" * 32}):
            rc, out = run(entry)
            self.assertEqual(rc, 0, out)
        self.assertRejected(run({"value": digest, "signer-id": "11" * 32}),
                            "component:partition/image")
        self.assertRejected(run({"value": digest, "version": "3"}),
                            "component:partition/image")
        for bad in ({"signer-id": "00" * 32}, {"value": digest, "colour": "red"}):
            rc, out = run(bad)
            self.assertEqual(rc, 2, out)

    def test_missing_component(self):
        ref = load_json(vec(self.inputs["reference"]))
        ref["components"]["umbra/extra"] = "00" * 32
        self.assertRejected(self.verify(ref=self.path("ref.json", json.dumps(ref))),
                            "component:umbra/extra")

    def test_lifecycle_not_accepted(self):
        ref = load_json(vec(self.inputs["reference"]))
        ref["security-lifecycle"] = ["secured"]
        out = self.verify(token=vec(self.set2["token"]), nonce=self.set2["nonce"],
                          ref=self.path("ref.json", json.dumps(ref)))
        self.assertRejected(out, "security-lifecycle")

    def test_truncated(self):
        for n in (0, 1, 12, len(self.token) // 2, len(self.token) - 1):
            with self.subTest(length=n):
                self.assertRejected(self.verify(token=self.path("t", self.token[:n])),
                                    "cose-structure")

    def test_trailing_garbage(self):
        self.assertRejected(self.verify(token=self.path("t", self.token + b"\x00")),
                            "cose-structure")

    def test_wrong_ek(self):
        uds = self.path("uds.hex", os.urandom(32).hex())
        ek = self.path("other.pem")
        subprocess.run([os.path.join(BUILD, "tools", "umbra-provision"), "show",
                        "--uds", uds, "--ek", ek], check=True, capture_output=True)
        self.assertRejected(self.verify(ek=ek), "alias-endorsement", "instance-id")

    def test_other_partition_image(self):
        """Same device, modified partition image: the chain holds (it is the
        device's key for *that* image) but the measurement is not the
        reference one."""
        tok = self.path("t.cbor")
        argv = [GEN, "--uds", vec(self.inputs["uds"]), "--board", self.inputs["board"],
                "--nonce", self.set1["nonce"], "--token", tok,
                "--partition", "partition/image=text:a modified guest"]
        for c in self.inputs["umbra"]:
            argv += ["--umbra", gen_vectors.source(c)]
        for c in self.inputs["partition"][1:]:
            argv += ["--partition", gen_vectors.source(c)]
        subprocess.run(argv, check=True)
        rc, out = self.verify(token=tok)
        self.assertRejected((rc, out), "component:partition/image")
        self.assertNotRegex(out, r"(?m)^  FAIL  component:partition/config\s")
        self.assertRegex(out, r"(?m)^  PASS  signature\s")
        self.assertRegex(out, r"(?m)^  PASS  partition-endorsement\s")

    def test_other_configuration(self):
        """The same images from a DTB with other bootargs: umbra/config and
        partition/config are named, the images pass."""
        with open(vec("umbra-config.dtb"), "rb") as f:
            dtb = bytearray(f.read())
        at = dtb.index(b"console=ttyAMA0")
        dtb[at:at + 15] = b"console=ttyAMA1"
        other = self.path("other.dtb")
        with open(other, "wb") as f:
            f.write(dtb)
        tok = self.path("t.cbor")
        argv = [GEN, "--uds", vec(self.inputs["uds"]), "--board", self.inputs["board"],
                "--nonce", self.set1["nonce"], "--token", tok,
                "--umbra", "umbra/image=" + vec("umbra-image.txt"),
                "--umbra", "umbra/config=config:" + other,
                "--partition", "partition/image=" + vec("partition-image.txt"),
                "--partition", "partition/config=config/guest:" + other]
        subprocess.run(argv, check=True)
        rc, out = self.verify(token=tok)
        self.assertRejected((rc, out), "component:umbra/config", "component:partition/config")
        self.assertRegex(out, r"(?m)^  PASS  component:partition/image\s")
        self.assertRegex(out, r"(?m)^  PASS  component:umbra/image\s")
        self.assertIn("(another configuration)", out)
        # the same token with the configuration's reference values taken
        # from the DTB it was made from (--dtb replaces the file's)
        rc, out = self.verify(token=tok, extra=["--dtb", other, "--partition", "guest"])
        self.assertEqual(rc, 0, out)
        # ... and the committed token against that DTB: rejected
        rc, out = self.verify(extra=["--dtb", other, "--partition", "guest"])
        self.assertRejected((rc, out), "component:umbra/config", "component:partition/config")
        # --dtb alone gives umbra/config only; --partition needs --dtb
        rc, out = self.verify(extra=["--dtb", vec("umbra-config.dtb")])
        self.assertEqual(rc, 0, out)
        rc, _ = self.verify(extra=["--partition", "guest"])
        self.assertEqual(rc, 2)
        rc, out = self.verify(extra=["--dtb", vec("umbra-config.dtb"), "--partition", "nobody"])
        self.assertEqual(rc, 2, out)

    def test_usage_errors(self):
        for kw in ({"nonce": "00"}, {"nonce": "zz" * 32},
                   {"token": self.path("absent")},
                   {"ek": self.path("bad.pem", "not a key")},
                   {"ref": self.path("bad.json", "{\"components\": ")}):
            with self.subTest(**{k: str(v)[-20:] for k, v in kw.items()}):
                rc, out = self.verify(**kw)
                self.assertEqual(rc, 2, out)
        r = subprocess.run([VERIFY], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage", r.stderr)


if __name__ == "__main__":
    unittest.main()
