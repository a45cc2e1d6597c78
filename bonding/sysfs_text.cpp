// SPDX-License-Identifier: GPL-2.0
// The text of the sysfs files, as 6.1's bond_sysfs.c and bond_sysfs_slave.c print it.
#include "bond.h"
#include "shim.h"

namespace bonding {

namespace {

// "name value", as 6.1 prints the options that have words.
int word_and_value(char *buf, cxxbond_opt opt, u64 v)
{
	return cxxbond_emit(buf, 0, "%s %d\n", word_of(opt, v), int(v));
}

} // namespace

int Bond::sysfs_show(int attr, char *buf)
{
	const Params &p = params_;
	switch (attr) {
	case CXXBOND_OPT_SLAVES:
	case CXXBOND_OPT_QUEUE_ID: {
		int n = 0;
		for (Slave &s : slaves_) {
			if (n > 4096 - 16 - 6) {
				n = n < 4096 - 10 ? n : 4096 - 10;
				n += cxxbond_emit(buf, n, "++more++ ");
				break;
			}
			if (attr == CXXBOND_OPT_SLAVES)
				n += cxxbond_emit(buf, n, "%s ", cxxbond_dev_name(s.dev()));
			else
				n += cxxbond_emit(buf, n, "%s:%d ", cxxbond_dev_name(s.dev()),
						  int(s.queue_id()));
		}
		if (n)
			buf[n - 1] = '\n';
		return n;
	}
	case CXXBOND_ATTR_MII_STATUS:
		return cxxbond_emit(buf, 0, "%s\n", cxxbond_carrier_ok(dev_) ? "up" : "down");
	case CXXBOND_ATTR_AD_INFO:
		return 0;
	case CXXBOND_OPT_MODE:
		return word_and_value(buf, CXXBOND_OPT_MODE, u64(p.mode));
	case CXXBOND_OPT_XMIT_HASH_POLICY:
		return word_and_value(buf, CXXBOND_OPT_XMIT_HASH_POLICY, u64(p.xmit_policy));
	case CXXBOND_OPT_ARP_VALIDATE:
		return word_and_value(buf, CXXBOND_OPT_ARP_VALIDATE, p.arp_validate);
	case CXXBOND_OPT_ARP_ALL_TARGETS:
		return word_and_value(buf, CXXBOND_OPT_ARP_ALL_TARGETS, p.arp_all_targets);
	case CXXBOND_OPT_FAIL_OVER_MAC:
		return word_and_value(buf, CXXBOND_OPT_FAIL_OVER_MAC, p.fail_over_mac);
	case CXXBOND_OPT_PRIMARY_RESELECT:
		return word_and_value(buf, CXXBOND_OPT_PRIMARY_RESELECT, p.primary_reselect);
	case CXXBOND_OPT_AD_LACP_ACTIVE:
		return word_and_value(buf, CXXBOND_OPT_AD_LACP_ACTIVE, p.lacp_active);
	case CXXBOND_OPT_AD_LACP_RATE:
		return word_and_value(buf, CXXBOND_OPT_AD_LACP_RATE, p.lacp_fast);
	case CXXBOND_OPT_AD_SELECT:
		return word_and_value(buf, CXXBOND_OPT_AD_SELECT, p.ad_select);
	case CXXBOND_OPT_ARP_INTERVAL:
		return cxxbond_emit(buf, 0, "%d\n", int(p.arp_interval));
	case CXXBOND_OPT_ARP_IP_TARGET:
		return 0;	// no targets: 6.1 prints nothing
	case CXXBOND_OPT_MISSED_MAX:
		return cxxbond_emit(buf, 0, "%u\n", unsigned(p.missed_max));
	case CXXBOND_OPT_DOWNDELAY:
		return cxxbond_emit(buf, 0, "%d\n", int(p.downdelay * p.miimon));
	case CXXBOND_OPT_UPDELAY:
		return cxxbond_emit(buf, 0, "%d\n", int(p.updelay * p.miimon));
	case CXXBOND_OPT_PEER_NOTIF_DELAY:
		return cxxbond_emit(buf, 0, "%d\n", int(p.peer_notif_delay * p.miimon));
	case CXXBOND_OPT_MIN_LINKS:
		return cxxbond_emit(buf, 0, "%u\n", p.min_links);
	case CXXBOND_OPT_NUM_PEER_NOTIF:
		return cxxbond_emit(buf, 0, "%d\n", int(p.num_peer_notif));
	case CXXBOND_OPT_MIIMON:
		return cxxbond_emit(buf, 0, "%d\n", int(p.miimon));
	case CXXBOND_OPT_PRIMARY: {
		Slave *prim = primary();
		return prim ? cxxbond_emit(buf, 0, "%s\n", cxxbond_dev_name(prim->dev())) : 0;
	}
	case CXXBOND_OPT_USE_CARRIER:
		return cxxbond_emit(buf, 0, "%d\n", int(p.use_carrier));
	case CXXBOND_OPT_ACTIVE_SLAVE: {
		Slave *a = uses_primary() ? curr_active() : nullptr;
		return a ? cxxbond_emit(buf, 0, "%s\n", cxxbond_dev_name(a->dev())) : 0;
	}
	case CXXBOND_OPT_ALL_SLAVES_ACTIVE:
		return cxxbond_emit(buf, 0, "%d\n", int(p.all_slaves_active));
	case CXXBOND_OPT_RESEND_IGMP:
		return cxxbond_emit(buf, 0, "%d\n", int(p.resend_igmp));
	case CXXBOND_OPT_LP_INTERVAL:
		return cxxbond_emit(buf, 0, "%d\n", int(p.lp_interval));
	case CXXBOND_OPT_PACKETS_PER_SLAVE:
		return cxxbond_emit(buf, 0, "%u\n", p.packets_per_slave);
	case CXXBOND_OPT_TLB_DYNAMIC_LB:
		return cxxbond_emit(buf, 0, "%d\n", int(p.tlb_dynamic_lb));
	case CXXBOND_OPT_AD_ACTOR_SYS_PRIO:
	case CXXBOND_OPT_AD_USER_PORT_KEY:
	case CXXBOND_OPT_AD_ACTOR_SYSTEM:
		return 0;	// 6.1 prints these only in 802.3ad mode, which cxx_bonding lacks
	default:
		return 0;
	}
}

int Slave::sysfs_show(cxxbond_slave_attr attr, char *buf) const
{
	switch (attr) {
	case CXXBOND_SLAVE_STATE:
		return cxxbond_emit(buf, 0, "%s\n", backup() ? "backup" : "active");
	case CXXBOND_SLAVE_MII_STATUS:
		return cxxbond_emit(buf, 0, "%s\n", link_word(link()));
	case CXXBOND_SLAVE_LINK_FAILURE_COUNT:
		return cxxbond_emit(buf, 0, "%d\n", int(link_failure_count_));
	case CXXBOND_SLAVE_PERM_HWADDR:
		return cxxbond_emit(buf, 0, "%*phC\n", int(addr_len_), perm_hwaddr_);
	case CXXBOND_SLAVE_QUEUE_ID:
		return cxxbond_emit(buf, 0, "%d\n", int(queue_id()));
	case CXXBOND_SLAVE_AD_INFO:
		return cxxbond_emit(buf, 0, "N/A\n");
	}
	return 0;
}

} // namespace bonding

extern "C" int cxxbond_sysfs_show(net_device *bond_dev, int attr, char *buf)
{
	return bonding::bond_of(bond_dev).sysfs_show(attr, buf);
}

extern "C" int cxxbond_slave_sysfs_show(cxxbond_slave *slave, cxxbond_slave_attr attr, char *buf)
{
	return reinterpret_cast<bonding::Slave *>(slave)->sysfs_show(attr, buf);
}
