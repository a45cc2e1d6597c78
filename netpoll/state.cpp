// SPDX-License-Identifier: GPL-2.0
// The netpoll core: attach/detach, send_udp, send_skb with bounded retry and deferral, the
// deferred queue's work item, the skb pool and poll_dev.
#include <cxx/context.h>
#include <cxx/new.h>
#include <cxx/warn.h>

#include "frame.h"
#include "state.h"
#include "rx.h"

using namespace cxx;

namespace netpoll {
namespace {

constexpr unsigned usec_per_poll = 50;		// as 6.1: retry for about one jiffy
constexpr unsigned max_udp_chunk = 1460;
constexpr unsigned skb_alloc_tries = 10;
constexpr unsigned busy_retry_ms = 10;

// All attached netpolls, for NETDEV_UNREGISTER. Protected by RTNL.
constinit List<State, &State::node_> registry;
constinit Atomic<u32> next_id;
constinit Atomic<u16> ip_ident;
// For a device to be done with a frame, once panic() has stopped the other CPUs (see
// xmit_leaf): a device that never completes is not waited for again in this panic.
constinit OopsWait<20000> tx_done_wait;

bool owner_active(net_device *dev)
{
	for (napi_struct *n = cxxnp_napi_next(dev, nullptr); n; n = cxxnp_napi_next(dev, n))
		if (cxxnp_napi_owner_is_this_cpu(n))
			return true;
	return false;
}

// Called inside an RCU read section (IRQs off) by the send paths; destroy() unpublishes
// the state and waits for a grace period before freeing it.
State *state_of(const cxx_netpoll *np)
{
	return np ? reinterpret_cast<State *>(__atomic_load_n(&np->state, __ATOMIC_ACQUIRE))
		  : nullptr;
}

void format_name(char *buf, usize size, const char *a, const char *b, u32 id)
{
	// "<a>-<b>-<id>", truncated to size; no snprintf in freestanding C++.
	usize n = 0;
	auto put = [&](char c) {
		if (n + 1 < size)
			buf[n++] = c;
	};
	for (const char *p = a ? a : "netpoll"; *p; p++)
		put(*p == '/' ? '_' : *p);
	put('-');
	for (const char *p = b; *p; p++)
		put(*p);
	put('-');
	char digits[10];
	int d = 0;
	do {
		digits[d++] = char('0' + id % 10);
		id /= 10;
	} while (id);
	while (d)
		put(digits[--d]);
	buf[n] = 0;
}

} // namespace

// --- attach / detach ---------------------------------------------------------------------------

Result<State *> State::create(cxx_netpoll &np, net_device *dev)
{
	CXX_ASSERT_RTNL();
	if (np.lower && np.rx_hook)
		return Error(err::EINVAL);	// the upper's receive path sees the frames
	Owned<State> owned(new (gfp_kernel) State(np));	// ~State undoes a failed attach
	if (!owned)
		return Error(err::ENOMEM);
	TRY(owned->attach(dev));
	State *s = owned.release();
	s->publish(dev);
	// Last: a hook that runs finds the state published, so its reply is sent (and counted).
	if (np.rx_hook) {
		if (int rc = cxxnp_kobjs_rx_register(s->kobjs_, dev)) {
			s->destroy();
			return Error(rc);
		}
	}
	return s;
}

State::~State()
{
	if (kobjs_)
		cxxnp_kobjs_free(kobjs_);	// detached by now (or never attached)
}

// The kernel objects, the skb pool and the kernel's netpoll on dev (npinfo).
Result<void> State::attach(net_device *dev)
{
	kobjs_ = cxxnp_kobjs_alloc(this);
	if (!kobjs_)
		return Error(err::ENOMEM);
	frame_room_ = cxxnp_dev_headroom(dev) + unsigned(udp_frame_len(true, max_udp_chunk)) +
		      cxxnp_dev_tailroom(dev);
	// A lower netpoll only passes on skbs its upper's sender built.
	for (unsigned i = 0; !np_.lower && i < cxxnp_param_pool_size(); i++)
		if (cxxnp_pool_add(kobjs_, frame_room_))
			break;	// a short pool still works; the refill work retries
	if (int rc = cxxnp_inflight_alloc(kobjs_, frame_room_))
		return Error(rc);
	if (int rc = cxxnp_kobjs_attach(kobjs_, dev, np_.name ? np_.name : "cxx_netpoll"))
		return Error(rc);
	return ok();
}

// Attached: visible to senders (np.state), to the notifier (registry) and in debugfs.
void State::publish(net_device *dev)
{
	dev_.store(dev, Order::release);
	np_.dev = dev;
	__atomic_store_n(&np_.state, reinterpret_cast<cxx_netpoll_state *>(this), __ATOMIC_RELEASE);
	published_gp_ = cxxnp_rcu_cookie();
	registry.push_back(*this);
	if (np_.lower)
		return;		// counted by its upper's sender
	format_name(debugfs_name_, sizeof(debugfs_name_), np_.name, cxxnp_dev_name(dev),
		    next_id.fetch_add(1, Order::relaxed));
	cxxnp_kobjs_debugfs_add(kobjs_, debugfs_name_);
}

bool State::ready() const
{
	return device() && cxxnp_rcu_cookie_passed(published_gp_);
}

void Nest::hold(sk_buff *skb)
{
	if (!held)
		held = skb;
	else
		cxxnp_skb_free_irq(skb);
}

void State::detach()
{
	CXX_ASSERT_RTNL();
	// First the hook, if any (waiting for running ones), while the device is still ours:
	// until then every frame is validated and counted as usual.
	cxxnp_kobjs_rx_unregister(kobjs_);
	net_device *dev = dev_.exchange(nullptr, Order::acq_rel);
	if (!dev)
		return;
	np_.dev = nullptr;
	// Senders read dev_ inside RCU read sections (or with IRQs off): after this, none
	// uses dev and none queues.
	cxx_synchronize_rcu();
	cxxnp_kobjs_cancel_works(kobjs_);
	unsigned dropped = cxxnp_txq_purge(kobjs_);
	stats_[unsigned(Stat::drop_dev_down)].add(dropped);
	cxxnp_kobjs_detach(kobjs_, dev);
}

void State::destroy()
{
	CXX_ASSERT_RTNL();
	// Unpublish first: senders read np->state inside RCU read sections (IRQs off), so after
	// the grace period none still holds this state, attached or not.
	__atomic_store_n(&np_.state, nullptr, __ATOMIC_RELEASE);
	detach();
	cxx_synchronize_rcu();
	if (np_.final_stats)
		stats_into(*np_.final_stats);	// nothing counts any more
	registry.remove(*this);
	cxxnp_kobjs_debugfs_remove(kobjs_);
	delete this;
}

// --- transmit ----------------------------------------------------------------------------------

void State::drop(sk_buff *skb, Stat why)
{
	cxxnp_skb_free_irq(skb);
	count(why);
}

bool State::may_poll() const
{
	return !np_.no_poll || cxx_oops_in_progress();
}

void State::defer(sk_buff *skb)
{
	// The skb the work item holds between dequeue and requeue still counts.
	const unsigned limit = np_.txq_limit ? np_.txq_limit : cxxnp_param_txq_limit();
	if (cxxnp_txq_len(kobjs_) + draining_.load(Order::relaxed) >= limit)
		return drop(skb, Stat::drop_queue_full);
	if (cxxnp_txq_tail(kobjs_, skb) != 0)	// stuck (NMI): see queue_waiting
		return drop(skb, Stat::drop_queue_full);
	count(Stat::deferred);
	cxxnp_kobjs_schedule_tx(kobjs_, 0);
}

// The first time a driver re-enabled IRQs in its xmit (once: the warning itself goes out
// through the console, which may be us).
static bool irqs_enabled_by_driver()
{
	static constinit Atomic<bool> warned;
	if (cxx_irqs_disabled())
		return false;
	if (!warned.exchange(true, Order::relaxed))
		cxx_warn(__FILE__, __LINE__, "driver enabled IRQs in xmit");
	return true;
}

// Once panic() has stopped the other CPUs the machine may reset right after the last line
// (panic=-1 reboots at once, before the device has fetched the frame it was given): a frame
// counts as gone when the device is done with it, not when its driver took it. Outside NMI
// the driver gets a clone, and the data coming back to our skb alone (the driver freed the
// clone once the device sent it) says it is done. In NMI nothing is allocated or freed (see
// get_skb, poll_dev): a reference of ours across the driver's xmit, and it being the last
// one again, says the device is done; the skb is then ours to frame the next line in
// (cxxnp_skb_nmi_recycle). The device is polled meanwhile. Bounded; see tx_done_wait.
template <typename Done> static void wait_tx_done(net_device *dev, Done done)
{
	const unsigned budget = tx_done_wait.budget_us();
	for (unsigned waited = 0; !done(); waited += usec_per_poll) {
		if (waited >= budget) {
			if (budget)
				tx_done_wait.timed_out();
			return;
		}
		poll_dev(dev);
		cxx_udelay(usec_per_poll);
	}
	tx_done_wait.acquired();
}

// One try at handing skb to a device that is not a registered upper.
static TxOutcome xmit_leaf(net_device *dev, netdev_queue *txq, sk_buff *skb)
{
	const bool panic = cxxnp_in_panic(), nmi = panic && cxxnp_in_nmi();
	const bool stacked = cxxnp_dev_is_stacked(dev);
	sk_buff *mine = nullptr;	// in a panic, outside NMI: ours, the driver gets a clone
	if (panic && !nmi && !stacked) {	// a stacked device: its lowers' drivers
		if (sk_buff *clone = cxxnp_skb_clone(skb)) {
			mine = skb;
			skb = clone;
		}
	}
	const bool held = nmi && !stacked;	// in NMI: our reference across the xmit
	if (held)
		cxxnp_skb_hold(skb);
	// The kernel's netpoll under a stacked device polls drivers: from hard IRQ only in a
	// panic (enter_stacked_now), where lockdep looks away as in poll_dev.
	const bool quiet = panic && stacked && cxx_in_hardirq();
	if (quiet)
		cxxnp_lockdep_off();
	const enum cxxnp_xmit r = cxxnp_xmit(dev, txq, skb);
	if (quiet)
		cxxnp_lockdep_on();
	switch (r) {
	case CXXNP_XMIT_DONE:
		if (mine) {
			wait_tx_done(dev, [mine] { return !cxxnp_skb_data_shared(mine); });
			cxxnp_skb_free_irq(mine);
		} else if (held) {
			wait_tx_done(dev, [skb] { return bool(cxxnp_skb_sole(skb)); });
			if (cxxnp_skb_unhold(skb))
				cxxnp_skb_nmi_recycle(skb);
		}
		return { TxOutcome::sent, Stat::sent, nullptr };
	case CXXNP_XMIT_DROPPED:	// no memory to push the VLAN tag (the clone is freed)
		if (mine)
			cxxnp_skb_free_irq(mine);
		if (held && cxxnp_skb_unhold(skb))
			cxxnp_skb_nmi_recycle(skb);
		return { TxOutcome::dropped, Stat::drop_no_skb, nullptr };
	case CXXNP_XMIT_BUSY:
		if (held)
			cxxnp_skb_unhold(skb);	// the driver did not take it: ours again
		break;
	}
	if (mine) {
		cxxnp_skb_free_irq(skb);
		skb = mine;
	}
	return { TxOutcome::busy, Stat::count_, skb };
}

// One try at handing skb to dev (IRQs off, RCU read side). Through a registered upper, the
// nested send of a lower netpoll runs with ctx and reports back (Nest).
static TxOutcome xmit_once(net_device *dev, netdev_queue *txq, sk_buff *skb, TxCtx ctx)
{
	if (!cxxnp_dev_is_cxx_upper(dev))
		return xmit_leaf(dev, txq, skb);
	Nest nest { .upper = dev, .ctx = ctx, .nmi = bool(cxxnp_in_nmi()) };
	void *outer = cxxnp_nest_swap(&nest);
	const enum cxxnp_xmit r = cxxnp_xmit(dev, txq, skb);
	cxxnp_nest_swap(outer);
	if (r == CXXNP_XMIT_BUSY)	// the upper did not take it
		return { TxOutcome::busy, Stat::count_, skb };
	if (nest.held) {		// it goes through the upper again: another lower, maybe
		cxxnp_skb_set_dev(nest.held, dev);
		return { TxOutcome::busy, Stat::count_, nest.held };
	}
	if (nest.sent)
		return { TxOutcome::sent, Stat::sent, nullptr };
	// Dropped below, or by the upper itself: it had no lower device to send it through.
	return { TxOutcome::dropped, nest.drop != Stat::count_ ? nest.drop : Stat::drop_dev_down,
		 nullptr };
}

// May a send call into dev, a stacked device that is not a registered upper (VLAN, in-tree
// bonding)? Its xmit reaches the kernel's netpoll, which polls drivers and spins on their
// tx locks. Not for a sender that must not poll; from hard IRQ only once panic() has
// stopped the other CPUs (the deferred lines would never leave otherwise; lockdep looks
// away, see xmit_leaf); never from NMI (the kernel's netpoll frees skbs: the slab's locks);
// and in a panic not while a tx lock below it is held (by a stopped CPU: the kernel's
// netpoll would spin on it for ever, and the machine would not reboot).
static bool enter_stacked_now(net_device *dev, bool poll_ok)
{
	if (!poll_ok)
		return false;
	if (!cxxnp_in_panic())
		return !cxx_in_hardirq();
	return !cxxnp_in_nmi() && !cxxnp_lowers_xmit_locked(dev);
}

// IRQs off, RCU read side (asserted by its callers, send_udp and send_skb: not twice per
// packet), dev attached. Consumes skb.
int State::xmit_or_defer(net_device *dev, sk_buff *skb, bool poll_ok)
{
	if (!cxxnp_dev_running(dev) || !cxxnp_dev_present(dev)) {
		drop(skb, Stat::drop_dev_down);
		return 1;
	}
	// Set up through __cxx_netpoll_setup a moment ago: no NAPI poll that began before
	// npinfo was visible may still run when we poll or send (6.1's netpoll_setup waits).
	if (!ready())
		return defer(skb), 0;
	// During an oops the work item may never run again (a panic stops scheduling): what is
	// queued (and what it holds) goes out from here first, in order.
	if (cxx_oops_in_progress() && !owner_active(dev) &&
	    (queue_waiting() || drain_pending() || stopped_in_driver()))
		flush_for_oops(dev);
	// Keep order behind what is already deferred (the fence keeps the two reads in order
	// against the work item, which raises draining_ before it dequeues), and never recurse
	// into the NAPI poll this CPU is running (a reply sent from the device's receive path).
	const bool queue_empty = !queue_waiting();
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!queue_empty || drain_pending() || owner_active(dev))
		return defer(skb), 0;
	// A stacked device (VLAN, in-tree bonding...) reaches its lower device through the
	// kernel's netpoll, which polls drivers: only where enter_stacked_now says. A registered
	// upper's xmit comes back to us (Nest).
	if (!cxxnp_dev_is_cxx_upper(dev) && cxxnp_dev_is_stacked(dev) &&
	    !enter_stacked_now(dev, poll_ok))
		return defer(skb), 0;
	return try_inline(dev, skb, poll_ok) ? 0 : 1;
}

