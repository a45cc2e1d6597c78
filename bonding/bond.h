// SPDX-License-Identifier: GPL-2.0
// A bond and its slaves (6.1's struct bonding and struct slave).
//
// Locking, as 6.1: everything that changes a bond's configuration or its slave list runs
// with RTNL held. The data path (xmit, the rx handler) and the link monitor's inspection
// read under RCU: the slave array they walk is published whole (all_, usable_) and freed
// after a grace period, curr_active_ is published with release ordering, and a released
// slave is freed only after synchronize_rcu().
#pragma once

#include <cxx/atomic.h>
#include <cxx/list.h>
#include <cxx/result.h>
#include <cxx/types.h>

#include "../include/cxx_netpoll.h"
#include "options.h"
#include "shim.h"
#include "slave_array.h"

struct net_device;
struct netlink_ext_ack;
struct sk_buff;

namespace bonding {

using cxx::s8;
using cxx::s32;
using cxx::s64;
using cxx::u16;

// BOND_LINK_*: up, fail (going down: downdelay), down, back (coming up: updelay).
enum class Link : s8 { nochange = -1, up = 0, fail = 1, down = 2, back = 3 };

// 6.1's bond_slave_link_status: what /proc and sysfs print for a link state.
constexpr const char *link_word(Link l)
{
	switch (l) {
	case Link::up:
		return "up";
	case Link::fail:
		return "going down";
	case Link::down:
		return "down";
	case Link::back:
		return "going back";
	default:
		return "unknown";
	}
}

class Bond;

class Slave final {
public:
	Slave(Bond &bond, net_device *dev) : bond_(bond), dev_(dev) {}
	Slave(const Slave &) = delete;
	Slave &operator=(const Slave &) = delete;

	[[nodiscard]] net_device *dev() const { return dev_; }
	[[nodiscard]] Bond &bond() const { return bond_; }

	// Read anywhere (RCU); written under RTNL or by the link monitor.
	[[nodiscard]] Link link() const { return Link(link_.load(cxx::Order::relaxed)); }
	[[nodiscard]] bool backup() const { return backup_.load(cxx::Order::relaxed); }
	[[nodiscard]] bool inactive() const { return inactive_.load(cxx::Order::relaxed); }
	[[nodiscard]] bool is_up() const;	// running with carrier (bond_slave_is_up)
	[[nodiscard]] bool can_tx() const;	// bond_slave_can_tx

	// RTNL held.
	void set_link(Link l) { link_.store(s8(l), cxx::Order::relaxed); }
	void set_active_flags();	// bond_set_slave_active_flags
	void set_inactive_flags();	// bond_set_slave_inactive_flags
	void refresh_inactive();	// all_slaves_active changed
	void lower_state_changed();	// NETDEV_CHANGELOWERSTATE (bond_lower_state_changed)
	// Its own netpoll while the bond has one (6.1's slave_enable_netpoll). RTNL held.
	cxx::Result<void> enable_netpoll();
	void disable_netpoll();
	// xmit: through its netpoll while netpoll transmits on the bond, else dev_queue_xmit.
	// copy: one of several copies of the frame (broadcast).
	void xmit(sk_buff *skb, bool copy = false);
	// ndo_poll_controller: poll it if it is up and its netpoll is ready.
	void poll();
	int sysfs_show(cxxbond_slave_attr attr, char *buf) const;

	cxx::ListNode node_;

	// Link monitor state (the monitor's work, or RTNL).
	Link new_link_ = Link::nochange;
	int delay_ = 0;
	u32 link_failure_count_ = 0;

	// Saved at enslave, restored at release.
	u8 perm_hwaddr_[32] = {};
	u8 addr_len_ = 0;
	u32 original_mtu_ = 0;
	int speed_ = -1;
	u8 duplex_ = 255;
	[[nodiscard]] u16 queue_id() const { return queue_id_.load(cxx::Order::relaxed); }
	void set_queue_id(u16 q) { queue_id_.store(q, cxx::Order::relaxed); }	// RTNL
	s32 prio_ = 0;			// failover reselection without a primary (RTNL)
	// What the slave's counters were at the bond's last look (6.1's slave_stats): the bond
	// counts what they grew by since (the bond's stats lock).
	u64 stats_[CXXBOND_STATS_WORDS] = {};
	void *sysfs_ = nullptr;		// <slave>/bonding_slave (sysfs.c)
	cxx_netpoll np_ {};		// attached while the bond has netpoll (np_.state)

private:
	Bond &bond_;
	net_device *dev_;
	cxx::Atomic<s8> link_ { s8(Link::down) };
	cxx::Atomic<bool> backup_ { false };
	cxx::Atomic<bool> inactive_ { false };
	cxx::Atomic<u16> queue_id_ { 0 };	// tc's queue mapping that picks this slave
};

class Bond final {
public:
	explicit Bond(net_device *dev, const Params &defaults) : params_(defaults), dev_(dev) {}
	Bond(const Bond &) = delete;
	Bond &operator=(const Bond &) = delete;
	~Bond();

	[[nodiscard]] net_device *dev() const { return dev_; }
	[[nodiscard]] Mode mode() const { return params_.mode; }
	[[nodiscard]] bool uses_primary() const;	// active-backup, tlb, alb
	[[nodiscard]] bool uses_xmit_hash() const;	// xor (802.3ad, tlb: not implemented)
	[[nodiscard]] bool has_slaves() const { return !slaves_.empty(); }
	// fail_over_mac in active-backup: slaves keep their own addresses (6.1's
	// "params.fail_over_mac && BOND_MODE(bond) == BOND_MODE_ACTIVEBACKUP").
	[[nodiscard]] bool mac_from_slaves() const
	{
		return params_.fail_over_mac != fom_none && params_.mode == Mode::activebackup;
	}

