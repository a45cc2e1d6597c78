/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_bonding's C shims: the kernel operations its C++ side performs, beyond the support shim
 * (include/shim/support.h). Plain C, no kernel includes; each function is one kernel
 * operation on a device, an skb or the bond's own kernel objects (main.c, netdev_shim.c,
 * skb_shim.c).
 */
#ifndef CXXBOND_SHIM_H
#define CXXBOND_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;
struct netlink_ext_ack;
struct sk_buff;
struct cxxbond_slave;

/* --- main.c: the bond's kernel objects ---------------------------------------------------- */
void *cxxbond_priv_bond(struct net_device *bond_dev);		/* the C++ Bond */
void cxxbond_priv_set_bond(struct net_device *bond_dev, void *bond);
void cxxbond_mii_queue(struct net_device *bond_dev, unsigned int delay_jiffies);
void cxxbond_mii_cancel_sync(struct net_device *bond_dev);	/* RTNL may be held */
unsigned int cxxbond_msecs_to_jiffies(unsigned int ms);
int cxxbond_rtnl_trylock(void);
const char *cxxbond_version(void);				/* "...: v<release>\n" */
void cxxbond_kvfree_rcu(void *p);	/* kvfree after a grace period (may sleep); NULL: nothing */
/* The bond's counters brought up to date with its slaves' (before a slave leaves). */
void cxxbond_stats_fold(struct net_device *bond_dev);

/* --- netdev_shim.c: devices ----------------------------------------------------------------- */
/* What enslave checks of a device, read once under RTNL. */
struct cxxbond_dev_props {
	unsigned short type;		/* ARPHRD_* */
	unsigned char addr_len;
	unsigned char is_up;		/* IFF_UP */
	unsigned char is_master;	/* IFF_MASTER */
	unsigned char is_bond_master;	/* a cxx_bonding bond */
	unsigned char rx_handler_busy;
	unsigned char vlan_challenged;	/* NETIF_F_VLAN_CHALLENGED */
	unsigned char can_set_mac;	/* ndo_set_mac_address */
	unsigned char random_addr;	/* addr_assign_type == NET_ADDR_RANDOM */
	unsigned char promisc, allmulti;	/* IFF_PROMISC, IFF_ALLMULTI */
	unsigned int mtu;
};
enum { CXXBOND_ARPHRD_ETHER = 1, CXXBOND_ARPHRD_INFINIBAND = 32, CXXBOND_ARPHRD_CAN = 280 };
void cxxbond_read_props(struct net_device *dev, struct cxxbond_dev_props *out);
const char *cxxbond_dev_name(const struct net_device *dev);
int cxxbond_dev_ifindex(const struct net_device *dev);
struct net_device *cxxbond_dev_by_index(struct net_device *bond_dev, int ifindex); /* RTNL */
struct net_device *cxxbond_dev_by_name(struct net_device *bond_dev, const char *name); /* RTNL */
int cxxbond_dev_valid_name(const char *name);
unsigned int cxxbond_real_num_tx_queues(const struct net_device *dev);
int cxxbond_vlan_uses_dev(struct net_device *dev);
int cxxbond_dev_is_up(const struct net_device *dev);		/* IFF_UP */
int cxxbond_dev_running(const struct net_device *dev);		/* netif_running */
int cxxbond_carrier_ok(const struct net_device *dev);
/* use_carrier=0: ethtool get_link, else 6.1's fallback (carrier). 1 if the link is up. */
int cxxbond_ethtool_link(struct net_device *dev);
void cxxbond_carrier_set(struct net_device *dev, int on);
/* __ethtool_get_link_ksettings: speed in Mbps (-1: unknown), duplex 0/1 (255: unknown). */
int cxxbond_speed_duplex(struct net_device *dev, int *speed, unsigned char *duplex);
void cxxbond_dev_addr(const struct net_device *dev, unsigned char *out);	/* addr_len bytes */
int cxxbond_same_addr(const struct net_device *a, const struct net_device *b);	/* Ethernet */
/* struct rtnl_link_stats64 as an array of u64 counters (netdev_shim.c checks the size). */
enum { CXXBOND_STATS_WORDS = 25 };
void cxxbond_dev_stats(struct net_device *dev, void *out);	/* dev_get_stats into u64[] */