// Retry for about a jiffy, polling between tries; a link without carrier, or a sender that
// must not poll, gets a single try (its queue is normally stopped, or only a poll would free
// it: no point spinning with IRQs off). Through an upper, a single try: the lower netpoll
// retries. What stays busy is deferred. False if dropped (counted).
bool State::try_inline(net_device *dev, sk_buff *skb, bool poll_ok)
{
	netdev_queue *txq = cxxnp_pick_txq(dev, skb);
	unsigned tries = cxxnp_dev_carrier_ok(dev) && poll_ok && !cxxnp_dev_is_cxx_upper(dev)
				 ? cxx_usecs_per_jiffy() / usec_per_poll
				 : 1;
	while (tries--) {
		TxOutcome o = xmit_once(dev, txq, skb, { .may_poll = poll_ok,
							 .enter_stacked = poll_ok && !cxx_in_hardirq() });
		if (o.kind == TxOutcome::sent)
			return count(Stat::sent), true;
		if (o.kind == TxOutcome::dropped)
			return count(o.why), false;
		skb = o.skb;
		if (irqs_enabled_by_driver() || !tries)
			break;
		poll_dev(dev);	// tx completions may free the queue
		cxx_udelay(usec_per_poll);
	}
	defer(skb);
	return true;
}

// Nested in an upper's send (see Nest): the sender's context, and what cannot go now goes
// back to the sender instead of into this netpoll's queue. Consumes skb (held or freed).
int State::send_nested(Nest &nest, sk_buff *skb)
{
	if (sk_buff *back = try_nested(nest, skb)) {
		nest.hold(back);
		return 0;
	}
	return nest.sent ? 0 : 1;
}

