/* SPDX-License-Identifier: GPL-2.0 */
/* cxx_bonding's C files among themselves: a bond's private area and the shared ops. */
#ifndef CXXBOND_MAIN_H
#define CXXBOND_MAIN_H

#include <linux/netdevice.h>
#include <linux/workqueue.h>
#include <linux/proc_fs.h>
#include <net/rtnetlink.h>

#define CXXBOND_DRV_NAME "bonding"

/* netdev_priv() of a cxx_bonding bond: its kernel objects; the C++ Bond hangs off it. */
struct cxxbond_priv {
	void *bond;				/* bonding::Bond */
	struct net_device *dev;
	struct delayed_work mii_work;
	struct proc_dir_entry *proc_entry;
	char proc_name[IFNAMSIZ];
	spinlock_t stats_lock;			/* bond_stats and the slaves' last looks */
	struct rtnl_link_stats64 bond_stats;	/* what the slaves counted while enslaved */
};

extern const struct net_device_ops cxxbond_netdev_ops;
extern struct rtnl_link_ops cxxbond_link_ops;
extern int cxxbond_tx_queues;

static inline bool cxxbond_is_bond(const struct net_device *dev)
{
	return dev->netdev_ops == &cxxbond_netdev_ops;
}

/* 6.1's BOND_VLAN_FEATURES, BOND_ENC_FEATURES, BOND_MPLS_FEATURES: what a bond can offer on
 * top of its slaves (IPsec and TLS offload are not passed through: README). */
#define CXXBOND_VLAN_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_FRAGLIST | \
				 NETIF_F_GSO_SOFTWARE | NETIF_F_GSO_ENCAP_ALL | \
				 NETIF_F_HIGHDMA | NETIF_F_LRO)
#define CXXBOND_ENC_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_RXCSUM | \
				 NETIF_F_GSO_SOFTWARE)
#define CXXBOND_MPLS_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_GSO_SOFTWARE)

/* main.c */
void cxxbond_setup(struct net_device *bond_dev);
void cxxbond_priv_init(struct net_device *bond_dev);
rx_handler_result_t cxxbond_handle_frame(struct sk_buff **pskb);
/* skb_shim.c */
u16 cxxbond_select_queue(struct net_device *bond_dev, struct sk_buff *skb,
			 struct net_device *sb_dev);

/* procfs.c (RTNL held) */
struct cxxbond_net {
	struct net *net;
	struct proc_dir_entry *proc_dir;	/* /proc/net/bonding */
	struct class_attribute class_attr_bonding_masters;
	bool masters_created;
};
extern unsigned int cxxbond_net_id;
int cxxbond_proc_net_init(struct net *net);
void cxxbond_proc_net_exit(struct net *net);
void cxxbond_proc_add(struct net_device *bond_dev);
void cxxbond_proc_remove(struct net_device *bond_dev);

/* sysfs.c */
extern const struct attribute_group cxxbond_attr_group;
int cxxbond_sysfs_net_init(struct net *net);
void cxxbond_sysfs_net_exit(struct net *net);

/* main.c: a bond named name (or bond%d) in net, as 6.1's bond_create (takes RTNL). */
int cxxbond_create(struct net *net, const char *name);

/* netlink.c */
int cxxbond_netlink_init(void);
void cxxbond_netlink_exit(void);

#endif /* CXXBOND_MAIN_H */
