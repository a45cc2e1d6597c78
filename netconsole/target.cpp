// SPDX-License-Identifier: GPL-2.0
// Targets: their state, the write path (printk -> console -> netpoll, any context), netdev
// events, counters.
//
// Locking, as 6.1's netconsole: one spinlock (its target_list_lock, taken with IRQs saved)
// guards the list and each target's enabled_/extended_/dev_, and serialises the write path
// (and its fragment buffer). It is `targets`, a Protected<TargetList>: the list and the buffer
// are reached only through it, and a target's guarded fields only with the TargetList in
// hand (the accessors take it as proof that the lock is held). Enabling and disabling run under RTNL, so a target's netpoll
// changes only with RTNL held; the netdev notifier (RTNL held) disables a target by clearing
// enabled_ under the lock, then cleans its netpoll up with the lock dropped. A target is
// only ever freed after its owner has taken RTNL (cxxnc_target_disable), so a notifier that
// holds RTNL can use the targets it found.
#include <cxx/atomic.h>
#include <cxx/context.h>
#include <cxx/list.h>
#include <cxx/lock.h>
#include <cxx/new.h>
#include <cxx/oops_wait.h>
#include <cxx/protected.h>
#include <cxx/result.h>
#include <cxx/warn.h>

#include "config.h"
#include "format.h"
#include "netconsole.h"
#include "shim.h"
#include "window.h"

using namespace cxx;

extern "C" cxx_lock_class cxxnc_targets_lock_class;

namespace netconsole {

struct TargetList;

class Target final {
public:
	// Process context: a disabled target with 6.1's defaults, not yet listed.
	static Result<Target *> create(const char *name)
	{
		Target *t = new (gfp_kernel) Target();
		if (!t)
			return Error(err::ENOMEM);
		usize i = 0;
		for (; name && name[i] && i + 1 < sizeof(t->name_); i++)
			t->name_[i] = name[i];
		t->name_[i] = 0;
		target_defaults(t->np_, "cxx_netconsole");
		t->resend_ms_ = cxxnc_param_resend_ms();
		// The write path runs nested in console_owner (hard-IRQ-safe): the core must not
		// poll drivers from there (see cxx_netpoll.h); a busy device defers to this
		// target's own queue instead.
		t->np_.no_poll = 1;
		return t;
	}

	void destroy()
	{
		destroy_window();
		delete this;
	}

	// Under the target lock (IRQs off): one console record.
	void write(TargetList &l, const char *msg, usize len);
	// Under the target lock: the bond under this target lost a slave that carried its
	// datagrams (or failed over); true if a resend was not pending yet.
	bool arm_resend(TargetList &l, unsigned long now);
	// Under the target lock: a slave of the bond under this target lost its carrier, or
	// has it again within W and the bond reported nothing meanwhile (then true if that
	// armed the resend, from W before the carrier was lost).
	bool lower_carrier(TargetList &l, bool on, unsigned long now);
	// Process context, config mutex held (targets stay): sends the window again if armed.
	void resend();

	// The fields the target lock guards; the TargetList is the proof that it is held.
	[[nodiscard]] bool enabled(const TargetList &) const { return enabled_; }
	[[nodiscard]] bool extended(const TargetList &) const { return extended_; }
	[[nodiscard]] net_device *dev(const TargetList &) const { return dev_; }
	void set_extended(TargetList &, bool extended)
	{
		if (!CXX_WARN_ON(enabled_))
			extended_ = extended;
	}
	void start(TargetList &, net_device *dev)
	{
		dev_ = dev;
		enabled_ = true;
	}
	void stop(TargetList &)
	{
		enabled_ = false;
		dev_ = nullptr;
	}

	Result<void> enable();
	Result<void> disable();	// -EALREADY if it was not enabled
	// Config mutex held, target disabled: the window's storage, as resend_ms_ and the
	// module parameter resend_kib say (none if resend_ms_ is 0).
	Result<void> create_window();
	void destroy_window();
	[[nodiscard]] unsigned resend_ms() const { return resend_ms_; }	// config mutex
	// RTNL held: fold the core's counters into np_past_ and let the netpoll go.
	void stop_netpoll();
	void stats(cxxnc_stats &st) const;
	// Config mutex held: one configfs attribute written (buf NUL-terminated). 6.1's rules
	// and messages; a refused value changes nothing.
	Result<void> store(cxxnc_attr attr, const char *buf, usize len);

