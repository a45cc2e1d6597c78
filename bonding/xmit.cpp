// SPDX-License-Identifier: GPL-2.0
// The data path (RCU read side): which slave sends a frame in each mode, as 6.1 chooses it,
// and what the rx handler does with a slave's frame.
#include "bond.h"
#include "hash.h"
#include "shim.h"

namespace bonding {

// 6.1's bond_rr_gen_slave_id: a counter (one per bond here, one per CPU in 6.1), divided by
// packets_per_slave; 0 means a random slave per packet.
Slave *Bond::rr_slave()
{
	SlaveArray *all = all_.load(cxx::Order::acquire);
	u32 count = all ? all->count : 0;
	if (!count)
		return nullptr;
	u32 pps = params_.packets_per_slave;
	u32 id;
	if (pps == 0)
		id = cxxbond_random_u32();
	else
		id = (rr_tx_counter_.fetch_add(1, cxx::Order::relaxed) + 1) / pps;
	id %= count;
	// 6.1's bond_get_slave_by_id: the first slave that can send, from id on, wrapping.
	for (u32 i = 0; i < count; i++) {
		Slave *s = all->slaves[(id + i) % count];
		if (s->can_tx())
			return s;
	}
	return nullptr;
}

// 6.1's bond_xmit_3ad_xor_slave_get: the policy's hash modulo the usable slaves.
Slave *Bond::xor_slave(sk_buff *skb)
{
	SlaveArray *usable = usable_.load(cxx::Order::acquire);
	u32 count = usable ? usable->count : 0;
	if (!count)
		return nullptr;
	cxxbond_flow flow;
	cxxbond_skb_flow(skb, int(params_.xmit_policy), &flow);
	return usable->slaves[xmit_hash(flow, params_.xmit_policy) % count];
}

// 6.1's bond_xmit_broadcast: a clone to every slave whose link is up, the skb itself to the
// last of them. False if there was none (skb untouched).
bool Bond::xmit_broadcast(sk_buff *skb)
{
	SlaveArray *all = all_.load(cxx::Order::acquire);
	Slave *last = nullptr;
	for (u32 i = 0; all && i < all->count; i++) {
		Slave *s = all->slaves[i];
		if (!s->is_up() || s->link() != Link::up)
			continue;
		if (last) {
			sk_buff *clone = cxxbond_skb_clone(skb);
			if (!clone) {
				cxxbond_log(3, dev_, nullptr, "Error: %s: skb_clone() failed\n",
					    "bond_xmit_broadcast");
				continue;
			}
			last->xmit(clone, true);
		}
		last = s;
	}
	if (!last)
		return false;
	last->xmit(skb, true);
	return true;
}

// Netpoll's frames do not go into a link the bond knows to be dead: when the mode has no
// slave for a frame, or its slave has no carrier (the driver saw the link go; miimon has not
// acted on it yet, or there is no other slave), a cxx_netpoll sender keeps the frame in its
// queue and tries again through the bond (its work item, every few ms) until a slave takes
// it or the queue's bound drops it, counted. 6.1 drops it, or gives it to the dead link.
// Other traffic, and the kernel's netpoll, as 6.1.
// 6.1's bond_slave_override (active-backup and balance-rr): a frame whose queue mapping tc set
// to a slave's queue_id leaves through that slave while it is up, active or not; otherwise
// (no mapping, no such slave, that slave down) the mode decides.
Slave *Bond::queue_slave(sk_buff *skb)
{
	u32 q = cxxbond_skb_queue_mapping(skb);
	SlaveArray *all = all_.load(cxx::Order::acquire);
	for (u32 i = 0; q && all && i < all->count; i++) {
		Slave *s = all->slaves[i];
		if (s->queue_id() == q)
			return s->is_up() && s->link() == Link::up ? s : nullptr;
	}
	return nullptr;
}

void Bond::start_xmit(sk_buff *skb)
{
	const bool netpoll = cxxbond_netpoll_tx(dev_);
	if (params_.mode == Mode::activebackup || params_.mode == Mode::roundrobin) {
		if (Slave *s = queue_slave(skb)) {
			s->xmit(skb);
			return;
		}
	}
	Slave *slave = nullptr;
	switch (params_.mode) {
	case Mode::activebackup:
		slave = curr_active();
		break;
	case Mode::roundrobin:
		if (cxxbond_skb_is_igmp(skb)) {
			slave = curr_active();
			if (!slave) {
				SlaveArray *all = all_.load(cxx::Order::acquire);
				for (u32 i = 0; !slave && all && i < all->count; i++)
					if (all->slaves[i]->can_tx())
						slave = all->slaves[i];
			}
			break;
		}
		slave = rr_slave();
		break;
	case Mode::xor_hash:
		slave = xor_slave(skb);
		break;
	case Mode::broadcast:
		if (!xmit_broadcast(skb))
			xmit_none(skb, netpoll);
		return;
	default:
		break;
	}
	if (netpoll && cxx_oops_in_progress())
		xmit_oops(slave, skb);
	else if (slave && (!netpoll || cxxbond_carrier_ok(slave->dev())))
		slave->xmit(skb);
	else
		xmit_none(skb, netpoll);
}

// No slave can send skb now: a cxx_netpoll sender keeps it, anything else is dropped.
void Bond::xmit_none(sk_buff *skb, bool netpoll)
{
	if (!netpoll || !cxx_netpoll_hold_skb(skb))
		cxxbond_skb_drop(skb, dev_);
}

// Netpoll transmits during an oops: its line must leave if any slave can send it. What the
// mode's slave cannot take now (its tx lock held by a CPU the panic stopped, or by the
// context an NMI panic interrupted; its queue full; no carrier) goes through another slave
// that is up, whatever the mode (the peer sees it arrive on another port); only if none
// takes it does the sender keep it. Outside an oops the mode's choice stands, as in 6.1.
void Bond::xmit_oops(Slave *first, sk_buff *skb)
{
	if (first && cxxbond_carrier_ok(first->dev()) && cxxbond_skb_to_slave(skb, first->dev()))
		skb = cxx_netpoll_try_send_skb(&first->np_, skb);
	SlaveArray *all = all_.load(cxx::Order::acquire);
	for (u32 i = 0; skb && all && i < all->count; i++) {
		Slave *s = all->slaves[i];
		if (s == first || !s->is_up() || s->link() != Link::up)
			continue;
		if (cxxbond_skb_to_slave(skb, s->dev()))
			skb = cxx_netpoll_try_send_skb(&s->np_, skb);
	}
	if (skb)
		xmit_none(skb, true);
}

// 6.1's bond_dev_queue_xmit: while netpoll transmits on the bond (IRQs off), the slave's
// netpoll takes the skb (cxx_netpoll hands what the slave cannot take back to the sender);
// otherwise the slave's queue.
void Slave::xmit(sk_buff *skb, bool copy)
{
	if (cxxbond_skb_to_slave(skb, dev_)) {
		if (copy)
			cxx_netpoll_send_skb_copy(&np_, skb);
		else
			cxx_netpoll_send_skb(&np_, skb);
	} else {
		cxxbond_xmit_slave(skb);
	}
}

// 6.1's bond_poll_controller (802.3ad's active aggregator: not implemented).
void Bond::poll_controller()
{
	SlaveArray *all = all_.load(cxx::Order::acquire);
	for (u32 i = 0; all && i < all->count; i++)
		all->slaves[i]->poll();
}

void Slave::poll()
{
	// Until a grace period has passed since its netpoll was set up, a NAPI poll that began
	// before may still run: cxx_netpoll_ready says when it has.
	if (is_up() && cxx_netpoll_ready(&np_))
		cxx_netpoll_poll_dev(dev_);
}

// 6.1's bond_set_rx_mode: the bond's address lists go to the active slave (modes with a
// primary) or to every slave.
void Bond::set_rx_mode()
{
	if (uses_primary()) {
		if (Slave *s = curr_active())
			cxxbond_addr_sync_locked(s->dev(), dev_, 0);
		return;
	}
	SlaveArray *all = all_.load(cxx::Order::acquire);
	for (u32 i = 0; all && i < all->count; i++)
		cxxbond_addr_sync_locked(all->slaves[i]->dev(), dev_, 1);
}

} // namespace bonding

using bonding::Bond;
using bonding::Slave;

extern "C" int cxxbond_start_xmit(sk_buff *skb, net_device *bond_dev)
{
	bonding::bond_of(bond_dev).start_xmit(skb);
	return 0;	// NETDEV_TX_OK: consumed
}

extern "C" void cxxbond_poll_controller(net_device *bond_dev)
{
	bonding::bond_of(bond_dev).poll_controller();
}

extern "C" void cxxbond_set_rx_mode(net_device *bond_dev)
{
	bonding::bond_of(bond_dev).set_rx_mode();
}

// 6.1's bond_handle_frame: link-local frames stay on the slave; an inactive slave's frames
// only reach handlers bound to it exactly; the rest go up on the bond.
extern "C" cxxbond_rx_verdict cxxbond_rx(cxxbond_slave *cookie, int link_local)
{
	auto *slave = reinterpret_cast<Slave *>(cookie);
	if (link_local)
		return CXXBOND_RX_PASS;
	if (slave->inactive())
		return CXXBOND_RX_EXACT;
	return CXXBOND_RX_ANOTHER;
}

extern "C" net_device *cxxbond_slave_master(cxxbond_slave *cookie)
{
	return reinterpret_cast<Slave *>(cookie)->bond().dev();
}
