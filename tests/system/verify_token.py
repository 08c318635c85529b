#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Independent check of an Umbra attestation token: python3-cryptography
and python3-cbor2 only (through tests/attest/crosscheck.py, written from
docs/attestation.md, no project code).

    verify_token.py TOKEN EK.pem NONCE_HEX REFERENCE.json

Prints 'python-check: PASS' or 'python-check: FAIL: why'; exit 0 or 1."""
import json
import os
import sys

from cryptography.hazmat.primitives import serialization

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "attest"))
import crosscheck  # noqa: E402


def main():
    token_path, ek_path, nonce_hex, ref_path = sys.argv[1:5]
    with open(ek_path, "rb") as f:
        ek = serialization.load_pem_public_key(f.read())
    ek_pub = ek.public_bytes(serialization.Encoding.X962,
                             serialization.PublicFormat.UncompressedPoint)
    with open(token_path, "rb") as f:
        token = f.read()
    with open(ref_path) as f:
        ref = json.load(f)
    try:
        claims, _, _ = crosscheck.verify_token(token, ek_pub, bytes.fromhex(nonce_hex))
        got = {c[1]: c for c in claims[2399]}
        for name, r in ref["components"].items():
            want = crosscheck.reference_component(name, r)
            c = got.get(name, {})
            keys = [2] + ([] if isinstance(r, str) else
                          [k for k, n in ((4, "version"), (5, "signer-id")) if n in r])
            for k in keys:
                if c.get(k) != want.get(k):
                    raise ValueError(f"component {name}: key {k}: {c.get(k)} != {want.get(k)}")
        if "implementation-id" in ref and claims[2396].hex() != ref["implementation-id"]:
            raise ValueError("implementation id")
    except Exception as e:  # any failure is a verdict, not a crash
        print(f"python-check: FAIL: {e}")
        return 1
    print("python-check: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
