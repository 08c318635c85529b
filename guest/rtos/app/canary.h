// SPDX-License-Identifier: Apache-2.0
#ifndef RTOS_APP_CANARY_H
#define RTOS_APP_CANARY_H

/* The DMA canary (canary.c): fill the board's canary page with a pattern
 * and start a task at priority prio that checks it. */
void canary_start(unsigned prio);

#endif
