// SPDX-License-Identifier: GPL-2.0
// A bond's life under RTNL: enslave and release with 6.1's checks, order and messages,
// the active slave and the carrier, options. 6.1's bond_main.c and bond_options.c are the
// specification; where this differs, the README says so.
#include <cxx/context.h>
#include <cxx/new.h>
#include <shim/support.h>

#include "bond.h"
#include "shim.h"

namespace bonding {

constinit Params module_defaults;

namespace {

enum { log_err = 3, log_warn = 4, log_info = 6, log_debug = 7 };

void copy_name(char (&dst)[16], const char *src)
{
	unsigned i = 0;
	for (; src && src[i] && i < sizeof(dst) - 1; i++)
		dst[i] = src[i];
	for (; i < sizeof(dst); i++)
		dst[i] = 0;
}

bool name_is(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

// The slave array for the data path: every slave (all) or those that can send (usable).
SlaveArray *build_array(cxx::List<Slave, &Slave::node_> &slaves, bool usable_only)
{
	u32 n = 0;
	for (Slave &s : slaves)
		n += !usable_only || s.can_tx();
	auto *arr = static_cast<SlaveArray *>(
		cxx_alloc(sizeof(SlaveArray) + n * sizeof(Slave *), CXX_GFP_KERNEL));
	if (!arr)
		return nullptr;
	arr->count = 0;
	for (Slave &s : slaves)
		if (!usable_only || s.can_tx())
			arr->slaves[arr->count++] = &s;
	return arr;
}

} // namespace

// --- slaves -------------------------------------------------------------------------------------

bool Slave::is_up() const
{
	return cxxbond_dev_running(dev_) && cxxbond_carrier_ok(dev_);
}

bool Slave::can_tx() const
{
	return is_up() && link() == Link::up && !backup();
}

// 6.1's bond_set_slave_active_flags / _inactive_flags with BOND_SLAVE_NOTIFY_NOW: the lower
// state is sent when the slave's active/backup state changes.
void Slave::set_active_flags()
{
	const bool changed = backup_.exchange(false, cxx::Order::relaxed);
	inactive_.store(false, cxx::Order::relaxed);
	if (changed)
		lower_state_changed();
}

void Slave::set_inactive_flags()
{
	const bool changed = !backup_.exchange(true, cxx::Order::relaxed);
	if (!bond_.params().all_slaves_active)
		inactive_.store(true, cxx::Order::relaxed);
	if (changed)
		lower_state_changed();
}

void Slave::refresh_inactive()
{
	inactive_.store(backup() && !bond_.params().all_slaves_active, cxx::Order::relaxed);
}

// 6.1's bond_lower_state_changed: NETDEV_CHANGELOWERSTATE with the lag lower state, sent
// wherever 6.1 sends it, also when nothing changed (bond-events compares the streams).
void Slave::lower_state_changed()
{
	const bool up = link() == Link::up || link() == Link::fail;
	cxxbond_lower_state_changed(dev_, up, !backup());
}

// --- the bond ----------------------------------------------------------------------------------

Bond::~Bond()
{
	// Unregistered: no reader is left (RCU grace periods passed in unregister_netdevice).
	cxx_free(all_.exchange(nullptr, cxx::Order::relaxed));
	cxx_free(usable_.exchange(nullptr, cxx::Order::relaxed));
}

bool Bond::uses_primary() const
{
	return params_.mode == Mode::activebackup || params_.mode == Mode::tlb ||
	       params_.mode == Mode::alb;
}

bool Bond::uses_xmit_hash() const
{
	return params_.mode == Mode::xor_hash || params_.mode == Mode::ieee8023ad ||
	       params_.mode == Mode::tlb || params_.mode == Mode::alb;
}

Slave *Bond::find(net_device *slave_dev)
{
	for (Slave &s : slaves_)
		if (s.dev() == slave_dev)
			return &s;
	return nullptr;
}

// Publishes the arrays the data path walks; the old ones are freed after a grace period.
void Bond::publish_arrays()
{
	CXX_ASSERT_RTNL();
	SlaveArray *all = build_array(slaves_, false);
	SlaveArray *usable = build_array(slaves_, true);
	if (!all || !usable) {
		// Keep the published arrays, less any slave no longer listed (a released one: it
		// is freed after the next grace period): the data path sees a stale but valid set,
		// as 6.1's bond_update_slave_arr leaves it.
		cxxbond_log(log_err, dev_, nullptr, "Failed to build slave-array.\n");
		cxx_free(all);
		cxx_free(usable);
		auto listed = [this](Slave *s) { return find(s->dev()) == s; };
		drop_unlisted(all_.load(cxx::Order::relaxed), listed);
		drop_unlisted(usable_.load(cxx::Order::relaxed), listed);
		return;
	}
	cxxbond_kvfree_rcu(all_.exchange(all, cxx::Order::release));
	cxxbond_kvfree_rcu(usable_.exchange(usable, cxx::Order::release));
}

// --- enslave ------------------------------------------------------------------------------------

cxx::Result<void> Bond::check_enslave(net_device *slave_dev, netlink_ext_ack *extack)
{
	cxxbond_dev_props p;
	cxxbond_read_props(slave_dev, &p);

	// 6.1's BOND_NL_ERR/SLAVE_NL_ERR: to the netlink caller, or else to the log.
	auto bond_err = [&](const char *msg, int err) {
		if (extack)
			cxxbond_nl_err(extack, msg);
		else
			cxxbond_log(log_err, dev_, nullptr, "Error: %s\n", msg);
		return cxx::Error(err);
	};
	auto slave_err = [&](const char *msg, int err) {
		if (extack)
			cxxbond_nl_err(extack, msg);
		else
			cxxbond_log(log_err, dev_, slave_dev, "Error: %s\n", msg);
		return cxx::Error(err);
	};

	if (p.type == CXXBOND_ARPHRD_CAN)
		return bond_err("CAN devices cannot be enslaved", cxx::err::EPERM);
	if (p.is_master && !p.is_bond_master)
		return bond_err("Device type (master device) cannot be enslaved", cxx::err::EPERM);
	if (!params_.use_carrier && !cxxbond_dev_has_link_check(slave_dev))
		cxxbond_log(log_warn, dev_, slave_dev, "no link monitoring support\n");
	if (p.rx_handler_busy)
		return slave_err("Device is in use and cannot be enslaved", cxx::err::EBUSY);
	if (slave_dev == dev_)
		return bond_err("Cannot enslave bond to itself.", cxx::err::EPERM);
	if (p.vlan_challenged) {
		if (cxxbond_vlan_uses_dev(dev_))
			return slave_err("Can not enslave VLAN challenged device to VLAN enabled bond",
					 cxx::err::EPERM);
		cxxbond_log(log_warn, dev_, slave_dev,
			    "enslaved VLAN challenged slave. Adding VLANs will be blocked as long as it is part of bond.\n");
	}
	if (p.is_up)
		return slave_err("Device can not be enslaved while up", cxx::err::EPERM);
	// Only Ethernet slaves (README): 6.1 would retype the bond for the first slave.
	if (p.type != CXXBOND_ARPHRD_ETHER)
		return slave_err("Device type is different from other slaves", cxx::err::EINVAL);
	if (!p.can_set_mac) {
		cxxbond_log(log_warn, dev_, slave_dev,
			    "The slave device specified does not support setting the MAC address\n");
		if (params_.mode == Mode::activebackup && params_.fail_over_mac != fom_active) {
			if (has_slaves())
				return slave_err("Slave device does not support setting the MAC address, but fail_over_mac is not set to active",
						 cxx::err::EOPNOTSUPP);
			params_.fail_over_mac = fom_active;
			cxxbond_log(log_warn, dev_, slave_dev,
				    "Setting fail_over_mac to active for active-backup mode\n");
		}
	}
	return cxx::ok();
}

// 6.1's initial link state of a new slave (bond_enslave, after dev_open).
void Bond::initial_link_state(Slave &slave)
{
	if (params_.miimon) {
		if (check_link(slave)) {
			if (params_.updelay) {
				slave.set_link(Link::back);
				slave.delay_ = int(params_.updelay);
			} else {
				slave.set_link(Link::up);
			}
		} else {
			slave.set_link(Link::down);
		}
	} else {
		slave.set_link(Link::up);
	}
	slave.lower_state_changed();	// BOND_SLAVE_NOTIFY_NOW
	cxxbond_log(log_debug, dev_, slave.dev(), "Initial state of slave is BOND_LINK_%s\n",
		    slave.link() == Link::down ? "DOWN" :
		    (slave.link() == Link::up ? "UP" : "BACK"));
}

// The steps of enslave after the slave is open, each undone by detach() on failure.
cxx::Result<void> Bond::attach(Slave &slave, netlink_ext_ack *extack)
{
	net_device *sdev = slave.dev();

	if (cxxbond_speed_duplex(sdev, &slave.speed_, &slave.duplex_) && params_.miimon)
		cxxbond_log(log_debug, dev_, sdev, "failed to get link speed/duplex\n");
	initial_link_state(slave);

	char &primary0 = params_.primary[0];
	if (uses_primary() && primary0 && name_is(params_.primary, cxxbond_dev_name(sdev))) {
		primary_.store(&slave, cxx::Order::release);
		force_primary_ = true;
	}

	if (params_.mode == Mode::activebackup) {
		slave.set_inactive_flags();
	} else {
		cxxbond_log(log_debug, dev_, sdev, "This slave is always active in trunk mode\n");
		slave.set_active_flags();
		if (!curr_active() && slave.link() == Link::up)
			curr_active_.store(&slave, cxx::Order::release);
	}

	if (cxxbond_netpoll_active(dev_) && !slave.enable_netpoll()) {
		cxxbond_log(log_info, dev_, sdev,
			    "master_dev is using netpoll, but new slave device does not support netpoll\n");
		return cxx::Error(cxx::err::EBUSY);
	}
	int err = cxxbond_rx_handler_register(sdev, reinterpret_cast<cxxbond_slave *>(&slave));
	if (err) {
		cxxbond_log(log_debug, dev_, sdev, "Error %d calling netdev_rx_handler_register\n",
			    err);
		slave.disable_netpoll();
		return cxx::Error(err);
	}
	err = cxxbond_upper_link(sdev, dev_, reinterpret_cast<cxxbond_slave *>(&slave),
				 int(params_.mode), int(params_.xmit_policy), extack);
	if (err) {
		cxxbond_log(log_debug, dev_, sdev, "Error %d calling bond_master_upper_dev_link\n",
			    err);
		cxxbond_rx_handler_unregister(sdev);
		slave.disable_netpoll();
		return cxx::Error(err);
	}
	slave.lower_state_changed();
	slave.sysfs_ = cxxbond_sysfs_slave_add(sdev, reinterpret_cast<cxxbond_slave *>(&slave));
	if (!slave.sysfs_) {
		cxxbond_log(log_debug, dev_, sdev, "Error %d calling bond_sysfs_slave_add\n",
			    -cxx::err::ENOMEM);
		cxxbond_upper_unlink(sdev, dev_);
		cxxbond_rx_handler_unregister(sdev);
		slave.disable_netpoll();
		return cxx::Error(cxx::err::ENOMEM);
	}
	return cxx::ok();
}

namespace {

// What enslave has done to the slave device so far, undone in reverse order unless the
// enslave completes (6.1's err_close/err_restore_mac/err_restore_mtu labels).
class SlaveDevSteps {
public:
	SlaveDevSteps(net_device *dev, const Slave &slave) : dev_(dev), slave_(slave) {}
	SlaveDevSteps(const SlaveDevSteps &) = delete;
	SlaveDevSteps &operator=(const SlaveDevSteps &) = delete;
	~SlaveDevSteps()
	{
		if (done_)
			return;
		if (vids_)
			cxxbond_vlan_vids_del(dev_, bond_dev_);
		if (opened_) {
			cxxbond_dev_flag_bonding(dev_, 0);
			cxxbond_dev_close(dev_);
		}
		if (flagged_)
			cxxbond_dev_flag_slave(dev_, 0);
		if (mac_)
			cxxbond_dev_set_mac(dev_, slave_.perm_hwaddr_, nullptr);
		if (mtu_)
			cxxbond_dev_set_mtu(dev_, slave_.original_mtu_);
	}
	void commit() { done_ = true; }