// send_nested, but what this device cannot take now is returned (nullptr: sent, or dropped
// and counted), so the upper may try another lower device (cxx_netpoll_try_send_skb).
sk_buff *State::try_nested(Nest &nest, sk_buff *skb)
{
	net_device *dev = device();
	// Not ready yet, going away, busy with its own deferred skbs (an in-tree sender's), or
	// stacked but not a registered upper (a VLAN as a slave: the kernel's netpoll below it
	// polls drivers) where the sender's work item would not call it: the sender keeps the
	// skb and tries again through the upper.
	if (!dev || !cxxnp_rcu_cookie_passed(published_gp_) || !cxxnp_dev_running(dev) ||
	    !cxxnp_dev_present(dev) || queue_waiting() || drain_pending() ||
	    owner_active(dev) ||
	    (!nest.ctx.enter_stacked && cxxnp_dev_is_stacked(dev) &&
	     !cxxnp_dev_is_cxx_upper(dev)))
		return skb;
	netdev_queue *txq = cxxnp_pick_txq(dev, skb);
	// As try_inline: retry for about a jiffy if the sender may poll (during an oops too,
	// also from hard IRQ, where poll_dev polls only in a panic: some drivers reclaim in
	// xmit).
	unsigned tries = cxxnp_dev_carrier_ok(dev) && nest.ctx.may_poll
				 ? cxx_usecs_per_jiffy() / usec_per_poll
				 : 1;
	while (tries--) {
		TxOutcome o = xmit_once(dev, txq, skb, nest.ctx);
		if (o.kind == TxOutcome::sent) {
			count(Stat::sent);
			nest.sent = true;
			return nullptr;
		}
		if (o.kind == TxOutcome::dropped) {
			count(o.why);
			nest.drop = o.why;
			return nullptr;
		}
		skb = o.skb;
		if (irqs_enabled_by_driver() || !tries)
			break;
		if (nest.ctx.may_poll)
			poll_dev(dev);
		cxx_udelay(usec_per_poll);
	}
	return skb;
}

