# SPDX-License-Identifier: Apache-2.0
# The monitor image: build/umbra.bin (arm64 Image header, position-independent).

# One folder per subsystem (docs/architecture.md, "Layers").
HYP_SUBSYSTEMS := lib drivers mm config vm console devices attest partition
HYP_C := hyp/main.c $(foreach d,$(HYP_SUBSYSTEMS),$(wildcard hyp/$(d)/*.c)) \
	$(wildcard hyp/arch/aarch64/*.c)
HYP_S := $(wildcard hyp/arch/aarch64/*.S)
HYP_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(HYP_C)) $(patsubst %.S,$(BUILD)/%.o,$(HYP_S))
# hyp/ for "subsystem/header.h", guest/lib for the guest ABI (umbra_abi.h)
HYP_CFLAGS := $(TARGET_CFLAGS) $(HYP_LTO) -Ihyp -Iguest/lib -Ihyp/arch/aarch64/include
# head.S applies only R_AARCH64_RELATIVE relocations: refuse images with others
only_relative_relocs = @if $(READELF_T) -rW $(1) | awk '/^[0-9a-f]+ +[0-9a-f]+ R_/ {print $$3}' | \
	grep -v '^R_AARCH64_RELATIVE$$' | grep -q .; then \
	echo "error: $(1) has non-RELATIVE dynamic relocations"; rm -f $(1); exit 1; fi
# Debian's arm64 static libraries (scripts/setup.sh unpacks them)
HYP_LIBS := $(TARGET_LIBDIR)/libfdt.a $(TARGET_LIBDIR)/libbearssl.a
# Cortex-A53 erratum 843419 (an ADRP at a page's last 8 bytes): the image is
# far below ADR's 1 MiB reach, so GNU ld makes every such ADRP an ADR, in
# place; its default also allows stubs, which cost a page of padding when
# needed. ld.lld knows only the plain option (and rewrites to ADR too).
HYP_A53_FIX := --fix-cortex-a53-843419$(if $(LLVM),,=adr)
HYP_LDFLAGS := -pie --no-dynamic-linker -z text -z norelro --gc-sections \
	$(HYP_A53_FIX) -z max-page-size=4096 -T hyp/arch/aarch64/umbra.ld
# With LTO (GCC: mk/toolchain.mk) code generation happens at the link,
# through the compiler driver and its LTO plugin. Each function keeps the
# optimisation level of its file (-O2 or -Os, below); the machine flags
# (no FP/SIMD, no unaligned access, PIE) are given again.
comma := ,
ifneq ($(HYP_LTO),)
hyp_link = $(CC_T) -flto -Os $(filter -m% -f%,$(TARGET_CFLAGS)) -nostdlib -static-pie \
	$(addprefix -Wl$(comma),$(HYP_LDFLAGS))
else
hyp_link = $(LD_T) $(HYP_LDFLAGS)
endif

all: $(BUILD)/umbra.bin

# Size over speed (-Os) except on the paths a running partition takes: the
# trap entry, the vGIC, hypercalls, the vUART and the memory routines of
# boot-time copies. -Os elsewhere keeps the image under 128 KiB
# (docs/performance.md).
HYP_HOT := hyp/arch/aarch64/trap.c hyp/arch/aarch64/vcpu.c hyp/arch/aarch64/gic_cpuif.c \
	hyp/vm/vgic.c hyp/partition/hypercall.c hyp/console/vuart.c hyp/lib/string.c
# mmu.c stays out of LTO: umbra.ld places its code by file name, in the
# space before the vector table
hyp_opt = $(if $(filter $(1),$(HYP_HOT)),-O2,-Os) $(if $(filter $(1),hyp/arch/aarch64/mmu.c),-fno-lto)

# The objects follow the flags: a file holding them is rewritten when they
# change (LTO on or off, a new -f option), and every object depends on it.
HYP_FLAGS := $(BUILD)/hyp/flags
hyp_flags_now := $(CC_T) $(HYP_CFLAGS) $(TARGET_ASFLAGS) $(HYP_HOT)
ifneq ($(hyp_flags_now),$(shell cat $(HYP_FLAGS) 2>/dev/null))
$(shell mkdir -p $(BUILD)/hyp && printf '%s\n' '$(hyp_flags_now)' >$(HYP_FLAGS))
endif

$(BUILD)/hyp/%.o: hyp/%.c $(HYP_FLAGS)
	@mkdir -p $(dir $@)
	$(CC_T) $(HYP_CFLAGS) $(call hyp_opt,$<) -MMD -MP -c $< -o $@

$(BUILD)/hyp/%.o: hyp/%.S $(HYP_FLAGS)
	@mkdir -p $(dir $@)
	$(CC_T) $(TARGET_ASFLAGS) -MMD -MP -c $< -o $@

# libfdt comes from Debian's arm64 static library (scripts/setup.sh).
$(BUILD)/umbra.elf: $(HYP_OBJ) hyp/arch/aarch64/umbra.ld $(HYP_LIBS)
	$(hyp_link) -o $@ $(HYP_OBJ) $(HYP_LIBS)
	$(call only_relative_relocs,$@)

$(BUILD)/umbra.bin: $(BUILD)/umbra.elf
	$(OBJCOPY_T) -O binary $< $@

# A test build for the system tests only: adds UMBRA_HC_TEST_EL2_FAULT so
# the panic path can be exercised. Never ship it.
HYP_TESTHOOK_OBJ := $(filter-out $(BUILD)/hyp/partition/hypercall.o,$(HYP_OBJ)) \
	$(BUILD)/testhooks/hypercall.o

all: $(BUILD)/umbra-testhooks.bin

$(BUILD)/testhooks/hypercall.o: hyp/partition/hypercall.c $(HYP_FLAGS)
	@mkdir -p $(dir $@)
	$(CC_T) $(HYP_CFLAGS) $(call hyp_opt,$<) -DUMBRA_TEST_HOOKS -MMD -MP -c $< -o $@

$(BUILD)/umbra-testhooks.elf: $(HYP_TESTHOOK_OBJ) hyp/arch/aarch64/umbra.ld $(HYP_LIBS)
	$(hyp_link) -o $@ $(HYP_TESTHOOK_OBJ) $(HYP_LIBS)
	$(call only_relative_relocs,$@)

$(BUILD)/umbra-testhooks.bin: $(BUILD)/umbra-testhooks.elf
	$(OBJCOPY_T) -O binary $< $@

-include $(HYP_OBJ:.o=.d)
