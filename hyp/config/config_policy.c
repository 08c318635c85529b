// SPDX-License-Identifier: Apache-2.0
/* A partition's event and failure policy (dt/bindings/umbra.md):
 * event-reader, on-failure, max-restarts, restart-window-ms. */
#include <libfdt.h>
#include "config/config.h"
#include "config/diag.h"
#include "umbra/lib.h"

/* A one-cell property; false (reported) if present but not one cell. */
static bool read_u32(const void *fdt, int node, const char *prop, const struct part_cfg *pc,
		     u32 *out, struct diag *d)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, prop, &len);

	if (!v)
		return false;
	if (len != (int)sizeof(*v)) {
		diag_report(d, CFG_E_PROP, "partition '%s': '%s' must be one cell", pc->name, prop);
		return false;
	}
	*out = fdt32_to_cpu(*v);
	return true;
}

void config_parse_policy(const void *fdt, int node, struct part_cfg *pc, struct diag *d)
{
	int len;
	const char *of = fdt_getprop(fdt, node, "on-failure", &len);
	u32 v;

	pc->event_reader = fdt_getprop(fdt, node, "event-reader", NULL) != NULL;
	pc->on_failure = ON_FAILURE_NONE;
	pc->max_restarts = DEFAULT_MAX_RESTARTS;
	pc->restart_window_ms = DEFAULT_RESTART_WINDOW_MS;
	if (of) {
		if (len == sizeof("stop") && !memcmp(of, "stop", sizeof("stop")))
			pc->on_failure = ON_FAILURE_STOP;
		else if (len == sizeof("restart") && !memcmp(of, "restart", sizeof("restart")))
			pc->on_failure = ON_FAILURE_RESTART;
		else
			diag_report(d, CFG_E_PROP,
				    "partition '%s': 'on-failure' must be \"stop\" or \"restart\"",
				    pc->name);
	}
	if (read_u32(fdt, node, "max-restarts", pc, &v, d))
		pc->max_restarts = v;
	if (read_u32(fdt, node, "restart-window-ms", pc, &v, d)) {
		/* 0 would make every failure the first in its window */
		if (v == 0)
			diag_report(d, CFG_E_PROP, "partition '%s': 'restart-window-ms' must not be 0",
				    pc->name);
		pc->restart_window_ms = v;
	}
	if (pc->on_failure != ON_FAILURE_RESTART &&
	    (fdt_getprop(fdt, node, "max-restarts", NULL) ||
	     fdt_getprop(fdt, node, "restart-window-ms", NULL)))
		diag_report(d, CFG_E_PROP,
			    "partition '%s': 'max-restarts' and 'restart-window-ms' need on-failure = \"restart\"",
			    pc->name);
}