// Something is deferred and first in line. Not in NMI while the queue's lock is held (the
// context the NMI interrupted, or a CPU the panic stopped, holds it for good): what it
// holds is lost, and what comes now goes out inline rather than into it.
bool State::queue_waiting() const
{
	return cxxnp_txq_len(kobjs_) != 0 && !cxxnp_txq_stuck(kobjs_);
}

bool State::drain_pending() const
{
	return draining_.load(Order::acquire) != 0 && !cxxnp_in_panic();
}

bool State::stopped_in_driver() const
{
	return cxxnp_in_panic() && draining_.load(Order::acquire) != 0 &&
	       cxxnp_inflight_len(kobjs_) != 0;
}

// Panic() stopped the work item inside the driver (an NMI on its CPU, or the stop IPI in a
// driver that enables IRQs): the frame it was sending may sit in the ring with the device
// never told, and the machine resets after the panic. Its copy goes first in line again, to
// leave through whatever can take it now (through a bond, the other slave). If the device
// had been told, the host gets the line twice, in a row; better than never.
void State::resend_stopped(net_device *dev)
{
	if (!stopped_in_driver())
		return;
	const unsigned len = cxxnp_inflight_take(kobjs_);
	if (!len)
		return;
	const unsigned headroom = cxxnp_dev_headroom(dev) - unsigned(eth_hlen);
	sk_buff *skb = get_skb(dev, headroom + len + cxxnp_dev_tailroom(dev));
	if (!skb)
		return count(Stat::drop_no_skb);
	// Counted once, as it leaves: the stopped work item never counts the original.
	cxxnp_inflight_restore(kobjs_, skb, dev, headroom, len);
	if (cxxnp_txq_head(kobjs_, skb) != 0)	// taken from under us in NMI
		drop(skb, Stat::drop_queue_full);
}

