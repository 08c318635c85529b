# SPDX-License-Identifier: Apache-2.0
# The real-time partition: build/rtos.bin, a small preemptive RTOS (EL1,
# arm64 Image header, position-independent) with its demo application;
# its host unit tests (Check) and its system tests (QEMU).
#
#   make build/rtos.bin     the image (also part of `make`)
#   make rtos-unit          host unit tests: the kernel on a simulated port
#   make rtos-system        QEMU: self-test, fault, latency, inside Umbra
#   make rtos-bench         scripts/bench-rtos.sh (bare QEMU; see --help)

RTOS_DIR := guest/rtos
RTOS_B   := $(BUILD)/rtos
RTOS_CORE := $(wildcard $(RTOS_DIR)/core/*.c)
RTOS_C   := $(RTOS_CORE) $(wildcard $(RTOS_DIR)/port/arm64/*.c) $(wildcard $(RTOS_DIR)/app/*.c)
RTOS_LIB := hyp/lib/string.c hyp/lib/printf.c hyp/lib/fortify.c
RTOS_OBJ := $(patsubst $(RTOS_DIR)/%.c,$(RTOS_B)/%.o,$(RTOS_C)) \
	$(patsubst hyp/lib/%.c,$(RTOS_B)/lib/%.o,$(RTOS_LIB)) \
	$(RTOS_B)/port/arm64/head.o
RTOS_INC := -I$(RTOS_DIR)/include -I$(RTOS_DIR)/core -I$(RTOS_DIR)/app -Iguest/lib
RTOS_CFLAGS := $(TARGET_CFLAGS) $(RTOS_INC) -I$(RTOS_DIR)/port/arm64

all: $(BUILD)/rtos.bin

$(RTOS_B)/%.o: $(RTOS_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC_T) $(RTOS_CFLAGS) -MMD -MP -c $< -o $@

$(RTOS_B)/lib/%.o: hyp/lib/%.c
	@mkdir -p $(dir $@)
	$(CC_T) $(RTOS_CFLAGS) -MMD -MP -c $< -o $@

$(RTOS_B)/port/arm64/head.o: $(RTOS_DIR)/port/arm64/head.S
	@mkdir -p $(dir $@)
	$(CC_T) $(TARGET_ASFLAGS) -I$(RTOS_DIR)/port/arm64 -MMD -MP -c $< -o $@

$(BUILD)/rtos.elf: $(RTOS_OBJ) $(RTOS_DIR)/port/arm64/rtos.ld $(TARGET_LIBDIR)/libfdt.a
	$(LD_T) -pie --no-dynamic-linker -z text -z norelro --gc-sections \
		-z max-page-size=4096 $(LD_NO_RWX_WARNING) -T $(RTOS_DIR)/port/arm64/rtos.ld \
		-o $@ $(RTOS_OBJ) $(TARGET_LIBDIR)/libfdt.a
	@# head.S applies only R_AARCH64_RELATIVE relocations: refuse others
	@if $(READELF_T) -rW $@ | awk '/^[0-9a-f]+ +[0-9a-f]+ R_/ {print $$3}' | \
		grep -v '^R_AARCH64_RELATIVE$$' | grep -q .; then \
		echo "error: $@ has non-RELATIVE dynamic relocations"; exit 1; fi

$(BUILD)/rtos.bin: $(BUILD)/rtos.elf
	$(OBJCOPY_T) -O binary $< $@

# ---- host unit tests ----------------------------------------------------

RTOS_UNIT_B   := $(BUILD)/rtos/unit
RTOS_UNIT_BIN := $(RTOS_UNIT_B)/rtos-unit
RTOS_UNIT_SRC := $(RTOS_CORE) $(RTOS_DIR)/port/host/port.c $(RTOS_DIR)/app/selftest.c \
	$(wildcard $(RTOS_DIR)/tests/unit/*.c)
RTOS_UNIT_OBJ := $(patsubst $(RTOS_DIR)/%.c,$(RTOS_UNIT_B)/%.o,$(RTOS_UNIT_SRC))
RTOS_UNIT_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
RTOS_UNIT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Wvla $(RTOS_UNIT_SAN) \
	$(RTOS_INC) -I$(RTOS_DIR)/port/host -D_POSIX_C_SOURCE=200809L \
	$(shell pkg-config --cflags check 2>/dev/null)

$(RTOS_UNIT_B)/%.o: $(RTOS_DIR)/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(RTOS_UNIT_CFLAGS) -MMD -MP -c $< -o $@

$(RTOS_UNIT_BIN): $(RTOS_UNIT_OBJ)
	$(HOSTCC) $(RTOS_UNIT_SAN) -o $@ $^ $(shell pkg-config --libs check 2>/dev/null)

.PHONY: rtos-unit rtos-system rtos-bench
rtos-unit: $(RTOS_UNIT_BIN)
	$(RTOS_UNIT_BIN)

# ---- QEMU ------------------------------------------------------------------

# Umbra configs for the system tests: overlays on QEMU's own DT (-smp 4 -m 1G)
$(BUILD)/rtos/dt/%.dtb: $(RTOS_DIR)/tests/dts/%.dtso $(BUILD)/dt/virt-smp4-m1G.dtb
	@mkdir -p $(dir $@)
	$(DTC) -q -@ -I dts -O dtb -o $(@:.dtb=.dtbo) $<
	fdtoverlay -i $(BUILD)/dt/virt-smp4-m1G.dtb -o $@ $(@:.dtb=.dtbo)

rtos-system: $(BUILD)/rtos.bin $(BUILD)/umbra.bin \
		$(patsubst $(RTOS_DIR)/tests/dts/%.dtso,$(BUILD)/rtos/dt/%.dtb,$(wildcard $(RTOS_DIR)/tests/dts/*.dtso))
	BUILD=$(BUILD) $(RTOS_DIR)/tests/system.sh

rtos-bench: $(BUILD)/rtos.bin
	scripts/bench-rtos.sh

-include $(RTOS_OBJ:.o=.d) $(RTOS_UNIT_OBJ:.o=.d)
