// SPDX-License-Identifier: GPL-2.0
// The rx validator under test, compiled into the test module (only skb_shim.c's views below it).
#include "../netpoll/rx.cpp"