// One of several copies (broadcast), nested in an upper's send: the sender's context, but
// what this device cannot take now waits in this netpoll's own queue, in order, so the
// copies that went are not sent again. The datagram counts as sent for the sender once a
// copy went or waits here.
int State::send_copy(Nest &nest, sk_buff *skb)
{
	net_device *dev = device();
	if (!dev) {
		drop(skb, Stat::drop_not_attached);
		nest.drop = Stat::drop_not_attached;
		return 1;
	}
	if (xmit_or_defer(dev, skb, nest.ctx.may_poll) != 0) {
		nest.drop = Stat::drop_dev_down;
		return 1;
	}
	nest.sent = true;
	return 0;
}

// IRQs off, oops in progress: send the deferred queue now, polling as 6.1 does, and stop at
// the first skb the device will not take (it stays first in line). The work item on another
// CPU may be inside the driver with the skb that was first in line (draining_): it is waited
// for, or the queue behind it would overtake it. That CPU may never come back (it oopsed
// there, or panic stopped it): the wait is bounded, once per oops (cxx/oops_wait.h), and
// not waited at all once panic has stopped the other CPUs (drain_pending).
void State::flush_for_oops(net_device *dev)
{
	unsigned waited = 0;
	while (drain_pending()) {
		if (waited >= drain_wait_.budget_us()) {
			drain_wait_.timed_out();
			return;		// what is queued stays behind the skb held
		}
		cxx_udelay(usec_per_poll);
		waited += usec_per_poll;
	}
	drain_wait_.acquired();
	if (!cxxnp_dev_is_cxx_upper(dev) && cxxnp_dev_is_stacked(dev) &&
	    !enter_stacked_now(dev, true))
		return;
	resend_stopped(dev);
	while (sk_buff *skb = cxxnp_txq_dequeue(kobjs_)) {
		netdev_queue *txq = cxxnp_mapped_txq(dev, skb);
		bool gone = false;
		for (unsigned tries = cxx_usecs_per_jiffy() / usec_per_poll; tries && !gone;
		     tries--) {
			TxOutcome o = xmit_once(dev, txq, skb,
						{ .may_poll = true, .enter_stacked = true });
			if (o.kind != TxOutcome::busy) {
				count(o.why);
				gone = true;
				break;
			}
			skb = o.skb;
			poll_dev(dev);
			cxx_udelay(usec_per_poll);
		}
		if (!gone) {
			if (cxxnp_txq_head(kobjs_, skb) != 0)	// taken from under us in NMI
				drop(skb, Stat::drop_queue_full);
			return;
		}
	}
}

// IRQs off, RCU read side. Consumes skb.
int State::send_skb(sk_buff *skb)
{
	CXX_ASSERT_IRQS_DISABLED();
	CXX_ASSERT_RCU_READ();
	net_device *dev = device();
	if (!dev) {
		drop(skb, Stat::drop_not_attached);
		return 1;
	}
	return xmit_or_defer(dev, skb, may_poll());
}

sk_buff *State::get_skb(net_device *dev, unsigned size)
{
	// In NMI (a panic's: printk defers NMI output until then) nothing is allocated: the
	// slab allocator and its debugging (kmemleak, KASAN) take locks that the context the
	// NMI interrupted may hold (a debug kernel hung there). The skb of the frame sent last
	// (see xmit_leaf), else the pool.
	const bool nmi = cxxnp_in_nmi();
	for (unsigned tries = 0; tries < skb_alloc_tries; tries++) {
		sk_buff *skb = nmi ? cxxnp_skb_nmi_take(size) : cxxnp_skb_alloc(size);
		if (!skb)
			skb = cxxnp_pool_get(kobjs_, size);
		if (cxxnp_pool_len(kobjs_) < cxxnp_param_pool_size())
			cxxnp_kobjs_schedule_refill(kobjs_);
		if (skb)
			return skb;
		if (!may_poll())
			return nullptr;
		poll_dev(dev);	// completions may give memory back
	}
	return nullptr;
}

