#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vecgen: compile Umbra verification vectors into the test guest's table.

    vecgen.py [--abi guest/lib/umbra_abi.h] -o vectors.c FILE.vec...

Reads the .vec files (format: tests/vectors/README.md) in the order given
and writes a C file defining vec_table, vec_count, vec_names and vec_pool
(tests/guest/vector.h). Names from the ABI header (#define UMBRA_*, SMCCC_*,
PSCI_*) can be used in expressions. Errors are reported as
"file:line: error: message", all of them, and nothing is written. The output
is only rewritten when its contents change.
"""

import argparse
import difflib
import os
import re
import sys

U64 = (1 << 64) - 1
MAX_ARGS = 6
MAX_NAME = 64
MAX_BUF = 1 << 20

# Names resolved by the guest at run time (enum vec_sym in vector.h).
RUNTIME = {
    "ram_base": "VEC_SYM_RAM_BASE",
    "ram_end": "VEC_SYM_RAM_END",
    "ram_size": "VEC_SYM_RAM_SIZE",
    "gicd": "VEC_SYM_GICD",
    "gicr": "VEC_SYM_GICR",
    "uart": "VEC_SYM_UART",
    "dtb": "VEC_SYM_DTB",
}
BUF_SYM = "VEC_SYM_BUF"
KEYWORDS = {"define", "buf", "len", "ok", "abort", "ret", "value",
            "hvc", "smc", "read", "write"}

OPS = {"hvc": ("VEC_HVC", 0), "smc": ("VEC_SMC", 0)}
for _w in (8, 16, 32, 64):
    OPS["read%d" % _w] = ("VEC_READ", _w // 8)
    OPS["write%d" % _w] = ("VEC_WRITE", _w // 8)
OPS["read"] = ("VEC_READ", 8)
OPS["write"] = ("VEC_WRITE", 8)

NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NUMBER_RE = re.compile(r"0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"'}


class VecError(Exception):
    """An error in an input file, at a file:line."""

    def __init__(self, msg, where=None):
        super().__init__(msg)
        self.msg = msg
        self.where = where

    def __str__(self):
        return "%s: error: %s" % (self.where, self.msg) if self.where else self.msg


class Value:
    """A number, or a run-time symbol plus a constant offset."""

    __slots__ = ("sym", "off", "size")

    def __init__(self, off, sym=None, size=None):
        self.off = off
        self.sym = sym    # None, a RUNTIME key, or "buf"
        self.size = size  # a whole buffer (buf:...): its length, for len:

    @property
    def const(self):
        return self.sym is None


def fmt_num(v):
    return ("-0x%x" % -v) if v < 0 else ("0x%x" % v)


def check_u64(v, text):
    if not -(1 << 63) <= v <= U64:
        raise VecError("'%s' = %s does not fit in 64 bits" % (text, fmt_num(v)))
    return v & U64


def decode_string(lit):
    """The bytes of a "..." literal (quotes included): UTF-8 text with the
    escapes \\n \\t \\r \\0 \\\\ \\" and \\xHH (one raw byte)."""
    out, i, body = bytearray(), 0, lit[1:-1]
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1] if i + 1 < len(body) else ""
        if e in ESCAPES and e:
            out += ESCAPES[e].encode()
            i += 2
        elif e == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", body[i + 2:i + 4]):
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        else:
            raise VecError("bad escape '\\%s' in %s (use \\n \\t \\r \\0 "
                           "\\\\ \\\" or \\xHH)" % (body[i + 1:i + 2], lit))
    return bytes(out)


def split_line(text):
    """Whitespace-separated tokens up to a '#' comment. "..." strings may
    hold spaces and '#'; they stay part of their token."""
    tokens, cur, i = [], None, 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            if cur is not None:
                tokens.append(cur)
                cur = None
            i += 1
        elif c == "#":
            break
        elif c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= len(text):
                raise VecError("unterminated string: %s" % text[i:].rstrip())
            cur = (cur or "") + text[i:j + 1]
            i = j + 1
        else:
            cur = (cur or "") + c
            i += 1
    if cur is not None:
        tokens.append(cur)
    return tokens


class Scope:
    """Names an expression can use: the ABI header, then a file's defines."""

    def __init__(self, abi, buffers):
        self.abi = abi            # name -> (int or None, where, text)
        self.local = {}           # name -> (Value, where)
        self.buffers = buffers    # the shared Pool

    def lookup(self, name):
        if name in RUNTIME:
            return Value(0, name)
        if name in self.local:
            v = self.local[name][0]
            return Value(v.off, v.sym, v.size)
        if name in self.abi:
            val, where, text = self.abi[name]
            if val is None:
                raise VecError("%s (%s) is '%s', which vecgen cannot evaluate"
                               % (name, where, text))
            return Value(val)
        known = list(RUNTIME) + list(self.local) + list(self.abi)
        near = difflib.get_close_matches(name, known, n=1)
        hint = " (did you mean '%s'?)" % near[0] if near else ""
        raise VecError("unknown name '%s'%s" % (name, hint))


