// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_bonding's rtnl link ops (kind "bond"): the IFLA_BOND_* attributes iproute2 speaks,
 * applied in 6.1's order through the C++ option setters, and what `ip -d link show` prints
 * for a bond and for each slave, attribute for attribute as 6.1's bond_netlink.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "main.h"
#include "bonding.h"

static struct netlink_range_validation delay_range = {
	.max = 300000,
};

static const struct nla_policy cxxbond_policy[IFLA_BOND_MAX + 1] = {
	[IFLA_BOND_MODE]		= { .type = NLA_U8 },
	[IFLA_BOND_ACTIVE_SLAVE]	= { .type = NLA_U32 },
	[IFLA_BOND_MIIMON]		= { .type = NLA_U32 },
	[IFLA_BOND_UPDELAY]		= { .type = NLA_U32 },
	[IFLA_BOND_DOWNDELAY]		= { .type = NLA_U32 },
	[IFLA_BOND_USE_CARRIER]		= { .type = NLA_U8 },
	[IFLA_BOND_ARP_INTERVAL]	= { .type = NLA_U32 },
	[IFLA_BOND_ARP_IP_TARGET]	= { .type = NLA_NESTED },
	[IFLA_BOND_ARP_VALIDATE]	= { .type = NLA_U32 },
	[IFLA_BOND_ARP_ALL_TARGETS]	= { .type = NLA_U32 },
	[IFLA_BOND_PRIMARY]		= { .type = NLA_U32 },
	[IFLA_BOND_PRIMARY_RESELECT]	= { .type = NLA_U8 },
	[IFLA_BOND_FAIL_OVER_MAC]	= { .type = NLA_U8 },
	[IFLA_BOND_XMIT_HASH_POLICY]	= { .type = NLA_U8 },
	[IFLA_BOND_RESEND_IGMP]		= { .type = NLA_U32 },
	[IFLA_BOND_NUM_PEER_NOTIF]	= { .type = NLA_U8 },
	[IFLA_BOND_ALL_SLAVES_ACTIVE]	= { .type = NLA_U8 },
	[IFLA_BOND_MIN_LINKS]		= { .type = NLA_U32 },
	[IFLA_BOND_LP_INTERVAL]		= { .type = NLA_U32 },
	[IFLA_BOND_PACKETS_PER_SLAVE]	= { .type = NLA_U32 },
	[IFLA_BOND_AD_LACP_ACTIVE]	= { .type = NLA_U8 },
	[IFLA_BOND_AD_LACP_RATE]	= { .type = NLA_U8 },
	[IFLA_BOND_AD_SELECT]		= { .type = NLA_U8 },
	[IFLA_BOND_AD_INFO]		= { .type = NLA_NESTED },
	[IFLA_BOND_AD_ACTOR_SYS_PRIO]	= { .type = NLA_U16 },
	[IFLA_BOND_AD_USER_PORT_KEY]	= { .type = NLA_U16 },
	[IFLA_BOND_AD_ACTOR_SYSTEM]	= { .type = NLA_BINARY, .len = ETH_ALEN },
	[IFLA_BOND_TLB_DYNAMIC_LB]	= { .type = NLA_U8 },
	[IFLA_BOND_PEER_NOTIF_DELAY]	= NLA_POLICY_FULL_RANGE(NLA_U32, &delay_range),
	[IFLA_BOND_MISSED_MAX]		= { .type = NLA_U8 },
	[IFLA_BOND_NS_IP6_TARGET]	= { .type = NLA_NESTED },
	[IFLA_BOND_COUPLED_CONTROL]	= { .type = NLA_U8 },
};

static const struct nla_policy cxxbond_slave_policy[IFLA_BOND_SLAVE_MAX + 1] = {
	[IFLA_BOND_SLAVE_QUEUE_ID]	= { .type = NLA_U16 },
	[IFLA_BOND_SLAVE_PRIO]		= { .type = NLA_S32 },
	[IFLA_BOND_SLAVE_ACTOR_PORT_PRIO] = { .type = NLA_U16 },
};

