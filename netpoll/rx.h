// SPDX-License-Identifier: GPL-2.0
// The rx validator: what a received frame is to one netpoll, decided without touching the
// skb (it may be shared and nonlinear). Pure logic over the read-only views of skb_shim.c.
#pragma once

#include <cxx/types.h>

#include "../include/cxx_netpoll.h"
#include "shim.h"

namespace netpoll {

using cxx::u16;
using cxx::u32;
using cxx::u8;

struct RxTarget {
	bool ipv6;
	const u8 *local_ip;	// 4 or 16 bytes, network order
	u16 local_port;		// host order
	const u8 *dev_mac;	// nullptr: do not compare (a bond master: its slaves decided)
};

enum class RxAction : u8 {
	pass,		// to the stack, untouched
	drop,		// addressed to our port but malformed: the stack must not answer it
	deliver,	// valid: to the hook, then consumed
};

struct RxResult {
	cxx_netpoll_rx_reason reason;
	RxAction action;
	cxx_netpoll_peer from;	// when delivered
	u32 payload_off;	// UDP payload, from skb->data
	u32 payload_len;
	bool csum_fault;	// CHECKSUM_COMPLETE disagreed with the software sum
};

[[nodiscard]] RxResult classify(const RxTarget &target, const sk_buff *skb);

} // namespace netpoll