	net_device *bond_dev_ = nullptr;
	bool mtu_ = false, mac_ = false, flagged_ = false, opened_ = false, vids_ = false;

private:
	net_device *dev_;
	const Slave &slave_;
	bool done_ = false;
};

} // namespace

cxx::Result<void> Bond::enslave(net_device *slave_dev, netlink_ext_ack *extack)
{
	CXX_ASSERT_RTNL();
	TRY(check_enslave(slave_dev, extack));

	cxxbond_notify(slave_dev, CXXBOND_NETDEV_JOIN);

	// The first slave lends the bond its address (unless the user set one).
	cxxbond_dev_props bp;
	cxxbond_read_props(dev_, &bp);
	if (!has_slaves() && bp.random_addr) {
		int err = cxxbond_dev_addr_from(dev_, slave_dev);
		if (err)
			return cxx::Error(err);
	}

	cxx::Owned<Slave> slave(new (cxx::gfp_kernel) Slave(*this, slave_dev));
	if (!slave)
		return cxx::Error(cxx::err::ENOMEM);
	SlaveDevSteps steps(slave_dev, *slave);
	steps.bond_dev_ = dev_;

	cxxbond_dev_props sp;
	cxxbond_read_props(slave_dev, &sp);
	slave->original_mtu_ = sp.mtu;
	slave->addr_len_ = sp.addr_len;
	cxxbond_dev_addr(slave_dev, slave->perm_hwaddr_);
	int err = cxxbond_dev_set_mtu(slave_dev, bp.mtu);
	if (err) {
		cxxbond_log(log_err, dev_, slave_dev, "Error %d calling dev_set_mtu\n", err);
		return cxx::Error(err);
	}
	steps.mtu_ = true;

	// The slave takes the bond's address, unless fail_over_mac lets it keep its own.
	if (!mac_from_slaves()) {
		u8 bond_addr[32] = {};
		cxxbond_dev_addr(dev_, bond_addr);
		err = cxxbond_dev_set_mac(slave_dev, bond_addr, extack);
		if (err) {
			cxxbond_log(log_err, dev_, slave_dev, "Error %d calling set_mac_address\n",
				    err);
			return cxx::Error(err);
		}
		steps.mac_ = true;
	}

	// IFF_SLAVE before open, so IPv6 does not configure the slave.
	cxxbond_dev_flag_slave(slave_dev, 1);
	steps.flagged_ = true;
	err = cxxbond_dev_open(slave_dev, extack);
	if (err) {
		cxxbond_log(log_err, dev_, slave_dev, "Opening slave failed\n");
		return cxx::Error(err);
	}
	cxxbond_dev_flag_bonding(slave_dev, 1);
	steps.opened_ = true;
	// The bond counts what the slave counts from now on.
	cxxbond_dev_stats(slave_dev, slave->stats_);

	err = cxxbond_vlan_vids_add(slave_dev, dev_);
	if (err) {
		cxxbond_log(log_err, dev_, slave_dev, "Couldn't add bond vlan ids\n");
		return cxx::Error(err);
	}
	steps.vids_ = true;

	auto r = attach(*slave, extack);
	if (!r) {
		Slave &s = *slave;
		if (primary() == &s)
			primary_.store(nullptr, cxx::Order::release);
		if (curr_active() == &s)
			curr_active_.store(nullptr, cxx::Order::release);
		cxx_synchronize_rcu();	// before the slave is freed: readers of curr_active_
		return r.error();
	}
	steps.commit();

	Slave &s = *slave.release();
	slaves_.push_back(s);
	(void)cxxbond_compute_features(dev_);

	if (!uses_primary()) {
		if (bp.promisc)
			cxxbond_dev_promisc(slave_dev, 1);
		if (bp.allmulti)
			cxxbond_dev_allmulti(slave_dev, 1);
		if (bp.is_up)
			cxxbond_addr_sync(slave_dev, dev_, 1);
	}

	set_carrier();
	publish_arrays();
	if (uses_primary())
		select_active_slave();

	cxxbond_log(log_info, dev_, slave_dev, "Enslaving as %s interface with %s link\n",
		    !s.backup() ? "an active" : "a backup",
		    s.link() != Link::down ? "an up" : "a down");
	return cxx::ok();
}

// --- release ------------------------------------------------------------------------------------

cxx::Result<void> Bond::release(net_device *slave_dev, bool unregistering)
{
	CXX_ASSERT_RTNL();
	if (!cxxbond_has_upper(slave_dev, dev_)) {
		cxxbond_log(log_debug, dev_, slave_dev, "cannot release slave\n");
		return cxx::Error(cxx::err::EINVAL);
	}
	Slave *slave = find(slave_dev);
	if (!slave) {
		cxxbond_log(log_info, dev_, slave_dev, "interface not enslaved\n");
		return cxx::Error(cxx::err::EINVAL);
	}
	detach(*slave, unregistering, false);
	return cxx::ok();
}

void Bond::release_all()
{
	CXX_ASSERT_RTNL();
	while (Slave *s = slaves_.front())
		detach(*s, true, true);
	cxxbond_log(log_info, dev_, nullptr, "Released all slaves\n");
}

// 6.1's __bond_release_one, in its order. all: the bond itself goes (its uninit).
void Bond::detach(Slave &slave, bool unregistering, bool all)
{
	net_device *sdev = slave.dev();
	cxxbond_dev_props bp;
	cxxbond_read_props(dev_, &bp);

	slave.set_inactive_flags();
	cxxbond_sysfs_slave_del(cxx::exchange(slave.sysfs_, nullptr));
	// What the slave counted while enslaved stays the bond's.
	cxxbond_stats_fold(dev_);
	// No more frames from this slave reach the bond.
	cxxbond_rx_handler_unregister(sdev);
	cxxbond_upper_unlink(sdev, dev_);
	slaves_.remove(slave);
	publish_arrays();

	cxxbond_log(log_info, dev_, sdev, "Releasing %s interface\n",
		    !slave.backup() ? "active" : "backup");

	Slave *old_current = curr_active();
	u8 bond_addr[32] = {};
	cxxbond_dev_addr(dev_, bond_addr);
	bool same = slave.addr_len_ > 0;
	for (unsigned i = 0; i < slave.addr_len_; i++)
		same = same && bond_addr[i] == slave.perm_hwaddr_[i];
	// fail_over_mac active: the bond's address is the active slave's own, on purpose.
	bool fom_active_ab = params_.mode == Mode::activebackup && params_.fail_over_mac == fom_active;
	if (!all && !fom_active_ab && same && has_slaves())
		cxxbond_log(log_warn, dev_, sdev,
			    "the permanent HWaddr of slave - %pM - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts\n",
			    slave.perm_hwaddr_);

	if (primary() == &slave)
		primary_.store(nullptr, cxx::Order::release);
	if (old_current == &slave) {
		change_active_slave(nullptr);
		if (!all)
			select_active_slave();
	}
	set_carrier();
	if (!has_slaves())
		cxxbond_dev_addr_random(dev_);

	// Readers of the slave (xmit, rx, the monitor's inspection) are done after this.
	cxx_synchronize_rcu();

	if (!has_slaves()) {
		cxxbond_notify(dev_, CXXBOND_NETDEV_CHANGEADDR);
		cxxbond_notify(dev_, CXXBOND_NETDEV_RELEASE);
	}
	if (cxxbond_compute_features(dev_))
		cxxbond_log(log_info, dev_, sdev,
			    "last VLAN challenged slave left bond - VLAN blocking is removed\n");

	cxxbond_vlan_vids_del(sdev, dev_);
	if (!uses_primary()) {
		if (bp.promisc)
			cxxbond_dev_promisc(sdev, -1);
		if (bp.allmulti)
			cxxbond_dev_allmulti(sdev, -1);
		cxxbond_addr_unsync(sdev, dev_);
	}

	slave.disable_netpoll();
	cxxbond_dev_close(sdev);
	cxxbond_dev_flag_slave(sdev, 0);
	if (!fom_active_ab)
		cxxbond_dev_set_mac(sdev, slave.perm_hwaddr_, nullptr);
	if (unregistering)
		cxxbond_dev_set_mtu_unregistering(sdev, slave.original_mtu_);
	else
		cxxbond_dev_set_mtu(sdev, slave.original_mtu_);
	cxxbond_dev_flag_bonding(sdev, 0);
	delete &slave;
}

// --- netpoll (6.1's slave_enable_netpoll, bond_netpoll_setup, bond_netpoll_cleanup) -----------

cxx::Result<void> Slave::enable_netpoll()
{
	np_ = cxx_netpoll {};
	np_.name = "cxx_bonding";
	np_.lower = 1;
	if (int err = __cxx_netpoll_setup(&np_, dev_))
		return cxx::Error(err);
	return cxx::ok();
}

void Slave::disable_netpoll()
{
	if (np_.state)
		__cxx_netpoll_cleanup(&np_);	// unpublished first, then a grace period
}

cxx::Result<void> Bond::netpoll_setup()
{
	CXX_ASSERT_RTNL();
	for (Slave &s : slaves_) {
		if (auto r = s.enable_netpoll(); !r) {
			netpoll_cleanup();
			return r.error();
		}
	}
	return cxx::ok();
}

void Bond::netpoll_cleanup()
{
	CXX_ASSERT_RTNL();
	// Every slave (6.1 skips those that are down, whose netpoll then waits for release).
	for (Slave &s : slaves_)
		s.disable_netpoll();
}

// --- the active slave and the carrier ----------------------------------------------------------

// 6.1's bond_choose_primary_or_current.
Slave *Bond::choose_primary_or_current()
{
	auto up = [](const Slave *s) { return s && s->link() == Link::up; };
	Slave *prim = primary();
	Slave *curr = curr_active();
	if (!up(prim)) {
		// No usable primary: the slave of highest prio that is up (the first of equals)
		// competes with the current one as a primary would.
		Slave *best = nullptr;
		for (Slave &s : slaves_)
			if (up(&s) && (!best || s.prio_ > best->prio_))
				best = &s;
		if (!best || best == curr)
			return up(curr) ? curr : nullptr;
		prim = best;
	} else if (force_primary_) {
		force_primary_ = false;
		return prim;
	}
	if (!up(curr))
		return prim;
	// Both up: primary_reselect decides.
	switch (params_.primary_reselect) {
	case 0:	// always
		return prim;
	case 1:	// better
		if (prim->speed_ < curr->speed_)
			return curr;
		if (prim->speed_ == curr->speed_ && prim->duplex_ <= curr->duplex_)
			return curr;
		return prim;
	default:	// failure
		return curr;
	}
}

// 6.1's bond_find_best_slave.
Slave *Bond::find_best_slave()
{
	if (Slave *s = choose_primary_or_current())
		return s;
	Slave *best = nullptr;
	int mintime = int(params_.updelay);
	for (Slave &s : slaves_) {
		if (s.link() == Link::up)
			return &s;
		if (s.link() == Link::back && s.is_up() && s.delay_ < mintime) {
			mintime = s.delay_;
			best = &s;
		}
	}
	return best;
}

bool Bond::should_notify_peers() const
{
	Slave *s = curr_active();
	if (!s || !send_peer_notif_ ||
	    send_peer_notif_ % (params_.peer_notif_delay ? params_.peer_notif_delay : 1) != 0 ||
	    !cxxbond_carrier_ok(dev_) || cxxbond_linkwatch_pending(s->dev()))
		return false;
	return true;
}

// 6.1's bond_hw_addr_swap: the active slave carries the bond's promiscuity, allmulti and
// address lists.
void Bond::hw_addr_swap(Slave *new_active, Slave *old_active)
{
	cxxbond_dev_props bp;
	cxxbond_read_props(dev_, &bp);
	if (old_active) {
		if (bp.promisc)
			cxxbond_dev_promisc(old_active->dev(), -1);
		if (bp.allmulti)
			cxxbond_dev_allmulti(old_active->dev(), -1);
		if (bp.is_up)
			cxxbond_addr_unsync(old_active->dev(), dev_);
	}
	if (new_active) {
		if (bp.promisc)
			cxxbond_dev_promisc(new_active->dev(), 1);
		if (bp.allmulti)
			cxxbond_dev_allmulti(new_active->dev(), 1);
		if (bp.is_up)
			cxxbond_addr_sync(new_active->dev(), dev_, 0);
	}
}

// 6.1's bond_do_fail_over_mac: active-backup with fail_over_mac, the active slave changed.
// active: the bond takes the new active slave's address. follow: the new active slave takes
// the bond's address and the old one gets the new one's (swapped); going to no active slave
// changes nothing.
void Bond::fail_over_mac(Slave *new_active, Slave *old_active)
{
	if (!new_active)
		return;
	net_device *ndev = new_active->dev();
	if (params_.fail_over_mac == fom_active) {
		if (int err = cxxbond_dev_addr_from(dev_, ndev))
			cxxbond_log(log_err, dev_, ndev, "Error %d setting bond MAC from slave\n", -err);
		return;
	}
	if (!old_active) {
		// The slave that has the bond's address, if any (6.1's bond_get_old_active).
		for (Slave &s : slaves_) {
			if (&s != new_active && cxxbond_same_addr(dev_, s.dev())) {
				old_active = &s;
				break;
			}
		}
	}
	u8 bond_addr[32] = {}, new_addr[32] = {}, old_addr[32] = {};
	cxxbond_dev_addr(dev_, bond_addr);
	cxxbond_dev_addr(ndev, new_addr);
	if (old_active)
		cxxbond_dev_addr(old_active->dev(), old_addr);
	if (int err = cxxbond_dev_set_mac(ndev, old_active ? old_addr : bond_addr, nullptr)) {
		cxxbond_log(log_err, dev_, ndev, "Error %d setting MAC of new active slave\n", -err);
		return;
	}
	if (!old_active)
		return;
	if (int err = cxxbond_dev_set_mac(old_active->dev(), new_addr, nullptr))
		cxxbond_log(log_err, dev_, old_active->dev(),
			    "Error %d setting MAC of old active slave\n", -err);
}

// 6.1's bond_change_active_slave, for the modes implemented here.
void Bond::change_active_slave(Slave *new_active)
{
	CXX_ASSERT_RTNL();
	Slave *old_active = curr_active();
	if (old_active == new_active)
		return;

	if (new_active) {
		if (new_active->link() == Link::back) {
			if (uses_primary())
				cxxbond_log(log_info, dev_, new_active->dev(),
					    "making interface the new active one %d ms earlier\n",
					    int((params_.updelay - u32(new_active->delay_)) *
						params_.miimon));
			new_active->delay_ = 0;
			new_active->set_link(Link::up);
			new_active->lower_state_changed();
		} else if (uses_primary()) {
			cxxbond_log(log_info, dev_, new_active->dev(),
				    "making interface the new active one\n");
		}
	}

	if (uses_primary())
		hw_addr_swap(new_active, old_active);
	curr_active_.store(new_active, cxx::Order::release);

	if (params_.mode == Mode::activebackup) {
		if (old_active)
			old_active->set_inactive_flags();
		if (new_active) {
			bool notify = false;
			new_active->set_active_flags();
			if (params_.fail_over_mac != fom_none)
				fail_over_mac(new_active, old_active);
			if (cxxbond_dev_running(dev_)) {
				send_peer_notif_ = params_.num_peer_notif *
						   (params_.peer_notif_delay ? params_.peer_notif_delay : 1);
				notify = should_notify_peers();
			}
			cxxbond_notify(dev_, CXXBOND_NETDEV_BONDING_FAILOVER);
			if (notify) {
				send_peer_notif_--;
				cxxbond_notify(dev_, CXXBOND_NETDEV_NOTIFY_PEERS);
			}
		}
	}
	publish_arrays();
}

void Bond::select_active_slave()
{
	CXX_ASSERT_RTNL();
	Slave *best = find_best_slave();
	if (best == curr_active())
		return;
	change_active_slave(best);
	if (!set_carrier())
		return;
	if (cxxbond_carrier_ok(dev_))
		cxxbond_log(log_info, dev_, nullptr, "active interface up!\n");
	else
		cxxbond_log(log_info, dev_, nullptr, "now running without any active interface!\n");
}

// 6.1's bond_set_carrier (not 802.3ad): up while a slave's link is up. Returns true if it
// changed.
bool Bond::set_carrier()
{
	bool up = false;
	for (Slave &s : slaves_)
		up = up || s.link() == Link::up;
	if (up == bool(cxxbond_carrier_ok(dev_)))
		return false;
	cxxbond_carrier_set(dev_, up);
	return true;
}

// --- open, close, device settings ---------------------------------------------------------------

cxx::Result<void> Bond::open()
{
	CXX_ASSERT_RTNL();
	// 6.1's bond_open: reset the slaves' flags for the mode.
	if (has_slaves()) {
		for (Slave &s : slaves_) {
			if (uses_primary() && &s != curr_active())
				s.set_inactive_flags();
			else
				s.set_active_flags();
		}
	}
	if (params_.miimon)
		cxxbond_mii_queue(dev_, 0);
	if (uses_xmit_hash())
		publish_arrays();
	return cxx::ok();
}

// 6.1's bond_close: the monitor stops and the slaves give back the bond's address lists.
void Bond::close()
{
	CXX_ASSERT_RTNL();
	cxxbond_mii_cancel_sync(dev_);
	send_peer_notif_ = 0;
	if (uses_primary()) {
		if (Slave *s = curr_active())
			cxxbond_addr_unsync(s->dev(), dev_);
		return;
	}
	for (Slave &s : slaves_)
		cxxbond_addr_unsync(s.dev(), dev_);
}

void Bond::mii_restart()
{
	if (!cxxbond_dev_is_up(dev_))
		return;
	cxxbond_mii_cancel_sync(dev_);
	if (params_.miimon)
		cxxbond_mii_queue(dev_, 0);
}

// 6.1's bond_change_mtu: every slave first, unwound if one refuses.
cxx::Result<void> Bond::change_mtu(u32 mtu)
{
	CXX_ASSERT_RTNL();
	for (Slave &s : slaves_) {
		int err = cxxbond_dev_set_mtu(s.dev(), mtu);
		if (!err)
			continue;
		cxxbond_log(log_err, dev_, s.dev(), "err %d setting mtu to %u\n", err, mtu);
		cxxbond_dev_props bp;
		cxxbond_read_props(dev_, &bp);
		for (Slave &u : slaves_) {
			if (&u == &s)
				break;
			if (int e = cxxbond_dev_set_mtu(u.dev(), bp.mtu))
				cxxbond_log(log_err, dev_, u.dev(), "unwind err %d\n", e);
		}
		return cxx::Error(err);
	}
	return cxx::ok();
}

// 6.1's bond_set_mac_address (fail_over_mac none): every slave, unwound if one refuses.
cxx::Result<void> Bond::set_mac_address(const u8 *addr, netlink_ext_ack *extack)
{
	CXX_ASSERT_RTNL();
	u8 old[32] = {};
	cxxbond_dev_addr(dev_, old);
	for (Slave &s : slaves_) {
		int err = cxxbond_dev_set_mac(s.dev(), addr, extack);
		if (!err)
			continue;
		cxxbond_log(log_err, dev_, s.dev(), "%s: err %d\n", "bond_set_mac_address", err);
		for (Slave &u : slaves_) {
			if (&u == &s)
				break;
			if (int e = cxxbond_dev_set_mac(u.dev(), old, nullptr))
				cxxbond_log(log_err, dev_, u.dev(), "%s: unwind err %d\n",
					    "bond_set_mac_address", e);
		}
		return cxx::Error(err);
	}
	return cxx::ok();
}

// 6.1's bond_change_rx_flags: promiscuity and allmulti follow to the active slave (modes
// with a primary) or to every slave.
void Bond::change_rx_flags(int change)
{
	cxxbond_dev_props bp;
	cxxbond_read_props(dev_, &bp);
	auto apply_to = [&](net_device *sdev) {
		if (change & CXXBOND_IFF_PROMISC)
			cxxbond_dev_promisc(sdev, bp.promisc ? 1 : -1);
		if (change & CXXBOND_IFF_ALLMULTI)
			cxxbond_dev_allmulti(sdev, bp.allmulti ? 1 : -1);
	};
	if (uses_primary()) {
		if (Slave *s = curr_active())
			apply_to(s->dev());
		return;
	}
	for (Slave &s : slaves_)
		apply_to(s.dev());
}

// 6.1's bond_get_stats over the slaves, with its bond_fold_stats: each counter grows by what
// the slave's grew by since the last look; a counter that shrank (a driver that resets its
// counters when the link goes down and up) adds nothing, and one whose values both fit in
// 32 bits is taken as a 32-bit counter that may have wrapped.
void Bond::fold_slave_stats(u64 *stats)
{
	SlaveArray *all = all_.load(cxx::Order::acquire);
	for (u32 i = 0; all && i < all->count; i++) {
		Slave &s = *all->slaves[i];
		u64 now[CXXBOND_STATS_WORDS];
		cxxbond_dev_stats(s.dev(), now);
		for (int w = 0; w < CXXBOND_STATS_WORDS; w++) {
			u64 nv = now[w], ov = s.stats_[w];
			s64 delta = s64(nv - ov);
			if (((nv | ov) >> 32) == 0)
				delta = s32(u32(nv) - u32(ov));
			if (delta > 0)
				stats[w] += u64(delta);
			s.stats_[w] = nv;
		}
	}
}

// 6.1's bond_ethtool_get_link_ksettings: the speeds of the slaves that can send (broadcast:
// the slowest), the first known duplex.
void Bond::link_settings(int &speed, u8 &duplex)
{
	CXX_ASSERT_RTNL();
	u32 sum = 0;
	duplex = 255;
	for (Slave &s : slaves_) {
		if (!s.can_tx())
			continue;
		cxxbond_speed_duplex(s.dev(), &s.speed_, &s.duplex_);
		if (s.speed_ >= 0) {
			if (params_.mode == Mode::broadcast)
				sum = (!sum || u32(s.speed_) < sum) ? u32(s.speed_) : sum;
			else
				sum += u32(s.speed_);
		}
		if (duplex == 255 && s.duplex_ != 255)
			duplex = s.duplex_;
	}
	speed = sum ? int(sum) : -1;
}

// 6.1's bond_vlan_rx_add_vid: the id on every slave, unwound if one refuses.
cxx::Result<void> Bond::vlan_add(u16 proto, u16 vid)
{
	CXX_ASSERT_RTNL();
	for (Slave &s : slaves_) {
		int err = cxxbond_vlan_vid_add(s.dev(), proto, vid);
		if (!err)
			continue;
		for (Slave &u : slaves_) {
			if (&u == &s)
				break;
			cxxbond_vlan_vid_del(u.dev(), proto, vid);
		}
		return cxx::Error(err);
	}
	return cxx::ok();
}

void Bond::vlan_kill(u16 proto, u16 vid)
{
	CXX_ASSERT_RTNL();
	for (Slave &s : slaves_)
		cxxbond_vlan_vid_del(s.dev(), proto, vid);
}

// A netdev event on a slave (6.1's bond_slave_netdev_event).
void Bond::slave_event(Slave &slave, unsigned long event)
{
	CXX_ASSERT_RTNL();
	switch (event) {
	case CXXBOND_NETDEV_UNREGISTER:
		(void)release(slave.dev(), true);
		break;
	case CXXBOND_NETDEV_UP:
	case CXXBOND_NETDEV_CHANGE:
		cxxbond_speed_duplex(slave.dev(), &slave.speed_, &slave.duplex_);
		[[fallthrough]];
	case CXXBOND_NETDEV_DOWN:
		if (uses_xmit_hash())
			publish_arrays();
		break;
	case CXXBOND_NETDEV_FEAT_CHANGE:
		// netdev_change_features on the bond may come back here through a stacked
		// slave: once (6.1's notifier_ctx).
		if (!computing_features_) {
			computing_features_ = true;
			(void)cxxbond_compute_features(dev_);
			computing_features_ = false;
		}
		break;
	case CXXBOND_NETDEV_CHANGENAME:
		// A renamed slave may now be the configured primary.
		if (uses_primary() && params_.primary[0] &&
		    name_is(params_.primary, cxxbond_dev_name(slave.dev())) &&
		    primary() != &slave) {
			primary_.store(&slave, cxx::Order::release);
			select_active_slave();
		}
		break;
	default:
		break;
	}
}

// --- options ------------------------------------------------------------------------------------

// 6.1's bond_opt_check_deps.
cxx::Result<void> Bond::check_option_deps(const OptionSpec &spec)
{
	if (spec.unsupp_modes & (1u << unsigned(params_.mode)))
		return cxx::Error(cxx::err::EACCES);
	if ((spec.flags & opt_noslaves) && has_slaves())
		return cxx::Error(cxx::err::ENOTEMPTY);
	if ((spec.flags & opt_ifdown) && cxxbond_dev_is_up(dev_))
		return cxx::Error(cxx::err::EBUSY);
	return cxx::ok();
}

// 6.1's bond_opt_error_interpret: what a refused value prints, for every interface alike.
void Bond::report_option_error(const OptionSpec &spec, int err, const cxxbond_optval &val,
			       netlink_ext_ack *extack)
{
	switch (-err) {
	case cxx::err::EINVAL: {
		cxxbond_nl_err(extack, "invalid option value");
		if (val.str)
			cxxbond_log(log_err, dev_, nullptr, "option %s: invalid value (%s)\n",
				    spec.name, val.str);
		else
			cxxbond_log(log_err, dev_, nullptr, "option %s: invalid value (%llu)\n",
				    spec.name, (unsigned long long)val.num);
		const Word *max = nullptr, *min = nullptr;
		for (const Word *w = spec.words; w && w->string; w++) {
			if (w->flags & word_max)
				max = w;
			if (w->flags & word_min)
				min = w;
		}
		if (max)
			cxxbond_log(log_err, dev_, nullptr, "option %s: allowed values %llu - %llu\n",
				    spec.name, (unsigned long long)(min ? min->value : 0),
				    (unsigned long long)max->value);
		break;
	}
	case cxx::err::EACCES: {
		const Word *m = mode_word(params_.mode);
		cxxbond_log(log_err, dev_, nullptr,
			    "option %s: mode dependency failed, not supported in mode %s(%llu)\n",
			    spec.name, m->string, (unsigned long long)m->value);
		cxxbond_nl_err(extack, "option not supported in mode");
		break;
	}
	case cxx::err::ENOTEMPTY:
		cxxbond_nl_err(extack, "unable to set option because the bond device has slaves");
		cxxbond_log(log_err, dev_, nullptr,
			    "option %s: unable to set because the bond device has slaves\n",
			    spec.name);
		break;
	case cxx::err::EBUSY:
		cxxbond_nl_err(extack, "unable to set option because the bond is up");
		cxxbond_log(log_err, dev_, nullptr,
			    "option %s: unable to set because the bond device is up\n", spec.name);
		break;
	case cxx::err::ENODEV:
		if (val.str) {
			cxxbond_log(log_err, dev_, nullptr, "option %s: interface %s does not exist!\n",
				    spec.name, val.str);
			cxxbond_nl_err(extack, "interface does not exist");
		}
		break;
	default:
		break;
	}
}

cxx::Result<void> Bond::set_option(cxxbond_opt opt, const cxxbond_optval &val,
				   netlink_ext_ack *extack)
{
	CXX_ASSERT_RTNL();
	const OptionSpec &spec = option_spec(opt);
	auto r = set_option_checked(opt, spec, val, extack);
	if (!r)
		report_option_error(spec, r.error().code(), val, extack);
	return r;
}

cxx::Result<void> Bond::set_option_checked(cxxbond_opt opt, const OptionSpec &spec,
					   const cxxbond_optval &val, netlink_ext_ack *extack)
{
	TRY(check_option_deps(spec));
	if (opt == CXXBOND_OPT_ACTIVE_SLAVE)
		return set_active_slave(val, extack);
	if (opt == CXXBOND_OPT_PRIMARY)
		return set_primary(val);
	if (opt == CXXBOND_OPT_SLAVES)
		return set_slaves(val);
	if (opt == CXXBOND_OPT_QUEUE_ID)
		return set_queue_id(val);
	if (spec.flags & opt_rawval) {
		// Raw options not implemented (targets, actor system): an empty value is
		// the default.
		if (val.str && !val.str[0])
			return cxx::ok();
		cxxbond_nl_err(extack, "option not supported by cxx_bonding");
		cxxbond_log(log_err, dev_, nullptr, "option %s: not supported by cxx_bonding\n",
			    spec.name);
		return cxx::Error(cxx::err::EOPNOTSUPP);
	}
	Parsed v;
	if (!parse_value(spec, val, v))
		return cxx::Error(cxx::err::EINVAL);
	return apply(opt, v, extack);
}

// 6.1's bond_option_slaves_set: "+ifname" enslaves, "-ifname" releases.
cxx::Result<void> Bond::set_slaves(const cxxbond_optval &val)
{
	char command[17] = {};
	const char *p = val.str ? val.str : "";
	while (*p == ' ' || *p == '\t')
		p++;
	unsigned n = 0;
	for (; p[n] && p[n] != ' ' && p[n] != '\t' && n < sizeof(command) - 1; n++)
		command[n] = p[n];
	const char *ifname = command + 1;
	if (n <= 1 || (command[0] != '+' && command[0] != '-') ||
	    !cxxbond_dev_valid_name(ifname)) {
		cxxbond_log(log_err, dev_, nullptr,
			    "no command found in slaves file - use +ifname or -ifname\n");
		return cxx::Error(cxx::err::EPERM);
	}
	net_device *sdev = cxxbond_dev_by_name(dev_, ifname);
	if (!sdev) {
		cxxbond_log(log_debug, dev_, nullptr, "interface %s does not exist!\n", ifname);
		return cxx::Error(cxx::err::ENODEV);
	}
	if (command[0] == '+') {
		cxxbond_log(log_debug, dev_, sdev, "Enslaving interface\n");
		return enslave(sdev, nullptr);
	}
	cxxbond_log(log_debug, dev_, sdev, "Releasing interface\n");
	return release(sdev, false);
}

// 6.1's bond_option_queue_id_set: "ifname:queue" (sysfs; netlink writes the same), the queue
// read as sscanf's %hd reads it. Anything wrong (no colon or number, a queue beyond the bond's
// tx queues, no such slave, a non-zero queue another slave has) is -EPERM with nothing but a
// debug message, as 6.1.
cxx::Result<void> Bond::set_queue_id(const cxxbond_optval &val)
{
	auto invalid = [&] {
		cxxbond_log(log_debug, dev_, nullptr, "invalid input for queue_id set\n");
		return cxx::Error(cxx::err::EPERM);
	};
	const char *s = val.str ? val.str : "";
	char name[17] = {};
	unsigned n = 0;
	while (s[n] && s[n] != ':') {
		if (n >= sizeof(name) - 1)
			return invalid();
		name[n] = s[n];
		n++;
	}
	if (s[n] != ':')
		return invalid();
	const char *p = s + n + 1;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	bool negative = *p == '-';
	if (negative)
		p++;
	if (*p < '0' || *p > '9')
		return invalid();
	u64 v = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + u64(*p - '0');
	u16 qid = u16(negative ? 0 - v : v);
	if (!cxxbond_dev_valid_name(name) || qid > cxxbond_real_num_tx_queues(dev_))
		return invalid();
	net_device *sdev = cxxbond_dev_by_name(dev_, name);
	if (!sdev)
		return invalid();
	Slave *update = nullptr;
	for (Slave &sl : slaves_) {
		if (sl.dev() == sdev)
			update = &sl;
		else if (qid && qid == sl.queue_id())
			return invalid();
	}
	if (!update)
		return invalid();
	update->set_queue_id(qid);
	return cxx::ok();
}

// 6.1's bond_option_prio_set (active-backup: the modes with a primary).
cxx::Result<void> Bond::set_slave_prio(net_device *slave_dev, s32 prio, netlink_ext_ack *extack)
{
	CXX_ASSERT_RTNL();
	const OptionSpec &spec = option_spec(CXXBOND_OPT_PRIO);
	auto r = [&]() -> cxx::Result<void> {
		TRY(check_option_deps(spec));
		Slave *s = find(slave_dev);
		if (!s) {
			cxxbond_log(log_debug, slave_dev, nullptr, "%s called on NULL slave\n",
				    "bond_option_prio_set");
			return cxx::Error(cxx::err::ENODEV);
		}
		s->prio_ = prio;
		if (primary())
			cxxbond_log(log_warn, dev_, slave_dev,
				    "prio updated, but will not affect failover re-selection as primary slave have been set\n");
		else
			select_active_slave();
		return cxx::ok();
	}();
	if (!r)
		report_option_error(spec, r.error().code(), cxxbond_optval { u64(s64(prio)), nullptr },
				    extack);
	return r;
}

cxx::Result<void> Bond::set_delay(cxxbond_opt opt, u32 ms)
{
	const char *what = opt == CXXBOND_OPT_UPDELAY ? "up" :
			   (opt == CXXBOND_OPT_DOWNDELAY ? "down" : "peer notification");
	if (!params_.miimon) {
		cxxbond_log(log_err, dev_, nullptr, "Unable to set %s delay as MII monitoring is disabled\n",
			    what);
		return cxx::Error(cxx::err::EPERM);
	}
	if (ms % params_.miimon)
		cxxbond_log(log_warn, dev_, nullptr,
			    "%s delay (%u) is not a multiple of miimon (%u), value rounded to %u ms\n",
			    what, ms, params_.miimon, (ms / params_.miimon) * params_.miimon);
	u32 ticks = ms / params_.miimon;
	if (opt == CXXBOND_OPT_UPDELAY)
		params_.updelay = ticks;
	else if (opt == CXXBOND_OPT_DOWNDELAY)
		params_.downdelay = ticks;
	else
		params_.peer_notif_delay = ticks;
	return cxx::ok();
}

cxx::Result<void> Bond::apply(cxxbond_opt opt, const Parsed &v, netlink_ext_ack *extack)
{
	const OptionSpec &spec = option_spec(opt);
	if (!spec.implemented) {
		// Accepted only at its default (README: not implemented by cxx_bonding).
		for (const Word *w = spec.words; w && w->string; w++)
			if ((w->flags & word_default) && w->value == v.value)
				return cxx::ok();
		cxxbond_nl_err(extack, "option not supported by cxx_bonding");
		cxxbond_log(log_err, dev_, nullptr, "option %s: not supported by cxx_bonding\n",
			    spec.name);
		return cxx::Error(cxx::err::EOPNOTSUPP);
	}
	switch (opt) {
	case CXXBOND_OPT_MODE: {
		Mode m = Mode(v.value);
		if (m == Mode::ieee8023ad || m == Mode::tlb || m == Mode::alb) {
			cxxbond_nl_err(extack, "mode not supported by cxx_bonding");
			cxxbond_log(log_err, dev_, nullptr,
				    "option mode: %s not supported by cxx_bonding\n",
				    mode_word(m)->string);
			return cxx::Error(cxx::err::EOPNOTSUPP);
		}
		params_.arp_validate = 0;
		params_.mode = m;
		return cxx::ok();
	}
	case CXXBOND_OPT_MIIMON:
		params_.miimon = u32(v.value);
		mii_restart();
		return cxx::ok();
	case CXXBOND_OPT_UPDELAY:
	case CXXBOND_OPT_DOWNDELAY:
	case CXXBOND_OPT_PEER_NOTIF_DELAY:
		return set_delay(opt, u32(v.value));
	case CXXBOND_OPT_USE_CARRIER:
		params_.use_carrier = u8(v.value);
		return cxx::ok();
	case CXXBOND_OPT_PRIMARY_RESELECT:
		params_.primary_reselect = u8(v.value);
		select_active_slave();
		return cxx::ok();
	case CXXBOND_OPT_FAIL_OVER_MAC:
		params_.fail_over_mac = u8(v.value);
		return cxx::ok();
	case CXXBOND_OPT_XMIT_HASH_POLICY:
		params_.xmit_policy = HashPolicy(v.value);
		return cxx::ok();
	case CXXBOND_OPT_RESEND_IGMP:
		params_.resend_igmp = u32(v.value);
		return cxx::ok();
	case CXXBOND_OPT_NUM_PEER_NOTIF:
		params_.num_peer_notif = u8(v.value);
		return cxx::ok();
	case CXXBOND_OPT_ALL_SLAVES_ACTIVE:
		if (params_.all_slaves_active == u8(v.value))
			return cxx::ok();
		params_.all_slaves_active = u8(v.value);
		for (Slave &s : slaves_)
			s.refresh_inactive();
		return cxx::ok();
	case CXXBOND_OPT_MIN_LINKS:
		params_.min_links = u32(v.value);
		return cxx::ok();
	case CXXBOND_OPT_LP_INTERVAL:
		params_.lp_interval = u32(v.value);
		return cxx::ok();
	case CXXBOND_OPT_PACKETS_PER_SLAVE:
		params_.packets_per_slave = u32(v.value);
		return cxx::ok();
	default:
		return cxx::Error(cxx::err::EOPNOTSUPP);
	}
}

// 6.1's bond_option_active_slave_set: by name (sysfs, "" clears) or ifindex (netlink).
cxx::Result<void> Bond::set_active_slave(const cxxbond_optval &val, netlink_ext_ack *extack)
{
	net_device *sdev = nullptr;
	if (val.str) {
		if (val.str[0]) {
			sdev = cxxbond_dev_by_name(dev_, val.str);
			if (!sdev)
				return cxx::Error(cxx::err::ENODEV);
		}
	} else if (val.num) {
		sdev = cxxbond_dev_by_index(dev_, int(val.num));
		if (!sdev)
			return cxx::Error(cxx::err::ENODEV);
	}
	if (sdev) {
		Slave *s = find(sdev);
		if (!s) {
			cxxbond_log(log_err, dev_, sdev, "Device is not bonding slave\n");
			return cxx::Error(cxx::err::EINVAL);
		}
		if (s == curr_active()) {
			cxxbond_log(log_debug, dev_, sdev, "is already the current active slave\n");
			return cxx::ok();
		}
		if (!s->is_up() || s->link() != Link::up) {
			cxxbond_log(log_err, dev_, sdev,
				    "Setting %s as active slave failed: link down\n",
				    cxxbond_dev_name(sdev));
			return cxx::Error(cxx::err::EINVAL);
		}
		cxxbond_log(log_debug, dev_, sdev, "Setting %s as active slave\n",
			    cxxbond_dev_name(sdev));
		change_active_slave(s);
		return cxx::ok();
	}
	// No device: clear, and choose again.
	cxxbond_log(log_debug, dev_, nullptr, "Clearing current active slave\n");
	curr_active_.store(nullptr, cxx::Order::release);
	select_active_slave();
	return cxx::ok();
}

// 6.1's bond_option_primary_set: by name; a slave of that name becomes the primary.
cxx::Result<void> Bond::set_primary(const cxxbond_optval &val)
{
	const char *name = val.str ? val.str : "";
	if (!val.str && val.num) {
		net_device *sdev = cxxbond_dev_by_index(dev_, int(val.num));
		if (!sdev)
			return cxx::Error(cxx::err::ENODEV);
		name = cxxbond_dev_name(sdev);
	}
	if (!name[0]) {
		cxxbond_log(log_debug, dev_, nullptr, "Setting primary slave to None\n");
		primary_.store(nullptr, cxx::Order::release);
		copy_name(params_.primary, "");
		select_active_slave();
		return cxx::ok();
	}
	for (Slave &s : slaves_) {
		if (name_is(cxxbond_dev_name(s.dev()), name)) {
			cxxbond_log(log_debug, dev_, s.dev(), "Setting as primary slave\n");
			primary_.store(&s, cxx::Order::release);
			copy_name(params_.primary, name);
			force_primary_ = true;
			select_active_slave();
			return cxx::ok();
		}
	}
	if (primary()) {
		cxxbond_log(log_debug, dev_, nullptr, "Setting primary slave to None\n");
		primary_.store(nullptr, cxx::Order::release);
		select_active_slave();
	}
	copy_name(params_.primary, name);
	cxxbond_log(log_debug, dev_, nullptr, "Recording %s as primary, but it has not been enslaved yet.\n",
		    name);
	return cxx::ok();
}

// --- what ip -d prints ---------------------------------------------------------------------------

void Bond::get_info(cxxbond_info &out) const
{
	const Params &p = params_;
	Slave *active = uses_primary() ? curr_active() : nullptr;
	Slave *prim = primary();
	out = {};
	out.mode = u8(p.mode);
	out.active_slave_ifindex = active ? cxxbond_dev_ifindex(active->dev()) : 0;
	out.miimon = p.miimon;
	out.updelay_ms = p.updelay * p.miimon;
	out.downdelay_ms = p.downdelay * p.miimon;
	out.peer_notif_delay_ms = p.peer_notif_delay * p.miimon;
	out.use_carrier = p.use_carrier;
	out.arp_interval = p.arp_interval;
	out.arp_validate = p.arp_validate;
	out.arp_all_targets = p.arp_all_targets;
	out.primary_ifindex = prim ? cxxbond_dev_ifindex(prim->dev()) : 0;
	out.primary_reselect = p.primary_reselect;
	out.fail_over_mac = p.fail_over_mac;
	out.xmit_hash_policy = u8(p.xmit_policy);
	out.resend_igmp = p.resend_igmp;
	out.num_peer_notif = p.num_peer_notif;
	out.all_slaves_active = p.all_slaves_active;
	out.min_links = p.min_links;
	out.lp_interval = p.lp_interval;
	out.packets_per_slave = p.packets_per_slave;
	out.lacp_active = p.lacp_active;
	out.lacp_rate = p.lacp_fast;
	out.ad_select = p.ad_select;
	out.tlb_dynamic_lb = p.tlb_dynamic_lb;
	out.missed_max = p.missed_max;
	out.coupled_control = p.coupled_control;
}

} // namespace bonding