/* Attribute -> option, in the order 6.1's bond_changelink applies them. */
static const struct {
	int attr;
	enum cxxbond_opt opt;
} cxxbond_attr_order[] = {
	{ IFLA_BOND_MODE, CXXBOND_OPT_MODE },
	{ IFLA_BOND_ACTIVE_SLAVE, CXXBOND_OPT_ACTIVE_SLAVE },
	{ IFLA_BOND_MIIMON, CXXBOND_OPT_MIIMON },
	{ IFLA_BOND_UPDELAY, CXXBOND_OPT_UPDELAY },
	{ IFLA_BOND_DOWNDELAY, CXXBOND_OPT_DOWNDELAY },
	{ IFLA_BOND_PEER_NOTIF_DELAY, CXXBOND_OPT_PEER_NOTIF_DELAY },
	{ IFLA_BOND_USE_CARRIER, CXXBOND_OPT_USE_CARRIER },
	{ IFLA_BOND_ARP_INTERVAL, CXXBOND_OPT_ARP_INTERVAL },
	{ IFLA_BOND_ARP_IP_TARGET, CXXBOND_OPT_ARP_IP_TARGET },
	{ IFLA_BOND_NS_IP6_TARGET, CXXBOND_OPT_NS_IP6_TARGET },
	{ IFLA_BOND_ARP_VALIDATE, CXXBOND_OPT_ARP_VALIDATE },
	{ IFLA_BOND_ARP_ALL_TARGETS, CXXBOND_OPT_ARP_ALL_TARGETS },
	{ IFLA_BOND_PRIMARY, CXXBOND_OPT_PRIMARY },
	{ IFLA_BOND_PRIMARY_RESELECT, CXXBOND_OPT_PRIMARY_RESELECT },
	{ IFLA_BOND_FAIL_OVER_MAC, CXXBOND_OPT_FAIL_OVER_MAC },
	{ IFLA_BOND_XMIT_HASH_POLICY, CXXBOND_OPT_XMIT_HASH_POLICY },
	{ IFLA_BOND_RESEND_IGMP, CXXBOND_OPT_RESEND_IGMP },
	{ IFLA_BOND_NUM_PEER_NOTIF, CXXBOND_OPT_NUM_PEER_NOTIF },
	{ IFLA_BOND_ALL_SLAVES_ACTIVE, CXXBOND_OPT_ALL_SLAVES_ACTIVE },
	{ IFLA_BOND_MIN_LINKS, CXXBOND_OPT_MIN_LINKS },
	{ IFLA_BOND_LP_INTERVAL, CXXBOND_OPT_LP_INTERVAL },
	{ IFLA_BOND_PACKETS_PER_SLAVE, CXXBOND_OPT_PACKETS_PER_SLAVE },
	{ IFLA_BOND_AD_LACP_ACTIVE, CXXBOND_OPT_AD_LACP_ACTIVE },
	{ IFLA_BOND_AD_LACP_RATE, CXXBOND_OPT_AD_LACP_RATE },
	{ IFLA_BOND_AD_SELECT, CXXBOND_OPT_AD_SELECT },
	{ IFLA_BOND_AD_ACTOR_SYS_PRIO, CXXBOND_OPT_AD_ACTOR_SYS_PRIO },
	{ IFLA_BOND_AD_USER_PORT_KEY, CXXBOND_OPT_AD_USER_PORT_KEY },
	{ IFLA_BOND_AD_ACTOR_SYSTEM, CXXBOND_OPT_AD_ACTOR_SYSTEM },
	{ IFLA_BOND_TLB_DYNAMIC_LB, CXXBOND_OPT_TLB_DYNAMIC_LB },
	{ IFLA_BOND_MISSED_MAX, CXXBOND_OPT_MISSED_MAX },
	{ IFLA_BOND_COUPLED_CONTROL, CXXBOND_OPT_COUPLED_CONTROL },
};

