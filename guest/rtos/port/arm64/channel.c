// SPDX-License-Identifier: Apache-2.0
/* Umbra channels and the RTC as the board offers them (board.h). */
#include "arch.h"
#include "umbra_abi.h"

const struct board_channel *board_channel(unsigned index)
{
	return index < board.nr_chan ? &board.chan[index] : NULL;
}

long board_channel_notify(unsigned id)
{
	return (long)fw_call(UMBRA_HC_CHANNEL_NOTIFY, id, 0, 0).x0;
}

uintptr_t board_rtc(void)
{
	return (uintptr_t)board.rtc;
}
