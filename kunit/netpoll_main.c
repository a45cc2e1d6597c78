// SPDX-License-Identifier: GPL-2.0
/* cxx_netpoll_kunit: KUnit suite of the netpoll core, with the kernel's netpoll as oracle. */
#include <linux/module.h>
#include <linux/cpumask.h>
#include <linux/printk.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/etherdevice.h>
#include <linux/if_packet.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/jhash.h>
#include <asm/unaligned.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/net_namespace.h>

#include "ktest.h"
#include "netpoll_oracle.h"

int oracle_parse_options(struct cxx_netpoll *cnp, const char *opt)
{
	struct netpoll *np = kzalloc(sizeof(*np), GFP_KERNEL);
	char *copy = kstrdup(opt, GFP_KERNEL);
	int ret = -ENOMEM;

	if (!np || !copy)
		goto out;
	np->name = "oracle";
	strscpy(np->dev_name, cnp->dev_name, sizeof(np->dev_name));
	memcpy(&np->local_ip, &cnp->local_ip, sizeof(np->local_ip));
	memcpy(&np->remote_ip, &cnp->remote_ip, sizeof(np->remote_ip));
	np->ipv6 = cnp->ipv6;
	np->local_port = cnp->local_port;
	np->remote_port = cnp->remote_port;
	memcpy(np->remote_mac, cnp->remote_mac, ETH_ALEN);

	ret = netpoll_parse_options(np, copy);

	strscpy(cnp->dev_name, np->dev_name, sizeof(cnp->dev_name));
	memcpy(&cnp->local_ip, &np->local_ip, sizeof(cnp->local_ip));
	memcpy(&cnp->remote_ip, &np->remote_ip, sizeof(cnp->remote_ip));
	cnp->ipv6 = np->ipv6;
	cnp->local_port = np->local_port;
	cnp->remote_port = np->remote_port;
	memcpy(cnp->remote_mac, np->remote_mac, ETH_ALEN);
out:
	kfree(copy);
	kfree(np);
	return ret;
}

unsigned short oracle_ip_fast_csum(const unsigned char *iph, unsigned int ihl)
{
	return ntohs((__force __be16)ip_fast_csum(iph, ihl));
}

void oracle_udp_csum(int ipv6, const unsigned char *saddr, const unsigned char *daddr,
		     const unsigned char *udp, unsigned int len, unsigned char out[2])
{
	__sum16 check;

	if (ipv6)
		check = csum_ipv6_magic((const struct in6_addr *)saddr,
					(const struct in6_addr *)daddr, len, IPPROTO_UDP,
					csum_partial(udp, len, 0));
	else
		check = csum_tcpudp_magic(get_unaligned((const __be32 *)saddr),
					  get_unaligned((const __be32 *)daddr), len, IPPROTO_UDP,
					  csum_partial(udp, len, 0));
	if (check == 0)
		check = CSUM_MANGLED_0;
	memcpy(out, &check, 2);
}

struct net_device *oracle_loopback(void)
{
	return init_net.loopback_dev;
}

void oracle_stop_queues(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
}

void oracle_wake_queues(struct net_device *dev)
{
	netif_tx_wake_all_queues(dev);
}

void oracle_detach(struct net_device *dev)
{
	netif_device_detach(dev);
}

void oracle_attach(struct net_device *dev)
{
	netif_device_attach(dev);
}

void oracle_msleep(unsigned int ms)
{
	msleep(ms);
}

struct sk_buff *oracle_rx_skb(const unsigned char *frame, unsigned int len,
			      const struct oracle_rx *how)
{
	unsigned int head = how->linear && how->linear < len ? how->linear : len;
	struct sk_buff *skb = alloc_skb(head + NET_IP_ALIGN, GFP_KERNEL);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put_data(skb, frame, head);
	if (head < len) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		memcpy(page_address(page), frame + head, len - head);
		skb_add_rx_frag(skb, 0, page, 0, len - head, PAGE_SIZE);
	}
	skb->dev = init_net.loopback_dev;	/* Ethernet-framed; only its type is read */
	skb_reset_mac_header(skb);
	skb->protocol = ((const struct ethhdr *)frame)->h_proto;
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	skb->pkt_type = how->pkt_type;
	switch (how->csum) {
	case ORACLE_CSUM_UNNECESSARY:
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		break;
	case ORACLE_CSUM_COMPLETE:
	case ORACLE_CSUM_COMPLETE_WRONG:
		skb->ip_summed = CHECKSUM_COMPLETE;
		skb->csum = how->csum_of ? csum_partial(how->csum_of + ETH_HLEN, len - ETH_HLEN, 0)
					 : skb_checksum(skb, 0, skb->len, 0);
		if (how->csum == ORACLE_CSUM_COMPLETE_WRONG)
			skb->csum = csum_add(skb->csum, (__force __wsum)1);
		break;
	case ORACLE_CSUM_PARTIAL:
		skb->ip_summed = CHECKSUM_PARTIAL;
		break;
	default:
		skb->ip_summed = CHECKSUM_NONE;
	}
	if (how->vlan_present)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), how->vlan);
	if (how->gso) {
		skb_shinfo(skb)->gso_size = 100;
		skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	}
	return skb_get(skb);	/* shared, as when a tap holds it */
}

