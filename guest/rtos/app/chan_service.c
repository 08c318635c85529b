// SPDX-License-Identifier: Apache-2.0
/*
 * The channel service (docs/channels.md): on each doorbell of the
 * partition's first Umbra channel, answer every queued request:
 *   UCHAN_OP_TIME  the PL031 RTC's seconds (the rtos owns the RTC);
 *   UCHAN_OP_ECHO  the payload back.
 * Unknown ops get UCHAN_ST_BAD_OP. The doorbell handler only gives a
 * semaphore; the work is done by the service task.
 */
#include <string.h>

#include "board.h"
#include "chan_service.h"
#include "rtos.h"
#include "umbra_chan.h"

#define PL031_DR 0x000     /* data register: seconds */
#define SERVICE_STACK 8192

static struct rtos_task service_task;
static uint64_t service_stack[SERVICE_STACK / 8] __attribute__((aligned(16)));
static struct rtos_sem doorbell;
static struct uchan chan;
static const struct board_channel *bc;
static uint8_t req[sizeof(struct uchan_msg_hdr) + UCHAN_MSG_MAX];
static uint8_t rep[sizeof(struct uchan_msg_hdr) + UCHAN_MSG_MAX];
static unsigned long served;

static void doorbell_isr(void *arg)
{
	(void)arg;
	rtos_sem_give_from_isr(&doorbell);
}

/* One reply for the request in req[0..len); its length. */
static uint32_t answer(int len)
{
	struct uchan_msg_hdr h, r;
	uint32_t n = 0;

	memcpy(&h, req, sizeof(h));
	r = h;
	r.status = UCHAN_ST_OK;
	switch (h.op) {
	case UCHAN_OP_ECHO:
		n = (uint32_t)len - sizeof(h);
		memcpy(rep + sizeof(r), req + sizeof(h), n);
		break;
	case UCHAN_OP_TIME:
		if (!board_rtc()) {
			r.status = UCHAN_ST_NO_DEVICE;
		} else {
			uint64_t s = *(volatile uint32_t *)(board_rtc() + PL031_DR);

			memcpy(rep + sizeof(r), &s, sizeof(s));
			n = sizeof(s);
		}
		break;
	default:
		r.status = UCHAN_ST_BAD_OP;
		break;
	}
	memcpy(rep, &r, sizeof(r));
	return (uint32_t)sizeof(r) + n;
}

static void service_main(void *arg)
{
	(void)arg;
	rtos_printf("rtos: channel %u: serving time and echo (doorbell INTID %u)\n", bc->id,
		    bc->intid);
	for (;;) {
		int len, sent = 0;

		while ((len = uchan_recv(&chan, req, sizeof(req))) != UCHAN_E_EMPTY) {
			uint32_t n;

			if (len < (int)sizeof(struct uchan_msg_hdr)) {
				/* nonsense from the peer: drop what is queued */
				rtos_printf("rtos: channel %u: bad message (%d): flushed\n", bc->id, len);
				uchan_rx_flush(&chan);
				break;
			}
			n = answer(len);
			while (uchan_send(&chan, rep, n) == UCHAN_E_FULL) {
				board_channel_notify(bc->id); /* let the peer drain */
				rtos_sleep(rtos_us(100));
			}
			sent++;
			if (++served == 1)
				rtos_printf("rtos: channel %u: first request served\n", bc->id);
		}
		if (sent)
			board_channel_notify(bc->id);
		rtos_sem_take(&doorbell, RTOS_FOREVER);
	}
}

void chan_service_start(unsigned prio)
{
	bc = board_channel(0);
	if (!bc)
		return;
	if (bc->read_only || uchan_init(&chan, (void *)(uintptr_t)bc->base, bc->size, bc->first)) {
		rtos_printf("rtos: channel %u: unusable (read-only or too small)\n", bc->id);
		return;
	}
	rtos_sem_init(&doorbell, 0, 1);
	if (board_irq_attach(bc->intid, doorbell_isr, NULL)) {
		rtos_printf("rtos: channel %u: cannot attach INTID %u\n", bc->id, bc->intid);
		return;
	}
	rtos_task_create(&service_task, "channel", service_main, NULL, prio, service_stack,
			 sizeof(service_stack));
}