class Pool:
    """Buffers placed in guest memory (vec_pool)."""

    def __init__(self):
        self.data = bytearray()

    def add(self, content):
        while len(self.data) % 16:
            self.data.append(0)
        off = len(self.data)
        self.data += content + b"\0"
        return off


class Expr:
    """Recursive-descent parser for one expression token (C operators and
    precedence, no spaces): numbers, names, buf:/len: literals, unary
    - ~ +, * / %, + -, << >>, &, ^, |, parentheses."""

    BINARY = [("|",), ("^",), ("&",), ("<<", ">>"), ("+", "-"), ("*", "/", "%")]

    def __init__(self, text, scope):
        self.text = text
        self.scope = scope
        self.pos = 0

    def parse(self):
        if not self.text:
            raise VecError("empty expression")
        v = self.binary(0)
        if self.pos != len(self.text):
            raise VecError("unexpected '%s' in '%s'" % (self.text[self.pos:], self.text))
        return v

    def peek(self, s):
        return self.text.startswith(s, self.pos)

    def binary(self, level):
        if level == len(self.BINARY):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            op = next((o for o in self.BINARY[level] if self.peek(o)), None)
            if op is None:
                return left
            self.pos += len(op)
            right = self.binary(level + 1)
            left = self.apply(op, left, right)

    def apply(self, op, a, b):
        if op == "+" and (a.const or b.const):
            return Value(a.off + b.off, a.sym or b.sym)
        if op == "-" and b.const:
            return Value(a.off - b.off, a.sym)
        if not (a.const and b.const):
            self.runtime_error(a, b)
        x, y = a.off, b.off
        if op in ("/", "%"):
            if y == 0:
                raise VecError("division by zero in '%s'" % self.text)
            q = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)
            return Value(q if op == "/" else x - q * y)
        if op in ("<<", ">>"):
            if not 0 <= y < 64:
                raise VecError("shift by %d in '%s' (must be 0..63)" % (y, self.text))
            return Value(x << y if op == "<<" else x >> y)
        return Value({"|": x | y, "^": x ^ y, "&": x & y, "+": x + y,
                      "-": x - y, "*": x * y}[op])

    def runtime_error(self, *vals):
        sym = next(v.sym for v in vals if v.sym)
        what = "a buffer address" if sym == "buf" else "'%s'" % sym
        raise VecError("%s is only known at run time: it can only be offset by "
                       "a constant with + or - (in '%s')" % (what, self.text))

    def unary(self):
        for op in ("-", "~", "+"):
            if self.peek(op):
                self.pos += 1
                v = self.unary()
                if op == "+":
                    return v
                if not v.const:
                    self.runtime_error(v)
                return Value(-v.off if op == "-" else ~v.off)
        return self.primary()

    def string(self):
        if not self.peek('"'):
            return None
        j = self.pos + 1
        while j < len(self.text) and self.text[j] != '"':
            j += 2 if self.text[j] == "\\" else 1
        lit = self.text[self.pos:j + 1]
        self.pos = j + 1
        return decode_string(lit)

    def primary(self):
        t = self.text
        if self.peek("("):
            self.pos += 1
            v = self.binary(0)
            if not self.peek(")"):
                raise VecError("missing ')' in '%s'" % t)
            self.pos += 1
            return v
        m = NUMBER_RE.match(t, self.pos)
        if m:
            self.pos = m.end()
            if self.pos < len(t) and (t[self.pos].isalnum() or t[self.pos] == "_"):
                raise VecError("bad number '%s' in '%s'" % (
                    t[m.start():self.pos + 1], t))
            digits = m.group().replace("_", "")
            try:
                return Value(int(digits, 0) if digits[:2].lower() in ("0x", "0b")
                             else int(digits, 10))
            except ValueError:
                raise VecError("bad number '%s' in '%s'" % (m.group(), t)) from None
        m = IDENT_RE.match(t, self.pos)
        if m:
            self.pos = m.end()
            name = m.group()
            if name in ("buf", "len") and self.peek(":"):
                self.pos += 1
                return self.buf_or_len(name)
            if name in ("buf", "len"):
                raise VecError("'%s' needs a ':', e.g. %s:\"hello\\n\"" % (name, name))
            return self.scope.lookup(name)
        if self.pos >= len(t):
            raise VecError("expression '%s' is incomplete (write expressions "
                           "without spaces, e.g. ram_end-4)" % t)
        raise VecError("unexpected '%s' in '%s'" % (t[self.pos], t))

    def buf_or_len(self, kind):
        s = self.string()
        if kind == "len":
            if s is not None:
                return Value(len(s))
            start = self.pos
            v = self.primary()
            if v.size is None:
                raise VecError("len: takes a string or the name of a buffer, e.g. "
                               "len:\"hello\\n\" or len:msg after 'define msg "
                               "buf:\"hello\\n\"' (not '%s')" % self.text[start:self.pos])
            return Value(v.size)
        if s is None:
            size = self.unary()
            if not size.const:
                self.runtime_error(size)
            if not 0 <= size.off <= MAX_BUF:
                raise VecError("buffer size %d in '%s' is not within 0..%d"
                               % (size.off, self.text, MAX_BUF))
            s = (b"." * (size.off - 1) + b"\n") if size.off else b""
        return Value(self.scope.buffers.add(s), "buf", len(s))


