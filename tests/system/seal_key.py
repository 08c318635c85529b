#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The sealing key a partition should get, computed on the host from the
device secret and reference values alone (docs/attestation.md, "Key
derivation"; through tests/attest/crosscheck.py: python3-cryptography and
cbor2 only, no project code). The layers are the reference's umbra/ and
partition/ components in the order the file lists them, which is the
token's order when umbra-provision wrote it.

    seal_key.py UDS_FILE REFERENCE.json LABEL      prints the key in hex
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "attest"))
import crosscheck  # noqa: E402


def main():
    uds_path, ref_path, label = sys.argv[1:4]
    with open(uds_path, "rb") as f:
        uds = f.read()
    if len(uds) != 32:
        uds = bytes.fromhex(uds.decode())
    with open(ref_path) as f:
        comps = json.load(f)["components"]
    umbra = [crosscheck.reference_component(t, v)
             for t, v in comps.items() if t.startswith("umbra/")]
    part = [crosscheck.reference_component(t, v)
            for t, v in comps.items() if t.startswith("partition/")]
    d = crosscheck.Derivation(uds, umbra, part)
    print(d.seal_key(label.encode()).hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
