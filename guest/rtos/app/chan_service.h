// SPDX-License-Identifier: Apache-2.0
#ifndef CHAN_SERVICE_H
#define CHAN_SERVICE_H

/* Serve time and echo requests on the first Umbra channel, if there is
 * one (chan_service.c). Call before rtos_start(). */
void chan_service_start(unsigned prio);

#endif
