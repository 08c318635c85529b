# SPDX-License-Identifier: Apache-2.0
# The test guest: build/guest-test.bin, a bare-metal EL1 image (arm64 Image
# header, position-independent) that runs the verification vectors.
#
#   GUEST_VECTORS   the .vec files compiled in, in this order
#                   (default: tests/vectors/*.vec, sorted)

GUEST_VECTORS ?= $(sort $(wildcard tests/vectors/*.vec))

GUEST_B   := $(BUILD)/tests/guest
GUEST_C   := $(wildcard tests/guest/*.c)
GUEST_LIB := hyp/lib/string.c hyp/lib/printf.c hyp/lib/fortify.c
GUEST_OBJ := $(patsubst tests/guest/%.c,$(GUEST_B)/%.o,$(GUEST_C)) \
	$(patsubst hyp/lib/%.c,$(GUEST_B)/lib/%.o,$(GUEST_LIB)) \
	$(GUEST_B)/head.o $(GUEST_B)/vectors.o
GUEST_CFLAGS := $(TARGET_CFLAGS) -Itests/guest -Iguest/lib

all: $(BUILD)/guest-test.bin

$(GUEST_B)/%.o: tests/guest/%.c
	@mkdir -p $(dir $@)
	$(CC_T) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_B)/lib/%.o: hyp/lib/%.c
	@mkdir -p $(dir $@)
	$(CC_T) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_B)/head.o: tests/guest/head.S
	@mkdir -p $(dir $@)
	$(CC_T) $(TARGET_ASFLAGS) -MMD -MP -c $< -o $@

# Regenerated on every make (so that adding or removing a .vec file is
# noticed); vecgen only rewrites vectors.c when its contents change.
.PHONY: guest-vectors-always
$(GUEST_B)/vectors.c: guest-vectors-always
	@mkdir -p $(dir $@)
	@$(PYTHON) tools/vecgen.py --abi guest/lib/umbra_abi.h -o $@ $(GUEST_VECTORS)

$(GUEST_B)/vectors.o: $(GUEST_B)/vectors.c
	$(CC_T) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/guest-test.elf: $(GUEST_OBJ) tests/guest/guest.ld $(TARGET_LIBDIR)/libfdt.a
	$(LD_T) -pie --no-dynamic-linker -z text -z norelro --gc-sections \
		-z max-page-size=4096 $(LD_NO_RWX_WARNING) -T tests/guest/guest.ld -o $@ \
		$(GUEST_OBJ) $(TARGET_LIBDIR)/libfdt.a
	@# head.S applies only R_AARCH64_RELATIVE relocations: refuse others
	@if $(READELF_T) -rW $@ | awk '/^[0-9a-f]+ +[0-9a-f]+ R_/ {print $$3}' | \
		grep -v '^R_AARCH64_RELATIVE$$' | grep -q .; then \
		echo "error: $@ has non-RELATIVE dynamic relocations"; exit 1; fi

$(BUILD)/guest-test.bin: $(BUILD)/guest-test.elf
	$(OBJCOPY_T) -O binary $< $@

-include $(GUEST_OBJ:.o=.d)