static int cxxbond_validate(struct nlattr *tb[], struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN)
			return -EINVAL;
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS])))
			return -EADDRNOTAVAIL;
	}
	return 0;
}

/* The attribute's value as the option setter takes it. */
static void cxxbond_attr_value(const struct nlattr *a, struct cxxbond_optval *v)
{
	v->str = NULL;
	switch (nla_type(a)) {
	case IFLA_BOND_ARP_IP_TARGET:
	case IFLA_BOND_NS_IP6_TARGET:
		/* An empty nest clears the targets: the default. */
		v->str = nla_len(a) ? "set" : "";
		v->num = 0;
		break;
	case IFLA_BOND_AD_ACTOR_SYSTEM:
		v->str = "set";
		v->num = 0;
		break;
	default:
		if (nla_len(a) >= 4)
			v->num = nla_get_u32(a);
		else if (nla_len(a) >= 2)
			v->num = nla_get_u16(a);
		else
			v->num = nla_get_u8(a);
	}
}

static int cxxbond_changelink(struct net_device *bond_dev, struct nlattr *tb[],
			      struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct cxxbond_optval v;
	unsigned int i;
	int err;

	if (!data)
		return 0;
	for (i = 0; i < ARRAY_SIZE(cxxbond_attr_order); i++) {
		const struct nlattr *a = data[cxxbond_attr_order[i].attr];

		if (!a)
			continue;
		if (cxxbond_attr_order[i].attr == IFLA_BOND_ACTIVE_SLAVE && nla_get_u32(a) &&
		    !__dev_get_by_index(dev_net(bond_dev), nla_get_u32(a)))
			return -ENODEV;
		cxxbond_attr_value(a, &v);
		err = cxxbond_set_option(bond_dev, cxxbond_attr_order[i].opt, &v, extack);
		if (err) {
			if (extack && extack->_msg)
				extack->bad_attr = a;
			return err;
		}
	}
	return 0;
}

static int cxxbond_newlink(struct net *src_net, struct net_device *bond_dev,
			   struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	int err;

	/* The options are set before the device registers, so the C++ bond comes first
	 * (ndo_init finds it). */
	cxxbond_priv_init(bond_dev);
	err = cxxbond_init(bond_dev);
	if (err)
		return err;
	err = cxxbond_changelink(bond_dev, tb, data, extack);
	if (err < 0) {
		/* Never registered: free_netdev will not run the destructor. */
		cxxbond_destroy(bond_dev);
		return err;
	}
	err = register_netdevice(bond_dev);
	if (!err)
		netif_carrier_off(bond_dev);
	return err;
}

static int cxxbond_slave_changelink(struct net_device *bond_dev, struct net_device *slave_dev,
				    struct nlattr *tb[], struct nlattr *data[],
				    struct netlink_ext_ack *extack)
{
	int err;

	if (!data)
		return 0;
	if (data[IFLA_BOND_SLAVE_QUEUE_ID]) {
		/* As 6.1: the sysfs form, "ifname:queue". */
		char str[IFNAMSIZ + 7];
		struct cxxbond_optval v = { 0, str };

		snprintf(str, sizeof(str), "%s:%u\n", slave_dev->name,
			 nla_get_u16(data[IFLA_BOND_SLAVE_QUEUE_ID]));
		err = cxxbond_set_option(bond_dev, CXXBOND_OPT_QUEUE_ID, &v, extack);
		if (err)
			return err;
	}
	if (data[IFLA_BOND_SLAVE_PRIO]) {
		err = cxxbond_set_slave_prio(bond_dev, slave_dev,
					     nla_get_s32(data[IFLA_BOND_SLAVE_PRIO]), extack);
		if (err)
			return err;
	}
	if (data[IFLA_BOND_SLAVE_ACTOR_PORT_PRIO]) {
		/* 802.3ad only (6.1: a mode dependency error in every other mode). */
		struct cxxbond_optval v = {
			nla_get_u16(data[IFLA_BOND_SLAVE_ACTOR_PORT_PRIO]), NULL };

		err = cxxbond_set_option(bond_dev, CXXBOND_OPT_ACTOR_PORT_PRIO, &v, extack);
		if (err)
			return err;
	}
	return 0;
}

