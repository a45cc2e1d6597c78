/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_bonding: the C++ entry points (C linkage) as the C files see them. Plain C, no kernel
 * includes. A bond's C++ state (bonding::Bond) hangs off its net_device's private area
 * (struct cxxbond_priv, main.h); a slave's (bonding::Slave) is its rx_handler_data.
 */
#ifndef CXXBOND_BONDING_H
#define CXXBOND_BONDING_H

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;
struct netlink_ext_ack;
struct sk_buff;
struct cxxbond_slave;	/* bonding::Slave */

/* The options, in the order 6.1's bond_changelink applies them. */
enum cxxbond_opt {
	CXXBOND_OPT_MODE,
	CXXBOND_OPT_ACTIVE_SLAVE,
	CXXBOND_OPT_MIIMON,
	CXXBOND_OPT_UPDELAY,
	CXXBOND_OPT_DOWNDELAY,
	CXXBOND_OPT_PEER_NOTIF_DELAY,
	CXXBOND_OPT_USE_CARRIER,
	CXXBOND_OPT_ARP_INTERVAL,
	CXXBOND_OPT_ARP_IP_TARGET,
	CXXBOND_OPT_NS_IP6_TARGET,
	CXXBOND_OPT_ARP_VALIDATE,
	CXXBOND_OPT_ARP_ALL_TARGETS,
	CXXBOND_OPT_PRIMARY,
	CXXBOND_OPT_PRIMARY_RESELECT,
	CXXBOND_OPT_FAIL_OVER_MAC,
	CXXBOND_OPT_XMIT_HASH_POLICY,
	CXXBOND_OPT_RESEND_IGMP,
	CXXBOND_OPT_NUM_PEER_NOTIF,
	CXXBOND_OPT_ALL_SLAVES_ACTIVE,
	CXXBOND_OPT_MIN_LINKS,
	CXXBOND_OPT_LP_INTERVAL,
	CXXBOND_OPT_PACKETS_PER_SLAVE,
	CXXBOND_OPT_AD_LACP_ACTIVE,
	CXXBOND_OPT_AD_LACP_RATE,
	CXXBOND_OPT_AD_SELECT,
	CXXBOND_OPT_AD_ACTOR_SYS_PRIO,
	CXXBOND_OPT_AD_USER_PORT_KEY,
	CXXBOND_OPT_AD_ACTOR_SYSTEM,
	CXXBOND_OPT_TLB_DYNAMIC_LB,
	CXXBOND_OPT_MISSED_MAX,
	CXXBOND_OPT_COUPLED_CONTROL,
	CXXBOND_OPT_SLAVES,		/* sysfs "+ifname"/"-ifname" (RTNL held) */
	CXXBOND_OPT_QUEUE_ID,		/* sysfs "ifname:queue" */
	CXXBOND_OPT_PRIO,		/* a slave's (netlink: cxxbond_set_slave_prio) */
	CXXBOND_OPT_ACTOR_PORT_PRIO,	/* a slave's, 802.3ad only: refused in every mode here */
	CXXBOND_OPT_COUNT
};

/* A value as 6.1's bond_opt_value carries it: a number, or (str != NULL) a word such as
 * "active-backup" or "100" (sysfs, module parameters). */
struct cxxbond_optval {
	unsigned long long num;
	const char *str;
};

/* What `ip -d link show` prints of a bond (bond_fill_info's attributes). */
struct cxxbond_info {
	unsigned char mode;
	int active_slave_ifindex;	/* 0: none */
	unsigned int miimon, updelay_ms, downdelay_ms, peer_notif_delay_ms;
	unsigned char use_carrier;
	unsigned int arp_interval, arp_validate, arp_all_targets;
	int primary_ifindex;		/* 0: none */
	unsigned char primary_reselect, fail_over_mac, xmit_hash_policy;
	unsigned int resend_igmp;
	unsigned char num_peer_notif, all_slaves_active;
	unsigned int min_links, lp_interval, packets_per_slave;
	unsigned char lacp_active, lacp_rate, ad_select, tlb_dynamic_lb, missed_max;
	unsigned char coupled_control;
};

struct cxxbond_slave_info {
	unsigned char state;		/* BOND_STATE_ACTIVE 0, BOND_STATE_BACKUP 1 */
	unsigned char mii_status;	/* BOND_LINK_UP 0, FAIL 1, DOWN 2, BACK 3 */
	unsigned int link_failure_count;
	unsigned char perm_hwaddr[32];
	unsigned int addr_len;
	unsigned short queue_id;
	int prio;
};

/* Module parameters as main.c received them (6.1's names); checked and turned into the
 * defaults of every new bond by cxxbond_check_params, with 6.1's messages. */
struct cxxbond_module_params {
	const char *mode, *primary, *primary_reselect, *fail_over_mac, *xmit_hash_policy;
	const char *lacp_rate, *ad_select, *arp_validate, *arp_all_targets;
	int max_bonds, miimon, updelay, downdelay, use_carrier, num_peer_notif;
	int packets_per_slave, min_links, resend_igmp, all_slaves_active, arp_interval;
	int tx_queues, lp_interval;
	int num_arp_ip_targets;		/* arp_ip_target given: refused (not implemented) */
};

/* --- module (init/exit, process context) ------------------------------------------------- */
int cxxbond_check_params(struct cxxbond_module_params *p);

