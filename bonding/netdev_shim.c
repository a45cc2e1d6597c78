// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_bonding's device shims: one kernel operation each, for the C++ side (shim.h).
 * Callers hold RTNL unless a comment says otherwise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/if_arp.h>
#include <linux/if_bonding.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>

#include "main.h"
#include "bonding.h"
#include "shim.h"

static_assert((int)CXXBOND_NETDEV_UP == (int)NETDEV_UP && (int)CXXBOND_NETDEV_DOWN == (int)NETDEV_DOWN &&
	      (int)CXXBOND_NETDEV_CHANGE == (int)NETDEV_CHANGE &&
	      (int)CXXBOND_NETDEV_REGISTER == (int)NETDEV_REGISTER &&
	      (int)CXXBOND_NETDEV_UNREGISTER == (int)NETDEV_UNREGISTER &&
	      (int)CXXBOND_NETDEV_CHANGEMTU == (int)NETDEV_CHANGEMTU &&
	      (int)CXXBOND_NETDEV_CHANGEADDR == (int)NETDEV_CHANGEADDR &&
	      (int)CXXBOND_NETDEV_CHANGENAME == (int)NETDEV_CHANGENAME &&
	      (int)CXXBOND_NETDEV_FEAT_CHANGE == (int)NETDEV_FEAT_CHANGE &&
	      (int)CXXBOND_NETDEV_BONDING_FAILOVER == (int)NETDEV_BONDING_FAILOVER &&
	      (int)CXXBOND_NETDEV_RELEASE == (int)NETDEV_RELEASE &&
	      (int)CXXBOND_NETDEV_NOTIFY_PEERS == (int)NETDEV_NOTIFY_PEERS &&
	      (int)CXXBOND_NETDEV_JOIN == (int)NETDEV_JOIN);
static_assert((int)CXXBOND_ARPHRD_ETHER == (int)ARPHRD_ETHER && (int)CXXBOND_ARPHRD_CAN == (int)ARPHRD_CAN &&
	      (int)CXXBOND_ARPHRD_INFINIBAND == (int)ARPHRD_INFINIBAND);
static_assert((int)CXXBOND_IFF_PROMISC == (int)IFF_PROMISC && (int)CXXBOND_IFF_ALLMULTI == (int)IFF_ALLMULTI);

void cxxbond_read_props(struct net_device *dev, struct cxxbond_dev_props *out)
{
	out->type = dev->type;
	out->addr_len = dev->addr_len;
	out->is_up = !!(dev->flags & IFF_UP);
	out->is_master = !!(dev->flags & IFF_MASTER);
	out->is_bond_master = cxxbond_is_bond(dev);
	out->rx_handler_busy = netdev_is_rx_handler_busy(dev);
	out->vlan_challenged = !!(dev->features & NETIF_F_VLAN_CHALLENGED);
	out->can_set_mac = !!dev->netdev_ops->ndo_set_mac_address;
	out->random_addr = dev->addr_assign_type == NET_ADDR_RANDOM;
	out->promisc = !!(dev->flags & IFF_PROMISC);
	out->allmulti = !!(dev->flags & IFF_ALLMULTI);
	out->mtu = dev->mtu;
}

const char *cxxbond_dev_name(const struct net_device *dev)
{
	return dev->name;
}

int cxxbond_dev_ifindex(const struct net_device *dev)
{
	return dev->ifindex;
}

struct net_device *cxxbond_dev_by_index(struct net_device *bond_dev, int ifindex)
{
	return __dev_get_by_index(dev_net(bond_dev), ifindex);
}

struct net_device *cxxbond_dev_by_name(struct net_device *bond_dev, const char *name)
{
	return __dev_get_by_name(dev_net(bond_dev), name);
}

unsigned int cxxbond_real_num_tx_queues(const struct net_device *dev)
{
	return dev->real_num_tx_queues;
}

int cxxbond_dev_valid_name(const char *name)
{
	return dev_valid_name(name);
}

int cxxbond_vlan_uses_dev(struct net_device *dev)
{
	return vlan_uses_dev(dev);
}

int cxxbond_dev_is_up(const struct net_device *dev)
{
	return !!(dev->flags & IFF_UP);
}

/* Any context. */
int cxxbond_dev_running(const struct net_device *dev)
{
	return netif_running(dev);
}

/* Any context. */
int cxxbond_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

int cxxbond_dev_has_link_check(struct net_device *dev)
{
	return dev->ethtool_ops->get_link || dev->netdev_ops->ndo_eth_ioctl;
}