	ListNode node_;			// TargetList::all
	cxx_netpoll np_ {};
	char name_[64] = {};

private:
	Target() = default;
	~Target() = default;

	[[nodiscard]] bool is_enabled() const;
	Result<void> check_disabled() const;
	Result<void> store_enabled(const char *buf);
	Result<void> store_ip(cxx_netpoll_addr &to, const char *buf, usize len);

	bool enabled_ = false;		// under the lock (written with RTNL held too)
	bool extended_ = false;		// under the lock; changed only while disabled
	net_device *dev_ = nullptr;	// np_'s device while enabled (the core holds a reference)

	// The resend window (window.h): storage from enable on, used under the lock.
	Window window_;
	Window::Slot *window_slots_ = nullptr;
	char *window_data_ = nullptr;
	unsigned resend_ms_ = 0;	// 0: off; the module parameter's at creation
	bool resend_armed_ = false;	// under the lock
	unsigned long resend_since_ = 0;	// under the lock: W before the first event
	u64 resend_end_ = 0;			// under the lock: what was sent by the last one
	bool lower_off_ = false;		// under the lock: a slave lost its carrier at
	unsigned long lower_off_at_ = 0;	// this time and has not had it back since

	Counter messages_, fragments_, bytes_, drop_dev_down_, drop_format_, resent_;
	cxx_netpoll_stats np_past_ {};	// under RTNL
};

struct TargetList {
	List<Target, &Target::node_> all;
	char frag_buf[max_print_chunk] = {};	// 6.1's send_ext_msg_udp buffer
	char resend_buf[max_print_chunk] = {};	// a datagram of a window, sent again
};

namespace {

constinit Protected<TargetList> targets;
constinit Atomic<unsigned> nr_targets;	// read without the lock: none at all, nothing to do
// Records not written because the target lock stayed held during an oops.
constinit Counter drop_locked;
// During an oops, the target lock is waited for once (see cxx/oops_wait.h).
constinit OopsWait<100000> oops_wait;
constexpr unsigned drain_wait_ms = 1000;
constexpr unsigned max_resend_ms = 60000;

Target *from_c(cxxnc_target *t)
{
	return reinterpret_cast<Target *>(t);
}

const Target *from_c(const cxxnc_target *t)
{
	return reinterpret_cast<const Target *>(t);
}

void copy_name(char (&to)[CXX_NETPOLL_IFNAMSIZ], const char *name)
{
	usize i = 0;
	for (; name[i] && i + 1 < sizeof(to); i++)
		to[i] = name[i];
	to[i] = 0;
}

// Under the lock: one console record to every enabled target of its format.
void write_targets(TargetList &l, const char *msg, usize len, int extended)
{
	for (Target &t : l.all)
		if (t.enabled(l) && t.extended(l) == (extended != 0))
			t.write(l, msg, len);
}

void add(cxx_netpoll_stats &sum, const cxx_netpoll_stats &s)
{
#define NETCONSOLE_ADD_STAT(name) sum.name += s.name;
	CXX_NETPOLL_TX_COUNTERS(NETCONSOLE_ADD_STAT)
#undef NETCONSOLE_ADD_STAT
}

} // namespace

void Target::write(TargetList &l, const char *msg, usize len)
{
	CXX_ASSERT_IRQS_DISABLED();
	messages_.inc();
	if (!cxxnc_dev_running(dev_))
		return drop_dev_down_.inc();
	auto send = [this, now = cxxnc_jiffies()](const char *data, usize n) {
		fragments_.inc();
		bytes_.add(n);
		cxx_netpoll_send_udp(&np_, data, int(n));
		window_.record(data, n, now);
	};
	if (!extended_)
		return split_plain(msg, len, send);
	if (split_extended(msg, len, l.frag_buf, send) != FragResult::ok) {
		// Not from printk's extended format: counted, not warned about (the warning
		// would come back here).
		drop_format_.inc();
	}
}

// Process context, may sleep; the caller serialises changes to this target.
Result<void> Target::enable()
{
	CXX_MIGHT_SLEEP();
	np_.txq_limit = cxxnc_param_txq_limit();
	TRY(create_window());
	if (int err = cxx_netpoll_setup(&np_)) {
		destroy_window();
		return Error(err);
	}
	RtnlGuard rtnl;
	// The device may have gone between setup and here (the core then let it go).
	net_device *dev = np_.dev;
	if (!dev) {
		stop_netpoll();
		destroy_window();
		return Error(err::ENODEV);
	}
	// ...or joined a master, or been renamed: the notifier only knows enabled targets.
	if (cxxnc_dev_has_master(dev)) {
		cxx_log(CXX_LOG_ERR, "%s: %s joined a master device, aborting\n", name_,
			cxxnc_dev_name(dev));
		stop_netpoll();
		destroy_window();
		return Error(err::EBUSY);
	}
	copy_name(np_.dev_name, cxxnc_dev_name(dev));
	targets.with([&](TargetList &l) { start(l, dev); });
	return ok();
}

// Process context, may sleep. Always takes RTNL, so it also waits for a notifier that is
// still cleaning this target up (see the locking comment at the top).
Result<void> Target::disable()
{
	CXX_MIGHT_SLEEP();
	// What the core still holds for this target goes out first (a second at most).
	for (unsigned waited = 0; waited < drain_wait_ms; waited += 10) {
		cxx_netpoll_stats s;
		cxx_netpoll_get_stats(&np_, &s);
		if (!s.queued)
			break;
		cxx_msleep(10);
	}
	RtnlGuard rtnl;
	const bool was_enabled = targets.with([&](TargetList &l) {
		const bool was = enabled_;
		stop(l);
		return was;
	});
	stop_netpoll();
	destroy_window();
	if (!was_enabled)
		return Error(err::EALREADY);
	return ok();
}

Result<void> Target::create_window()
{
	destroy_window();
	if (!resend_ms_)
		return ok();
	const u32 bytes = cxxnc_param_resend_kib() * 1024;
	const u32 nslots = bytes / 48 ? bytes / 48 : 1;	// lines are rarely shorter
	window_slots_ = static_cast<Window::Slot *>(cxx_alloc(nslots * sizeof(Window::Slot),
								CXX_GFP_KERNEL));
	window_data_ = static_cast<char *>(cxx_alloc(bytes, CXX_GFP_KERNEL));
	if (!window_slots_ || !window_data_) {
		destroy_window();
		return Error(err::ENOMEM);
	}
	targets.with([&](TargetList &) {
		window_.attach(window_slots_, nslots, window_data_, bytes,
			       cxxnc_msecs_to_jiffies(resend_ms_));
		resend_armed_ = false;
		lower_off_ = false;
	});
	return ok();
}

void Target::destroy_window()
{
	targets.with([&](TargetList &) {
		window_.attach(nullptr, 0, nullptr, 0, 0);
		resend_armed_ = false;
		lower_off_ = false;
	});
	cxx_free(window_slots_);
	cxx_free(window_data_);
	window_slots_ = nullptr;
	window_data_ = nullptr;
}

bool Target::arm_resend(TargetList &l, unsigned long now)
{
	if (!enabled(l) || !window_.usable())
		return false;
	// The events of one failover come together (the slave's link, then the new active
	// slave), under RTNL: what was sent after the last of them went through the new slave.
	resend_end_ = window_.end();
	lower_off_ = false;	// the bond saw it: this resend covers a carrier lost before
	const unsigned long since = now - window_.span();
	if (resend_armed_) {
		if (long(since - resend_since_) < 0)
			resend_since_ = since;	// a carrier lost before the event: from then
		return false;
	}
	resend_armed_ = true;
	resend_since_ = since;
	return true;
}

bool Target::lower_carrier(TargetList &l, bool on, unsigned long now)
{
	if (!on) {
		if (!lower_off_)
			lower_off_at_ = now;
		lower_off_ = true;
		return false;
	}
	if (!lower_off_)
		return false;
	lower_off_ = false;
	// Off for longer than W: the bond has seen it (miimon), or a backup slave that
	// carried nothing came back; else a flap the bond may have missed.
	if (now - lower_off_at_ > window_.span())
		return false;
	return arm_resend(l, lower_off_at_);
}

// What the window holds from W before the event up to the last event (the bond had chosen
// its slaves again then: what was sent after it went through them), in order, a few
// datagrams per hold of the target lock so consoles on other CPUs go on.
void Target::resend()
{
	u64 cursor = 0, end = 0;
	unsigned long since = 0;
	const bool armed = targets.with([&](TargetList &) {
		if (!resend_armed_)
			return false;
		resend_armed_ = false;
		cursor = window_.oldest();
		end = resend_end_;
		since = resend_since_;
		return true;
	});
	if (!armed)
		return;
	constexpr unsigned batch = 16;
	while (cursor < end) {
		targets.with([&](TargetList &l) {
			if (!enabled(l) || !window_.usable()) {
				cursor = end;
				return;
			}
			if (cursor < window_.oldest())
				cursor = window_.oldest();	// evicted meanwhile (counted)
			for (unsigned n = 0; n < batch && cursor < end; cursor++) {
				const usize len = window_.copy(cursor, since, l.resend_buf,
							       sizeof(l.resend_buf));
				if (!len)
					continue;
				cxx_netpoll_send_udp(&np_, l.resend_buf, int(len));
				resent_.inc();
				n++;
			}
		});
		cxx_cond_resched();
	}
}

void Target::stop_netpoll()
{
	CXX_ASSERT_RTNL();
	// The last counters, including whatever the cleanup purges from the queue.
	cxx_netpoll_stats s {};
	np_.final_stats = &s;
	__cxx_netpoll_cleanup(&np_);	// nothing to do if never set up
	np_.final_stats = nullptr;
	add(np_past_, s);
}

void Target::stats(cxxnc_stats &st) const
{
	CXX_ASSERT_RTNL();
	st.messages = messages_.read();
	st.fragments = fragments_.read();
	st.bytes = bytes_.read();
	st.drop_dev_down = drop_dev_down_.read();
	st.drop_format = drop_format_.read();
	st.resent = resent_.read();
	st.resend_evicted = targets.with([&](TargetList &) { return window_.evicted(); });
	cxx_netpoll_get_stats(&np_, &st.np);
	add(st.np, np_past_);
}

// --- configuration (configfs) -------------------------------------------------------------------

bool Target::is_enabled() const
{
	return targets.with([&](TargetList &l) { return enabled(l); });
}

// 6.1 refuses changes to an enabled target (with -EINVAL; -EBUSY here, see the README).
Result<void> Target::check_disabled() const
{
	if (!is_enabled())
		return ok();
	cxx_log(CXX_LOG_ERR, "target (%s) is enabled, disable to update parameters\n", name_);
	return Error(err::EBUSY);
}

// kstrtoint's errors, then 0 or 1; writing the current state again is refused (-EINVAL,
// as 6.1) after saying so.
Result<void> Target::store_enabled(const char *buf)
{
	int on;
	if (int err = cxxnc_kstrtoint(buf, &on))
		return Error(err);
	if (on < 0 || on > 1)
		return Error(err::EINVAL);
	if (bool(on) == is_enabled()) {
		cxx_log(CXX_LOG_INFO, "network logging has already %s\n", on ? "started" : "stopped");
		return Error(err::EINVAL);
	}
	if (!on) {
		(void)disable();	// enabled a moment ago; a notifier may have stopped it since
		return ok();
	}
	if (targets.with([&](TargetList &l) { return extended(l); }))
		cxxnc_ext_console_enable();
	cxx_netpoll_print_options(&np_);	// the attributes are the configuration
	TRY(enable());
	cxx_log(CXX_LOG_INFO, "network logging started\n");
	return ok();
}

// 6.1's rules: an address with ':' is IPv6 and switches the target to IPv6; an IPv4 address
// is refused once the target is IPv6. Unlike 6.1 (in_aton), a malformed IPv4 address is
// refused rather than stored as whatever it parses to.
Result<void> Target::store_ip(cxx_netpoll_addr &to, const char *buf, usize len)
{
	cxx_netpoll_addr a {};
	const int v6 = cxx_netpoll_parse_addr(buf, unsigned(len), &a);
	if (v6 < 0) {
		cxx_log(CXX_LOG_ERR, "invalid IP address: %.*s\n", int(len), buf);
		return Error(v6);
	}
	if (!v6 && np_.ipv6) {
		cxx_log(CXX_LOG_ERR, "target (%s) is IPv6: IPv4 address refused\n", name_);
		return Error(err::EINVAL);
	}
	np_.ipv6 = v6;
	to = a;
	return ok();
}

Result<void> Target::store(cxxnc_attr attr, const char *buf, usize len)
{
	// The value without the newline echo appends.
	usize n = 0;
	while (n < len && buf[n])
		n++;
	if (n && buf[n - 1] == '\n')
		n--;
	switch (attr) {
	case CXXNC_ATTR_ENABLED:
		return store_enabled(buf);
	case CXXNC_ATTR_EXTENDED: {
		TRY(check_disabled());
		int on;
		if (int err = cxxnc_kstrtoint(buf, &on))
			return Error(err);
		if (on < 0 || on > 1)
			return Error(err::EINVAL);
		targets.with([&](TargetList &l) { set_extended(l, on); });
		return ok();
	}
	case CXXNC_ATTR_DEV_NAME:
		if (n >= sizeof(np_.dev_name))
			return Error(err::ENAMETOOLONG);
		TRY(check_disabled());
		for (usize i = 0; i < n; i++)
			np_.dev_name[i] = buf[i];
		np_.dev_name[n] = 0;
		return ok();
	case CXXNC_ATTR_LOCAL_PORT:
	case CXXNC_ATTR_REMOTE_PORT: {
		TRY(check_disabled());
		u16 port;
		if (int err = cxxnc_kstrtou16(buf, &port))
			return Error(err);
		(attr == CXXNC_ATTR_LOCAL_PORT ? np_.local_port : np_.remote_port) = port;
		return ok();
	}
	case CXXNC_ATTR_LOCAL_IP:
		TRY(check_disabled());
		return store_ip(np_.local_ip, buf, n);
	case CXXNC_ATTR_REMOTE_IP:
		TRY(check_disabled());
		return store_ip(np_.remote_ip, buf, n);
	case CXXNC_ATTR_RESEND_MS: {
		TRY(check_disabled());
		unsigned ms;
		if (int err = cxxnc_kstrtouint(buf, &ms))
			return Error(err);
		if (ms > max_resend_ms)
			return Error(err::EINVAL);
		resend_ms_ = ms;
		return ok();
	}
	case CXXNC_ATTR_REMOTE_MAC: {
		TRY(check_disabled());
		u8 mac[6];
		if (n != 3 * sizeof(mac) - 1 || !cxxnc_mac_pton(buf, mac))
			return Error(err::EINVAL);
		for (usize i = 0; i < sizeof(mac); i++)
			np_.remote_mac[i] = mac[i];
		return ok();
	}
	}
	return Error(err::EINVAL);
}

} // namespace netconsole

