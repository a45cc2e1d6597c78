// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel objects of one attached netpoll (netpoll::State): the kernel struct netpoll that
 * attaches the device through the kernel's own __netpoll_setup (the kernel owns dev->npinfo),
 * its deferred queue, skb pool, work items, netdev-ingress hook and debugfs file. Thin: the
 * policy is in state.cpp.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/rtnetlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/if_vlan.h>

#include "shim.h"
#include "../include/cxx_netpoll.h"

/* A copy of the frame the tx work item hands to the driver, kept while it is there: a panic
 * that stops the work item inside the driver (an NMI on its CPU) sends it again. Written by
 * the work item only (never concurrent with itself); read by the panic once the writer is
 * stopped. */
struct cxxnp_inflight {
	unsigned char *buf;
	unsigned int cap;
	unsigned int len;		/* 0: nothing in the driver; release/acquire */
	__be16 protocol;
	__be16 vlan_proto;
	u16 vlan_tci;
	u16 queue_mapping;
	u32 priority;
	int network;			/* header offsets from the frame's start */
	int transport;			/* -1: unset */
};

struct cxxnp_kobjs {
	struct netpoll np;		/* what the kernel's npinfo points at */
	netdevice_tracker dev_tracker;
	struct sk_buff_head txq;	/* deferred skbs, drained by tx_work */
	struct sk_buff_head pool;	/* preallocated skbs, refilled by refill_work */
	struct delayed_work tx_work;
	struct work_struct refill_work;
	struct dentry *debugfs;
	struct nf_hook_ops rx_ops;	/* netdev-ingress hook, when the user has an rx_hook */
	struct net *rx_net;
	void *owner;			/* the C++ netpoll::State */
	struct cxxnp_inflight inflight;	/* the frame tx_work has in the driver */
};

struct dentry *cxxnp_debugfs_root;

/* One lock class per queue kind, so lockdep tells them apart. */
static struct lock_class_key cxxnp_txq_key;
static struct lock_class_key cxxnp_pool_key;

static void cxxnp_tx_work_fn(struct work_struct *work)
{
	struct cxxnp_kobjs *k = container_of(to_delayed_work(work), struct cxxnp_kobjs, tx_work);

	cxxnp_tx_work(k->owner);
}

static void cxxnp_refill_work_fn(struct work_struct *work)
{
	struct cxxnp_kobjs *k = container_of(work, struct cxxnp_kobjs, refill_work);

	cxxnp_refill_work(k->owner);
}

struct cxxnp_kobjs *cxxnp_kobjs_alloc(void *owner)
{
	struct cxxnp_kobjs *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (!k)
		return NULL;
	skb_queue_head_init(&k->txq);
	lockdep_set_class(&k->txq.lock, &cxxnp_txq_key);
	skb_queue_head_init(&k->pool);
	lockdep_set_class(&k->pool.lock, &cxxnp_pool_key);
	INIT_DELAYED_WORK(&k->tx_work, cxxnp_tx_work_fn);
	INIT_WORK(&k->refill_work, cxxnp_refill_work_fn);
	k->owner = owner;
	return k;
}

void cxxnp_kobjs_free(struct cxxnp_kobjs *k)
{
	skb_queue_purge(&k->txq);
	skb_queue_purge(&k->pool);
	kfree(k->inflight.buf);
	kfree(k);
}

int cxxnp_inflight_alloc(struct cxxnp_kobjs *k, unsigned int cap)
{
	k->inflight.buf = kmalloc(cap, GFP_KERNEL);
	if (!k->inflight.buf)
		return -ENOMEM;
	k->inflight.cap = cap;
	return 0;
}

