/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_netpoll: the netpoll core in C++, for C users (netconsole, bonding, pongtest, tests).
 * Mirrors the kernel's netpoll API one to one with a cxx_ prefix. Plain C, no kernel
 * includes, so the C++ side shares the same definition.
 *
 * Contexts:
 *   cxx_netpoll_parse_options, cxx_netpoll_print_options     any process context
 *   cxx_netpoll_setup, cxx_netpoll_cleanup                   process context, takes RTNL
 *   __cxx_netpoll_setup, __cxx_netpoll_cleanup               process context, RTNL held
 *   cxx_netpoll_send_udp, cxx_netpoll_send_skb               any context; IRQs off expected
 *   cxx_netpoll_poll_dev                                     IRQs off
 */
#ifndef CXX_NETPOLL_H
#define CXX_NETPOLL_H

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;
struct sk_buff;
struct cxx_netpoll_state;

#define CXX_NETPOLL_IFNAMSIZ 16

union cxx_netpoll_addr {
	unsigned int all[4];
	unsigned int ip;		/* IPv4, network order */
	unsigned char ip6[16];		/* IPv6, network order */
};

/* Filled by the user (or cxx_netpoll_parse_options) before setup, like struct netpoll. */
struct cxx_netpoll {
	const char *name;				/* log prefix, e.g. "netconsole" */
	char dev_name[CXX_NETPOLL_IFNAMSIZ];
	union cxx_netpoll_addr local_ip, remote_ip;	/* local_ip 0: chosen at setup */
	unsigned char ipv6;
	unsigned short local_port, remote_port;
	unsigned char remote_mac[6];

	/* Per-netpoll options, read at send time; 0 means the module's default. */
	unsigned int txq_limit;		/* deferred skbs before drops (else txq_limit param) */
	/* Never poll the device from the send path (unless an oops is in progress): a busy
	 * device defers instead. For senders nested in hard-IRQ-safe locks (a console's write:
	 * console_owner), where a driver's NAPI tx poll taking its tx lock without trylock
	 * (virtio-net) would close a HARDIRQ-safe -> unsafe lock chain. */
	unsigned char no_poll;

	/* Owned by the core; NULL when not attached. */
	struct net_device *dev;
	struct cxx_netpoll_state *state;
};

/* Drop reasons counted per netpoll (debugfs cxx_netpoll/<name>-<dev>-<id>). */
struct cxx_netpoll_stats {
	unsigned long long sent;		/* handed to the driver */
	unsigned long long deferred;		/* queued for the work item */
	unsigned long long drop_no_skb;
	unsigned long long drop_queue_full;
	unsigned long long drop_dev_down;
	unsigned long long drop_not_attached;
};

int cxx_netpoll_parse_options(struct cxx_netpoll *np, const char *opt);
void cxx_netpoll_print_options(const struct cxx_netpoll *np);

int cxx_netpoll_setup(struct cxx_netpoll *np);
/* For stacked drivers' lower devices. Like the kernel's __netpoll_setup, no RCU grace period
 * here: the caller lets one pass (synchronize_rcu) before the first send or poll, so no NAPI
 * poll that started before npinfo was visible is still running (cxx_netpoll_setup does). */
int __cxx_netpoll_setup(struct cxx_netpoll *np, struct net_device *dev);
void cxx_netpoll_cleanup(struct cxx_netpoll *np);
void __cxx_netpoll_cleanup(struct cxx_netpoll *np);

void cxx_netpoll_send_udp(struct cxx_netpoll *np, const char *msg, int len);
/* Consumes skb (skb->dev must be np->dev). Returns NETDEV_TX_OK (0) or NET_XMIT_DROP (1). */
int cxx_netpoll_send_skb(struct cxx_netpoll *np, struct sk_buff *skb);
void cxx_netpoll_poll_dev(struct net_device *dev);

/* Counters so far (zero if never attached). */
void cxx_netpoll_get_stats(const struct cxx_netpoll *np, struct cxx_netpoll_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* CXX_NETPOLL_H */
