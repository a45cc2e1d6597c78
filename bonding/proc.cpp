// SPDX-License-Identifier: GPL-2.0
// /proc/net/bonding/<bond>, line for line as 6.1's bond_procfs.c prints it for the modes
// implemented here (no ARP monitor, no 802.3ad).
#include "bond.h"
#include "shim.h"

namespace bonding {

namespace {

void show_slave(void *seq, const Slave &s)
{
	cxxbond_seq_printf(seq, "\nSlave Interface: %s\n", cxxbond_dev_name(s.dev()));
	cxxbond_seq_printf(seq, "MII Status: %s\n", link_word(s.link()));
	if (s.speed_ < 0)
		cxxbond_seq_printf(seq, "Speed: %s\n", "Unknown");
	else
		cxxbond_seq_printf(seq, "Speed: %d Mbps\n", s.speed_);
	if (s.duplex_ == 255)
		cxxbond_seq_printf(seq, "Duplex: %s\n", "Unknown");
	else
		cxxbond_seq_printf(seq, "Duplex: %s\n", s.duplex_ ? "full" : "half");
	cxxbond_seq_printf(seq, "Link Failure Count: %u\n", s.link_failure_count_);
	cxxbond_seq_printf(seq, "Permanent HW addr: %*phC\n", int(s.addr_len_), s.perm_hwaddr_);
	cxxbond_seq_printf(seq, "Slave queue ID: %d\n", int(s.queue_id()));
}

} // namespace

// RCU read side (the seq_file's start/stop hold it): the slave array, not the RTNL list.
void Bond::proc_show(void *seq) const
{
	const Params &p = params_;
	cxxbond_seq_printf(seq, "%s\n", cxxbond_version());
	cxxbond_seq_printf(seq, "Bonding Mode: %s", mode_name(p.mode));
	if (p.mode == Mode::activebackup && p.fail_over_mac)
		cxxbond_seq_printf(seq, " (fail_over_mac %s)",
				   word_of(CXXBOND_OPT_FAIL_OVER_MAC, p.fail_over_mac));
	cxxbond_seq_printf(seq, "\n");

	if (uses_xmit_hash())
		cxxbond_seq_printf(seq, "Transmit Hash Policy: %s (%d)\n",
				   word_of(CXXBOND_OPT_XMIT_HASH_POLICY, u64(p.xmit_policy)),
				   int(p.xmit_policy));

	if (uses_primary()) {
		Slave *prim = primary();
		Slave *curr = curr_active();
		cxxbond_seq_printf(seq, "Primary Slave: %s",
				   prim ? cxxbond_dev_name(prim->dev()) : "None");
		if (prim)
			cxxbond_seq_printf(seq, " (primary_reselect %s)",
					   word_of(CXXBOND_OPT_PRIMARY_RESELECT, p.primary_reselect));
		cxxbond_seq_printf(seq, "\nCurrently Active Slave: %s\n",
				   curr ? cxxbond_dev_name(curr->dev()) : "None");
	}

	cxxbond_seq_printf(seq, "MII Status: %s\n", cxxbond_carrier_ok(dev_) ? "up" : "down");
	cxxbond_seq_printf(seq, "MII Polling Interval (ms): %d\n", int(p.miimon));
	cxxbond_seq_printf(seq, "Up Delay (ms): %d\n", int(p.updelay * p.miimon));
	cxxbond_seq_printf(seq, "Down Delay (ms): %d\n", int(p.downdelay * p.miimon));
	cxxbond_seq_printf(seq, "Peer Notification Delay (ms): %d\n",
			   int(p.peer_notif_delay * p.miimon));

	SlaveArray *all = all_.load(cxx::Order::acquire);
	for (u32 i = 0; all && i < all->count; i++)
		show_slave(seq, *all->slaves[i]);
}

} // namespace bonding
