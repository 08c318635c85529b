# SPDX-License-Identifier: Apache-2.0
"""The fixed attestation vectors regenerate byte for byte.

tests/vectors/attestation/ holds outputs generated once from inputs.json
by gen_vectors.py (attest-gen = the monitor's attest.c on the host, and
umbra-provision). Deterministic ECDSA (RFC 6979) makes every byte
reproducible, so any change to derivation, encoding or signing shows here.
"""
import os
import tempfile
import unittest

import gen_vectors

BUILD = os.environ.get("ATTEST_BUILD", os.path.join(gen_vectors.TOP, "build"))


class VectorsRegenerate(unittest.TestCase):
    def test_byte_for_byte(self):
        gen = os.environ.get("ATTEST_GEN", os.path.join(BUILD, "attest", "attest-gen"))
        prov = os.path.join(BUILD, "tools", "umbra-provision")
        with tempfile.TemporaryDirectory() as tmp:
            names = gen_vectors.generate(tmp, gen, prov)
            self.assertGreaterEqual(len(names), 6)
            for name in names:
                with self.subTest(file=name):
                    with open(os.path.join(tmp, name), "rb") as f:
                        fresh = f.read()
                    with open(os.path.join(gen_vectors.VECTORS, name), "rb") as f:
                        committed = f.read()
                    self.assertEqual(fresh, committed,
                                     "%s differs from the committed vector "
                                     "(make attest-vectors-update if intended)" % name)


if __name__ == "__main__":
    unittest.main()