void oracle_rx_skb_free(struct sk_buff *skb)
{
	kfree_skb(skb);
	kfree_skb(skb);
}

unsigned int oracle_skb_digest(const struct sk_buff *skb)
{
	u32 v[] = {
		skb->len, skb->data_len, skb->ip_summed, (__force u32)skb->csum,
		refcount_read(&skb->users), skb_headroom(skb), skb->network_header,
		skb->mac_header, skb->pkt_type, skb_shinfo(skb)->nr_frags,
		(__force u32)skb_checksum(skb, 0, skb->len, 0),
	};

	return jhash2(v, ARRAY_SIZE(v), 0);
}

int oracle_skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb_is_nonlinear(skb);
}

/* --- a slow LLTX device ------------------------------------------------------------------
 * LLTX, as bonds and VLANs are: no tx lock orders two CPUs' transmits. It records the last
 * payload byte of each one-byte netpoll datagram as its xmit returns (other frames, e.g.
 * IPv6 autoconfiguration, are ignored); armed, it first holds the next one for hold_us. */
static struct {
	spinlock_t lock;
	char order[16];
	unsigned int n;
	unsigned int hold_us;
	int armed;
	int held_cpu;		/* -1 until a datagram was held */
} slow;

static netdev_tx_t slow_xmit(struct sk_buff *skb, struct net_device *dev)
{
	const unsigned int one_byte = ETH_HLEN + sizeof(struct iphdr) + sizeof(struct udphdr) + 1;
	unsigned long flags;
	unsigned int us;

	if (skb->protocol == htons(ETH_P_IP) && skb->len == one_byte) {
		if (cmpxchg(&slow.armed, 1, 0) == 1) {
			WRITE_ONCE(slow.held_cpu, raw_smp_processor_id());
			for (us = 0; us < slow.hold_us; us += 100)
				udelay(100);
		}
		spin_lock_irqsave(&slow.lock, flags);
		if (slow.n < sizeof(slow.order) - 1)
			slow.order[slow.n++] = skb->data[skb->len - 1];
		spin_unlock_irqrestore(&slow.lock, flags);
	}
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops slow_ops = {
	.ndo_start_xmit = slow_xmit,
};

static struct net_device *oracle_dev_create(const char *name,
					    const struct net_device_ops *ops, bool lltx)
{
	struct net_device *dev = alloc_netdev(0, name, NET_NAME_ENUM, ether_setup);
	int err;

	if (!dev)
		return NULL;
	dev->netdev_ops = ops;
	if (lltx)
		dev->features |= NETIF_F_LLTX;
	eth_hw_addr_random(dev);
	rtnl_lock();
	err = register_netdevice(dev);
	if (!err) {
		err = dev_open(dev, NULL);
		if (err)
			unregister_netdevice(dev);
	}
	rtnl_unlock();
	if (!err)
		return dev;
	free_netdev(dev);
	return NULL;
}

struct net_device *oracle_slow_dev_create(unsigned int hold_us)
{
	memset(&slow, 0, sizeof(slow));
	spin_lock_init(&slow.lock);
	slow.hold_us = hold_us;
	slow.held_cpu = -1;
	return oracle_dev_create("cxxkt%d", &slow_ops, true);
}

void oracle_slow_dev_destroy(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

const char *oracle_dev_name(const struct net_device *dev)
{
	return dev->name;
}

void oracle_slow_arm(void)
{
	WRITE_ONCE(slow.armed, 1);
}

int oracle_slow_wait_held(unsigned int timeout_ms)
{
	unsigned int us;

	for (us = 0; us < timeout_ms * 1000 && READ_ONCE(slow.held_cpu) < 0; us += 10)
		udelay(10);
	return READ_ONCE(slow.held_cpu);
}

unsigned int oracle_slow_order(char *out, unsigned int size)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&slow.lock, flags);
	n = min(slow.n, size - 1);
	memcpy(out, slow.order, n);
	out[n] = '\0';
	spin_unlock_irqrestore(&slow.lock, flags);
	return n;
}

