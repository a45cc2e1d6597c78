// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_bonding: a bonding driver (rtnl link kind "bond") whose logic is C++ (bond.cpp,
 * monitor.cpp, xmit.cpp, ...). This file is the kernel glue: module parameters with 6.1's
 * names, the net_device ops and setup, the rx handler, the link monitor's work item, the
 * netdev notifier, and living beside in-tree bonding: only one of the two may be loaded
 * (both claim the kind "bond" and /proc/net/bonding, and in-tree bonding's notifier takes
 * every IFF_BONDING device for its own).
 *
 *   modprobe cxx_bonding [max_bonds=1] [mode=active-backup] [miimon=100] ...
 *   ip link add bond0 type bond mode active-backup miimon 100
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_bonding.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/netpoll.h>
#include <generated/utsrelease.h>
#include <net/rtnetlink.h>
#include <net/net_namespace.h>

#include "../include/cxx_netpoll.h"
#include "main.h"
#include "bonding.h"
#include "shim.h"

/* --- module parameters: 6.1's names and defaults -------------------------------------------- */

static int max_bonds = 1;
static int tx_queues = 16;
static int num_peer_notif = 1;
static int miimon;
static int updelay;
static int downdelay;
static int use_carrier = 1;
static char *mode;
static char *primary;
static char *primary_reselect;
static char *lacp_rate;
static int lacp_active = 1;
static char *ad_select;
static char *xmit_hash_policy;
static int arp_interval;
static char *arp_ip_target[16];
static char *arp_validate;
static char *arp_all_targets;
static char *fail_over_mac;
static int all_slaves_active;
static int resend_igmp = 1;
static int packets_per_slave = 1;
static int lp_interval = 1;
static int min_links;

module_param(max_bonds, int, 0);
MODULE_PARM_DESC(max_bonds, "Max number of bonded devices");
module_param(tx_queues, int, 0);
MODULE_PARM_DESC(tx_queues, "Max number of transmit queues (default = 16)");
module_param_named(num_grat_arp, num_peer_notif, int, 0644);
MODULE_PARM_DESC(num_grat_arp, "Number of peer notifications to send on failover event (alias of num_unsol_na)");
module_param_named(num_unsol_na, num_peer_notif, int, 0644);
MODULE_PARM_DESC(num_unsol_na, "Number of peer notifications to send on failover event (alias of num_grat_arp)");
module_param(miimon, int, 0);
MODULE_PARM_DESC(miimon, "Link check interval in milliseconds");
module_param(updelay, int, 0);
MODULE_PARM_DESC(updelay, "Delay before considering link up, in milliseconds");
module_param(downdelay, int, 0);
MODULE_PARM_DESC(downdelay, "Delay before considering link down, in milliseconds");
module_param(use_carrier, int, 0);
MODULE_PARM_DESC(use_carrier, "Use netif_carrier_ok (vs MII ioctls) in miimon; 0 for off, 1 for on (default)");
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "Mode of operation; 0 for balance-rr, 1 for active-backup, 2 for balance-xor, 3 for broadcast (4, 5, 6: not supported by cxx_bonding)");
module_param(primary, charp, 0);
MODULE_PARM_DESC(primary, "Primary network device to use");
module_param(primary_reselect, charp, 0);
MODULE_PARM_DESC(primary_reselect, "Reselect primary slave once it comes up; 0 for always (default), 1 for only if speed of primary is better, 2 for only on active slave failure");
module_param(lacp_rate, charp, 0);
MODULE_PARM_DESC(lacp_rate, "LACPDU tx rate to request from 802.3ad partner (not supported by cxx_bonding)");
module_param(lacp_active, int, 0);
MODULE_PARM_DESC(lacp_active, "Send LACPDU frames as configured lacp_rate or acts as speak when spoken to (not supported by cxx_bonding)");
module_param(ad_select, charp, 0);
MODULE_PARM_DESC(ad_select, "802.3ad aggregation selection logic (not supported by cxx_bonding)");
module_param(xmit_hash_policy, charp, 0);
MODULE_PARM_DESC(xmit_hash_policy, "balance-xor hashing method: layer2 (others not yet supported by cxx_bonding)");
module_param(arp_interval, int, 0);
MODULE_PARM_DESC(arp_interval, "arp interval in milliseconds (not supported by cxx_bonding)");
module_param_array(arp_ip_target, charp, NULL, 0);
MODULE_PARM_DESC(arp_ip_target, "arp targets in n.n.n.n form (not supported by cxx_bonding)");
module_param(arp_validate, charp, 0);
MODULE_PARM_DESC(arp_validate, "validate src/dst of ARP probes (not supported by cxx_bonding)");
module_param(arp_all_targets, charp, 0);
MODULE_PARM_DESC(arp_all_targets, "fail on any/all arp targets timeout (not supported by cxx_bonding)");
module_param(fail_over_mac, charp, 0);
MODULE_PARM_DESC(fail_over_mac, "For active-backup, do not set all slaves to the same MAC; none (default), active or follow");
module_param(all_slaves_active, int, 0);
MODULE_PARM_DESC(all_slaves_active, "Keep all frames received on an interface by setting active flag for all slaves; 0 for never (default), 1 for always.");
module_param(resend_igmp, int, 0);
MODULE_PARM_DESC(resend_igmp, "Number of IGMP membership reports to send on link failure");
module_param(packets_per_slave, int, 0);
MODULE_PARM_DESC(packets_per_slave, "Packets to send per slave in balance-rr mode; 0 for a random slave, 1 packet per slave (default), >1 packets per slave.");
module_param(lp_interval, uint, 0);
MODULE_PARM_DESC(lp_interval, "The number of seconds between instances where the bonding driver sends learning packets to each slaves peer switch. The default is 1.");
module_param(min_links, int, 0);
MODULE_PARM_DESC(min_links, "Minimum number of available links before turning on carrier");

