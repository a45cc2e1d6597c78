// SPDX-License-Identifier: GPL-2.0
/* The validator's read-only skb views, compiled into the test module. */
#include "../netpoll/rx_skb.c"