// --- C entry points ----------------------------------------------------------------------------

using netconsole::Target;
using netconsole::TargetList;
using netconsole::from_c;
using netconsole::targets;

namespace {

cxxnc_target *to_c(Target *t)
{
	return reinterpret_cast<cxxnc_target *>(t);
}

} // namespace

extern "C" void cxxnc_init(void)
{
	targets.init(cxxnc_targets_lock_class, "cxx_netconsole target_list_lock");
}

extern "C" int cxxnc_target_alloc(const char *name, cxxnc_target **out)
{
	CXX_MIGHT_SLEEP();
	auto r = Target::create(name);
	if (!r)
		return r.errno_or_zero();	// the C boundary
	*out = to_c(move(r).release_value());
	return 0;
}

extern "C" void cxxnc_target_free(cxxnc_target *t)
{
	if (!t)
		return;
	Target *target = from_c(t);
	CXX_WARN_ON(targets.with([&](TargetList &l) { return target->enabled(l); }) ||
		    target->node_.linked() || target->np_.state);
	target->destroy();
}

extern "C" int cxxnc_target_parse(cxxnc_target *t, const char *opt, unsigned int len)
{
	Target *target = from_c(t);
	bool extended = false;
	auto r = netconsole::parse_target(opt, len, target->np_, extended);
	if (r)
		targets.with([&](TargetList &l) { target->set_extended(l, extended); });
	return r.errno_or_zero();
}