int cxxbond_tx_queues = 16;

/* --- the bond's private area ---------------------------------------------------------------- */

void *cxxbond_priv_bond(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	return p->bond;
}

void cxxbond_priv_set_bond(struct net_device *bond_dev, void *bond)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	p->bond = bond;
}

static void cxxbond_mii_work(struct work_struct *work)
{
	struct cxxbond_priv *p = container_of(work, struct cxxbond_priv, mii_work.work);

	cxxbond_mii_monitor(p->dev);
}

void cxxbond_mii_queue(struct net_device *bond_dev, unsigned int delay_jiffies)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	queue_delayed_work(system_power_efficient_wq, &p->mii_work, delay_jiffies);
}

void cxxbond_mii_cancel_sync(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	cancel_delayed_work_sync(&p->mii_work);
}

unsigned int cxxbond_msecs_to_jiffies(unsigned int ms)
{
	return msecs_to_jiffies(ms);
}

int cxxbond_rtnl_trylock(void)
{
	return rtnl_trylock();
}

const char *cxxbond_version(void)
{
	return "Ethernet Channel Bonding Driver: v" UTS_RELEASE "\n";
}

void cxxbond_kvfree_rcu(void *p)
{
	if (p)
		kvfree_rcu(p);
}

/* --- net_device ops --------------------------------------------------------------------------- */

void cxxbond_priv_init(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	p->dev = bond_dev;
	INIT_DELAYED_WORK(&p->mii_work, cxxbond_mii_work);
	spin_lock_init(&p->stats_lock);
}

/* 6.1's bond_get_stats: what the slaves counted while enslaved, kept across releases. A bond
 * may be another bond's slave: its stats lock nests by its depth of lower devices. */
static void cxxbond_get_stats(struct net_device *bond_dev, struct rtnl_link_stats64 *stats)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);
	int nest_level = 0;

	rcu_read_lock();
#ifdef CONFIG_LOCKDEP
	nest_level = max(READ_ONCE(bond_dev->lower_level) - 1, 0);
