// SPDX-License-Identifier: GPL-2.0
/* Devices, transmit and polling primitives for the C++ core (RTNL, RCU and time are in the
 * support shim, shared by every module). */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/if_vlan.h>
#include <linux/netpoll.h>
#include <linux/rtnetlink.h>
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/kstrtox.h>
#include <net/addrconf.h>

#include "shim.h"

unsigned long cxxnp_jiffies(void)
{
	return jiffies;
}

unsigned int cxxnp_jiffies_to_msecs(unsigned long j)
{
	return jiffies_to_msecs(j);
}

struct net_device *cxxnp_dev_by_name(const char *name)
{
	ASSERT_RTNL();
	return __dev_get_by_name(current->nsproxy->net_ns, name);
}

const char *cxxnp_dev_name(struct net_device *dev)
{
	return dev->name;
}

const unsigned char *cxxnp_dev_addr(struct net_device *dev)
{
	return dev->dev_addr;
}

int cxxnp_dev_has_master(struct net_device *dev)
{
	return netdev_master_upper_dev_get(dev) != NULL;
}

int cxxnp_dev_registered(struct net_device *dev)
{
	return dev->reg_state == NETREG_REGISTERED;
}

int cxxnp_dev_is_stacked(struct net_device *dev)
{
	return dev->netdev_ops->ndo_netpoll_setup != NULL;
}

int cxxnp_dev_is_bond_master(struct net_device *dev)
{
	return netif_is_bond_master(dev);
}

int cxxnp_dev_running(struct net_device *dev)
{
	return netif_running(dev);
}

int cxxnp_dev_present(struct net_device *dev)
{
	return netif_device_present(dev);
}

int cxxnp_dev_carrier_ok(struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

int cxxnp_dev_open(struct net_device *dev)
{
	return dev_open(dev, NULL);
}

void cxxnp_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void cxxnp_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

unsigned int cxxnp_dev_headroom(struct net_device *dev)
{
	return LL_RESERVED_SPACE(dev);
}

unsigned int cxxnp_dev_tailroom(struct net_device *dev)
{
	return dev->needed_tailroom;
}

int cxxnp_dev_ipv4_addr(struct net_device *dev, unsigned int *addr)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return -EDESTADDRREQ;
	ifa = rtnl_dereference(in_dev->ifa_list);
	if (!ifa)
		return -EDESTADDRREQ;
	*addr = ifa->ifa_local;
	return 0;
}

int cxxnp_dev_ipv6_addr(struct net_device *dev, const unsigned char *remote,
			unsigned char *addr)
{
	int err = -EDESTADDRREQ;
#if IS_ENABLED(CONFIG_IPV6)
	bool remote_ll = ipv6_addr_type((const struct in6_addr *)remote) & IPV6_ADDR_LINKLOCAL;
	struct inet6_dev *idev = __in6_dev_get(dev);
	struct inet6_ifaddr *ifp;

	if (!idev)
		return err;
	/* Same scope as the remote address: link-local talks to link-local. */
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifp, &idev->addr_list, if_list) {
		if (!!(ipv6_addr_type(&ifp->addr) & IPV6_ADDR_LINKLOCAL) != remote_ll)
			continue;
		memcpy(addr, &ifp->addr, sizeof(ifp->addr));
		err = 0;
		break;
	}
	read_unlock_bh(&idev->lock);
#endif
	return err;
}

struct netdev_queue *cxxnp_pick_txq(struct net_device *dev, struct sk_buff *skb)
{
	int index = 0;

	/* netdev_core_pick_tx() is not exported in 6.1: its steps, with the index bounded. */
#ifdef CONFIG_XPS
	skb->sender_cpu = raw_smp_processor_id() + 1;
#endif
	if (dev->real_num_tx_queues != 1) {
		const struct net_device_ops *ops = dev->netdev_ops;

		if (ops->ndo_select_queue)
			index = ops->ndo_select_queue(dev, skb, NULL);
		else
			index = netdev_pick_tx(dev, skb, NULL);
		if (unlikely(index < 0 || index >= dev->real_num_tx_queues))
			index = 0;
	}
	skb_set_queue_mapping(skb, index);
	return netdev_get_tx_queue(dev, index);
}

