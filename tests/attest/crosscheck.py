# SPDX-License-Identifier: Apache-2.0
"""Independent cross-check of Umbra attestation (docs/attestation.md).

Everything here is re-implemented from the document with Debian's
python3-cryptography and python3-cbor2 only: no project code is imported.
Project code only *produces* the tokens checked here (tests/attest
attest-gen, and the committed vectors in tests/vectors/attestation/).

    python3 -m unittest tests/attest/crosscheck.py      (from the top)

Environment: ATTEST_GEN = path of the attest-gen binary (default
build/attest/attest-gen); ATTEST_VECTORS = the vector directory.
"""
import hashlib
import json
import os
import struct
import subprocess
import tempfile
import unittest

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEN = os.environ.get("ATTEST_GEN", os.path.join(TOP, "build", "attest", "attest-gen"))
VECTORS = os.environ.get("ATTEST_VECTORS",
                         os.path.join(TOP, "tests", "vectors", "attestation"))

# P-256 group order (SEC 2)
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
PROFILE = "tag:psacertified.org,2023:psa#tfm"
ENDORSEMENTS_LABEL = -65537


# ---- derivation, from the document ------------------------------------

def hkdf(ikm, salt, info, length=32):
    """HKDF-SHA256; salt None = absent (HashLen zero bytes)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt,
                info=info).derive(ikm)


def derive_scalar(ikm, salt, label):
    for c in range(256):
        k = int.from_bytes(hkdf(ikm, salt, label + bytes([c])), "big")
        if 1 <= k < N:
            return k
    raise ValueError("no valid scalar")


def public_bytes(key):
    return key.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.UncompressedPoint)


def keypair(scalar):
    priv = ec.derive_private_key(scalar, ec.SECP256R1())
    return priv, public_bytes(priv.public_key())


def component_map(ctype, value, signer=bytes(32), version=None):
    m = {1: ctype, 2: value, 5: signer, 6: "sha-256"}
    if version:
        m[4] = version
    return m


def reference_component(ctype, ref):
    """The component map a reference-values entry stands for: a digest in
    hex, or {"value", "signer-id"?, "version"?} (docs/attestation.md)."""
    if isinstance(ref, str):
        return component_map(ctype, bytes.fromhex(ref))
    signer = bytes.fromhex(ref["signer-id"]) if "signer-id" in ref else bytes(32)
    return component_map(ctype, bytes.fromhex(ref["value"]), signer, ref.get("version"))


def layer_measurement(components):
    """SHA-256 of the deterministic CBOR array of component maps."""
    return hashlib.sha256(cbor2.dumps(list(components), canonical=True)).digest()


def implementation_id(board):
    return hashlib.sha256(b"umbra implementation id\x00" + board.encode()).digest()


def extend(reg, digest):
    return hashlib.sha256(reg + digest).digest()


class Derivation:
    """All keys of one device + Umbra + partition, per the document."""

    def __init__(self, uds, umbra_components, partition_components):
        self.uds = uds
        self.m_umbra = layer_measurement(umbra_components)
        self.m_part = layer_measurement(partition_components)
        self.ek_scalar = derive_scalar(uds, None, b"umbra endorsement key")
        self.ek, self.ek_pub = keypair(self.ek_scalar)
        self.cdi = hkdf(uds, self.m_umbra, b"umbra cdi")
        self.ak_scalar = derive_scalar(self.cdi, None, b"umbra alias key")
        self.ak, self.ak_pub = keypair(self.ak_scalar)
        self.cdi_p = hkdf(self.cdi, self.m_part, b"umbra partition cdi")
        self.pak_scalar = derive_scalar(self.cdi_p, None,
                                        b"umbra partition attestation key")
        self.pak, self.pak_pub = keypair(self.pak_scalar)
        self.instance_id = b"\x01" + hashlib.sha256(self.ek_pub).digest()

    def seal_key(self, label):
        return hkdf(self.cdi_p, None, b"umbra sealing key\x00" + label)


# ---- verification, from the document ----------------------------------

def verify_sign1(data, pub_bytes):
    """Decode a tagged COSE_Sign1, check ES256 over Sig_structure; returns
    (protected map, unprotected map, payload bytes). Raises on failure."""
    obj = cbor2.loads(data)
    if not isinstance(obj, cbor2.CBORTag) or obj.tag != 18:
        raise ValueError("not a tagged COSE_Sign1")
    protected, unprotected, payload, sig = obj.value
    if cbor2.loads(protected) != {1: -7}:
        raise ValueError("protected header is not {1: -7}")
    if len(sig) != 64:
        raise ValueError("signature is not 64 bytes")
    to_be_signed = cbor2.dumps(["Signature1", protected, b"", payload])
    pub = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pub_bytes)
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                               int.from_bytes(sig[32:], "big"))
    pub.verify(der, to_be_signed, ec.ECDSA(hashes.SHA256()))
    return cbor2.loads(protected), unprotected, payload


def verify_token(token, ek_pub, nonce):
    """Chain EK -> alias -> partition key -> token; returns the claims and
    the endorsed measurements. Raises on any failure."""
    _, unprotected, payload = verify_sign1_unchecked(token)
    alias_end, part_end = unprotected[ENDORSEMENTS_LABEL]
    _, _, ap = verify_sign1(alias_end, ek_pub)
    alias = cbor2.loads(ap)
    if alias[1] != "umbra-alias":
        raise ValueError("alias endorsement role")
    _, _, pp = verify_sign1(part_end, alias[2])
    part = cbor2.loads(pp)
    if part[1] != "umbra-partition":
        raise ValueError("partition endorsement role")
    verify_sign1(token, part[2])
    claims = cbor2.loads(payload)
    if claims[265] != PROFILE:
        raise ValueError("profile")
    if claims[10] != nonce:
        raise ValueError("nonce")
    if claims[256] != b"\x01" + hashlib.sha256(ek_pub).digest():
        raise ValueError("instance id")
    comps = claims[2399]
    umbra = [c for c in comps if c[1].startswith("umbra/")]
    partition = [c for c in comps if c[1].startswith("partition/")]
    if layer_measurement(umbra) != alias[3]:
        raise ValueError("umbra measurement")
    if layer_measurement(partition) != part[3]:
        raise ValueError("partition measurement")
    return claims, alias, part


def verify_sign1_unchecked(data):
    obj = cbor2.loads(data)
    if not isinstance(obj, cbor2.CBORTag) or obj.tag != 18:
        raise ValueError("not a tagged COSE_Sign1")
    protected, unprotected, payload, _ = obj.value
    return protected, unprotected, payload


def sha256(data):
    return hashlib.sha256(data).digest()


# ---- the configuration's canonical form, from the document -------------

def fdt_tree(blob):
    """A DTB's structure block as nested (name, [(prop, bytes)], [children])
    tuples, read with struct only (FDT tokens: BEGIN_NODE 1, END_NODE 2,
    PROP 3, NOP 4, END 9)."""
    magic, total, off_struct, off_strings = struct.unpack_from(">IIII", blob, 0)
    if magic != 0xD00DFEED or total > len(blob):
        raise ValueError("not a DTB")
    strings = blob[off_strings:]
    pos = off_struct
    stack, root = [], None
    while True:
        (tok,) = struct.unpack_from(">I", blob, pos)
        pos += 4
        if tok == 1:
            end = blob.index(b"\0", pos)
            node = (blob[pos:end].decode("ascii"), [], [])
            pos = (end + 4) & ~3
            if stack:
                stack[-1][2].append(node)
            else:
                root = node
            stack.append(node)
        elif tok == 2:
            stack.pop()
        elif tok == 3:
            length, nameoff = struct.unpack_from(">II", blob, pos)
            pos += 8
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode("ascii")
            stack[-1][1].append((name, bytes(blob[pos:pos + length])))
            pos = (pos + length + 3) & ~3
        elif tok == 4:
            continue
        elif tok == 9:
            return root
        else:
            raise ValueError("bad FDT token %d" % tok)


def config_canonical(blob, partition=None):
    """The canonical form of /umbra (or of its partition node) as bytes."""
    umbra = [n for n in fdt_tree(blob)[2] if n[0].split("@")[0] == "umbra"][0]

    def compatible(node):
        return dict(node[1]).get("compatible", b"").split(b"\0")

    if b"umbra,config-v1" not in compatible(umbra):
        raise ValueError("no umbra,config-v1")
    top, top_name = umbra, ""
    if partition is not None:
        top = [n for n in umbra[2] if n[0] == partition and
               b"umbra,partition" in compatible(n)][0]
        top_name = partition

    def enc(node, name, root):
        left_out = {"phandle", "linux,phandle"} | ({"console-colour"} if root else set())
        props = {k: v for k, v in node[1] if k not in left_out}
        return [name, props, [enc(c, c[0], False) for c in node[2]]]

    return cbor2.dumps(enc(top, top_name, partition is None), canonical=True)


def source_digest(src, base):
    """TYPE=SOURCE sources as the tools take them."""
    if src.startswith("text:"):
        return sha256(src[5:].encode())
    if src.startswith("hex:"):
        return bytes.fromhex(src[4:])
    if src.startswith("config:") or src.startswith("config/"):
        part, path = (None, src[7:]) if src[6] == ":" else src[7:].split(":", 1)
        with open(os.path.join(base, path), "rb") as f:
            return sha256(config_canonical(f.read(), part))
    with open(os.path.join(base, src), "rb") as f:
        return sha256(f.read())


# ---- tests --------------------------------------------------------------

class VectorCrossCheck(unittest.TestCase):
    """The committed vectors, recomputed independently."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(VECTORS, "inputs.json")) as f:
            cls.inputs = json.load(f)

    def load(self, name):
        with open(os.path.join(VECTORS, name), "rb") as f:
            return f.read()

    def check_set(self, vec):
        inp = self.inputs
        uds = bytes.fromhex(self.load(inp["uds"]).decode().strip())
        versions = vec.get("versions", {})

        def comps(specs):
            out = []
            for spec in specs:
                ctype, src = spec.split("=", 1)
                out.append(component_map(ctype, source_digest(src, VECTORS),
                                         version=versions.get(ctype)))
            return out

        umbra, part = comps(inp["umbra"]), comps(inp["partition"])
        d = Derivation(uds, umbra, part)
        exp = json.loads(self.load(vec["json"]))

        self.assertEqual(exp["uds"], uds.hex())
        self.assertEqual(exp["umbra-measurement"], d.m_umbra.hex())
        self.assertEqual(exp["partition-measurement"], d.m_part.hex())
        self.assertEqual(exp["cdi"], d.cdi.hex())
        self.assertEqual(exp["partition-cdi"], d.cdi_p.hex())
        for key, scalar, pub in (("endorsement-key", d.ek_scalar, d.ek_pub),
                                 ("alias-key", d.ak_scalar, d.ak_pub),
                                 ("partition-key", d.pak_scalar, d.pak_pub)):
            self.assertEqual(exp[key]["private"], "%064x" % scalar, key)
            self.assertEqual(exp[key]["public"], pub.hex(), key)
        self.assertEqual(exp["instance-id"], d.instance_id.hex())
        self.assertEqual(exp["implementation-id"], implementation_id(inp["board"]).hex())
        for label, key in exp["sealing-keys"].items():
            self.assertEqual(key, d.seal_key(label.encode()).hex(), label)
        self.assertEqual(set(exp["sealing-keys"]), set(inp["seal"]))

        regs = [bytes(32)] * 4
        for spec in inp["extend"]:
            idx, src = spec.split("=", 1)
            regs[int(idx)] = extend(regs[int(idx)], source_digest(src, VECTORS))
        self.assertEqual(exp["runtime-registers"], [r.hex() for r in regs])

        # the EK file is the key the derivation gives
        ek_file = serialization.load_pem_public_key(self.load(inp["ek"]))
        self.assertEqual(public_bytes(ek_file), d.ek_pub)

        token = self.load(vec["token"])
        self.assertEqual(exp["token-sha256"], sha256(token).hex())
        nonce = bytes.fromhex(vec["nonce"])
        claims, alias, partend = verify_token(token, d.ek_pub, nonce)
        self.assertEqual(alias[2], d.ak_pub)
        self.assertEqual(partend[2], d.pak_pub)
        self.assertEqual(alias[3], d.m_umbra)
        self.assertEqual(partend[3], d.m_part)
        self.assertEqual(bytes.fromhex(exp["alias-endorsement"]),
                         cbor2.loads(token).value[1][ENDORSEMENTS_LABEL][0])
        self.assertEqual(claims[2396], implementation_id(inp["board"]))
        self.assertEqual(claims[2394], vec["client-id"])
        self.assertEqual(claims[2395], int(vec["lifecycle"], 0))
        if "boot-seed" in vec:
            self.assertEqual(claims[268], bytes.fromhex(vec["boot-seed"]))
        else:
            self.assertNotIn(268, claims)
        expected_comps = umbra + part + [
            component_map("runtime/%d" % i, r) for i, r in enumerate(regs)]
        self.assertEqual(claims[2399], expected_comps)
        # the payload is deterministic CBOR: re-encoding gives the same bytes
        payload = cbor2.loads(token).value[2]
        self.assertEqual(cbor2.dumps(claims, canonical=True), payload)
        # and so is the whole token apart from the signature value
        self.assertEqual(token[:1], b"\xd2")

        # the reference file lists exactly the measured components
        ref = json.loads(self.load(inp["reference"]))
        for c in umbra + part:
            self.assertEqual(ref["components"][c[1]], c[2].hex())
        self.assertEqual(ref["implementation-id"], implementation_id(inp["board"]).hex())

    def test_vectors(self):
        for vec in self.inputs["sets"]:
            with self.subTest(token=vec["token"]):
                self.check_set(vec)