/* 6.1's bond_check_dev_link with use_carrier off: the driver's ethtool link, else carrier
 * (no MII ioctls: README). Process context (the monitor's work). */
int cxxbond_ethtool_link(struct net_device *dev)
{
	if (dev->ethtool_ops->get_link)
		return !!dev->ethtool_ops->get_link(dev);
	return netif_carrier_ok(dev);
}

int cxxbond_linkwatch_pending(struct net_device *dev)
{
	return test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state);
}

void cxxbond_carrier_set(struct net_device *dev, int on)
{
	if (on)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
}

/* 6.1's bond_update_speed_duplex: -1 (unknown) unless the driver reports both. */
int cxxbond_speed_duplex(struct net_device *dev, int *speed, unsigned char *duplex)
{
	struct ethtool_link_ksettings ecmd;

	*speed = SPEED_UNKNOWN;
	*duplex = DUPLEX_UNKNOWN;
	if (__ethtool_get_link_ksettings(dev, &ecmd) < 0)
		return 1;
	if (ecmd.base.speed == 0 || ecmd.base.speed == ((__u32)-1))
		return 1;
	switch (ecmd.base.duplex) {
	case DUPLEX_FULL:
	case DUPLEX_HALF:
		break;
	default:
		return 1;
	}
	*speed = ecmd.base.speed;
	*duplex = ecmd.base.duplex;
	return 0;
}

void cxxbond_dev_addr(const struct net_device *dev, unsigned char *out)
{
	memcpy(out, dev->dev_addr, dev->addr_len);
}

static_assert(sizeof(struct rtnl_link_stats64) == CXXBOND_STATS_WORDS * sizeof(u64));

void cxxbond_dev_stats(struct net_device *dev, void *out)
{
	dev_get_stats(dev, (struct rtnl_link_stats64 *)out);
}

int cxxbond_same_addr(const struct net_device *a, const struct net_device *b)
{
	return ether_addr_equal(a->dev_addr, b->dev_addr);
}

int cxxbond_dev_set_mtu(struct net_device *dev, unsigned int mtu)
{
	return dev_set_mtu(dev, mtu);
}

void cxxbond_dev_set_mtu_unregistering(struct net_device *dev, unsigned int mtu)
{
	__dev_set_mtu(dev, mtu);
}

int cxxbond_dev_set_mac(struct net_device *dev, const unsigned char *addr,
			struct netlink_ext_ack *extack)
{
	struct sockaddr_storage ss;

	memcpy(ss.__data, addr, dev->addr_len);
	ss.ss_family = dev->type;
	return dev_set_mac_address(dev, (struct sockaddr *)&ss, extack);
}

int cxxbond_dev_open(struct net_device *dev, struct netlink_ext_ack *extack)
{
	return dev_open(dev, extack);
}

void cxxbond_dev_close(struct net_device *dev)
{
	dev_close(dev);
}

void cxxbond_dev_flag_slave(struct net_device *dev, int on)
{
	if (on)
		dev->flags |= IFF_SLAVE;
	else
		dev->flags &= ~IFF_SLAVE;
}

int cxxbond_netpoll_active(struct net_device *bond_dev)
{
	return rcu_access_pointer(bond_dev->npinfo) != NULL;
}

void cxxbond_dev_flag_bonding(struct net_device *dev, int on)
{
	if (on)
		dev->priv_flags |= IFF_BONDING;
	else
		dev->priv_flags &= ~IFF_BONDING;
}

int cxxbond_rx_handler_register(struct net_device *slave_dev, struct cxxbond_slave *slave)
{
	return netdev_rx_handler_register(slave_dev, cxxbond_handle_frame, slave);
}

void cxxbond_rx_handler_unregister(struct net_device *slave_dev)
{
	netdev_rx_handler_unregister(slave_dev);
}

/* 6.1's bond_lag_hash_type. */
static enum netdev_lag_hash cxxbond_lag_hash(int policy)
{
	switch (policy) {
	case BOND_XMIT_POLICY_LAYER2:
		return NETDEV_LAG_HASH_L2;
	case BOND_XMIT_POLICY_LAYER34:
		return NETDEV_LAG_HASH_L34;
	case BOND_XMIT_POLICY_LAYER23:
		return NETDEV_LAG_HASH_L23;
	case BOND_XMIT_POLICY_ENCAP23:
		return NETDEV_LAG_HASH_E23;
	case BOND_XMIT_POLICY_ENCAP34:
		return NETDEV_LAG_HASH_E34;
	case BOND_XMIT_POLICY_VLAN_SRCMAC:
		return NETDEV_LAG_HASH_VLAN_SRCMAC;
	default:
		return NETDEV_LAG_HASH_UNKNOWN;
	}
}

