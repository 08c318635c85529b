# SPDX-License-Identifier: Apache-2.0
"""Generate the fixed attestation vectors from their inputs.

    gen_vectors.py OUTDIR [--gen build/attest/attest-gen]
                          [--provision build/tools/umbra-provision]

Reads tests/vectors/attestation/inputs.json (and the files it names) and
writes into OUTDIR: ek.pem and reference.json (umbra-provision), and per
set a token and its JSON record of intermediate values (attest-gen, the
monitor's code on the host). ECDSA is deterministic (RFC 6979), so the
output is byte-for-byte reproducible: test_vectors.py regenerates into a
temporary directory and compares; `make attest-vectors-update` writes
into tests/vectors/attestation/ itself.
"""
import argparse
import json
import os
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VECTORS = os.path.join(TOP, "tests", "vectors", "attestation")


def outputs(inputs):
    """Every file the generator writes (relative to OUTDIR)."""
    names = [inputs["ek"], inputs["reference"]]
    for s in inputs["sets"]:
        names += [s["token"], s["json"]]
    return names


def load_inputs():
    with open(os.path.join(VECTORS, "inputs.json")) as f:
        return json.load(f)


def source(spec):
    """A component spec of inputs.json as the tools take it: TYPE=FILE,
    TYPE=config:FILE and TYPE=config/NAME:FILE name files in the vector
    directory."""
    ctype, s = spec.split("=", 1)
    if s.startswith("text:") or s.startswith("hex:"):
        return spec
    if s.startswith("config:") or s.startswith("config/"):
        how, f = s.split(":", 1)
        return ctype + "=" + how + ":" + os.path.join(VECTORS, f)
    return ctype + "=" + os.path.join(VECTORS, s)


def generate(outdir, gen, provision):
    inp = load_inputs()
    os.makedirs(outdir, exist_ok=True)
    uds = os.path.join(VECTORS, inp["uds"])

    src = source

    def run(argv):
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)

    run([provision, "show", "--uds", uds, "--ek", os.path.join(outdir, inp["ek"])])
    ref = [provision, "reference", "-o", os.path.join(outdir, inp["reference"]),
           "--board", inp["board"]]
    for lc in inp["reference-lifecycle"]:
        ref += ["--lifecycle", lc]
    run(ref + [src(c) for c in inp["umbra"] + inp["partition"]])

    for s in inp["sets"]:
        argv = [gen, "--uds", uds, "--board", inp["board"], "--nonce", s["nonce"],
                "--client-id", str(s["client-id"]), "--lifecycle", s["lifecycle"],
                "--token", os.path.join(outdir, s["token"]),
                "--json", os.path.join(outdir, s["json"])]
        if "boot-seed" in s:
            argv += ["--boot-seed", s["boot-seed"]]
        for c in inp["umbra"]:
            argv += ["--umbra", src(c)]
        for c in inp["partition"]:
            argv += ["--partition", src(c)]
        for t, v in s.get("versions", {}).items():
            argv += ["--version", t + "=" + v]
        for e in inp["extend"]:
            argv += ["--extend", e]
        for label in inp["seal"]:
            argv += ["--seal", label]
        run(argv)
    return outputs(inp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--gen", default=os.path.join(TOP, "build", "attest", "attest-gen"))
    ap.add_argument("--provision",
                    default=os.path.join(TOP, "build", "tools", "umbra-provision"))
    a = ap.parse_args()
    for name in generate(a.outdir, a.gen, a.provision):
        print(os.path.join(a.outdir, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