/* Enslaving and releasing, one kernel step each (RTNL held). */
int cxxbond_dev_set_mtu(struct net_device *dev, unsigned int mtu);
/* While the slave unregisters: __dev_set_mtu (no notifier). */
void cxxbond_dev_set_mtu_unregistering(struct net_device *dev, unsigned int mtu);
int cxxbond_dev_has_link_check(struct net_device *dev);	/* ethtool get_link or ndo_eth_ioctl */
int cxxbond_linkwatch_pending(struct net_device *dev);
int cxxbond_dev_set_mac(struct net_device *dev, const unsigned char *addr,
			struct netlink_ext_ack *extack);
int cxxbond_dev_open(struct net_device *dev, struct netlink_ext_ack *extack);
void cxxbond_dev_close(struct net_device *dev);
void cxxbond_dev_flag_slave(struct net_device *dev, int on);	/* IFF_SLAVE */
void cxxbond_dev_flag_bonding(struct net_device *dev, int on);	/* IFF_BONDING (priv_flags) */
int cxxbond_rx_handler_register(struct net_device *slave_dev, struct cxxbond_slave *slave);
void cxxbond_rx_handler_unregister(struct net_device *slave_dev);
/* mode: BOND_MODE_*, policy: BOND_XMIT_POLICY_* (the lag upper info's tx and hash types). */
int cxxbond_upper_link(struct net_device *slave_dev, struct net_device *bond_dev,
		       struct cxxbond_slave *slave, int mode, int policy,
		       struct netlink_ext_ack *extack);
void cxxbond_upper_unlink(struct net_device *slave_dev, struct net_device *bond_dev);
int cxxbond_has_upper(struct net_device *slave_dev, struct net_device *bond_dev);
/* The bond takes the slave's address (6.1's bond_set_dev_addr), or a random one. */
int cxxbond_dev_addr_from(struct net_device *bond_dev, struct net_device *slave_dev);
void cxxbond_dev_addr_random(struct net_device *bond_dev);
/* The bond's features, VLAN/encapsulation/MPLS features and TSO limits from its slaves.
 * Returns 1 if the bond is no longer VLAN challenged. */
int cxxbond_compute_features(struct net_device *bond_dev);
void cxxbond_notify(struct net_device *dev, unsigned long event);	/* NETDEV_* below */
enum {
	CXXBOND_NETDEV_UP = 1, CXXBOND_NETDEV_DOWN = 2, CXXBOND_NETDEV_CHANGE = 4,
	CXXBOND_NETDEV_REGISTER = 5, CXXBOND_NETDEV_UNREGISTER = 6, CXXBOND_NETDEV_CHANGEMTU = 7,
	CXXBOND_NETDEV_CHANGEADDR = 8, CXXBOND_NETDEV_CHANGENAME = 11,
	CXXBOND_NETDEV_FEAT_CHANGE = 12, CXXBOND_NETDEV_BONDING_FAILOVER = 13,
	CXXBOND_NETDEV_RELEASE = 18, CXXBOND_NETDEV_NOTIFY_PEERS = 19, CXXBOND_NETDEV_JOIN = 20,
};
enum { CXXBOND_IFF_PROMISC = 0x100, CXXBOND_IFF_ALLMULTI = 0x200 };
/* NETDEV_CHANGELOWERSTATE with the lag's lower state info. */
void cxxbond_lower_state_changed(struct net_device *slave_dev, int link_up, int tx_enabled);
/* Address lists and flags (netif_addr_lock held where 6.1 holds it: inside the shim). */
void cxxbond_addr_sync(struct net_device *slave_dev, struct net_device *bond_dev, int multiple);
void cxxbond_addr_unsync(struct net_device *slave_dev, struct net_device *bond_dev);
void cxxbond_addr_sync_locked(struct net_device *slave_dev, struct net_device *bond_dev,
			      int multiple);	/* netif_addr_lock_bh already held */