/* 6.1's bond_master_upper_dev_link: the lag upper with its tx and hash types. */
int cxxbond_upper_link(struct net_device *slave_dev, struct net_device *bond_dev,
		       struct cxxbond_slave *slave, int mode, int policy,
		       struct netlink_ext_ack *extack)
{
	static const enum netdev_lag_tx_type tx_types[] = {
		[BOND_MODE_ROUNDROBIN] = NETDEV_LAG_TX_TYPE_ROUNDROBIN,
		[BOND_MODE_ACTIVEBACKUP] = NETDEV_LAG_TX_TYPE_ACTIVEBACKUP,
		[BOND_MODE_XOR] = NETDEV_LAG_TX_TYPE_HASH,
		[BOND_MODE_BROADCAST] = NETDEV_LAG_TX_TYPE_BROADCAST,
	};
	enum netdev_lag_tx_type tx = mode >= 0 && mode < ARRAY_SIZE(tx_types) ?
				     tx_types[mode] : NETDEV_LAG_TX_TYPE_UNKNOWN;
	struct netdev_lag_upper_info lag_upper_info = {
		.tx_type = tx,
		.hash_type = tx == NETDEV_LAG_TX_TYPE_HASH ? cxxbond_lag_hash(policy)
							   : NETDEV_LAG_HASH_NONE,
	};

	return netdev_master_upper_dev_link(slave_dev, bond_dev, slave, &lag_upper_info, extack);
}

void cxxbond_upper_unlink(struct net_device *slave_dev, struct net_device *bond_dev)
{
	netdev_upper_dev_unlink(slave_dev, bond_dev);
	slave_dev->flags &= ~IFF_SLAVE;
}

int cxxbond_has_upper(struct net_device *slave_dev, struct net_device *bond_dev)
{
	return (slave_dev->flags & IFF_SLAVE) && netdev_has_upper_dev(slave_dev, bond_dev);
}

/* 6.1's bond_set_dev_addr. */
int cxxbond_dev_addr_from(struct net_device *bond_dev, struct net_device *slave_dev)
{
	int err = dev_pre_changeaddr_notify(bond_dev, slave_dev->dev_addr, NULL);

	if (err)
		return err;
	__dev_addr_set(bond_dev, slave_dev->dev_addr, slave_dev->addr_len);
	bond_dev->addr_assign_type = NET_ADDR_STOLEN;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, bond_dev);
	return 0;
}

/* 6.1's bond_compute_features over the bond's lower devices (its slaves), without IPsec
 * offload (README). */
int cxxbond_compute_features(struct net_device *bond_dev)
{
	bool was_challenged = bond_dev->features & NETIF_F_VLAN_CHALLENGED;
	unsigned int dst_release_flag = IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM;
	netdev_features_t vlan_features = CXXBOND_VLAN_FEATURES;
	netdev_features_t enc_features = CXXBOND_ENC_FEATURES;
	netdev_features_t mpls_features = CXXBOND_MPLS_FEATURES;
	unsigned short max_hard_header_len = ETH_HLEN;
	unsigned int tso_max_size = TSO_MAX_SIZE;
	u16 tso_max_segs = TSO_MAX_SEGS;
	struct net_device *slave_dev;
	struct list_head *iter;
	bool any = false;

	netdev_for_each_lower_dev(bond_dev, slave_dev, iter) {
		if (!any) {
			vlan_features &= NETIF_F_ALL_FOR_ALL;
			mpls_features &= NETIF_F_ALL_FOR_ALL;
			any = true;
		}
		vlan_features = netdev_increment_features(vlan_features, slave_dev->vlan_features,
							  CXXBOND_VLAN_FEATURES);
		enc_features = netdev_increment_features(enc_features, slave_dev->hw_enc_features,
							 CXXBOND_ENC_FEATURES);
		mpls_features = netdev_increment_features(mpls_features, slave_dev->mpls_features,
							  CXXBOND_MPLS_FEATURES);
		dst_release_flag &= slave_dev->priv_flags;
		max_hard_header_len = max(max_hard_header_len, slave_dev->hard_header_len);
		tso_max_size = min(tso_max_size, slave_dev->tso_max_size);
		tso_max_segs = min(tso_max_segs, slave_dev->tso_max_segs);
	}
	if (any)
		bond_dev->hard_header_len = max_hard_header_len;

	bond_dev->vlan_features = vlan_features;
	bond_dev->hw_enc_features = enc_features | NETIF_F_GSO_ENCAP_ALL |
				    NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	bond_dev->mpls_features = mpls_features;
	netif_set_tso_max_segs(bond_dev, tso_max_segs);
	netif_set_tso_max_size(bond_dev, tso_max_size);

	bond_dev->priv_flags &= ~IFF_XMIT_DST_RELEASE;
	if ((bond_dev->priv_flags & IFF_XMIT_DST_RELEASE_PERM) &&
	    dst_release_flag == (IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM))
		bond_dev->priv_flags |= IFF_XMIT_DST_RELEASE;

	netdev_change_features(bond_dev);
	return was_challenged && !(bond_dev->features & NETIF_F_VLAN_CHALLENGED);
}

