#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Print the fixed-base comb table of hyp/attest/p256.c.

Entry d - 1 (d = 1..15) is the affine point
    sum over j = 0..3 of bit j of d times 2^(64 j) times G
of NIST P-256, its x and y in Montgomery form (times 2^256 mod p), each
as four 64-bit limbs, least significant first. Paste the output over the
table in p256.c; tests/unit/test_p256.c checks every entry against
BearSSL through p256_mulgen.
"""

P = 2**256 - 2**224 + 2**192 + 2**96 - 1
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5


def add(a, b):
    """Affine addition (no point at infinity occurs here)."""
    (x1, y1), (x2, y2) = a, b
    if x1 == x2:
        lam = (3 * x1 * x1 - 3) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return x3, (lam * (x1 - x3) - y1) % P


def mul(k, pt):
    acc = None
    for i in reversed(range(k.bit_length())):
        acc = add(acc, acc) if acc else None
        if (k >> i) & 1:
            acc = add(acc, pt) if acc else pt
    return acc


def limbs(v):
    v = v * 2**256 % P
    return ", ".join("0x%016x" % ((v >> (64 * i)) & (2**64 - 1)) for i in range(4))


def main():
    for d in range(1, 16):
        k = sum(((d >> j) & 1) << (64 * j) for j in range(4))
        x, y = mul(k, (GX, GY))
        print("\t{ { %s }," % limbs(x))
        print("\t  { %s } }," % limbs(y))


if __name__ == "__main__":
    main()