/* --- a bond's life (RTNL held) ------------------------------------------------------------ */
int cxxbond_init(struct net_device *bond_dev);		/* ndo_init */
void cxxbond_uninit(struct net_device *bond_dev);	/* ndo_uninit: releases every slave */
void cxxbond_destroy(struct net_device *bond_dev);	/* priv_destructor */
int cxxbond_open(struct net_device *bond_dev);
int cxxbond_close(struct net_device *bond_dev);
int cxxbond_enslave(struct net_device *bond_dev, struct net_device *slave_dev,
		    struct netlink_ext_ack *extack);
int cxxbond_release(struct net_device *bond_dev, struct net_device *slave_dev);
int cxxbond_set_option(struct net_device *bond_dev, enum cxxbond_opt opt,
		       const struct cxxbond_optval *val, struct netlink_ext_ack *extack);
/* IFLA_BOND_SLAVE_PRIO (6.1's bond_option_prio_set). */
int cxxbond_set_slave_prio(struct net_device *bond_dev, struct net_device *slave_dev, int prio,
			   struct netlink_ext_ack *extack);
/* A refused attribute: the message names the option (netlink layer, before anything is set). */
const char *cxxbond_opt_name(enum cxxbond_opt opt);
int cxxbond_change_mtu(struct net_device *bond_dev, int mtu);
int cxxbond_set_mac_address(struct net_device *bond_dev, const unsigned char *addr,
			    struct netlink_ext_ack *extack);
/* 6.1's bond_get_stats, the part over the slaves: adds to stats (CXXBOND_STATS_WORDS u64
 * counters) what each slave counted since the last call. RCU read side, the bond's stats lock
 * held (main.c). */
void cxxbond_fold_slave_stats(struct net_device *bond_dev, void *stats);
/* fail_over_mac in active-backup: the bond's address comes from its slaves, never the user. */
int cxxbond_mac_from_slaves(struct net_device *bond_dev);
void cxxbond_change_rx_flags(struct net_device *bond_dev, int change);
/* ethtool: speed in Mbps (-1 unknown), duplex (255 unknown). */
void cxxbond_link_settings(struct net_device *bond_dev, int *speed, unsigned char *duplex);
int cxxbond_vlan_rx_add_vid(struct net_device *bond_dev, unsigned short proto, unsigned short vid);
int cxxbond_vlan_rx_kill_vid(struct net_device *bond_dev, unsigned short proto,
			     unsigned short vid);
/* A netdev event on one of our slaves (RTNL held). */
void cxxbond_slave_event(struct net_device *slave_dev, struct cxxbond_slave *slave,
			 unsigned long event);

/* --- reading (RTNL or RCU) ---------------------------------------------------------------- */
void cxxbond_get_info(struct net_device *bond_dev, struct cxxbond_info *out);
void cxxbond_get_slave_info(struct cxxbond_slave *slave, struct cxxbond_slave_info *out);
void cxxbond_proc_show(struct net_device *bond_dev, void *seq);	/* RCU read side */

/* --- sysfs (sysfs.c glue, sysfs.cpp text) ------------------------------------------------ */
/* <bond>/bonding/ files beyond the options, numbered after them. */
enum cxxbond_attr {
	CXXBOND_ATTR_MII_STATUS = CXXBOND_OPT_COUNT,
	CXXBOND_ATTR_AD_INFO,		/* ad_aggregator etc.: empty outside 802.3ad */
};
/* The text of <bond>/bonding/<attr> (an option or a cxxbond_attr); returns its length. */
int cxxbond_sysfs_show(struct net_device *bond_dev, int attr, char *buf);
enum cxxbond_slave_attr {
	CXXBOND_SLAVE_STATE,
	CXXBOND_SLAVE_MII_STATUS,
	CXXBOND_SLAVE_LINK_FAILURE_COUNT,
	CXXBOND_SLAVE_PERM_HWADDR,
	CXXBOND_SLAVE_QUEUE_ID,
	CXXBOND_SLAVE_AD_INFO,		/* ad_*: "N/A" outside 802.3ad */
};
int cxxbond_slave_sysfs_show(struct cxxbond_slave *slave, enum cxxbond_slave_attr attr,
			     char *buf);

/* --- data path (RCU read side, BH or IRQs off) -------------------------------------------- */
/* ndo_start_xmit: returns NETDEV_TX_OK (0) having consumed the skb. */
int cxxbond_start_xmit(struct sk_buff *skb, struct net_device *bond_dev);
void cxxbond_set_rx_mode(struct net_device *bond_dev);	/* netif_addr_lock_bh held */
void cxxbond_poll_controller(struct net_device *bond_dev);	/* IRQs off */
int cxxbond_netpoll_setup(struct net_device *bond_dev);	/* RTNL held */
void cxxbond_netpoll_cleanup(struct net_device *bond_dev);	/* RTNL held */

enum cxxbond_rx_verdict {
	CXXBOND_RX_PASS,	/* link-local: stays on the slave (RX_HANDLER_PASS) */
	CXXBOND_RX_EXACT,	/* an inactive slave: only handlers bound to it (RX_HANDLER_EXACT) */
	CXXBOND_RX_ANOTHER,	/* delivered on the bond (skb->dev = bond, RX_HANDLER_ANOTHER) */
};
enum cxxbond_rx_verdict cxxbond_rx(struct cxxbond_slave *slave, int link_local);
struct net_device *cxxbond_slave_master(struct cxxbond_slave *slave);

/* --- link monitor (its delayed work, process context) ------------------------------------- */
void cxxbond_mii_monitor(struct net_device *bond_dev);

#ifdef __cplusplus
}
#endif

#endif /* CXXBOND_BONDING_H */