def evaluate(text, scope):
    return Expr(text, scope).parse()


def operand(text, scope):
    """An expression whose value (or offset) must fit in 64 bits; negative
    values become their two's complement."""
    v = evaluate(text, scope)
    v.off = check_u64(v.off, text)
    return v


def parse_abi(path):
    """The integer #defines of the ABI header: name -> (value or None, where,
    text). Values that are not plain integer expressions are kept as None
    and only reported if a vector uses them."""
    names = {}
    scope = Scope(names, Pool())
    rel = os.path.relpath(path)
    path = rel if not rel.startswith("..") else os.path.normpath(path)
    define = re.compile(r"\s*#\s*define\s+((?:UMBRA|SMCCC|PSCI)_\w*)[ \t]+(.*)$")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", lambda m: " " * len(m.group()) if "\n" not in m.group()
                  else "\n" * m.group().count("\n"), text, flags=re.S)
    for lineno, line in enumerate(text.split("\n"), 1):
        m = define.match(line)
        if not m:
            continue
        name, body = m.group(1), m.group(2).split("//")[0].strip()
        if not body:
            continue
        where = "%s:%d" % (path, lineno)
        expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]+\b", r"\1", body)
        try:
            v = evaluate(expr.replace(" ", ""), scope)
            names[name] = (v.off if v.const else None, where, body)
        except VecError:
            names[name] = (None, where, body)
    return names


class Vector:
    def __init__(self, name, where, source):
        self.name = name
        self.where = where
        self.source = source
        self.op = None
        self.width = 0
        self.fid = 0
        self.args = []
        self.expect = None
        self.want = {}            # register number -> Value
        self.show_ret = False
        self.opname = None


def parse_call(vec, operands, scope):
    if not operands:
        raise VecError("%s needs a function ID" % vec.opname)
    fid = evaluate(operands[0], scope)
    if not fid.const or not 0 <= fid.off <= 0xFFFFFFFF:
        raise VecError("function ID '%s' must be a number in 0..0xffffffff"
                       % operands[0])
    if len(operands) - 1 > MAX_ARGS:
        raise VecError("%s takes at most %d arguments after the function ID, "
                       "got %d" % (vec.opname, MAX_ARGS, len(operands) - 1))
    vec.fid = fid.off
    vec.args = [operand(a, scope) for a in operands[1:]]


def check_aligned(value, width, text):
    if value.off % width:
        raise VecError("address '%s' is not %d-byte aligned: with the MMU off "
                       "an unaligned access faults" % (text, width))


def parse_probe(vec, operands, scope):
    write = vec.op == "VEC_WRITE"
    most = 2 if write else 1
    if not operands or len(operands) > most:
        raise VecError("%s takes an address%s" % (
            vec.opname, " and an optional value" if write else " only"))
    addr = operand(operands[0], scope)
    check_aligned(addr, vec.width, operands[0])
    vec.args = [addr]
    if write:
        val = evaluate(operands[1], scope) if len(operands) > 1 else Value(0)
        bits = vec.width * 8
        if val.const and not -(1 << (bits - 1)) <= val.off < (1 << bits):
            raise VecError("value '%s' does not fit in %d bits" % (operands[1], bits))
        if val.const:
            val = Value(val.off & ((1 << bits) - 1))
        vec.args.append(val)