static size_t cxxbond_get_size(const struct net_device *bond_dev)
{
	return nla_total_size(sizeof(u8)) +		/* MODE */
		nla_total_size(sizeof(u32)) * 5 +	/* ACTIVE_SLAVE .. PEER_NOTIF_DELAY */
		nla_total_size(sizeof(u8)) +		/* USE_CARRIER */
		nla_total_size(sizeof(u32)) * 3 +	/* ARP_INTERVAL, _VALIDATE, _ALL_TARGETS */
		nla_total_size(sizeof(u32)) +		/* PRIMARY */
		nla_total_size(sizeof(u8)) * 3 +	/* PRIMARY_RESELECT .. XMIT_HASH_POLICY */
		nla_total_size(sizeof(u32)) +		/* RESEND_IGMP */
		nla_total_size(sizeof(u8)) * 2 +	/* NUM_PEER_NOTIF, ALL_SLAVES_ACTIVE */
		nla_total_size(sizeof(u32)) * 3 +	/* MIN_LINKS, LP_INTERVAL, PPS */
		nla_total_size(sizeof(u8)) * 6 +	/* LACP_ACTIVE .. COUPLED_CONTROL */
		0;
}

static int cxxbond_fill_info(struct sk_buff *skb, const struct net_device *bond_dev)
{
	struct cxxbond_info i;

	cxxbond_get_info((struct net_device *)bond_dev, &i);
	if (nla_put_u8(skb, IFLA_BOND_MODE, i.mode))
		return -EMSGSIZE;
	if (i.active_slave_ifindex &&
	    nla_put_u32(skb, IFLA_BOND_ACTIVE_SLAVE, i.active_slave_ifindex))
		return -EMSGSIZE;
	if (nla_put_u32(skb, IFLA_BOND_MIIMON, i.miimon) ||
	    nla_put_u32(skb, IFLA_BOND_UPDELAY, i.updelay_ms) ||
	    nla_put_u32(skb, IFLA_BOND_DOWNDELAY, i.downdelay_ms) ||
	    nla_put_u32(skb, IFLA_BOND_PEER_NOTIF_DELAY, i.peer_notif_delay_ms) ||
	    nla_put_u8(skb, IFLA_BOND_USE_CARRIER, i.use_carrier) ||
	    nla_put_u32(skb, IFLA_BOND_ARP_INTERVAL, i.arp_interval) ||
	    nla_put_u32(skb, IFLA_BOND_ARP_VALIDATE, i.arp_validate) ||
	    nla_put_u32(skb, IFLA_BOND_ARP_ALL_TARGETS, i.arp_all_targets))
		return -EMSGSIZE;
	if (i.primary_ifindex && nla_put_u32(skb, IFLA_BOND_PRIMARY, i.primary_ifindex))
		return -EMSGSIZE;
	if (nla_put_u8(skb, IFLA_BOND_PRIMARY_RESELECT, i.primary_reselect) ||
	    nla_put_u8(skb, IFLA_BOND_FAIL_OVER_MAC, i.fail_over_mac) ||
	    nla_put_u8(skb, IFLA_BOND_XMIT_HASH_POLICY, i.xmit_hash_policy) ||
	    nla_put_u32(skb, IFLA_BOND_RESEND_IGMP, i.resend_igmp) ||
	    nla_put_u8(skb, IFLA_BOND_NUM_PEER_NOTIF, i.num_peer_notif) ||
	    nla_put_u8(skb, IFLA_BOND_ALL_SLAVES_ACTIVE, i.all_slaves_active) ||
	    nla_put_u32(skb, IFLA_BOND_MIN_LINKS, i.min_links) ||
	    nla_put_u32(skb, IFLA_BOND_LP_INTERVAL, i.lp_interval) ||
	    nla_put_u32(skb, IFLA_BOND_PACKETS_PER_SLAVE, i.packets_per_slave) ||
	    nla_put_u8(skb, IFLA_BOND_AD_LACP_ACTIVE, i.lacp_active) ||
	    nla_put_u8(skb, IFLA_BOND_AD_LACP_RATE, i.lacp_rate) ||
	    nla_put_u8(skb, IFLA_BOND_AD_SELECT, i.ad_select) ||
	    nla_put_u8(skb, IFLA_BOND_TLB_DYNAMIC_LB, i.tlb_dynamic_lb) ||
	    nla_put_u8(skb, IFLA_BOND_MISSED_MAX, i.missed_max) ||
	    nla_put_u8(skb, IFLA_BOND_COUPLED_CONTROL, i.coupled_control))
		return -EMSGSIZE;
	return 0;
}