	// --- RTNL held ---------------------------------------------------------------------
	cxx::Result<void> enslave(net_device *slave_dev, netlink_ext_ack *extack);
	cxx::Result<void> release(net_device *slave_dev, bool unregistering);
	void release_all();
	cxx::Result<void> open();
	void close();
	cxx::Result<void> set_option(cxxbond_opt opt, const cxxbond_optval &val,
				     netlink_ext_ack *extack);
	cxx::Result<void> change_mtu(u32 mtu);
	cxx::Result<void> set_mac_address(const u8 *addr, netlink_ext_ack *extack);
	cxx::Result<void> set_slave_prio(net_device *slave_dev, s32 prio, netlink_ext_ack *extack);
	void change_rx_flags(int change);
	cxx::Result<void> vlan_add(u16 proto, u16 vid);
	void link_settings(int &speed, u8 &duplex);
	void vlan_kill(u16 proto, u16 vid);
	cxx::Result<void> netpoll_setup();	// ndo_netpoll_setup
	void netpoll_cleanup();			// ndo_netpoll_cleanup
	void slave_event(Slave &slave, unsigned long event);
	Slave *find(net_device *slave_dev);

	// --- the link monitor (its work item) ------------------------------------------------
	void mii_monitor();

	// --- readers (RTNL or RCU) ------------------------------------------------------------
	[[nodiscard]] Slave *curr_active() const { return curr_active_.load(cxx::Order::acquire); }
	[[nodiscard]] Slave *primary() const { return primary_.load(cxx::Order::acquire); }
	[[nodiscard]] const Params &params() const { return params_; }
	void get_info(cxxbond_info &out) const;
	void proc_show(void *seq) const;
	int sysfs_show(int attr, char *buf);	// RTNL held for the slave lists

	// --- data path (RCU read side) --------------------------------------------------------
	void start_xmit(sk_buff *skb);
	void fold_slave_stats(u64 *stats);	// the bond's stats lock held
	void set_rx_mode();
	void poll_controller();

private:
	// Enslave's steps (bond.cpp).
	cxx::Result<void> check_enslave(net_device *slave_dev, netlink_ext_ack *extack);
	cxx::Result<void> attach(Slave &slave, netlink_ext_ack *extack);
	void initial_link_state(Slave &slave);
	void detach(Slave &slave, bool unregistering, bool all);

	// Active slave and carrier (bond.cpp).
	Slave *find_best_slave();
	Slave *choose_primary_or_current();
	void change_active_slave(Slave *new_active);
	void select_active_slave();
	bool set_carrier();
	void hw_addr_swap(Slave *new_active, Slave *old_active);
	void fail_over_mac(Slave *new_active, Slave *old_active);
	void publish_arrays();
	[[nodiscard]] bool should_notify_peers() const;
	void mii_restart();

	// Option setters (bond.cpp).
	cxx::Result<void> check_option_deps(const OptionSpec &spec);
	void report_option_error(const OptionSpec &spec, int err, const cxxbond_optval &val,
				 netlink_ext_ack *extack);
	cxx::Result<void> set_option_checked(cxxbond_opt opt, const OptionSpec &spec,
					     const cxxbond_optval &val, netlink_ext_ack *extack);
	cxx::Result<void> set_slaves(const cxxbond_optval &val);
	cxx::Result<void> set_queue_id(const cxxbond_optval &val);
	cxx::Result<void> set_active_slave(const cxxbond_optval &val, netlink_ext_ack *extack);
	cxx::Result<void> set_primary(const cxxbond_optval &val);
	cxx::Result<void> set_delay(cxxbond_opt opt, u32 ms);
	cxx::Result<void> apply(cxxbond_opt opt, const Parsed &v, netlink_ext_ack *extack);

	// The link monitor (monitor.cpp).
	int mii_inspect();
	void mii_commit();
	bool check_link(Slave &slave);

	// Transmit (xmit.cpp).
	Slave *rr_slave();
	Slave *xor_slave(sk_buff *skb);
	Slave *queue_slave(sk_buff *skb);
	bool xmit_broadcast(sk_buff *skb);	// false: no slave to send it through
	void xmit_oops(Slave *first, sk_buff *skb);
	void xmit_none(sk_buff *skb, bool netpoll);

	Params params_;
	net_device *dev_;
	cxx::List<Slave, &Slave::node_> slaves_;	// RTNL
	cxx::Atomic<Slave *> curr_active_ { nullptr };
	cxx::Atomic<Slave *> primary_ { nullptr };
	bool force_primary_ = false;
	cxx::Atomic<SlaveArray *> all_ { nullptr };	// every slave, in enslave order
	cxx::Atomic<SlaveArray *> usable_ { nullptr };	// xor: those that can transmit
	cxx::Atomic<u32> rr_tx_counter_ { 0 };
	u32 send_peer_notif_ = 0;
	bool computing_features_ = false;	// RTNL
};

// The bond of a net_device that is one of ours (main.c's private area).
Bond &bond_of(net_device *bond_dev);

// Defaults of new bonds (module parameters, checked).
extern constinit Params module_defaults;

} // namespace bonding