def parse_expect(vec, tokens, scope):
    call = vec.op in ("VEC_HVC", "VEC_SMC")
    seen = {}
    for tok in tokens:
        key, eq, text = tok.partition("=")
        if key in seen:
            raise VecError("'%s' is given twice" % key)
        seen[key] = True
        if not eq:
            if key not in ("ok", "abort"):
                raise VecError("unknown expectation '%s' (expected ok, abort, "
                               "ret=, x0=..x3= or value=, with no spaces around "
                               "'=')" % tok)
            if key == "abort" and call:
                raise VecError("'abort' only applies to read/write probes; "
                               "use ret=... or ok for a call")
            continue
        if key in ("ret", "x0", "x1", "x2", "x3"):
            if not call:
                raise VecError("'%s=' only applies to hvc/smc; a probe expects "
                               "ok, abort or value=" % key)
            reg = 0 if key == "ret" else int(key[1])
            if reg in vec.want:
                raise VecError("ret= and x0= both check x0")
            vec.show_ret |= key == "ret"
        elif key == "value":
            if vec.op != "VEC_READ":
                raise VecError("'value=' only applies to reads")
            reg = 0
        else:
            raise VecError("unknown expectation '%s=' (expected ret=, x0=..x3= "
                           "or value=)" % key)
        if not text:
            raise VecError("'%s=' has no value (no spaces around '=')" % key)
        v = operand(text, scope)
        if v.const:
            if call and not vec.fid & 0x40000000 and \
                    not (v.off <= 0xFFFFFFFF or v.off >= U64 - 0x7FFFFFFF):
                raise VecError("function 0x%x is an SMC32/HVC32 call with 32-bit "
                               "results: %s can never match" % (vec.fid, tok))
        vec.want[reg] = v

    if "abort" in seen and len(seen) > 1:
        raise VecError("'abort' cannot be combined with other expectations")
    if call and "ok" in seen and vec.want:
        raise VecError("'ok' means any result: drop it or the register checks")
    if vec.op == "VEC_WRITE" and "abort" not in seen and "ok" not in seen:
        raise VecError("a write expects ok or abort")
    vec.expect = ("VEC_EXPECT_ABORT" if "abort" in seen else
                  "VEC_EXPECT_OK" if "ok" in seen or not call else
                  "VEC_EXPECT_RESULT")


def parse_file(path, abi, pool, names, errors):
    """Vectors of one file; errors are appended, not raised."""
    scope = Scope(abi, pool)
    vectors = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for lineno, line in enumerate(lines, 1):
        where = "%s:%d" % (path, lineno)
        try:
            tokens = split_line(line)
            if not tokens:
                continue
            if tokens[0] == "define":
                parse_define(tokens, scope, where)
                continue
            vec = parse_vector(tokens, scope, where, line.strip())
            if vec.name in names:
                raise VecError("duplicate vector name '%s' (first at %s)"
                               % (vec.name, names[vec.name]))
            names[vec.name] = where
            vectors.append(vec)
        except VecError as e:
            e.where = e.where or where
            errors.append(e)
    return vectors


def parse_define(tokens, scope, where):
    if len(tokens) != 3:
        raise VecError("expected 'define NAME VALUE'")
    name = tokens[1]
    if not IDENT_RE.fullmatch(name):
        raise VecError("bad name '%s' for define (letters, digits, _)" % name)
    if name in RUNTIME or name in KEYWORDS:
        raise VecError("'%s' is reserved" % name)
    if name in scope.abi:
        raise VecError("'%s' is already defined in %s" % (name, scope.abi[name][1]))
    if name in scope.local:
        raise VecError("'%s' is already defined at %s" % (name, scope.local[name][1]))
    scope.local[name] = (operand(tokens[2], scope), where)


def parse_vector(tokens, scope, where, source):
    name = tokens[0]
    if not NAME_RE.match(name) or len(name) > MAX_NAME:
        raise VecError("bad vector name '%s' (up to %d of A-Z a-z 0-9 _ . -)"
                       % (name, MAX_NAME))
    if "=>" not in tokens:
        raise VecError("missing '=>' between the operation and the expectation")
    arrow = tokens.index("=>")
    if arrow < 2:
        raise VecError("missing operation before '=>' (expected NAME OP ARGS... "
                       "=> EXPECT...)")
    if arrow == len(tokens) - 1:
        raise VecError("nothing expected after '=>'")
    vec = Vector(name, where, source)
    vec.opname = tokens[1]
    if vec.opname not in OPS:
        raise VecError("unknown operation '%s' (expected hvc, smc, read[8|16|32|64] "
                       "or write[8|16|32|64])" % vec.opname)
    vec.op, vec.width = OPS[vec.opname]
    operands = tokens[2:arrow]
    if vec.op in ("VEC_HVC", "VEC_SMC"):
        parse_call(vec, operands, scope)
    else:
        parse_probe(vec, operands, scope)
    parse_expect(vec, tokens[arrow + 1:], scope)
    return vec


