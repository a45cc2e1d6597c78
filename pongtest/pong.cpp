// SPDX-License-Identifier: GPL-2.0
// cxx_pongtest's responder: every valid datagram to our port gets exactly one "PONG" back, to
// the sender's MAC, address and port, through the core. The core sees that this CPU is inside
// the receiving device's NAPI poll and defers the reply to the netpoll's own queue: a reply
// is never transmitted from inside the poll that received its request.
#include <cxx/atomic.h>

#include "pongtest.h"

namespace {

constexpr char pong_payload[] = "PONG";

constinit cxx::Counter received;
constinit cxx::Counter replied;

} // namespace

// The rx hook itself (C linkage): the core calls it from the receive path; its send
// disables IRQs for the transmit.
extern "C" void pong_answer(cxx_netpoll *np, const cxx_netpoll_peer *from, const char *, int)
{
	received.inc();
	cxx_netpoll_send_udp_to(np, from, pong_payload, int(sizeof(pong_payload) - 1));
	replied.inc();
}

extern "C" void pong_get_stats(const cxx_netpoll *np, pong_stats *out)
{
	cxx_netpoll_stats core {};
	cxx_netpoll_get_stats(np, &core);
	out->received = received.read();
	out->replied = replied.read();
	out->deferred = core.deferred;
	out->dropped = cxx_netpoll_dropped(&core);
	out->malformed = 0;
	for (unsigned r = CXX_NETPOLL_RX_GSO; r <= CXX_NETPOLL_RX_EXT_HEADER; r++)
		out->malformed += core.rx[r];
}