#endif
	spin_lock_nested(&p->stats_lock, nest_level);
	memcpy(stats, &p->bond_stats, sizeof(*stats));
	cxxbond_fold_slave_stats(bond_dev, stats);
	memcpy(&p->bond_stats, stats, sizeof(*stats));
	spin_unlock(&p->stats_lock);
	rcu_read_unlock();
}

void cxxbond_stats_fold(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	cxxbond_get_stats(bond_dev, &p->bond_stats);
}

static int cxxbond_ndo_init(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	/* 6.1's bond_init: a random address until the first slave lends its own. */
	if (!is_valid_ether_addr(bond_dev->dev_addr) &&
	    bond_dev->addr_assign_type == NET_ADDR_PERM)
		eth_hw_addr_random(bond_dev);
	if (p->bond)	/* newlink made it, to set the options before registering */
		return 0;
	cxxbond_priv_init(bond_dev);
	return cxxbond_init(bond_dev);
}

static void cxxbond_ndo_uninit(struct net_device *bond_dev)
{
	cxxbond_uninit(bond_dev);
	cxxbond_proc_remove(bond_dev);
}

static void cxxbond_destructor(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);

	if (p->bond)
		cxxbond_destroy(bond_dev);
}

static netdev_tx_t cxxbond_ndo_start_xmit(struct sk_buff *skb, struct net_device *bond_dev)
{
	return cxxbond_start_xmit(skb, bond_dev) ? NETDEV_TX_BUSY : NETDEV_TX_OK;
}

static int cxxbond_ndo_set_mac_address(struct net_device *bond_dev, void *addr)
{
	struct sockaddr_storage *ss = addr;
	int err;

	/* 6.1: success and nothing changed (an error would make ifenslave fail). */
	if (cxxbond_mac_from_slaves(bond_dev))
		return 0;
	if (!is_valid_ether_addr(ss->__data))
		return -EADDRNOTAVAIL;
	err = cxxbond_set_mac_address(bond_dev, (const unsigned char *)ss->__data, NULL);
	if (err)
		return err;
	dev_addr_set(bond_dev, ss->__data);
	return 0;
}

/* 6.1's bond_fix_features: what every slave must have, what one slave having is enough for. */
static netdev_features_t cxxbond_fix_features(struct net_device *bond_dev,
					      netdev_features_t features)
{
	netdev_features_t mask = features;
	struct net_device *slave_dev;
	struct list_head *iter;

	features &= ~NETIF_F_ONE_FOR_ALL;
	features |= NETIF_F_ALL_FOR_ALL;
	netdev_for_each_lower_dev(bond_dev, slave_dev, iter)
		features = netdev_increment_features(features, slave_dev->features, mask);
	return netdev_add_tso_features(features, mask);
}

static int cxxbond_ndo_change_mtu(struct net_device *bond_dev, int new_mtu)
{
	int err = cxxbond_change_mtu(bond_dev, new_mtu);

	if (!err)
		bond_dev->mtu = new_mtu;
	return err;
}

static int cxxbond_ndo_vlan_rx_add_vid(struct net_device *bond_dev, __be16 proto, u16 vid)
{
	return cxxbond_vlan_rx_add_vid(bond_dev, ntohs(proto), vid);
}

static int cxxbond_ndo_vlan_rx_kill_vid(struct net_device *bond_dev, __be16 proto, u16 vid)
{
	return cxxbond_vlan_rx_kill_vid(bond_dev, ntohs(proto), vid);
}

static int cxxbond_ndo_add_slave(struct net_device *bond_dev, struct net_device *slave_dev,
				 struct netlink_ext_ack *extack)
{
	return cxxbond_enslave(bond_dev, slave_dev, extack);
}

static int cxxbond_ndo_del_slave(struct net_device *bond_dev, struct net_device *slave_dev)
{
	return cxxbond_release(bond_dev, slave_dev);
}

#ifdef CONFIG_NET_POLL_CONTROLLER
static int cxxbond_ndo_netpoll_setup(struct net_device *bond_dev, struct netpoll_info *ni)
{
	return cxxbond_netpoll_setup(bond_dev);
}
#endif