void cxxbond_dev_addr_random(struct net_device *bond_dev)
{
	eth_hw_addr_random(bond_dev);
}

void cxxbond_notify(struct net_device *dev, unsigned long event)
{
	call_netdevice_notifiers(event, dev);
}

void cxxbond_lower_state_changed(struct net_device *slave_dev, int link_up, int tx_enabled)
{
	struct netdev_lag_lower_state_info info = {
		.link_up = !!link_up,
		.tx_enabled = !!tx_enabled,
	};

	netdev_lower_state_changed(slave_dev, &info);
}

void cxxbond_addr_sync(struct net_device *slave_dev, struct net_device *bond_dev, int multiple)
{
	netif_addr_lock_bh(bond_dev);
	cxxbond_addr_sync_locked(slave_dev, bond_dev, multiple);
	netif_addr_unlock_bh(bond_dev);
}

/* netif_addr_lock_bh(bond_dev) held (ndo_set_rx_mode, or above). */
void cxxbond_addr_sync_locked(struct net_device *slave_dev, struct net_device *bond_dev,
			      int multiple)
{
	if (multiple) {
		dev_uc_sync_multiple(slave_dev, bond_dev);
		dev_mc_sync_multiple(slave_dev, bond_dev);
	} else {
		dev_uc_sync(slave_dev, bond_dev);
		dev_mc_sync(slave_dev, bond_dev);
	}
}

/* dev_uc_unsync takes both devices' address locks itself. */
void cxxbond_addr_unsync(struct net_device *slave_dev, struct net_device *bond_dev)
{
	dev_uc_unsync(slave_dev, bond_dev);
	dev_mc_unsync(slave_dev, bond_dev);
}

int cxxbond_dev_promisc(struct net_device *dev, int inc)
{
	return dev_set_promiscuity(dev, inc);
}

int cxxbond_vlan_vid_add(struct net_device *slave_dev, unsigned short proto, unsigned short vid)
{
	return vlan_vid_add(slave_dev, htons(proto), vid);
}

void cxxbond_vlan_vid_del(struct net_device *slave_dev, unsigned short proto, unsigned short vid)
{
	vlan_vid_del(slave_dev, htons(proto), vid);
}

int cxxbond_vlan_vids_add(struct net_device *slave_dev, struct net_device *bond_dev)
{
	return vlan_vids_add_by_dev(slave_dev, bond_dev);
}

void cxxbond_vlan_vids_del(struct net_device *slave_dev, struct net_device *bond_dev)
{
	vlan_vids_del_by_dev(slave_dev, bond_dev);
}

int cxxbond_dev_allmulti(struct net_device *dev, int inc)
{
	return dev_set_allmulti(dev, inc);
}

/* As 6.1's netdev_*() and slave_*() macros print: "bond0: (slave eth0): ...". */
void cxxbond_log(int level, const struct net_device *bond_dev,
		 const struct net_device *slave_dev, const char *fmt, ...)
{
	struct va_format vaf;
	char lvl[3] = { KERN_SOH_ASCII, '0' + (level & 7), 0 };
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (level == LOGLEVEL_DEBUG) {
		if (slave_dev)
			netdev_dbg(bond_dev, "(slave %s): %pV", slave_dev->name, &vaf);
		else
			netdev_dbg(bond_dev, "%pV", &vaf);
	} else if (slave_dev) {
		netdev_printk(lvl, bond_dev, "(slave %s): %pV", slave_dev->name, &vaf);
	} else {
		netdev_printk(lvl, bond_dev, "%pV", &vaf);
	}
	va_end(args);
}

void cxxbond_nl_err(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}
