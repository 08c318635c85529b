# SPDX-License-Identifier: Apache-2.0
"""Unit tests for tools/vecgen.py (the verification-vector compiler).

    python3 -m unittest discover -s tests/unit -p 'test_vecgen.py'
"""

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ABI = os.path.join(TOP, "guest", "lib", "umbra_abi.h")

_spec = importlib.util.spec_from_file_location("vecgen", os.path.join(TOP, "tools", "vecgen.py"))
vecgen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vecgen)


class VecgenCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vecgen-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))
        return path

    def compile(self, *texts):
        files = [self.write("t%d.vec" % i, t) for i, t in enumerate(texts)]
        return vecgen.compile_vectors(files, ABI), files

    def good(self, *texts):
        (src, errors), _ = self.compile(*texts)
        self.assertEqual([str(e) for e in errors], [])
        return src

    def bad(self, text, line, fragment):
        """text must fail with one error, at `line`, containing fragment."""
        (src, errors), files = self.compile(text)
        self.assertIsNone(src)
        self.assertEqual(len(errors), 1, [str(e) for e in errors])
        msg = str(errors[0])
        self.assertTrue(msg.startswith("%s:%d: error: " % (files[0], line)), msg)
        self.assertIn(fragment, msg)

    @staticmethod
    def entries(src):
        """The generated table entries, each as one string."""
        body = src.split("const struct vec vec_table[] = {")[1].split("\n};")[0]
        return [e for e in re.split(r"^\t/\* .*\*/$", body, flags=re.M) if ".name" in e]


class TestAbiHeader(unittest.TestCase):
    def test_reads_the_constants(self):
        abi = vecgen.parse_abi(ABI)
        self.assertEqual(abi["UMBRA_HC_VERSION"][0], 0x86000000)
        self.assertEqual(abi["UMBRA_E_BAD_ADDRESS"][0], -4)
        self.assertEqual(abi["PSCI_SYSTEM_OFF"][0], 0x84000008)
        self.assertEqual(abi["SMCCC_OWNER_SHIFT"][0], 24)
        self.assertNotIn("UMBRA_ABI_H", abi)  # the include guard has no value

    def test_unevaluable_define_is_reported_when_used(self):
        d = tempfile.mkdtemp()
        try:
            hdr = os.path.join(d, "abi.h")
            with open(hdr, "w") as f:
                f.write('#define UMBRA_GOOD (1u << 4)\n#define UMBRA_NAME "umbra"\n')
            vec = os.path.join(d, "a.vec")
            with open(vec, "w") as f:
                f.write("a hvc UMBRA_GOOD => ok\nb hvc UMBRA_NAME => ok\n")
            src, errors = vecgen.compile_vectors([vec], hdr)
            self.assertIsNone(src)
            self.assertEqual(len(errors), 1)
            self.assertIn("a.vec:2: error: UMBRA_NAME", str(errors[0]))
            self.assertIn("cannot evaluate", str(errors[0]))
        finally:
            shutil.rmtree(d)