class ConfigCrossCheck(unittest.TestCase):
    """umbra/config and partition/config of the build's DTBs: the project's
    code (umbra-provision) against the reading of the document above."""

    def test_build_dtbs(self):
        build = os.environ.get("ATTEST_BUILD", os.path.join(TOP, "build"))
        prov = os.path.join(build, "tools", "umbra-provision")
        dtbs = [os.path.join(build, d, f) for d in ("dt", "systest")
                if os.path.isdir(os.path.join(build, d))
                for f in sorted(os.listdir(os.path.join(build, d))) if f.endswith(".dtb")]

        def has_config(path):
            with open(path, "rb") as f:
                return b"umbra,config-v1" in f.read()

        dtbs = [d for d in dtbs if has_config(d)]
        if not os.path.exists(prov) or not dtbs:
            self.skipTest("no umbra-provision or no DTBs with a config in " + build)
        checked = 0
        for dtb in dtbs:
            with open(dtb, "rb") as f:
                blob = f.read()
            parts = [n[0] for u in fdt_tree(blob)[2] if u[0] == "umbra" for n in u[2]
                     if b"umbra,partition" in dict(n[1]).get("compatible", b"")]
            for part in parts:
                with self.subTest(dtb=os.path.basename(dtb), partition=part), \
                        tempfile.TemporaryDirectory() as tmp:
                    out = os.path.join(tmp, "ref.json")
                    subprocess.run([prov, "reference", "-o", out, "--dtb", dtb,
                                    "--partition", part], check=True)
                    with open(out) as f:
                        ref = json.load(f)["components"]
                    self.assertEqual(ref["umbra/config"], sha256(config_canonical(blob)).hex())
                    self.assertEqual(ref["partition/config"],
                                     sha256(config_canonical(blob, part)).hex())
                    checked += 1
        self.assertGreater(checked, 10)