extern "C" int cxxnc_for_each_param_target(const char *config,
					   int (*fn)(const char *, unsigned int, void *),
					   void *arg)
{
	return netconsole::for_each_target(config, [&](const char *opt, usize len) {
		return fn(opt, unsigned(len), arg);
	});
}

extern "C" void cxxnc_target_list_add(cxxnc_target *t)
{
	targets.with([&](TargetList &l) {
		l.all.push_back(*from_c(t));
		netconsole::nr_targets.fetch_add(1, Order::relaxed);
	});
}

extern "C" void cxxnc_target_list_del(cxxnc_target *t)
{
	targets.with([&](TargetList &l) {
		l.all.remove(*from_c(t));
		netconsole::nr_targets.fetch_sub(1, Order::relaxed);
	});
}

extern "C" int cxxnc_target_enable(cxxnc_target *t)
{
	return from_c(t)->enable().errno_or_zero();
}

extern "C" int cxxnc_target_disable(cxxnc_target *t)
{
	return from_c(t)->disable().errno_or_zero();
}

extern "C" int cxxnc_target_enabled(const cxxnc_target *t)
{
	return targets.with([&](TargetList &l) { return from_c(t)->enabled(l); });
}

extern "C" int cxxnc_target_extended(const cxxnc_target *t)
{
	return targets.with([&](TargetList &l) { return from_c(t)->extended(l); });
}