// IRQs off, RCU read side.
void State::send_udp(const cxx_netpoll_peer &to, const char *msg, usize len)
{
	CXX_ASSERT_IRQS_DISABLED();
	CXX_ASSERT_RCU_READ();
	net_device *dev = device();
	if (!dev)
		return count(Stat::drop_not_attached);
	const bool v6 = np_.ipv6;
	// The UDP and IP length fields are 16 bits: a longer message cannot be framed.
	if (len > 0xffff - udp_hlen - (v6 ? 0 : ipv4_hlen))
		return count(Stat::drop_no_skb);
	const usize frame_len = udp_frame_len(v6, len);
	// Read once: the headroom sizes the skb and then places the frame in it.
	const unsigned headroom = cxxnp_dev_headroom(dev);
	sk_buff *skb = get_skb(dev, headroom + unsigned(frame_len) + cxxnp_dev_tailroom(dev));
	if (!skb)
		return count(Stat::drop_no_skb);
	u8 *frame = cxxnp_skb_frame(skb, headroom - unsigned(eth_hlen), unsigned(frame_len));
	UdpFrameSpec spec {
		.src_mac = cxxnp_dev_addr(dev),
		.dst_mac = to.mac,
		.ipv6 = v6,
		.src_ip = np_.local_ip.ip6,
		.dst_ip = to.ip.ip6,
		.src_port = np_.local_port,
		.dst_port = to.port,
		.ip_id = v6 ? u16(0) : u16(ip_ident.fetch_add(1, Order::relaxed) + 1),
	};
	build_udp_frame(frame, spec, msg, len);
	cxxnp_skb_set_headers(skb, dev, v6 ? eth_p_ipv6 : eth_p_ip, unsigned(l3_offset()),
			      unsigned(l4_offset(v6)));
	xmit_or_defer(dev, skb, may_poll());
}

// --- work items (process context) --------------------------------------------------------------

void State::tx_work()
{
	while (true) {
		// What became of the skb dequeued; dropped here: counted already.
		TxOutcome o { TxOutcome::dropped, Stat::count_, nullptr };
		{
			// Drivers expect their xmit with BH off (as dev_queue_xmit calls it;
			// loopback hands the frame to netif_rx); IRQs off as on the direct path.
			// The skb is dequeued inside: held (draining_) only while IRQs are off, so
			// an oops on another CPU waits for an xmit, never for a preempted worker.
			BhGuard bh;
			IrqSaveGuard irqs;
			draining_.fetch_add(1, Order::acq_rel);
			sk_buff *skb = cxxnp_txq_dequeue(kobjs_);
			if (!skb) {
				draining_.fetch_sub(1, Order::acq_rel);
				return;
			}
			net_device *dev = device();	// detach cancels this work before dev goes
			if (!dev) {
				drop(skb, Stat::drop_not_attached);
			} else if (!cxxnp_dev_present(dev) || !cxxnp_dev_running(dev)) {
				drop(skb, Stat::drop_dev_down);
			} else {
				// A single try: a busy queue is tried again after busy_retry_ms.
				// A copy is kept while the driver has it (resend_stopped).
				cxxnp_inflight_save(kobjs_, skb);
				o = xmit_once(dev, cxxnp_mapped_txq(dev, skb), skb,
					      { .may_poll = false, .enter_stacked = true });
				cxxnp_inflight_clear(kobjs_);
			}
			if (o.kind == TxOutcome::busy)
				(void)cxxnp_txq_head(kobjs_, o.skb);	// still first in line
			draining_.fetch_sub(1, Order::acq_rel);
		}
		if (o.kind == TxOutcome::busy) {
			cxxnp_kobjs_schedule_tx(kobjs_, busy_retry_ms);
			return;
		}
		if (o.why != Stat::count_)
			count(o.why);
		cxx_cond_resched();
	}
}

void State::refill_work()
{
	while (cxxnp_pool_len(kobjs_) < cxxnp_param_pool_size())
		if (cxxnp_pool_add(kobjs_, frame_room_))
			return;
}

void State::fill_stats(unsigned long long *vals, unsigned n) const
{
	for (unsigned i = 0; i < n && i < unsigned(Stat::count_); i++)
		vals[i] = stats_[i].read();
}

void State::stats_into(cxx_netpoll_stats &st) const
{
	unsigned long long v[unsigned(Stat::count_)];
	fill_stats(v, unsigned(Stat::count_));
#define NETPOLL_STAT_OUT(name) st.name = v[unsigned(Stat::name)];
	CXX_NETPOLL_TX_COUNTERS(NETPOLL_STAT_OUT)
#undef NETPOLL_STAT_OUT
	st.queued = cxxnp_txq_len(kobjs_) + draining_.load(Order::relaxed);
	fill_rx_stats(st.rx, CXX_NETPOLL_RX_REASONS);
}

