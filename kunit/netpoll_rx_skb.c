// SPDX-License-Identifier: GPL-2.0
/* The validator's read-only skb views, compiled into the test module. */
#include "../netpoll/skb_shim.c"