extern "C" void cxxnc_target_set_extended(cxxnc_target *t, int extended)
{
	targets.with([&](TargetList &l) { from_c(t)->set_extended(l, extended != 0); });
}

extern "C" int cxxnc_target_store(cxxnc_target *t, cxxnc_attr attr, const char *buf,
				  unsigned int len)
{
	CXX_MIGHT_SLEEP();
	return from_c(t)->store(attr, buf, len).errno_or_zero();
}

extern "C" const char *cxxnc_target_name(const cxxnc_target *t)
{
	return from_c(t)->name_;
}

extern "C" cxx_netpoll *cxxnc_target_np(cxxnc_target *t)
{
	return &from_c(t)->np_;
}

extern "C" void cxxnc_target_stats(const cxxnc_target *t, cxxnc_stats *st)
{
	from_c(t)->stats(*st);
}

extern "C" net_device *cxxnc_target_dev(const cxxnc_target *t)
{
	CXX_ASSERT_RTNL();
	return targets.with([&](TargetList &l) {
		return from_c(t)->enabled(l) ? from_c(t)->dev(l) : nullptr;
	});
}

extern "C" void cxxnc_for_each_target(void (*fn)(cxxnc_target *, void *), void *arg)
{
	// fn may sleep: each target is found under the lock and handed to fn without it; the
	// caller's configuration lock keeps targets from coming or going meanwhile.
	Target *t = targets.with([](TargetList &l) { return l.all.front(); });
	while (t) {
		fn(to_c(t), arg);
		t = targets.with([t](TargetList &l) { return l.all.next(*t); });
	}
}