const struct net_device_ops cxxbond_netdev_ops = {
	.ndo_init		= cxxbond_ndo_init,
	.ndo_uninit		= cxxbond_ndo_uninit,
	.ndo_open		= cxxbond_open,
	.ndo_stop		= cxxbond_close,
	.ndo_start_xmit		= cxxbond_ndo_start_xmit,
	.ndo_select_queue	= cxxbond_select_queue,
	.ndo_change_rx_flags	= cxxbond_change_rx_flags,
	.ndo_fix_features	= cxxbond_fix_features,
	.ndo_get_stats64	= cxxbond_get_stats,
	.ndo_set_rx_mode	= cxxbond_set_rx_mode,
	.ndo_change_mtu		= cxxbond_ndo_change_mtu,
	.ndo_set_mac_address	= cxxbond_ndo_set_mac_address,
	.ndo_vlan_rx_add_vid	= cxxbond_ndo_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= cxxbond_ndo_vlan_rx_kill_vid,
	.ndo_add_slave		= cxxbond_ndo_add_slave,
	.ndo_del_slave		= cxxbond_ndo_del_slave,
	.ndo_features_check	= passthru_features_check,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_poll_controller	= cxxbond_poll_controller,
	.ndo_netpoll_setup	= cxxbond_ndo_netpoll_setup,
	.ndo_netpoll_cleanup	= cxxbond_netpoll_cleanup,
#endif
};

/* 6.1's bond_ethtool_ops, less timestamping info. */
static void cxxbond_get_drvinfo(struct net_device *bond_dev, struct ethtool_drvinfo *drvinfo)
{
	strscpy(drvinfo->driver, CXXBOND_DRV_NAME, sizeof(drvinfo->driver));
	snprintf(drvinfo->fw_version, sizeof(drvinfo->fw_version), "%d", BOND_ABI_VERSION);
}

static int cxxbond_get_link_ksettings(struct net_device *bond_dev,
				      struct ethtool_link_ksettings *cmd)
{
	unsigned char duplex;
	int speed;

	cxxbond_link_settings(bond_dev, &speed, &duplex);
	cmd->base.port = PORT_OTHER;
	cmd->base.duplex = duplex == 255 ? DUPLEX_UNKNOWN : duplex;
	cmd->base.speed = speed < 0 ? SPEED_UNKNOWN : speed;
	return 0;
}

static const struct ethtool_ops cxxbond_ethtool_ops = {
	.get_drvinfo		= cxxbond_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= cxxbond_get_link_ksettings,
};

static const struct device_type cxxbond_type = {
	.name = "bond",
};

/* 6.1's bond_setup, less what cxx_bonding does not offer (xfrm, TLS offload). */
void cxxbond_setup(struct net_device *bond_dev)
{
	ether_setup(bond_dev);
	bond_dev->max_mtu = ETH_MAX_MTU;
	bond_dev->netdev_ops = &cxxbond_netdev_ops;
	bond_dev->ethtool_ops = &cxxbond_ethtool_ops;
	bond_dev->needs_free_netdev = true;
	bond_dev->priv_destructor = cxxbond_destructor;
	SET_NETDEV_DEVTYPE(bond_dev, &cxxbond_type);
	bond_dev->sysfs_groups[0] = &cxxbond_attr_group;	/* <bond>/bonding/ */

	bond_dev->flags |= IFF_MASTER;
	bond_dev->priv_flags |= IFF_BONDING | IFF_UNICAST_FLT | IFF_NO_QUEUE;
	bond_dev->priv_flags &= ~(IFF_XMIT_DST_RELEASE | IFF_TX_SKB_SHARING);

	/* Slaves are transmitted through without the bond's tx lock. */
	bond_dev->features |= NETIF_F_LLTX;
	bond_dev->features |= NETIF_F_NETNS_LOCAL;
	bond_dev->hw_features = CXXBOND_VLAN_FEATURES |
				NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_FILTER |
				NETIF_F_HW_VLAN_STAG_RX | NETIF_F_HW_VLAN_STAG_FILTER;
	bond_dev->hw_features |= NETIF_F_GSO_ENCAP_ALL;
	bond_dev->features |= bond_dev->hw_features;
	bond_dev->features |= NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
}