int oracle_pin_here(void)
{
	int cpu = get_cpu();

	put_cpu();
	return set_cpus_allowed_ptr(current, cpumask_of(cpu)) ? -1 : cpu;
}

void oracle_unpin(void)
{
	set_cpus_allowed_ptr(current, cpu_possible_mask);
}

int oracle_other_cpu(int cpu)
{
	int other = cpumask_any_but(cpu_online_mask, cpu);

	return other < nr_cpu_ids ? other : -1;
}

int oracle_call_on(int cpu, void (*fn)(void *), void *arg)
{
	return smp_call_function_single(cpu, fn, arg, 1);
}

/*
 * A stacked device of cxx_bonding's kind (registered with cxx_netpoll_register_upper) over a
 * sink device: the upper's ndo_netpoll_setup sets up a lower cxx netpoll on the sink; while
 * netpoll transmits, its xmit hands every skb to that netpoll, as a bond's does to a
 * slave's. The sink counts and frees what it is given (loopback would hand it to netif_rx,
 * which wants BH or hard IRQ context).
 */
static struct {
	struct cxx_netpoll lower;
	struct net_device *lower_dev;
	atomic_t xmits;		/* through netpoll: what the stack sends (IPv6) is not counted */
	atomic_t sunk;
	atomic_t returned;	/* during an oops: what the lower netpoll gave back (held) */
} upper;

static netdev_tx_t upper_xmit(struct sk_buff *skb, struct net_device *dev)
{
	skb->dev = upper.lower_dev;
	if (netpoll_tx_running(dev)) {
		atomic_inc(&upper.xmits);
		if (!oops_in_progress) {
			cxx_netpoll_send_skb(&upper.lower, skb);
			return NETDEV_TX_OK;
		}
		/* as cxx_bonding during an oops (with a single lower device to try) */
		skb = cxx_netpoll_try_send_skb(&upper.lower, skb);
		if (skb) {
			atomic_inc(&upper.returned);
			if (!cxx_netpoll_hold_skb(skb))
				dev_kfree_skb_any(skb);
		}
	} else {
		dev_kfree_skb_any(skb);
	}
	return NETDEV_TX_OK;
}

static netdev_tx_t sink_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (skb->protocol == htons(ETH_P_IP))
		atomic_inc(&upper.sunk);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops sink_ops = {
	.ndo_start_xmit = sink_xmit,
};

static int upper_netpoll_setup(struct net_device *dev, struct netpoll_info *ni)
{
	memset(&upper.lower, 0, sizeof(upper.lower));
	upper.lower.name = "kunit-lower";
	upper.lower.lower = 1;
	return __cxx_netpoll_setup(&upper.lower, upper.lower_dev);
}

static void upper_netpoll_cleanup(struct net_device *dev)
{
	__cxx_netpoll_cleanup(&upper.lower);
}

static void upper_poll_controller(struct net_device *dev)
{
	if (cxx_netpoll_ready(&upper.lower))
		cxx_netpoll_poll_dev(upper.lower_dev);
}

static const struct net_device_ops upper_ops = {
	.ndo_start_xmit = upper_xmit,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_poll_controller = upper_poll_controller,
	.ndo_netpoll_setup = upper_netpoll_setup,
	.ndo_netpoll_cleanup = upper_netpoll_cleanup,
#endif
};

struct net_device *oracle_upper_create(void)
{
	struct net_device *dev;

	if (cxx_netpoll_register_upper(&upper_ops))
		return NULL;
	atomic_set(&upper.xmits, 0);
	atomic_set(&upper.sunk, 0);
	atomic_set(&upper.returned, 0);
	upper.lower_dev = oracle_dev_create("cxxsink%d", &sink_ops, false);
	dev = upper.lower_dev ? oracle_dev_create("cxxup%d", &upper_ops, true) : NULL;
	if (dev)
		return dev;
	if (upper.lower_dev) {
		unregister_netdev(upper.lower_dev);
		free_netdev(upper.lower_dev);
	}
	cxx_netpoll_unregister_upper(&upper_ops);
	return NULL;
}