// Any context: process, softirq, hard IRQ (keyboard sysrq), IRQs off, oops and panic. No
// sleeping, no allocation beyond the core's GFP_ATOMIC skbs (and its preallocated pool).
extern "C" void cxxnc_write(const char *msg, unsigned int len, int extended)
{
	// As 6.1: no lock, no IRQs off when there is no target at all.
	if (netconsole::nr_targets.load(Order::relaxed) == 0)
		return;
	// During an oops the lock may be held by a CPU that will never release it: wait a
	// bounded time (once per oops, see cxx/oops_wait.h), then count and go on, so the consoles
	// after this one still print (as serial8250 does). Once panic() has stopped the other
	// CPUs, the holder (one of them, or the context this CPU's panic interrupted: an NMI
	// panic) never runs again: no wait, and the record is written without the lock.
	auto write = [&](TargetList &l) {
		netconsole::oops_wait.acquired();
		netconsole::write_targets(l, msg, len, extended);
	};
	if (!cxx_oops_in_progress())
		return targets.with(write);
	const bool panicked = cxx_netpoll_in_panic();
	if (targets.try_with(panicked ? 0 : netconsole::oops_wait.budget_us(), write))
		return;
	if (panicked)
		return targets.with_panic_bust([&](TargetList &l) {
			netconsole::write_targets(l, msg, len, extended);
		});
	netconsole::oops_wait.timed_out();
	netconsole::drop_locked.inc();
}

