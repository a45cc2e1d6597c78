// SPDX-License-Identifier: GPL-2.0
// One attached netpoll: netpoll::State, which C sees as the opaque struct cxx_netpoll_state
// (cxx_netpoll::state). The kernel objects it owns are struct cxxnp_kobjs (netpoll_shim.c).
#pragma once

#include <cxx/atomic.h>
#include <cxx/list.h>
#include <cxx/oops_wait.h>
#include <cxx/result.h>

#include "netpoll.h"
#include "shim.h"

namespace netpoll {

enum class Stat : unsigned {
#define NETPOLL_STAT(name) name,
	CXX_NETPOLL_TX_COUNTERS(NETPOLL_STAT)
#undef NETPOLL_STAT
	count_,
};

// What a send may do to the devices below it.
struct TxCtx {
	bool may_poll;		// retry a busy device, polling it between tries (poll_dev
				// polls from hard IRQ only in a panic)
	bool enter_stacked;	// call into a stacked device whose xmit reaches the kernel's
				// netpoll (which polls drivers): not from hard IRQ or a no_poll
				// sender's send path; its work item may
};

// What one try at handing an skb to a device came to.
struct TxOutcome {
	enum Kind { sent, dropped, busy } kind;
	Stat why;		// dropped: the counter
	sk_buff *skb;		// busy: what to keep in line (a lower device may hand back another)
};

// One send through a registered upper device (cxx_netpoll_register_upper), from the
// sender's netpoll down into the upper's xmit and from there into the nested
// cxx_netpoll_send_skb of a lower device's netpoll: that send runs with the sender's
// context and reports back here, so the sender counts each datagram once and keeps what the
// lower device could not take in its own queue, in order. Lives on the sender's stack, IRQs
// off throughout; this CPU's innermost one is published per CPU (only an NMI can interrupt,
// and its own sends are told apart by nmi).
struct Nest {
	net_device *upper;
	TxCtx ctx;
	bool nmi;
	bool sent = false;		// a lower device took it (broadcast: one copy at least)
	Stat drop = Stat::count_;	// or dropped it, and why
	sk_buff *held = nullptr;	// or could not take it now: the sender keeps it

	void hold(sk_buff *skb);	// the first copy; another (broadcast) is freed: the held
					// one goes through the upper again, to every lower device
};

class State final {
public:
	// Attaches np to dev: kernel npinfo, pool, debugfs. Caller holds RTNL.
	static cxx::Result<State *> create(cxx_netpoll &np, net_device *dev);
	// Detaches (if still attached) and frees. Caller holds RTNL.
	void destroy();
	// Device going away (NETDEV_UNREGISTER) or cleanup: stop using it. Caller holds RTNL.
	void detach();

	// IRQs off, inside an RCU read section.
	void send_udp(const cxx_netpoll_peer &to, const char *msg, cxx::usize len);
	int send_skb(sk_buff *skb);
	// send_skb nested in an upper's send (cxx_netpoll_send_skb with a Nest of this CPU).
	int send_nested(Nest &nest, sk_buff *skb);
	sk_buff *try_nested(Nest &nest, sk_buff *skb);	// returns what it could not take
	int send_copy(Nest &nest, sk_buff *skb);	// one of several copies (broadcast)
	// Attached, and a grace period has passed since it was published.
	[[nodiscard]] bool ready() const;

	void tx_work();
	void refill_work();
	void fill_stats(unsigned long long *vals, unsigned n) const;
	void fill_rx_stats(unsigned long long *vals, unsigned n) const;
	void stats_into(cxx_netpoll_stats &st) const;
	// The netdev-ingress hook (softirq, RCU read side): validate, deliver, count.
	cxxnp_rx_verdict rx(sk_buff *skb);
	[[nodiscard]] net_device *device() const { return dev_.load(cxx::Order::acquire); }
	void count(Stat s) { stats_[unsigned(s)].inc(); }

	cxx::ListNode node_;	// registry, under RTNL

private:
	friend class cxx::Owned<State>;
	explicit State(cxx_netpoll &np) : np_(np) {}
	~State();
	cxx::Result<void> attach(net_device *dev);
	void publish(net_device *dev);

	sk_buff *get_skb(net_device *dev, unsigned size);
	int xmit_or_defer(net_device *dev, sk_buff *skb, bool poll_ok);
	bool try_inline(net_device *dev, sk_buff *skb, bool poll_ok);
	[[nodiscard]] bool may_poll() const;	// np_.no_poll, unless an oops is in progress
	void defer(sk_buff *skb);
	void flush_for_oops(net_device *dev);
	// The work item holds a dequeued skb, and will give it back: not once panic() has
	// stopped the other CPUs (it may be one of them, or the context the panic interrupted).
	[[nodiscard]] bool drain_pending() const;
	// It never will: panic() stopped it inside the driver with a frame (see resend_stopped).
	[[nodiscard]] bool stopped_in_driver() const;
	void resend_stopped(net_device *dev);
	[[nodiscard]] bool queue_waiting() const;
	void drop(sk_buff *skb, Stat why);

	cxx_netpoll &np_;
	cxxnp_kobjs *kobjs_ = nullptr;
	cxx::Atomic<net_device *> dev_;
	cxx::Atomic<unsigned> draining_;	// the tx work holds a dequeued skb
	cxx::OopsWait<20000> drain_wait_;	// for it, in an oops (flush_for_oops)
	cxx::Counter stats_[unsigned(Stat::count_)];
	cxx::Counter rx_stats_[CXX_NETPOLL_RX_REASONS];
	unsigned frame_room_ = 0;		// allocation size of a pool skb
	unsigned long published_gp_ = 0;	// RCU cookie taken when published
	char debugfs_name_[64] = {};
};

// Polls dev for tx completions (ndo_poll_controller + budget-0 NAPI). IRQs off.
void poll_dev(net_device *dev);

} // namespace netpoll