void oracle_upper_destroy(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
	unregister_netdev(upper.lower_dev);
	free_netdev(upper.lower_dev);
	cxx_netpoll_unregister_upper(&upper_ops);
}

struct net_device *oracle_upper_sink(void)
{
	return upper.lower_dev;
}

int oracle_upper_sunk(void)
{
	return atomic_read(&upper.sunk);
}

struct cxx_netpoll *oracle_upper_lower(void)
{
	return &upper.lower;
}

int oracle_upper_xmits(void)
{
	return atomic_read(&upper.xmits);
}

int oracle_upper_returned(void)
{
	return atomic_read(&upper.returned);
}

/* Distinct ops for the registry of uppers (only their addresses matter). */
static const struct net_device_ops spare_ops[5];

int oracle_register_spare_upper(int i)
{
	return cxx_netpoll_register_upper(&spare_ops[i]);
}

void oracle_unregister_spare_upper(int i)
{
	cxx_netpoll_unregister_upper(&spare_ops[i]);
}

static void spare_rx_hook(struct cxx_netpoll *np, const struct cxx_netpoll_peer *from,
			  const char *data, int len)
{
}

/* __cxx_netpoll_setup as a stacked driver calls it (RTNL held), rx_hook set if asked. */
int oracle_setup_lower(struct cxx_netpoll *np, struct net_device *dev, int with_rx_hook)
{
	int err;

	if (with_rx_hook)
		np->rx_hook = spare_rx_hook;
	rtnl_lock();
	err = __cxx_netpoll_setup(np, dev);
	rtnl_unlock();
	return err;
}

void oracle_cleanup_lower(struct cxx_netpoll *np)
{
	rtnl_lock();
	__cxx_netpoll_cleanup(np);
	rtnl_unlock();
}

/* A driver's free of a transmitted skb (from hard IRQ or NMI it goes to the completion
 * queue when it is the last reference). */
void oracle_skb_driver_free(struct sk_buff *skb)
{
	dev_consume_skb_any(skb);
}

void oracle_skb_free(struct sk_buff *skb)
{
	kfree_skb(skb);
}

static void oracle_skb_destructor(struct sk_buff *skb)
{
}

void oracle_skb_set_destructor(struct sk_buff *skb)
{
	skb->destructor = oracle_skb_destructor;
}

/* skb as __alloc_skb(size) leaves it: empty at its buffer's start, no headers set, one
 * user, its data its own, nothing attached. */
int oracle_skb_fresh(const struct sk_buff *skb, unsigned int size)
{
	return skb->len == 0 && skb->data_len == 0 && skb->data == skb->head &&
	       skb_tail_pointer(skb) == skb->data && skb_tailroom(skb) >= size &&
	       !skb_mac_header_was_set(skb) && !skb_transport_header_was_set(skb) &&
	       refcount_read(&skb->users) == 1 && !skb->cloned &&
	       atomic_read(&skb_shinfo(skb)->dataref) == 1 && !skb_shinfo(skb)->nr_frags &&
	       !skb->dev && !skb->protocol && !skb->destructor;
}

/* What die() does to the rest of the kernel's view: an oops is in progress. */
void oracle_oops_in_progress(int on)
{
	if (on)
		oops_in_progress++;
	else
		oops_in_progress--;
}

#define CXX_NETPOLL_CASES(X)           \
	X(options_match_kernel)        \
	X(options_defaults_kept)       \
	X(options_invalid)             \
	X(ipv4_header_checksum)        \
	X(udp_checksum_matches_kernel) \
	X(frame_layout)                \
	X(queue_bound_and_counters)    \
	X(deferred_drop_counted_once)  \
	X(oops_flush_keeps_order)      \
	X(nmi_skb_reuse)               \
	X(upper_nested_sends)          \
	X(upper_api_bad_input)         \
	X(rx_valid_requests)           \
	X(rx_checksum_states)          \
	X(rx_malformed_ipv4)           \
	X(rx_malformed_ipv6)

CXX_KTEST_SUITE(cxx_netpoll, CXX_NETPOLL_CASES);

MODULE_DESCRIPTION("KUnit tests of cxx_netpoll");
MODULE_LICENSE("GPL");
