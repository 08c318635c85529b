// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>

#include "config/diag.h"
#include "umbra/lib.h"

_Static_assert(CFG_E__COUNT <= 64, "struct diag's seen has a bit per code");

static const char *const names[CFG_E__COUNT] = {
	[CFG_E_DTB] = "bad-dtb",
	[CFG_E_PLATFORM] = "platform",
	[CFG_E_NO_CONFIG] = "no-config",
	[CFG_E_NO_PARTITIONS] = "no-partitions",
	[CFG_E_TOO_MANY] = "too-many",
	[CFG_E_PROP] = "bad-property",
	[CFG_E_NAME] = "bad-name",
	[CFG_E_CPU_UNKNOWN] = "cpu-unknown",
	[CFG_E_CPU_TWICE] = "cpu-twice",
	[CFG_E_MEM_ALIGN] = "mem-align",
	[CFG_E_MEM_OUTSIDE_RAM] = "mem-outside-ram",
	[CFG_E_MEM_OVERLAP_UMBRA] = "mem-overlaps-umbra",
	[CFG_E_MEM_OVERLAP] = "mem-overlap",
	[CFG_E_IMAGE_OUTSIDE_RAM] = "image-outside-ram",
	[CFG_E_IMAGE_OVERLAP] = "image-overlap",
	[CFG_E_IMAGE_MISSING] = "image-missing",
	[CFG_E_IMAGE_TOO_BIG] = "image-too-big",
	[CFG_E_INITRD] = "initrd",
	[CFG_E_DEVICE] = "device",
	[CFG_E_DEVICE_TWICE] = "device-twice",
	[CFG_E_DEVICE_PAGE] = "device-page-shared",
	[CFG_E_IRQ_TWICE] = "irq-twice",
	[CFG_E_DEVICE_UMBRA] = "device-overlaps-umbra",
	[CFG_E_DMA] = "dma-unprotected",
	[CFG_E_SHARED] = "shared-device",
	[CFG_E_CHANNEL] = "channel",
	[CFG_E_CHANNEL_MEM] = "channel-mem",
	[CFG_E_CHANNEL_IRQ] = "channel-irq",
	[CFG_E_VUART] = "vuart",
	[CFG_E_VUART_IRQ] = "vuart-irq",
	[CFG_E_TRUNCATED] = "truncated",
	[CFG_E_UPDATE] = "update-staging",
};

const char *cfg_err_name(enum cfg_err code)
{
	if (code <= 0 || code >= CFG_E__COUNT)
		return "unknown";
	return names[code];
}

void diag_report(struct diag *d, enum cfg_err code, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->count++;
	if (code > 0 && code < CFG_E__COUNT)
		d->seen |= 1ull << code;
	if (d->emit)
		d->emit(code, msg);
}
