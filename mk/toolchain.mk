# SPDX-License-Identifier: Apache-2.0
# Build directory, toolchains, sysroot and timestamps: the variables a
# board support package sets (docs/building.md). Included by the Makefile
# before anything else.
#
#   O=DIR, BUILD=DIR     the build directory (default: build/ in the tree;
#                        relative to the tree; sources are never written)
#   CROSS_COMPILE=PFX    the target toolchain's prefix (default
#                        aarch64-linux-gnu-; CROSS= is the old name)
#   LLVM=1               clang, ld.lld and llvm-* for the monitor, the guests,
#                        the Linux CLIs and the host tools (LLVM=-14 adds a
#                        suffix, LLVM=/usr/lib/llvm-14/bin/ a prefix, as in
#                        Kbuild). umbra.ko is built with the kernel's
#                        compiler: KMAKE_FLAGS=LLVM=1 for a clang-built kernel
#   SYSROOT=DIR          the target sysroot: libfdt and BearSSL (headers in
#                        DIR/usr/include, static libraries in DIR/usr/lib;
#                        TARGET_INCDIR=, TARGET_LIBDIR= to say otherwise)
#                        and the C library the Linux CLIs link statically.
#                        Default: deps/arm64 from scripts/setup.sh and the
#                        cross compiler's own C library
#   KDIR=DIR             the kernel build (or headers) directory umbra.ko
#                        is built against (default: Debian's, in deps/)
#   KMAKE_FLAGS=...      more arguments for that kernel's make
#   HOSTCC, HOSTCFLAGS, HOSTLDFLAGS   the host tools' compiler and flags
#   SOURCE_DATE_EPOCH    the one timestamp artefacts carry (the initramfs's
#                        mtimes); default: the last commit's time

ifneq ($(O),)
BUILD := $(patsubst %/,%,$(O))
endif
BUILD ?= build

# ---- target toolchain ------------------------------------------------------

CROSS_COMPILE ?= $(if $(CROSS),$(CROSS),aarch64-linux-gnu-)
CROSS := $(CROSS_COMPILE)

ifneq ($(LLVM),)
LLVM_PREFIX := $(filter %/,$(LLVM))
LLVM_SUFFIX := $(filter -%,$(LLVM))
# clang's target: the cross prefix without its dash (aarch64-linux-gnu)
CLANG_TARGET ?= $(patsubst %-,%,$(notdir $(CROSS_COMPILE)))
CC_T      := $(LLVM_PREFIX)clang$(LLVM_SUFFIX) --target=$(CLANG_TARGET)
LD_T      := $(LLVM_PREFIX)ld.lld$(LLVM_SUFFIX)
OBJCOPY_T := $(LLVM_PREFIX)llvm-objcopy$(LLVM_SUFFIX)
READELF_T := $(LLVM_PREFIX)llvm-readelf$(LLVM_SUFFIX)
NM_T      := $(LLVM_PREFIX)llvm-nm$(LLVM_SUFFIX)
SIZE_T    := $(LLVM_PREFIX)llvm-size$(LLVM_SUFFIX)
STRIP_T   := $(LLVM_PREFIX)llvm-strip$(LLVM_SUFFIX)
HOSTCC    ?= $(LLVM_PREFIX)clang$(LLVM_SUFFIX)
# user-space links (the Linux CLIs) with lld too
TARGET_USER_LDFLAGS := -fuse-ld=lld
# the compiler's own headers (stdint.h, stddef.h) under -nostdinc
TARGET_CC_INCDIR := $(shell $(CC_T) -print-resource-dir)/include
# ld.lld has no such warning to silence
LD_NO_RWX_WARNING :=
# the monitor without link-time optimisation (hyp/build.mk)
HYP_LTO :=
else
CC_T      := $(CROSS_COMPILE)gcc
LD_T      := $(CROSS_COMPILE)ld
OBJCOPY_T := $(CROSS_COMPILE)objcopy
READELF_T := $(CROSS_COMPILE)readelf
NM_T      := $(CROSS_COMPILE)nm
SIZE_T    := $(CROSS_COMPILE)size
STRIP_T   := $(CROSS_COMPILE)strip
HOSTCC    ?= gcc
TARGET_USER_LDFLAGS :=
TARGET_CC_INCDIR := $(shell $(CC_T) -print-file-name=include)
LD_NO_RWX_WARNING := --no-warn-rwx-segments
# the monitor with link-time optimisation (hyp/build.mk): 4 KiB less
# code, which keeps the image under 128 KiB. Fat objects: what links
# parts of the monitor with ld alone (tests/attest) still finds code.
HYP_LTO := -flto -ffat-lto-objects
endif
DTC      ?= dtc
PYTHON   ?= /usr/bin/python3

# ---- target libraries ------------------------------------------------------

DEPS := deps/arm64
ifneq ($(SYSROOT),)
TARGET_INCDIR ?= $(SYSROOT)/usr/include
TARGET_LIBDIR ?= $(SYSROOT)/usr/lib
# the Linux CLIs: the sysroot's C library
TARGET_USER_CFLAGS := --sysroot=$(SYSROOT)
else
TARGET_INCDIR ?= $(DEPS)/usr/include
TARGET_LIBDIR ?= $(DEPS)/usr/lib/aarch64-linux-gnu
TARGET_USER_CFLAGS :=
endif

# ---- host tools ------------------------------------------------------------

HOSTCFLAGS ?=
HOSTLDFLAGS ?=

# ---- reproducibility -------------------------------------------------------

# No checkout or build path in any object: the tree is ".", the build
# directory "build", wherever they are (the last matching map wins).
REPRO_CFLAGS := -ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(abspath $(BUILD))=build

# (only this tree's own history: a release tarball unpacked inside some
# other checkout must not take that one's time; without either, 0)
ifeq ($(SOURCE_DATE_EPOCH),)
SOURCE_DATE_EPOCH := $(if $(wildcard $(CURDIR)/.git),$(shell git -C $(CURDIR) log -1 --format=%ct 2>/dev/null))
SOURCE_DATE_EPOCH := $(if $(SOURCE_DATE_EPOCH),$(SOURCE_DATE_EPOCH),0)
endif
export SOURCE_DATE_EPOCH
