// SPDX-License-Identifier: GPL-2.0
// The MII link monitor, as 6.1's bond_mii_monitor: every miimon ms an inspection under RCU
// proposes link changes (honouring updelay/downdelay, counted in monitor ticks); if any,
// a commit under RTNL applies them, fails over and sets the carrier. RTNL is only tried: a
// busy RTNL re-arms the work one jiffy later.
#include <cxx/context.h>

#include "bond.h"
#include "shim.h"

namespace bonding {

namespace {
enum { log_err = 3, log_warn = 4, log_info = 6, log_debug = 7 };
}

// 6.1's bond_check_dev_link: carrier (use_carrier) or the driver's ethtool link.
bool Bond::check_link(Slave &slave)
{
	net_device *sdev = slave.dev();
	if (!cxxbond_dev_running(sdev))
		return false;
	if (params_.use_carrier)
		return cxxbond_carrier_ok(sdev);
	return cxxbond_ethtool_link(sdev);
}

// Proposes each slave's next link state; returns how many changed (RCU read side).
int Bond::mii_inspect()
{
	int commit = 0;
	bool ignore_updelay;
	if (params_.mode == Mode::activebackup) {
		ignore_updelay = !curr_active();
	} else {
		SlaveArray *usable = usable_.load(cxx::Order::acquire);
		ignore_updelay = usable && usable->count == 0;
	}
	const char *ab_role = "";
	SlaveArray *all = all_.load(cxx::Order::acquire);
	for (u32 i = 0; all && i < all->count; i++) {
		Slave &s = *all->slaves[i];
		s.new_link_ = Link::nochange;
		bool up = check_link(s);
		if (params_.mode == Mode::activebackup)
			ab_role = !s.backup() ? "active " : "backup ";

		switch (s.link()) {
		case Link::up:
			if (up)
				continue;
			s.new_link_ = Link::fail;
			commit++;
			s.delay_ = int(params_.downdelay);
			if (s.delay_)
				cxxbond_log(log_info, dev_, s.dev(),
					    "link status down for %sinterface, disabling it in %d ms\n",
					    ab_role, int(params_.downdelay * params_.miimon));
			[[fallthrough]];
		case Link::fail:
			if (up) {
				s.new_link_ = Link::up;
				cxxbond_log(log_info, dev_, s.dev(),
					    "link status up again after %d ms\n",
					    int((params_.downdelay - u32(s.delay_)) * params_.miimon));
				commit++;
				continue;
			}
			if (s.delay_ <= 0) {
				s.new_link_ = Link::down;
				commit++;
				continue;
			}
			s.delay_--;
			break;
		case Link::down:
			if (!up)
				continue;
			s.new_link_ = Link::back;
			commit++;
			s.delay_ = int(params_.updelay);
			if (s.delay_)
				cxxbond_log(log_info, dev_, s.dev(),
					    "link status up, enabling it in %d ms\n",
					    ignore_updelay ? 0 : int(params_.updelay * params_.miimon));
			[[fallthrough]];
		case Link::back:
			if (!up) {
				s.new_link_ = Link::down;
				cxxbond_log(log_info, dev_, s.dev(),
					    "link status down again after %d ms\n",
					    int((params_.updelay - u32(s.delay_)) * params_.miimon));
				commit++;
				continue;
			}
			if (ignore_updelay)
				s.delay_ = 0;
			if (s.delay_ <= 0) {
				s.new_link_ = Link::up;
				commit++;
				ignore_updelay = false;
				continue;
			}
			s.delay_--;
			break;
		case Link::nochange:
			break;
		}
	}
	return commit;
}

// Applies the proposals (RTNL held): 6.1's bond_commit_link_state for the transient states,
// then bond_miimon_commit.
void Bond::mii_commit()
{
	CXX_ASSERT_RTNL();
	bool do_failover = false;
	for (Slave &s : slaves_) {
		switch (s.new_link_) {
		case Link::nochange:
			continue;
		case Link::fail:
		case Link::back:
			s.set_link(s.new_link_);
			continue;
		case Link::up: {
			cxxbond_speed_duplex(s.dev(), &s.speed_, &s.duplex_);
			s.set_link(Link::up);
			s.lower_state_changed();
			if (params_.mode != Mode::activebackup)
				s.set_active_flags();
			cxxbond_log(log_info, dev_, s.dev(),
				    "link status definitely up, %u Mbps %s duplex\n",
				    s.speed_ < 0 ? 0u : unsigned(s.speed_),
				    s.duplex_ == 1 ? "full" : "half");
			Slave *active = curr_active();
			if (!active || &s == primary() || s.prio_ > active->prio_)
				do_failover = true;
			continue;
		}
		case Link::down:
			if (s.link_failure_count_ < 0xffffffffu)
				s.link_failure_count_++;
			s.set_link(Link::down);
			s.lower_state_changed();
			if (params_.mode == Mode::activebackup)
				s.set_inactive_flags();
			cxxbond_log(log_info, dev_, s.dev(),
				    "link status definitely down, disabling slave\n");
			if (&s == curr_active())
				do_failover = true;
			continue;
		}
	}
	for (Slave &s : slaves_)
		s.new_link_ = Link::nochange;
	if (do_failover)
		select_active_slave();
	if (uses_xmit_hash() || params_.mode == Mode::roundrobin ||
	    params_.mode == Mode::broadcast)
		publish_arrays();
	set_carrier();
}

void Bond::mii_monitor()
{
	unsigned int delay = cxxbond_msecs_to_jiffies(params_.miimon);
	bool commit = false, notify = false;
	{
		cxx::RcuReadGuard rcu;
		SlaveArray *all = all_.load(cxx::Order::acquire);
		if (all && all->count) {
			notify = should_notify_peers();
			commit = mii_inspect() != 0;
		}
	}
	if (commit || send_peer_notif_) {
		// Against close(), which cancels this work with RTNL held.
		if (!cxxbond_rtnl_trylock()) {
			cxxbond_mii_queue(dev_, 1);
			return;
		}
		if (commit)
			mii_commit();
		if (send_peer_notif_) {
			send_peer_notif_--;
			if (notify)
				cxxbond_notify(dev_, CXXBOND_NETDEV_NOTIFY_PEERS);
		}
		cxx_rtnl_unlock();
	}
	if (params_.miimon)
		cxxbond_mii_queue(dev_, delay);
}

} // namespace bonding