class TestGood(VecgenCase):
    def test_the_real_vectors_compile(self):
        vecdir = os.path.join(TOP, "tests", "vectors")
        files = sorted(os.path.join(vecdir, f) for f in os.listdir(vecdir)
                       if f.endswith(".vec"))
        self.assertTrue(files)
        src, errors = vecgen.compile_vectors(files, ABI)
        self.assertEqual([str(e) for e in errors], [])
        self.assertIn("const uint32_t vec_count = ", src)

    def test_call_entry(self):
        src = self.good("""
            # a comment, then a blank line

            v1  hvc UMBRA_HC_VERSION => ret=UMBRA_OK x1=(UMBRA_ABI_MAJOR<<16)|UMBRA_ABI_MINOR
        """)
        (e,) = self.entries(src)
        self.assertIn(".fid = 0x86000000u, .op = VEC_HVC, .expect = VEC_EXPECT_RESULT", e)
        self.assertIn(".check = VEC_CHECK_X(0) | VEC_CHECK_X(1) | VEC_SHOW_RET", e)
        with open(ABI) as f:
            defs = dict(re.findall(r"#define (UMBRA_ABI_MAJOR|UMBRA_ABI_MINOR) (\d+)", f.read()))
        want = int(defs["UMBRA_ABI_MAJOR"]) << 16 | int(defs["UMBRA_ABI_MINOR"])
        self.assertIn("[1] = { %su, VEC_SYM_NONE, 0 }" % hex(want), e)
        self.assertIn('"v1\\000"', src)

    def test_negative_and_runtime_values(self):
        src = self.good("""
            w hvc UMBRA_HC_CONSOLE_WRITE ram_end-4 16 => ret=UMBRA_E_BAD_ADDRESS
        """)
        (e,) = self.entries(src)
        self.assertIn("{ 0xfffffffffffffffcu, VEC_SYM_RAM_END, 0 }", e)
        self.assertIn("[0] = { 0xfffffffffffffffcu, VEC_SYM_NONE, 0 }", e)
        self.assertIn(".nargs = 2", e)

    def test_probes(self):
        src = self.good("""
            r  read32 gicd+0x10   => abort
            w  write8 ram_end 0xff => abort
            w2 write16 ram_base -1 => ok
            v  read dtb            => value=0x1234
        """)
        r, w, w2, v = self.entries(src)
        self.assertIn(".op = VEC_READ, .expect = VEC_EXPECT_ABORT", r)
        self.assertIn(".width = 4", r)
        self.assertIn("{ 0x10u, VEC_SYM_GICD, 0 }", r)
        self.assertIn("{ 0xffu, VEC_SYM_NONE, 0 }", w)
        self.assertIn("{ 0xffffu, VEC_SYM_NONE, 0 }", w2)
        self.assertIn(".expect = VEC_EXPECT_OK", v)
        self.assertIn(".check = VEC_CHECK_X(0)", v)

    def test_buffers_and_lengths(self):
        src = self.good(r"""
            define msg buf:"hi\n"
            a hvc 0xc6000002 msg len:msg => ret=len:msg
            b hvc 0xc6000002 buf:4 4     => ret=4
            c hvc 0xc6000002 buf:"\x01\"" len:"\x01\"" => ret=2
        """)
        a, b, c = self.entries(src)
        self.assertIn("{ 0x0u, VEC_SYM_BUF, 0 }, { 0x3u, VEC_SYM_NONE, 0 }", a)
        self.assertIn("{ 0x10u, VEC_SYM_BUF, 0 }", b)
        self.assertIn("{ 0x20u, VEC_SYM_BUF, 0 }, { 0x2u, VEC_SYM_NONE, 0 }", c)
        pool = src.split("vec_pool[")[1]
        # "hi\n\0", pad to 16, "...\n\0", pad, "\x01\"\0"
        self.assertIn("0x68, 0x69, 0x0a, 0x00,", pool)
        self.assertIn("0x2e, 0x2e, 0x2e, 0x0a, 0x00,", pool)
        self.assertIn("0x01, 0x22, 0x00,", pool)

    def test_expression_operators(self):
        cases = {"1+2*3": 7, "(1+2)*3": 9, "1<<4|1": 17, "~0": -1, "-8/3": -2,
                 "7%4": 3, "0x10^0x11": 1, "0b1010&0b0110": 2, "0x4000_0000": 0x40000000,
                 "--1": 1, "+5": 5, "1<<2+1": 8}
        scope = vecgen.Scope({}, vecgen.Pool())
        for text, want in cases.items():
            with self.subTest(text=text):
                self.assertEqual(vecgen.evaluate(text, scope).off, want)

    def test_smc32_results_compare_as_32_bit(self):
        # -1 fits a 32-bit result; so does 0xffffffff
        self.good("""
            a hvc 0x82000000 => ret=-1
            b hvc 0x82000000 => x1=0xffffffff
            c hvc 0xc2000000 => x1=0x100000000
        """)

    def test_defines_are_per_file(self):
        (src, errors), files = self.compile("define x 1\na hvc x => ok\n",
                                            "b hvc x => ok\n")
        self.assertEqual(len(errors), 1)
        self.assertIn("%s:1: error: unknown name 'x'" % files[1], str(errors[0]))

    def test_comments_and_strings(self):
        src = self.good('a hvc 0 buf:"# not a comment" 1 => ok  # a comment\n')
        self.assertIn("0x23, 0x20, 0x6e,", src)  # "# n"

    def test_empty_input(self):
        src = self.good("# nothing here\n")
        self.assertIn("const uint32_t vec_count = 0;", src)

    @unittest.skipUnless(shutil.which("gcc"), "needs a host C compiler")
    def test_generated_c_compiles(self):
        src = self.good("""
            define msg buf:"hello\\n"
            a hvc UMBRA_HC_CONSOLE_WRITE msg len:msg => ret=len:msg
            b read ram_end => abort
            c write32 gicd 1 => abort
        """)
        out = os.path.join(self.dir, "v.c")
        with open(out, "w") as f:
            f.write(src)
        subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                        "-I" + os.path.join(TOP, "tests", "guest"), out], check=True)