static size_t cxxbond_get_slave_size(const struct net_device *bond_dev,
				     const struct net_device *slave_dev)
{
	return nla_total_size(sizeof(u8)) * 2 +	/* STATE, MII_STATUS */
		nla_total_size(sizeof(u32)) +		/* LINK_FAILURE_COUNT */
		nla_total_size(MAX_ADDR_LEN) +		/* PERM_HWADDR */
		nla_total_size(sizeof(u16)) +		/* QUEUE_ID */
		nla_total_size(sizeof(s32)) +		/* PRIO */
		0;
}

static int cxxbond_fill_slave_info(struct sk_buff *skb, const struct net_device *bond_dev,
				   const struct net_device *slave_dev)
{
	struct cxxbond_slave *slave = rtnl_dereference(slave_dev->rx_handler_data);
	struct cxxbond_slave_info i;

	if (!slave)
		return 0;
	cxxbond_get_slave_info(slave, &i);
	if (nla_put_u8(skb, IFLA_BOND_SLAVE_STATE, i.state) ||
	    nla_put_u8(skb, IFLA_BOND_SLAVE_MII_STATUS, i.mii_status) ||
	    nla_put_u32(skb, IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, i.link_failure_count) ||
	    nla_put(skb, IFLA_BOND_SLAVE_PERM_HWADDR, i.addr_len, i.perm_hwaddr) ||
	    nla_put_u16(skb, IFLA_BOND_SLAVE_QUEUE_ID, i.queue_id) ||
	    nla_put_s32(skb, IFLA_BOND_SLAVE_PRIO, i.prio))
		return -EMSGSIZE;
	return 0;
}

static unsigned int cxxbond_get_num_tx_queues(void)
{
	return cxxbond_tx_queues;
}

struct rtnl_link_ops cxxbond_link_ops __read_mostly = {
	.kind			= "bond",
	.priv_size		= sizeof(struct cxxbond_priv),
	.setup			= cxxbond_setup,
	.maxtype		= IFLA_BOND_MAX,
	.policy			= cxxbond_policy,
	.validate		= cxxbond_validate,
	.newlink		= cxxbond_newlink,
	.changelink		= cxxbond_changelink,
	.get_size		= cxxbond_get_size,
	.fill_info		= cxxbond_fill_info,
	.get_num_tx_queues	= cxxbond_get_num_tx_queues,
	.get_num_rx_queues	= cxxbond_get_num_tx_queues,
	.slave_maxtype		= IFLA_BOND_SLAVE_MAX,
	.slave_policy		= cxxbond_slave_policy,
	.slave_changelink	= cxxbond_slave_changelink,
	.get_slave_size		= cxxbond_get_slave_size,
	.fill_slave_info	= cxxbond_fill_slave_info,
};

int cxxbond_netlink_init(void)
{
	return rtnl_link_register(&cxxbond_link_ops);
}

void cxxbond_netlink_exit(void)
{
	rtnl_link_unregister(&cxxbond_link_ops);
}