class FreshTokenCrossCheck(unittest.TestCase):
    """Tokens from the project's code for random inputs, checked here."""

    def gen(self, tmp, uds, nonce, extra):
        tok = os.path.join(tmp, "t.cbor")
        udsf = os.path.join(tmp, "uds.hex")
        with open(udsf, "w") as f:
            f.write(uds.hex())
        subprocess.run([GEN, "--uds", udsf, "--board", "test-board", "--nonce",
                        nonce.hex(), "--token", tok] + extra, check=True)
        with open(tok, "rb") as f:
            return f.read()

    def test_random(self):
        for nlen in (32, 48, 64):
            with self.subTest(nonce_len=nlen), tempfile.TemporaryDirectory() as tmp:
                uds, nonce = os.urandom(32), os.urandom(nlen)
                img = os.urandom(100).hex()
                extra = ["--umbra", "umbra/image=text:" + img,
                         "--umbra", "umbra/config=text:cfg",
                         "--partition", "partition/image=text:p" + img,
                         "--version", "umbra/image=9.9",
                         "--client-id", "-3", "--lifecycle", "0x4001",
                         "--extend", "2=text:x", "--extend", "2=text:y"]
                if nlen == 48:
                    extra += ["--boot-seed", os.urandom(8).hex()]
                token = self.gen(tmp, uds, nonce, extra)
                umbra = [component_map("umbra/image", sha256(img.encode()), version="9.9"),
                         component_map("umbra/config", sha256(b"cfg"))]
                part = [component_map("partition/image", sha256(("p" + img).encode()))]
                d = Derivation(uds, umbra, part)
                claims, alias, partend = verify_token(token, d.ek_pub, nonce)
                self.assertEqual(partend[2], d.pak_pub)
                self.assertEqual(claims[2394], -3)
                self.assertEqual(claims[2395], 0x4001)
                r2 = extend(extend(bytes(32), sha256(b"x")), sha256(b"y"))
                self.assertEqual(claims[2399][5][2], r2)
                self.assertEqual(claims[2399][5][1], "runtime/2")
                self.assertEqual(claims[2399][:3], umbra + part)
                # deterministic: the same inputs give the same bytes
                self.assertEqual(token, self.gen(tmp, uds, nonce, extra))

    def test_wrong_key_rejected(self):
        with tempfile.TemporaryDirectory() as tmp:
            uds, nonce = os.urandom(32), os.urandom(32)
            token = self.gen(tmp, uds, nonce, ["--partition", "partition/a=text:a"])
            other = Derivation(os.urandom(32), [], [])
            with self.assertRaises(InvalidSignature):
                verify_token(token, other.ek_pub, nonce)
            d = Derivation(uds, [], [component_map("partition/a", sha256(b"a"))])
            verify_token(token, d.ek_pub, nonce)
            with self.assertRaises(ValueError):
                verify_token(token, d.ek_pub, bytes(32))

    def test_changed_image_changes_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            uds, nonce = os.urandom(32), os.urandom(32)
            t1 = self.gen(tmp, uds, nonce, ["--partition", "partition/a=text:v1"])
            t2 = self.gen(tmp, uds, nonce, ["--partition", "partition/a=text:v2"])
            d = Derivation(uds, [], [component_map("partition/a", sha256(b"v1"))])
            _, _, p1 = verify_token(t1, d.ek_pub, nonce)
            _, _, p2 = verify_token(t2, d.ek_pub, nonce)
            self.assertNotEqual(p1[2], p2[2])
            self.assertEqual(p1[2], d.pak_pub)


if __name__ == "__main__":
    unittest.main()