/* --- the rx handler (softirq, RCU) ------------------------------------------------------------ */

rx_handler_result_t cxxbond_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct cxxbond_slave *slave;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		return RX_HANDLER_CONSUMED;
	*pskb = skb;

	slave = rcu_dereference(skb->dev->rx_handler_data);
	switch (cxxbond_rx(slave, is_link_local_ether_addr(eth_hdr(skb)->h_dest))) {
	case CXXBOND_RX_PASS:
		return RX_HANDLER_PASS;
	case CXXBOND_RX_EXACT:
		return RX_HANDLER_EXACT;
	case CXXBOND_RX_ANOTHER:
		break;
	}
	skb->dev = cxxbond_slave_master(slave);
	return RX_HANDLER_ANOTHER;
}

/* --- notifiers -------------------------------------------------------------------------------- */

static int cxxbond_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (cxxbond_is_bond(dev)) {
		if (event == NETDEV_CHANGENAME) {
			cxxbond_proc_remove(dev);
			cxxbond_proc_add(dev);
		} else if (event == NETDEV_REGISTER) {
			cxxbond_proc_add(dev);
		}
		return NOTIFY_DONE;
	}
	if (rcu_access_pointer(dev->rx_handler) == cxxbond_handle_frame) {
		struct cxxbond_slave *slave = rtnl_dereference(dev->rx_handler_data);

		if (slave)
			cxxbond_slave_event(dev, slave, event);
	}
	return NOTIFY_DONE;
}

static struct notifier_block cxxbond_netdev_notifier = {
	.notifier_call = cxxbond_netdev_event,
};

/* In-tree bonding must not load beside us: veto it while it is still coming, before its init
 * registers /proc/net/bonding or its netdev notifier. */
