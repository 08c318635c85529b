/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Umbra's log: what the monitor tells its operator, one line per event,
 * "umbra: " first. Every subsystem logs through this header and nothing
 * else; the console (console/log.c) implements it on the shared UART,
 * never cutting a line into another or into a partition's output.
 *
 * Levels add a word to the line ("warning: ", "error: ") so that a reader
 * or a script can grep them; there is no run-time filter (the monitor says
 * little, and all of it matters).
 *
 * Events a guest can cause at will (stage-2 faults, unhandled traps) pass
 * through a struct log_limit so that a looping guest cannot flood the
 * console: the first `burst` are logged, then one line says the rest are not.
 *
 * Security events (stage-2 violations, restarts, refused images, device
 * transfers) will also go to the security event log, a bounded ring that
 * partitions read through a hypercall: that is log_event() below, a
 * second sink beside the console, not a different way of printing.
 */
#ifndef UMBRA_LOG_H
#define UMBRA_LOG_H

#include "umbra/types.h"

/* LOG_NOTICE: an info line that waits, as a partition's line would, for
 * the line the terminal has open (CON_HOLD_MS at most): what the
 * console's escapes say, so a Ctrl-T does not cut an echo in two. */
enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_NOTICE };

/* One line: "umbra: [level word]<fmt>\n". */
void log_line(enum log_level level, const char *fmt, ...) __printf(2, 3);

#define pr_err(fmt, ...)  log_line(LOG_ERR, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) log_line(LOG_WARN, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) log_line(LOG_INFO, fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) log_line(LOG_NOTICE, fmt, ##__VA_ARGS__)

/* Preformatted text that carries its own "umbra: " and newlines (the
 * panic dump, the config error list). Whole lines are never interleaved. */
void printk(const char *fmt, ...) __printf(1, 2);

/* Panic path: take the log's sink even if another CPU holds it. */
void log_take_over(void);

/* Rate limiting for one source of guest-caused events. */
struct log_limit {
	u32 seen;
};
enum log_verdict { LOG_SHOW, LOG_STOP, LOG_QUIET };

/* LOG_SHOW for the first `burst` events; LOG_STOP for the next one (the
 * caller says that the rest are not logged); then LOG_QUIET. */
static inline enum log_verdict log_limit(struct log_limit *l, u32 burst)
{
	u32 n = __atomic_fetch_add(&l->seen, 1, __ATOMIC_RELAXED);

	return n < burst ? LOG_SHOW : n == burst ? LOG_STOP : LOG_QUIET;
}

/* Rate limiting by time, for events a device can cause at will (DMA
 * faults come one per bus transaction): at most `burst` lines per window
 * of `ticks` counter ticks; true: log this one. What is not logged is
 * counted in *suppressed, for the next line to report. */
struct log_window {
	u64 start;
	u32 shown;
	u32 suppressed;
};

static inline bool log_window(struct log_window *w, u32 burst, u64 now, u64 ticks)
{
	if (now - w->start >= ticks) {
		w->start = now;
		w->shown = 0;
	}
	if (w->shown < burst) {
		w->shown++;
		return true;
	}
	w->suppressed++;
	return false;
}

/*
 * The security event log: a bounded ring of typed records (console/events.c),
 * a second sink beside the console. Each record gets a sequence number
 * and a CNTPCT timestamp; when the ring is full the oldest record is
 * overwritten and a reader that asks for it is told how many it lost.
 */
#define EVENT_LOG_SIZE 256u

enum event_type {
	EV_LOST = 1,       /* a: number of records lost before this point */
	EV_S2_FAULT,       /* a: IPA, b: PC, c: 0 read, 1 write, 2 fetch */
	EV_TRAP,           /* a: ESR, b: PC */
	EV_VECTOR_FAULT,   /* a: IPA, b: PC, c: as EV_S2_FAULT */
	EV_PART_START,     /* a: restarts so far */
	EV_PART_STOP,      /* b: 1 if its restart budget was spent, c: cause */
	EV_PART_RESTART,   /* a: restarts so far, c: cause */
	EV_DEV_CLAIM,      /* a: shared device id, b: 1 if by the partition's restart */
	EV_DEV_RELEASE,    /* a: shared device id, b: 1 if by its stop or restart */
	EV_SMMU_FAULT,     /* a: SMMU event type | faults not recorded before it << 32,
	                      b: address (~0: none), c: stream id; part: the
	                      stream's partition, ~0u: none (rate-limited) */
	EV_PART_PANIC,     /* the partition said it panics (UMBRA_HC_PANIC) */
	EV_IMAGE_REFUSED,  /* a: why (enum img_err), b: 0 at its start, 1 an update */
	EV_UPDATE,         /* a live update installed: a: its SVN, b: downtime in us */
};

/* c of EV_PART_STOP / EV_PART_RESTART */
enum event_cause {
	EV_CAUSE_OTHER,
	EV_CAUSE_SYSTEM_OFF,    /* PSCI SYSTEM_OFF */
	EV_CAUSE_SYSTEM_RESET,  /* PSCI SYSTEM_RESET (Linux: also a panic with panic=N) */
	EV_CAUSE_VECTOR_FAULT,  /* its own exception vectors fault */
	EV_CAUSE_PANIC,         /* it said it panics (UMBRA_HC_PANIC) */
	EV_CAUSE_LAST_VCPU,     /* its last vCPU switched itself off */
	EV_CAUSE_LOAD_FAILED,   /* its images could not be reloaded */
	EV_CAUSE_UPDATE,        /* a live update replaces its image (IMAGE_UPDATE) */
};

struct event_rec {
	u64 seq;
	u64 time;
	u32 part;          /* partition id; ~0u: the monitor */
	u32 type;
	u64 a, b, c;
};

/* Append one record (stamped here); safe from any CPU. */
void log_event(u32 part, enum event_type type, u64 a, u64 b, u64 c);

/* Copy up to `max` records with seq >= from into out, only those of
 * partition `part` unless `all`; when records from `from` on were
 * overwritten, the first one copied is an EV_LOST record. Returns the
 * number copied; *next: the sequence number to ask for next time. */
u32 events_read(u64 from, bool all, u32 part, struct event_rec *out, u32 max, u64 *next);

/* The sequence number the next record will get. */
u64 events_head(void);

/* A record as partitions see it (UMBRA_EVENT_SIZE bytes, little-endian:
 * seq, time, part, type, a, b, c), the bytes a report's digest covers. */
#define EVENT_WIRE_SIZE 48u
void event_encode(const struct event_rec *r, u8 out[EVENT_WIRE_SIZE]);

/* A failure report (docs/attestation.md, "Failure reports"): a header
 * (EVENT_REPORT_MAGIC, u64 from, u64 next, u32 count, u32 flags: 1 = every
 * partition's events) and up to max records from `from` on, as
 * events_read() picks them. out: EVENT_REPORT_HDR + max * EVENT_WIRE_SIZE
 * bytes. Returns the length; *next as events_read(). */
#define EVENT_REPORT_MAGIC "UMBRAEV1"
#define EVENT_REPORT_HDR 32u
size_t events_report(u64 from, bool all, u32 part, u8 *out, u32 max, u64 *next);

#endif