void cxxnp_inflight_save(struct cxxnp_kobjs *k, const struct sk_buff *skb)
{
	struct cxxnp_inflight *f = &k->inflight;

	/* Linear frames that fit (every frame the core builds); others are not kept. A
	 * checksum left to the device would need its offsets: not kept either. */
	if (!f->buf || skb_is_nonlinear(skb) || skb->len > f->cap ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return;
	memcpy(f->buf, skb->data, skb->len);
	f->protocol = skb->protocol;
	f->vlan_proto = skb_vlan_tag_present(skb) ? skb->vlan_proto : 0;
	f->vlan_tci = skb_vlan_tag_present(skb) ? skb_vlan_tag_get(skb) : 0;
	f->queue_mapping = skb_get_queue_mapping(skb);
	f->priority = skb->priority;
	f->network = skb_network_offset(skb);
	f->transport = skb_transport_header_was_set(skb) ? skb_transport_offset(skb) : -1;
	smp_store_release(&f->len, skb->len);
}

void cxxnp_inflight_clear(struct cxxnp_kobjs *k)
{
	smp_store_release(&k->inflight.len, 0);
}

unsigned int cxxnp_inflight_len(struct cxxnp_kobjs *k)
{
	return smp_load_acquire(&k->inflight.len);
}

unsigned int cxxnp_inflight_take(struct cxxnp_kobjs *k)
{
	return xchg(&k->inflight.len, 0);
}

void cxxnp_inflight_restore(struct cxxnp_kobjs *k, struct sk_buff *skb, struct net_device *dev,
			    unsigned int headroom, unsigned int len)
{
	const struct cxxnp_inflight *f = &k->inflight;

	skb_reserve(skb, headroom);
	skb_put_data(skb, f->buf, len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, f->network);
	if (f->transport >= 0)
		skb_set_transport_header(skb, f->transport);
	skb->protocol = f->protocol;
	if (f->vlan_proto)
		__vlan_hwaccel_put_tag(skb, f->vlan_proto, f->vlan_tci);
	skb_set_queue_mapping(skb, f->queue_mapping);
	skb->priority = f->priority;
	skb->dev = dev;
}

int cxxnp_kobjs_attach(struct cxxnp_kobjs *k, struct net_device *dev, const char *name)
{
	int err;

	ASSERT_RTNL();
	k->np.name = name;
	err = __netpoll_setup(&k->np, dev);
	if (err)
		return err;
	netdev_hold(dev, &k->dev_tracker, GFP_KERNEL);
	return 0;
}

void cxxnp_kobjs_detach(struct cxxnp_kobjs *k, struct net_device *dev)
{
	ASSERT_RTNL();
	__netpoll_cleanup(&k->np);
	k->np.dev = NULL;
	netdev_put(dev, &k->dev_tracker);
}

/* Not from NMI (queueing work takes the workqueue's locks, which the context the NMI
 * interrupted may hold): our console write runs in NMI only in a panic (printk defers NMI
 * output), where work items never run again anyway. */
void cxxnp_kobjs_schedule_tx(struct cxxnp_kobjs *k, unsigned int delay_ms)
{
	if (!in_nmi())
		schedule_delayed_work(&k->tx_work, msecs_to_jiffies(delay_ms));
}

void cxxnp_kobjs_schedule_refill(struct cxxnp_kobjs *k)
{
	if (!in_nmi())
		schedule_work(&k->refill_work);
}

void cxxnp_kobjs_cancel_works(struct cxxnp_kobjs *k)
{
	cancel_delayed_work_sync(&k->tx_work);
	cancel_work_sync(&k->refill_work);
}

#if IS_ENABLED(CONFIG_NETFILTER_INGRESS)
/* Runs in __netif_receive_skb_core (softirq, RCU read side) for every frame on the device. */
static unsigned int cxxnp_rx_hookfn(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct cxxnp_kobjs *k = priv;

	switch (cxxnp_rx(k->owner, skb)) {
	case CXXNP_RX_CONSUMED:
		consume_skb(skb);	/* our reference only: taps may hold theirs */
		return NF_STOLEN;
	case CXXNP_RX_DROP:
		return NF_DROP;
	default:
		return NF_ACCEPT;
	}
}

#endif

int cxxnp_kobjs_rx_register(struct cxxnp_kobjs *k, struct net_device *dev)
{
#if IS_ENABLED(CONFIG_NETFILTER_INGRESS)
	int err;

	ASSERT_RTNL();
	k->rx_ops.hook = cxxnp_rx_hookfn;
	k->rx_ops.priv = k;
	k->rx_ops.pf = NFPROTO_NETDEV;
	k->rx_ops.hooknum = NF_NETDEV_INGRESS;
	k->rx_ops.priority = INT_MIN;	/* before any nftables netdev chain */
	k->rx_ops.dev = dev;
	err = nf_register_net_hook(dev_net(dev), &k->rx_ops);
	if (err)
		return err;
	k->rx_net = dev_net(dev);
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

void cxxnp_kobjs_rx_unregister(struct cxxnp_kobjs *k)
{
	ASSERT_RTNL();
	if (!k->rx_net)
		return;
	nf_unregister_net_hook(k->rx_net, &k->rx_ops);
	/* 6.1 only swaps in an accept-all entry and frees the old table by RCU: wait for the
	 * hooks already running (inside rcu_read_lock in nf_ingress) before the state goes. */
	synchronize_net();
	k->rx_net = NULL;
}

static const char *const cxxnp_stat_names[] = {
#define CXXNP_STAT_NAME(name) #name,
	CXX_NETPOLL_TX_COUNTERS(CXXNP_STAT_NAME)
#undef CXXNP_STAT_NAME
};

static int cxxnp_stats_show(struct seq_file *m, void *v)
{
	struct cxxnp_kobjs *k = m->private;
	unsigned long long vals[ARRAY_SIZE(cxxnp_stat_names)];
	unsigned int i;

	cxxnp_stats_fill(k->owner, vals, ARRAY_SIZE(vals));
	for (i = 0; i < ARRAY_SIZE(vals); i++)
		seq_printf(m, "%s %llu\n", cxxnp_stat_names[i], vals[i]);
	seq_printf(m, "queued %u\npool %u\n", skb_queue_len(&k->txq), skb_queue_len(&k->pool));
	if (k->rx_net) {
		unsigned long long rx[CXX_NETPOLL_RX_REASONS];

		cxxnp_rx_stats_fill(k->owner, rx, ARRAY_SIZE(rx));
		for (i = 0; i < ARRAY_SIZE(rx); i++)
			seq_printf(m, "rx_%s %llu\n", cxx_netpoll_rx_reason_name(i), rx[i]);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cxxnp_stats);

void cxxnp_kobjs_debugfs_add(struct cxxnp_kobjs *k, const char *name)
{
	k->debugfs = debugfs_create_file(name, 0444, cxxnp_debugfs_root, k, &cxxnp_stats_fops);
}

void cxxnp_kobjs_debugfs_remove(struct cxxnp_kobjs *k)
{
	debugfs_remove(k->debugfs);
	k->debugfs = NULL;
}

unsigned int cxxnp_txq_len(struct cxxnp_kobjs *k)
{
	return skb_queue_len_lockless(&k->txq);
}

/* In NMI (a panic's) the queue's lock may be held by the context the NMI interrupted, or by
 * a CPU the panic stopped: never released. There it is only tried: a queue that cannot be
 * had counts as stuck (cxxnp_txq_stuck), taking and giving skbs fails. */
int cxxnp_txq_stuck(struct cxxnp_kobjs *k)
{
	return in_nmi() && spin_is_locked(&k->txq.lock);
}

static bool cxxnp_txq_lock(struct cxxnp_kobjs *k, unsigned long *flags)
{
	if (!in_nmi()) {
		spin_lock_irqsave(&k->txq.lock, *flags);
		return true;
	}
	return spin_trylock_irqsave(&k->txq.lock, *flags);
}

int cxxnp_txq_tail(struct cxxnp_kobjs *k, struct sk_buff *skb)
{
	unsigned long flags;

	if (!cxxnp_txq_lock(k, &flags))
		return -EBUSY;
	__skb_queue_tail(&k->txq, skb);
	spin_unlock_irqrestore(&k->txq.lock, flags);
	return 0;
}

int cxxnp_txq_head(struct cxxnp_kobjs *k, struct sk_buff *skb)
{
	unsigned long flags;

	if (!cxxnp_txq_lock(k, &flags))
		return -EBUSY;
	__skb_queue_head(&k->txq, skb);
	spin_unlock_irqrestore(&k->txq.lock, flags);
	return 0;
}

struct sk_buff *cxxnp_txq_dequeue(struct cxxnp_kobjs *k)
{
	struct sk_buff *skb;
	unsigned long flags;

	if (!cxxnp_txq_lock(k, &flags))
		return NULL;
	skb = __skb_dequeue(&k->txq);
	spin_unlock_irqrestore(&k->txq.lock, flags);
	return skb;
}

unsigned int cxxnp_txq_purge(struct cxxnp_kobjs *k)
{
	unsigned int n = skb_queue_len(&k->txq);

	skb_queue_purge(&k->txq);
	return n;
}

unsigned int cxxnp_pool_len(struct cxxnp_kobjs *k)
{
	return skb_queue_len_lockless(&k->pool);
}

struct sk_buff *cxxnp_pool_get(struct cxxnp_kobjs *k, unsigned int size)
{
	struct sk_buff *skb;
	unsigned long flags;

	/* In NMI (a panic's): the interrupted context may hold the pool's lock. */
	if (!in_nmi())
		spin_lock_irqsave(&k->pool.lock, flags);
	else if (!spin_trylock_irqsave(&k->pool.lock, flags))
		return NULL;
	skb = skb_peek(&k->pool);
	/* Pool skbs are sized for the largest frame; a bigger request gets none. */
	if (skb && skb_tailroom(skb) >= size)
		__skb_unlink(skb, &k->pool);
	else
		skb = NULL;
	spin_unlock_irqrestore(&k->pool.lock, flags);
	return skb;
}

int cxxnp_pool_add(struct cxxnp_kobjs *k, unsigned int size)
{
	struct sk_buff *skb = alloc_skb(size, GFP_KERNEL);

	if (!skb)
		return -ENOMEM;
	skb_queue_tail(&k->pool, skb);
	return 0;
}