int cxxbond_dev_promisc(struct net_device *dev, int inc);
/* VLAN ids: one id on a slave, or all the bond's on/off a slave (vlan_vids_*_by_dev). */
int cxxbond_vlan_vid_add(struct net_device *slave_dev, unsigned short proto, unsigned short vid);
void cxxbond_vlan_vid_del(struct net_device *slave_dev, unsigned short proto, unsigned short vid);
int cxxbond_vlan_vids_add(struct net_device *slave_dev, struct net_device *bond_dev);
void cxxbond_vlan_vids_del(struct net_device *slave_dev, struct net_device *bond_dev);
int cxxbond_dev_allmulti(struct net_device *dev, int inc);

/* Logging as 6.1's netdev_*()/slave_*(): "bond0: (slave eth0): ..." (slave_dev may be NULL). */
void cxxbond_log(int level, const struct net_device *bond_dev, const struct net_device *slave_dev,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* NL_SET_ERR_MSG (msg: a string of static storage). */
void cxxbond_nl_err(struct netlink_ext_ack *extack, const char *msg);

/* --- skb_shim.c: the data path ------------------------------------------------------------- */
/* skb->dev and the queue for slave_dev; returns netpoll_tx_running (IRQs off: netpoll
 * transmits on the bond, the slave's netpoll takes the skb). */
int cxxbond_skb_to_slave(struct sk_buff *skb, struct net_device *slave_dev);
/* netpoll_tx_running(bond_dev): netpoll transmits on the bond (IRQs off). */
int cxxbond_netpoll_tx(struct net_device *bond_dev);
int cxxbond_xmit_slave(struct sk_buff *skb);	/* dev_queue_xmit: consumed either way */
/* The bond has netpoll (dev->npinfo; RTNL held). */
int cxxbond_netpoll_active(struct net_device *bond_dev);
struct sk_buff *cxxbond_skb_clone(struct sk_buff *skb);		/* GFP_ATOMIC; NULL if none */
void cxxbond_skb_drop(struct sk_buff *skb, struct net_device *bond_dev);	/* counted */
int cxxbond_skb_is_igmp(struct sk_buff *skb);
/* skb->queue_mapping: 0, or the queue a tc skbedit action chose (+1, as a recorded rx queue). */
unsigned int cxxbond_skb_queue_mapping(const struct sk_buff *skb);
/* What the transmit hash policies read of a frame, extracted the way 6.1's bond_flow_dissect
 * does it (the kernel's own dissector for the encap policies). */
struct cxxbond_flow {
	unsigned char eth[14];		/* the Ethernet header; eth_ok 0 if the frame is shorter */
	unsigned char eth_ok;
	unsigned char dissected;	/* an IP flow was found (else: the layer2 hash) */
	unsigned char icmp_id;		/* icmp: an ICMP id was found: hash it instead of ports */
	unsigned char l4_hash;		/* skb->l4_hash (encap3+4 then uses skb->hash) */
	unsigned short vlan;		/* the skb's VLAN tag, 0 if none */
	unsigned int dst, src;		/* flow_get_u32_dst / _src */
	unsigned int ports;		/* the ports as 6.1 memcpys them into the hash */
	unsigned int icmp;		/* the ICMP id/type/code word, likewise */
	unsigned int skb_hash;
};
/* policy: BOND_XMIT_POLICY_*; layer2 only needs eth. */
void cxxbond_skb_flow(struct sk_buff *skb, int policy, struct cxxbond_flow *out);
void cxxbond_flow_init(void);	/* module init: the dissector's keys */
unsigned int cxxbond_random_u32(void);

/* --- sysfs.c ------------------------------------------------------------------------------ */
int cxxbond_emit(char *buf, int at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* <slave>/bonding_slave/: added once the slave is linked, removed before it is freed. */
void *cxxbond_sysfs_slave_add(struct net_device *slave_dev, struct cxxbond_slave *slave);
void cxxbond_sysfs_slave_del(void *handle);

/* --- procfs.c ------------------------------------------------------------------------------ */
void cxxbond_seq_printf(void *seq, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif /* CXXBOND_SHIM_H */