extern "C" unsigned long long cxxnc_drop_locked(void)
{
	return netconsole::drop_locked.read();
}

// RTNL held (netdev notifier). 6.1: a rename follows the device; unregister, joining a master
// and releasing slaves stop the target (it can be enabled again later); down is ignored.
extern "C" void cxxnc_netdev_event(net_device *dev, cxxnc_event ev)
{
	CXX_ASSERT_RTNL();
	const bool carrier = ev == CXXNC_EV_LOWER_CARRIER_OFF || ev == CXXNC_EV_LOWER_CARRIER_ON;
	if (carrier || ev == CXXNC_EV_LOWER_DOWN || ev == CXXNC_EV_FAILOVER) {
		const unsigned long now = cxxnc_jiffies();
		const bool armed = targets.with([&](TargetList &l) {
			bool any = false;
			for (Target &t : l.all) {
				if (!t.enabled(l) || t.dev(l) != dev)
					continue;
				if (carrier)
					any = t.lower_carrier(l, ev == CXXNC_EV_LOWER_CARRIER_ON,
							      now) || any;
				else
					any = t.arm_resend(l, now) || any;
			}
			return any;
		});
		if (armed)
			cxxnc_schedule_resend();
		return;
	}
	if (ev == CXXNC_EV_CHANGENAME) {
		const char *name = cxxnc_dev_name(dev);
		targets.with([&](TargetList &l) {
			for (Target &t : l.all)
				if (t.enabled(l) && t.dev(l) == dev)
					netconsole::copy_name(t.np_.dev_name, name);
		});
		return;
	}
	bool stopped = false;
	while (true) {
		Target *victim = targets.with([&](TargetList &l) -> Target * {
			for (Target &t : l.all) {
				if (t.enabled(l) && t.dev(l) == dev) {
					t.stop(l);
					return &t;
				}
			}
			return nullptr;
		});
		if (!victim)
			break;
		victim->stop_netpoll();	// may sleep (RCU grace periods), RTNL held
		stopped = true;
	}
	if (!stopped)
		return;
	const char *why = ev == CXXNC_EV_UNREGISTER ? "unregistered"
			: ev == CXXNC_EV_RELEASE    ? "released slaves"
			: ev == CXXNC_EV_JOIN	    ? "is joining a master device"
						    : "had an event";
	cxx_log(CXX_LOG_INFO, "network logging stopped on interface %s as it %s\n",
		cxxnc_dev_name(dev), why);
}

// Process context, config mutex held, after RTNL was taken and dropped (the bond's change
// is complete): every armed target sends its window again.
extern "C" void cxxnc_resend_armed(void)
{
	Target *t = targets.with([](TargetList &l) { return l.all.front(); });
	while (t) {
		t->resend();
		t = targets.with([t](TargetList &l) { return l.all.next(*t); });
	}
}

extern "C" unsigned int cxxnc_target_resend_ms(const cxxnc_target *t)
{
	return from_c(t)->resend_ms();
}