def c_val(v):
    sym = "VEC_SYM_NONE" if v.sym is None else BUF_SYM if v.sym == "buf" \
        else RUNTIME[v.sym]
    return "{ 0x%xu, %s, 0 }" % (v.off & U64, sym)


def c_string(b):
    out = []
    for c in b:
        if c in (0x22, 0x5C):
            out.append("\\" + chr(c))
        elif 0x20 <= c < 0x7F and c != 0x3F:  # no '?' (trigraphs)
            out.append(chr(c))
        else:
            out.append("\\%03o" % c)
    return '"' + "".join(out) + '"'


def generate(files, vectors, pool):
    out = ["// SPDX-License-Identifier: Apache-2.0",
           "/* Generated by tools/vecgen.py from %s. Do not edit. */"
           % ", ".join(files),
           '#include "vector.h"',
           "",
           "const uint32_t vec_count = %d;" % len(vectors),
           "",
           "const struct vec vec_table[] = {"]
    names = bytearray()
    for v in vectors:
        name_off = len(names)
        names += v.name.encode() + b"\0"
        check = " | ".join(["VEC_CHECK_X(%d)" % r for r in sorted(v.want)] +
                           (["VEC_SHOW_RET"] if v.show_ret else [])) or "0"
        args = ", ".join(c_val(a) for a in v.args)
        want = ", ".join("[%d] = %s" % (r, c_val(v.want[r])) for r in sorted(v.want))
        source = " ".join(v.source.split()).replace("*/", "* /")
        out.append("\t/* %s: %s */" % (v.where, source))
        out.append("\t{ .name = %d, .fid = 0x%xu, .op = %s, .expect = %s,"
                   % (name_off, v.fid, v.op, v.expect))
        fields = [".nargs = %d, .width = %d, .check = %s"
                  % (len(v.args) if v.op in ("VEC_HVC", "VEC_SMC") else 0,
                     v.width, check)]
        if args:
            fields.append(".args = { %s }" % args)
        if want:
            fields.append(".want = { %s }" % want)
        out.append(",\n".join("\t  " + f for f in fields) + " },")
    if not vectors:
        out.append("\t{ .name = 0 },")
    out.append("};")
    out.append("")
    out.append("const char vec_names[] =")
    chunks = [bytes(names[i:i + 48]) for i in range(0, len(names), 48)] or [b""]
    out += ["\t%s" % c_string(c) for c in chunks]
    out[-1] += ";"
    out.append("")
    data = bytes(pool.data) or b"\0"
    out.append("const unsigned char vec_pool[%d] __attribute__((aligned(16))) = {"
               % len(data))
    for i in range(0, len(data), 12):
        out.append("\t" + " ".join("0x%02x," % b for b in data[i:i + 12]))
    out.append("};")
    return "\n".join(out) + "\n"


def compile_vectors(files, abi_path):
    """(C source, []) on success, (None, [errors]) on failure."""
    errors = []
    try:
        abi = parse_abi(abi_path)
    except OSError as e:
        return None, [VecError("cannot read the ABI header: %s" % e)]
    pool, names, vectors = Pool(), {}, []
    for path in files:
        try:
            vectors += parse_file(path, abi, pool, names, errors)
        except OSError as e:
            errors.append(VecError("cannot read: %s" % e.strerror, path))
        except UnicodeDecodeError:
            errors.append(VecError("not UTF-8 text", path))
    if errors:
        return None, errors
    return generate(files, vectors, pool), []


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", metavar="FILE.vec")
    ap.add_argument("-o", "--output", required=True, help="C file to write")
    ap.add_argument("--abi", default=os.path.join(here, "..", "guest", "lib",
                                                  "umbra_abi.h"),
                    help="the ABI header (default: guest/lib/umbra_abi.h)")
    opts = ap.parse_args(argv)

    src, errors = compile_vectors(opts.files, opts.abi)
    if errors:
        for e in errors[:50]:
            print(e, file=sys.stderr)
        if len(errors) > 50:
            print("vecgen: %d more errors" % (len(errors) - 50), file=sys.stderr)
        return 1
    try:
        with open(opts.output, encoding="utf-8") as f:
            if f.read() == src:
                return 0
    except OSError:
        pass
    tmp = opts.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(src)
    os.replace(tmp, opts.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