static int cxxbond_module_event(struct notifier_block *nb, unsigned long state, void *data)
{
	struct module *mod = data;

	if (state != MODULE_STATE_COMING || strcmp(mod->name, CXXBOND_DRV_NAME))
		return NOTIFY_DONE;
	pr_err("refusing to load in-tree bonding while cxx_bonding is loaded: rmmod cxx_bonding first\n");
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block cxxbond_module_notifier = {
	.notifier_call = cxxbond_module_event,
};

/* --- pernet: /proc/net/bonding ---------------------------------------------------------------- */

static int __net_init cxxbond_net_init(struct net *net)
{
	int err = cxxbond_proc_net_init(net);

	if (err)
		return err;
	return cxxbond_sysfs_net_init(net);
}

static void __net_exit cxxbond_net_exit(struct net *net)
{
	cxxbond_sysfs_net_exit(net);
	cxxbond_proc_net_exit(net);
}

static struct pernet_operations cxxbond_net_ops = {
	.init = cxxbond_net_init,
	.exit = cxxbond_net_exit,
	.id = &cxxbond_net_id,
	.size = sizeof(struct cxxbond_net),
};

/* --- module ----------------------------------------------------------------------------------- */

/* 6.1's bond_create: max_bonds at load, and bonding_masters' "+name". */
int cxxbond_create(struct net *net, const char *name)
{
	struct net_device *bond_dev;
	int res;

	rtnl_lock();
	bond_dev = alloc_netdev_mq(sizeof(struct cxxbond_priv), name ? name : "bond%d",
				   NET_NAME_UNKNOWN, cxxbond_setup, cxxbond_tx_queues);
	if (!bond_dev) {
		pr_err("%s: Eek! Cannot allocate bond\n", name ? name : "bond%d");
		rtnl_unlock();
		return -ENOMEM;
	}
	dev_net_set(bond_dev, net);
	bond_dev->rtnl_link_ops = &cxxbond_link_ops;
	res = register_netdevice(bond_dev);
	if (res < 0) {
		free_netdev(bond_dev);
		rtnl_unlock();
		return res;
	}
	netif_carrier_off(bond_dev);
	rtnl_unlock();
	return 0;
}

static int __init cxxbond_module_init(void)
{
	struct cxxbond_module_params params = {
		.mode = mode, .primary = primary, .primary_reselect = primary_reselect,
		.fail_over_mac = fail_over_mac, .xmit_hash_policy = xmit_hash_policy,
		.lacp_rate = lacp_rate, .ad_select = ad_select, .arp_validate = arp_validate,
		.arp_all_targets = arp_all_targets, .max_bonds = max_bonds, .miimon = miimon,
		.updelay = updelay, .downdelay = downdelay, .use_carrier = use_carrier,
		.num_peer_notif = num_peer_notif, .packets_per_slave = packets_per_slave,
		.min_links = min_links, .resend_igmp = resend_igmp,
		.all_slaves_active = all_slaves_active, .arp_interval = arp_interval,
		.tx_queues = tx_queues, .lp_interval = lp_interval,
		.num_arp_ip_targets = arp_ip_target[0] ? 1 : 0,
	};
	int i, res;

	res = cxxbond_check_params(&params);
	if (res)
		return res;
	if (!lacp_active) {
		pr_err("Error: lacp_active is not supported by cxx_bonding\n");
		return -EINVAL;
	}
	cxxbond_tx_queues = params.tx_queues;

	cxxbond_flow_init();
	/* Our xmit hands netpoll's skbs to cxx_netpoll on the slaves: it sends inline. */
	res = cxx_netpoll_register_upper(&cxxbond_netdev_ops);
	if (res)
		return res;
	/* The kind "bond" first: it is taken while in-tree bonding is loaded. */
	res = cxxbond_netlink_init();
	if (res == -EEXIST) {
		pr_err("in-tree bonding is loaded (the rtnl link kind \"bond\" is taken): rmmod bonding first\n");
		cxx_netpoll_unregister_upper(&cxxbond_netdev_ops);
		return -EBUSY;
	}
	if (res)
		goto err_upper;
	res = register_module_notifier(&cxxbond_module_notifier);
	if (res)
		goto err_netlink;
	res = register_pernet_subsys(&cxxbond_net_ops);
	if (res)
		goto err_module_notifier;
	res = register_netdevice_notifier(&cxxbond_netdev_notifier);
	if (res)
		goto err_pernet;
	for (i = 0; i < params.max_bonds; i++) {
		res = cxxbond_create(&init_net, NULL);
		if (res)
			goto err_bonds;
	}
	return 0;

err_bonds:
	/* Deletes the bonds created so far, as rmmod does. */
	unregister_netdevice_notifier(&cxxbond_netdev_notifier);
	cxxbond_netlink_exit();
	unregister_pernet_subsys(&cxxbond_net_ops);
	unregister_module_notifier(&cxxbond_module_notifier);
	cxx_netpoll_unregister_upper(&cxxbond_netdev_ops);
	return res;
err_pernet:
	unregister_pernet_subsys(&cxxbond_net_ops);
err_module_notifier:
	unregister_module_notifier(&cxxbond_module_notifier);
err_netlink:
	cxxbond_netlink_exit();
err_upper:
	cxx_netpoll_unregister_upper(&cxxbond_netdev_ops);
	return res;
}

static void __exit cxxbond_module_exit(void)
{
	/* rtnl_link_unregister deletes every bond of our kind, in every netns (6.1 does the
	 * same); the netdev notifier stays until they are gone so releases are seen. */
	cxxbond_netlink_exit();
	unregister_netdevice_notifier(&cxxbond_netdev_notifier);
	unregister_pernet_subsys(&cxxbond_net_ops);
	unregister_module_notifier(&cxxbond_module_notifier);
	cxx_netpoll_unregister_upper(&cxxbond_netdev_ops);
	/* The last slave arrays may still wait in kvfree_rcu: freed without our code. */
}

module_init(cxxbond_module_init);
module_exit(cxxbond_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Ethernet Channel Bonding Driver in C++ (cxx_bonding)");
MODULE_ALIAS_RTNL_LINK("bond");