void State::fill_rx_stats(unsigned long long *vals, unsigned n) const
{
	for (unsigned i = 0; i < n && i < unsigned(CXX_NETPOLL_RX_REASONS); i++)
		vals[i] = rx_stats_[i].read();
}

// --- receive (softirq, RCU read side) ----------------------------------------------------------

cxxnp_rx_verdict State::rx(sk_buff *skb)
{
	CXX_ASSERT_RCU_READ();
	net_device *dev = device();
	if (!dev || !np_.rx_hook)
		return CXXNP_RX_PASS;
	const RxTarget target {
		.ipv6 = bool(np_.ipv6),
		.local_ip = np_.local_ip.ip6,
		.local_port = np_.local_port,
		.dev_mac = cxxnp_dev_is_bond_master(dev) ? nullptr : cxxnp_dev_addr(dev),
	};
	RxResult r = classify(target, skb);
	if (r.action == RxAction::deliver) {
		// The hook wants one contiguous payload; most are in the linear part already.
		auto *data = static_cast<const char *>(cxxnp_rx_linear(skb, r.payload_off,
									r.payload_len));
		void *copy = nullptr;
		if (!data) {
			copy = cxxnp_rx_buf_alloc(r.payload_len);
			if (!copy || cxxnp_rx_copy(skb, r.payload_off, copy, r.payload_len)) {
				cxxnp_rx_buf_free(copy);
				rx_stats_[CXX_NETPOLL_RX_NO_MEM].inc();
				return CXXNP_RX_DROP;
			}
			data = static_cast<const char *>(copy);
		}
		rx_stats_[CXX_NETPOLL_RX_DELIVERED].inc();
		np_.rx_hook(&np_, &r.from, data, int(r.payload_len));
		cxxnp_rx_buf_free(copy);
		return CXXNP_RX_CONSUMED;
	}
	rx_stats_[r.reason].inc();
	return r.action == RxAction::drop ? CXXNP_RX_DROP : CXXNP_RX_PASS;
}

// --- polling -----------------------------------------------------------------------------------

// poll_dev, once its context allows it.
static void poll_dev_now(net_device *dev)
{
	// dev_open/dev_close hold npinfo->dev_lock; a device being opened or closed is skipped.
	void *npinfo = cxxnp_npinfo_trylock(dev);
	if (!npinfo)
		return;
	// Drivers take the same locks in poll and xmit: not while this CPU is in its xmit.
	if (cxxnp_dev_running(dev) && !cxxnp_local_xmit_active(dev)) {
		cxxnp_poll_controller(dev);
		for (napi_struct *n = cxxnp_napi_next(dev, nullptr); n; n = cxxnp_napi_next(dev, n)) {
			if (!cxxnp_napi_claim(n))	// someone polls it: never spin
				continue;
			if (cxxnp_napi_svc_begin(n)) {
				cxxnp_napi_poll_tx(n);
				cxxnp_napi_svc_end(n);
			}
			cxxnp_napi_release(n);
		}
	}
	cxxnp_npinfo_unlock(npinfo);
	// Freeing takes the slab allocator's locks (and kmemleak's, KASAN's): not in NMI, where
	// the interrupted context may hold them (a panic's last lines; nothing frees them later,
	// nothing needs to).
	if (!cxxnp_in_nmi())
		cxxnp_zap_completion_queue();
}

void poll_dev(net_device *dev)
{
	// Not from hard IRQ (or NMI): drivers write their poll routines for softirq context and
	// take their locks accordingly (virtio-net's budget-0 tx poll takes the tx lock without
	// trylock, which lockdep rightly reports from hard IRQ; e1000's poll_controller calls
	// disable_irq). A send from hard IRQ that finds the device busy defers instead. 6.1
	// polls here too; this is a deliberate difference. Except once panic() has stopped the
	// other CPUs: what is deferred then never leaves, and a ring that a printk flood filled
	// is freed only by a poll (a panic raised in the keyboard's hard IRQ, or an NMI). Nothing
	// else runs any more; only a tx lock that is held (by a stopped CPU, or by the context
	// the panic interrupted) would make the driver's poll spin for ever: then not. Lockdep's
	// rules are about concurrency that has ended: it looks away.
	// (In a panic also from process context: a stacked device's poll_controller polls its
	// lower devices, whose locks are checked too.)
	const bool panic = cxxnp_in_panic(), hardirq = cxx_in_hardirq();
	if (hardirq && !panic)
		return;
	if (panic && (cxxnp_dev_xmit_locked(dev) || cxxnp_lowers_xmit_locked(dev)))
		return;
	if (hardirq)
		cxxnp_lockdep_off();
	poll_dev_now(dev);
	if (hardirq)
		cxxnp_lockdep_on();
}

} // namespace netpoll

// --- C entry points ----------------------------------------------------------------------------

using netpoll::State;

extern "C" void cxxnp_tx_work(void *owner)
{
	static_cast<State *>(owner)->tx_work();
}