struct netdev_queue *cxxnp_mapped_txq(struct net_device *dev, struct sk_buff *skb)
{
	unsigned int index = skb_get_queue_mapping(skb);

	if (unlikely(index >= dev->real_num_tx_queues)) {
		index = index % dev->real_num_tx_queues;
		skb_set_queue_mapping(skb, index);
	}
	return netdev_get_tx_queue(dev, index);
}

enum cxxnp_xmit cxxnp_xmit(struct net_device *dev, struct netdev_queue *txq,
			   struct sk_buff *skb)
{
	netdev_tx_t status = NETDEV_TX_BUSY;

	lockdep_assert_irqs_disabled();
	/* Never spin on a tx lock with IRQs off: the holder may be this CPU's interrupted
	 * context or another CPU that holds it for long. A frozen queue (netif_tx_lock held
	 * somewhere: the driver is being reconfigured) is busy too; 6.1's direct path checks
	 * only "stopped" and would transmit into it. */
	if (!HARD_TX_TRYLOCK(dev, txq))
		return CXXNP_XMIT_BUSY;
	if (!netif_xmit_frozen_or_stopped(txq)) {
		if (skb_vlan_tag_present(skb) &&
		    !vlan_hw_offload_capable(netif_skb_features(skb), skb->vlan_proto)) {
			skb = __vlan_hwaccel_push_inside(skb);
			if (unlikely(!skb)) {
				HARD_TX_UNLOCK(dev, txq);
				return CXXNP_XMIT_DROPPED;
			}
		}
		status = netdev_start_xmit(skb, dev, txq, false);
	}
	HARD_TX_UNLOCK(dev, txq);
	return dev_xmit_complete(status) ? CXXNP_XMIT_DONE : CXXNP_XMIT_BUSY;
}

static DEFINE_PER_CPU(void *, cxxnp_nest);

void *cxxnp_nest_swap(void *nest)
{
	void *prev;

	lockdep_assert_irqs_disabled();
	prev = __this_cpu_read(cxxnp_nest);
	__this_cpu_write(cxxnp_nest, nest);
	return prev;
}

void *cxxnp_nest_current(void)
{
	lockdep_assert_irqs_disabled();
	return __this_cpu_read(cxxnp_nest);
}

int cxxnp_in_nmi(void)
{
	return in_nmi() != 0;
}

void cxxnp_skb_set_dev(struct sk_buff *skb, struct net_device *dev)
{
	skb->dev = dev;
}

unsigned long cxxnp_rcu_cookie(void)
{
	return get_state_synchronize_rcu();
}

int cxxnp_rcu_cookie_passed(unsigned long cookie)
{
	return poll_state_synchronize_rcu(cookie);
}

void *cxxnp_npinfo_trylock(struct net_device *dev)
{
	struct netpoll_info *ni = rcu_dereference_bh(dev->npinfo);

	/* dev_open/dev_close hold dev_lock to keep netpoll away while the device changes. */
	return ni && !down_trylock(&ni->dev_lock) ? ni : NULL;
}

void cxxnp_npinfo_unlock(void *npinfo)
{
	/* the npinfo that was locked: dev->npinfo may have changed since */
	up(&((struct netpoll_info *)npinfo)->dev_lock);
}

int cxxnp_local_xmit_active(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++) {
		if (READ_ONCE(netdev_get_tx_queue(dev, i)->xmit_lock_owner) == smp_processor_id())
			return 1;
	}
	return 0;
}

int cxxnp_dev_xmit_locked(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++) {
		if (READ_ONCE(netdev_get_tx_queue(dev, i)->xmit_lock_owner) != -1)
			return 1;
	}
	return 0;
}

