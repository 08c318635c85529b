# SPDX-License-Identifier: Apache-2.0
# The monitor image: build/umbra.bin (arm64 Image header, position-independent).

HYP_C := $(wildcard hyp/core/*.c hyp/drivers/*.c hyp/lib/*.c hyp/arch/aarch64/*.c)
HYP_S := $(wildcard hyp/arch/aarch64/*.S)
HYP_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(HYP_C)) $(patsubst %.S,$(BUILD)/%.o,$(HYP_S))
HYP_CFLAGS := $(TARGET_CFLAGS) -Ihyp/arch/aarch64/include

all: $(BUILD)/umbra.bin

$(BUILD)/hyp/%.o: hyp/%.c
	@mkdir -p $(dir $@)
	$(CC_T) $(HYP_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hyp/%.o: hyp/%.S
	@mkdir -p $(dir $@)
	$(CC_T) $(TARGET_ASFLAGS) -MMD -MP -c $< -o $@

# libfdt comes from Debian's arm64 static library (scripts/setup.sh).
$(BUILD)/umbra.elf: $(HYP_OBJ) hyp/arch/aarch64/umbra.ld $(TARGET_LIBDIR)/libfdt.a
	$(LD_T) -pie --no-dynamic-linker -z text -z norelro --gc-sections \
		-z max-page-size=4096 -T hyp/arch/aarch64/umbra.ld -o $@ \
		$(HYP_OBJ) $(TARGET_LIBDIR)/libfdt.a
	@# head.S applies only R_AARCH64_RELATIVE relocations: refuse others
	@if $(READELF_T) -rW $@ | awk '/^[0-9a-f]+ +[0-9a-f]+ R_/ {print $$3}' | \
		grep -v '^R_AARCH64_RELATIVE$$' | grep -q .; then \
		echo "error: $@ has non-RELATIVE dynamic relocations"; exit 1; fi

$(BUILD)/umbra.bin: $(BUILD)/umbra.elf
	$(OBJCOPY_T) -O binary $< $@

-include $(HYP_OBJ:.o=.d)