class TestErrors(VecgenCase):
    CASES = [
        ("a hvc UMBRA_HC_VERSION ret=0", "missing '=>'"),
        ("a hvcc 0 => ok", "unknown operation 'hvcc'"),
        ("a hvc UMBRA_HC_VERSON => ok", "did you mean 'UMBRA_HC_VERSION'?"),
        ("a read ram_end*2 => abort", "'ram_end' is only known at run time"),
        ("a hvc 0 ram_end-ram_base => ok", "only known at run time"),
        ("a read32 ram_end+2 => abort", "not 4-byte aligned"),
        ("a hvc 0 => abort", "'abort' only applies to read/write"),
        ("a hvc 0 => ok ret=0", "'ok' means any result"),
        ("a hvc 0 1 2 3 4 5 6 7 => ok", "at most 6 arguments"),
        ("a hvc UMBRA_HC_VERSION => x1=0x100000000", "can never match"),
        ("a hvc 0 => ret=0 ret=1", "'ret' is given twice"),
        ("a hvc 0 => ret=0 x0=0", "both check x0"),
        ("a hvc ram_base => ok", "function ID 'ram_base' must be a number"),
        ("a hvc 0x100000000 => ok", "must be a number in 0..0xffffffff"),
        ('a hvc 0 buf:"abc => ok', "unterminated string"),
        (r'a hvc 0 buf:"a\q" => ok', "bad escape '\\q'"),
        ("a write ram_end =>", "nothing expected after '=>'"),
        ("a => ok", "missing operation"),
        ("a write8 ram_end 0x100 => abort", "does not fit in 8 bits"),
        ("a write ram_end => value=1", "'value=' only applies to reads"),
        ("a write ram_end 1 2 => ok", "an address and an optional value"),
        ("a read ram_end => abort ok", "cannot be combined"),
        ("a read ram_end => ret=0", "'ret=' only applies to hvc/smc"),
        ("a write ram_end => x", "unknown expectation 'x'"),
        ("a read ram_end => value=", "has no value"),
        ("a hvc 0 => foo=1", "unknown expectation 'foo='"),
        ("define foo", "expected 'define NAME VALUE'"),
        ("define UMBRA_OK 1", "already defined in"),
        ("define ram_end 1", "'ram_end' is reserved"),
        ("define 9x 1", "bad name '9x'"),
        ("a! read ram_base => ok", "bad vector name 'a!'"),
        ("a hvc (1+2 => ok", "missing ')'"),
        ("a hvc 1/0 => ok", "division by zero"),
        ("a hvc 0 => ret=0x1_0000_0000_0000_0000", "does not fit in 64 bits"),
        ("a hvc 0 1<<63<<1 => ok", "does not fit in 64 bits"),
        ("a read ram_base+0x1_0000_0000_0000_0000 => ok", "does not fit in 64 bits"),
        ("define big -0x8000_0000_0000_0001", "does not fit in 64 bits"),
        ("a hvc 0 len:ram_base => ok", "len: takes a string or the name of a buffer"),
        ("a hvc 1<<64 => ok", "shift by 64"),
        ("a hvc 0 -ram_base => ok", "only known at run time"),
        ("a hvc 0 buf => ok", "'buf' needs a ':'"),
        ("a hvc 0x12g => ok", "bad number '0x12g'"),
        ("a hvc 0 ram_end - 4 => ok", "write expressions without spaces"),
        ("a hvc 0 buf:0x200000 => ok", "is not within 0..1048576"),
    ]

    def test_each_error(self):
        for text, fragment in self.CASES:
            with self.subTest(text=text):
                self.bad("# line 1\n" + text + "\n", 2, fragment)

    def test_redefinition_names_the_first(self):
        (src, errors), files = self.compile("define x 1\ndefine x 2\n")
        self.assertIn("'x' is already defined at %s:1" % files[0], str(errors[0]))

    def test_duplicate_names_across_files(self):
        (src, errors), files = self.compile("a read ram_base => ok\n",
                                            "\na read ram_base => ok\n")
        self.assertEqual(len(errors), 1)
        self.assertIn("%s:2: error: duplicate vector name 'a' (first at %s:1)"
                      % (files[1], files[0]), str(errors[0]))

    def test_all_errors_are_reported(self):
        (src, errors), files = self.compile("a hvcc 0 => ok\nb hvc 0 => ok\nc hvc x => ok\n")
        self.assertIsNone(src)
        self.assertEqual([e.where for e in errors], ["%s:1" % files[0], "%s:3" % files[0]])


class TestCommandLine(VecgenCase):
    def run_main(self, *args):
        return vecgen.main(["--abi", ABI] + list(args))

    def test_writes_only_when_changed(self):
        vec = self.write("a.vec", "a hvc 0 => ok\n")
        out = os.path.join(self.dir, "out.c")
        self.assertEqual(self.run_main("-o", out, vec), 0)
        os.utime(out, (1, 1))
        self.assertEqual(self.run_main("-o", out, vec), 0)
        self.assertEqual(os.stat(out).st_mtime, 1)  # untouched
        self.write("a.vec", "a hvc 1 => ok\n")
        self.assertEqual(self.run_main("-o", out, vec), 0)
        self.assertNotEqual(os.stat(out).st_mtime, 1)

    def test_error_exit_writes_nothing(self):
        vec = self.write("a.vec", "a hvcc 0 => ok\n")
        out = os.path.join(self.dir, "out.c")
        with open(os.devnull, "w") as null:
            import contextlib
            with contextlib.redirect_stderr(null):
                self.assertEqual(self.run_main("-o", out, vec), 1)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