static int cxxnp_lower_xmit_locked(struct net_device *lower, struct netdev_nested_priv *priv)
{
	return cxxnp_dev_xmit_locked(lower);	/* non-zero stops the walk */
}

int cxxnp_lowers_xmit_locked(struct net_device *dev)
{
	struct netdev_nested_priv priv = {};

	return netdev_walk_all_lower_dev_rcu(dev, cxxnp_lower_xmit_locked, &priv) != 0;
}

void cxxnp_lockdep_off(void)
{
	lockdep_off();
}

void cxxnp_lockdep_on(void)
{
	lockdep_on();
}

void cxxnp_poll_controller(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;

	if (ops->ndo_poll_controller)
		ops->ndo_poll_controller(dev);
}

struct napi_struct *cxxnp_napi_next(struct net_device *dev, struct napi_struct *napi)
{
	if (!napi)
		return list_first_or_null_rcu(&dev->napi_list, struct napi_struct, dev_list);
	return list_next_or_null_rcu(&dev->napi_list, &napi->dev_list, struct napi_struct,
				     dev_list);
}

int cxxnp_napi_owner_is_this_cpu(struct napi_struct *napi)
{
	return READ_ONCE(napi->poll_owner) == smp_processor_id();
}

int cxxnp_napi_claim(struct napi_struct *napi)
{
	return cmpxchg(&napi->poll_owner, -1, smp_processor_id()) == -1;
}

void cxxnp_napi_release(struct napi_struct *napi)
{
	smp_store_release(&napi->poll_owner, -1);
}

int cxxnp_napi_svc_begin(struct napi_struct *napi)
{
	/* Already set: NAPI is being disabled; leave it alone. */
	return !test_and_set_bit(NAPI_STATE_NPSVC, &napi->state);
}

int cxxnp_napi_poll_tx(struct napi_struct *napi)
{
	/* Budget 0: clear the tx completions only, never receive. */
	int work = napi->poll(napi, 0);

	WARN_ONCE(work, "%pS exceeded budget in poll\n", napi->poll);
	return work;
}

void cxxnp_napi_svc_end(struct napi_struct *napi)
{
	clear_bit(NAPI_STATE_NPSVC, &napi->state);
}

void cxxnp_zap_completion_queue(void)
{
	struct softnet_data *sd = &get_cpu_var(softnet_data);
	struct sk_buff *clist = NULL;
	unsigned long flags;

	if (sd->completion_queue) {
		local_irq_save(flags);
		clist = sd->completion_queue;
		sd->completion_queue = NULL;
		local_irq_restore(flags);
	}
	while (clist) {
		struct sk_buff *skb = clist;

		clist = clist->next;
		if (!skb_irq_freeable(skb)) {
			refcount_set(&skb->users, 1);
			dev_kfree_skb_any(skb);	/* back on the queue for the softirq */
		} else {
			__kfree_skb(skb);
		}
	}
	put_cpu_var(softnet_data);
}

int cxxnp_parse_ipv4(const char *s, unsigned int len, unsigned char *out)
{
	const char *end;

	return in4_pton(s, len, out, -1, &end) > 0 && end == s + len ? 0 : -EINVAL;
}

int cxxnp_parse_ipv6(const char *s, unsigned int len, unsigned char *out)
{
	const char *end;

	return in6_pton(s, len, out, -1, &end) > 0 && end == s + len ? 0 : -EINVAL;
}

int cxxnp_parse_mac(const char *s, unsigned char *out)
{
	return mac_pton(s, out) ? 0 : -EINVAL;
}

int cxxnp_parse_u16(const char *s, unsigned int len, unsigned short *out)
{
	char buf[16];

	if (len >= sizeof(buf))
		return -ERANGE;
	memcpy(buf, s, len);
	buf[len] = 0;
	return kstrtou16(buf, 10, out);
}