extern "C" void cxxnp_refill_work(void *owner)
{
	static_cast<State *>(owner)->refill_work();
}

extern "C" void cxxnp_stats_fill(void *owner, unsigned long long *vals, unsigned n)
{
	static_cast<const State *>(owner)->fill_stats(vals, n);
}

extern "C" void cxxnp_rx_stats_fill(void *owner, unsigned long long *vals, unsigned n)
{
	static_cast<const State *>(owner)->fill_rx_stats(vals, n);
}

extern "C" cxxnp_rx_verdict cxxnp_rx(void *owner, sk_buff *skb)
{
	return static_cast<State *>(owner)->rx(skb);
}

extern "C" void cxxnp_send_udp_to(cxx_netpoll *np, const cxx_netpoll_peer *to, const char *msg,
				  int len)
{
	if (len < 0 || !msg || !to)
		return;
	IrqSaveGuard irqs;
	RcuReadGuard rcu;
	if (State *s = netpoll::state_of(np))
		s->send_udp(*to, msg, usize(len));
}

extern "C" void cxxnp_send_udp(cxx_netpoll *np, const char *msg, int len)
{
	if (!np)
		return;
	cxx_netpoll_peer to {};
	to.ip = np->remote_ip;
	to.port = np->remote_port;
	for (unsigned i = 0; i < sizeof(to.mac); i++)
		to.mac[i] = np->remote_mac[i];
	cxxnp_send_udp_to(np, &to, msg, len);
}

extern "C" int cxxnp_send_skb(cxx_netpoll *np, sk_buff *skb)
{
	IrqSaveGuard irqs;
	RcuReadGuard rcu;
	State *s = netpoll::state_of(np);
	// Inside a registered upper's xmit for one of our senders (not an NMI's own send that
	// interrupted it): that sender's context and queue.
	auto *nest = static_cast<netpoll::Nest *>(cxxnp_nest_current());
	if (nest && nest->nmi == bool(cxxnp_in_nmi())) {
		if (s)
			return s->send_nested(*nest, skb);
		nest->hold(skb);	// detached (unregistering): through the upper again
		return 0;
	}
	if (s)
		return s->send_skb(skb);
	cxxnp_skb_free_irq(skb);
	return 1;
}

extern "C" sk_buff *cxxnp_try_send_skb(cxx_netpoll *np, sk_buff *skb)
{
	IrqSaveGuard irqs;
	RcuReadGuard rcu;
	auto *nest = static_cast<netpoll::Nest *>(cxxnp_nest_current());
	if (!nest || nest->nmi != bool(cxxnp_in_nmi())) {
		cxxnp_send_skb(np, skb);	// not nested: as any send
		return nullptr;
	}
	State *s = netpoll::state_of(np);
	return s ? s->try_nested(*nest, skb) : skb;
}

extern "C" int cxxnp_hold_skb(sk_buff *skb)
{
	auto *nest = static_cast<netpoll::Nest *>(cxxnp_nest_current());
	if (!nest || nest->nmi != bool(cxxnp_in_nmi()))
		return 0;	// not nested: nobody to give it to
	nest->hold(skb);
	return 1;
}

extern "C" int cxxnp_send_skb_copy(cxx_netpoll *np, sk_buff *skb)
{
	IrqSaveGuard irqs;
	RcuReadGuard rcu;
	State *s = netpoll::state_of(np);
	auto *nest = static_cast<netpoll::Nest *>(cxxnp_nest_current());
	if (!nest || nest->nmi != bool(cxxnp_in_nmi()))
		return cxxnp_send_skb(np, skb);		// not nested: as any send
	if (s)
		return s->send_copy(*nest, skb);
	cxxnp_skb_free_irq(skb);
	return 1;
}

extern "C" int cxxnp_ready(const cxx_netpoll *np)
{
	RcuReadGuard rcu;
	const State *s = netpoll::state_of(np);
	return s && s->ready();
}

extern "C" void cxxnp_poll_dev(net_device *dev)
{
	RcuReadGuard rcu;
	netpoll::poll_dev(dev);
}

extern "C" void cxxnp_get_stats(const cxx_netpoll *np, cxx_netpoll_stats *st)
{
	*st = {};
	// destroy() unpublishes the state and waits for a grace period before freeing it.
	RcuReadGuard rcu;
	if (const State *s = netpoll::state_of(np))
		s->stats_into(*st);
}

extern "C" void cxxnp_netdev_unregister(net_device *dev)
{
	CXX_ASSERT_RTNL();
	// Detaching a stacked device's netpoll cleans up its lower netpolls (the driver's
	// ndo_netpoll_cleanup destroys them), which leave the registry: scan again after each.
	for (bool again = true; again;) {
		again = false;
		for (State &s : netpoll::registry) {
			if (s.device() == dev) {
				s.detach();
				again = true;
				break;
			}
		}
	}
}

extern "C" int cxxnp_attached_count(void)
{
	return int(netpoll::registry.size());
}
