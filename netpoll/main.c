// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_netpoll: the netpoll core in C++. This file holds what must be C: parameters, the
 * exported API (thin wrappers over netpoll.h: 6.1's check-local-export wants every exported
 * symbol defined in the object that exports it), the netdev notifier and module init/exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/debugfs.h>
#include <linux/panic_notifier.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>

#include "netpoll.h"
#include "shim.h"

static unsigned int carrier_timeout = 4;
module_param(carrier_timeout, uint, 0644);
MODULE_PARM_DESC(carrier_timeout, "seconds to wait for carrier after bringing a device up");

static unsigned int pool_size = 32;
module_param(pool_size, uint, 0444);
MODULE_PARM_DESC(pool_size, "preallocated skbs per netpoll");

static unsigned int txq_limit = 1024;
module_param(txq_limit, uint, 0644);
MODULE_PARM_DESC(txq_limit, "deferred skbs per netpoll before drops (counted)");

unsigned int cxxnp_param_carrier_timeout(void) { return READ_ONCE(carrier_timeout); }
unsigned int cxxnp_param_pool_size(void) { return pool_size; }
unsigned int cxxnp_param_txq_limit(void) { return READ_ONCE(txq_limit); }

extern struct dentry *cxxnp_debugfs_root;

int cxx_netpoll_parse_options(struct cxx_netpoll *np, const char *opt)
{
	return cxxnp_parse_options(np, opt);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_parse_options);

int cxx_netpoll_parse_addr(const char *s, unsigned int len, union cxx_netpoll_addr *addr)
{
	return cxxnp_parse_addr(s, len, addr);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_parse_addr);

void cxx_netpoll_print_options(const struct cxx_netpoll *np)
{
	cxxnp_print_options(np);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_print_options);

int cxx_netpoll_setup(struct cxx_netpoll *np)
{
	return cxxnp_setup(np);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_setup);

int __cxx_netpoll_setup(struct cxx_netpoll *np, struct net_device *dev)
{
	ASSERT_RTNL();
	return cxxnp_setup_dev(np, dev);
}
EXPORT_SYMBOL_GPL(__cxx_netpoll_setup);

void cxx_netpoll_cleanup(struct cxx_netpoll *np)
{
	cxxnp_cleanup(np);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_cleanup);

void __cxx_netpoll_cleanup(struct cxx_netpoll *np)
{
	ASSERT_RTNL();
	cxxnp_cleanup_dev(np);
}
EXPORT_SYMBOL_GPL(__cxx_netpoll_cleanup);

void cxx_netpoll_send_udp(struct cxx_netpoll *np, const char *msg, int len)
{
	cxxnp_send_udp(np, msg, len);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_send_udp);

void cxx_netpoll_send_udp_to(struct cxx_netpoll *np, const struct cxx_netpoll_peer *to,
			     const char *msg, int len)
{
	cxxnp_send_udp_to(np, to, msg, len);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_send_udp_to);

int cxx_netpoll_send_skb(struct cxx_netpoll *np, struct sk_buff *skb)
{
	return cxxnp_send_skb(np, skb);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_send_skb);

int cxx_netpoll_send_skb_copy(struct cxx_netpoll *np, struct sk_buff *skb)
{
	return cxxnp_send_skb_copy(np, skb);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_send_skb_copy);

struct sk_buff *cxx_netpoll_try_send_skb(struct cxx_netpoll *np, struct sk_buff *skb)
{
	return cxxnp_try_send_skb(np, skb);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_try_send_skb);

int cxx_netpoll_hold_skb(struct sk_buff *skb)
{
	return cxxnp_hold_skb(skb);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_hold_skb);

void cxx_netpoll_poll_dev(struct net_device *dev)
{
	cxxnp_poll_dev(dev);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_poll_dev);

int cxx_netpoll_ready(const struct cxx_netpoll *np)
{
	return cxxnp_ready(np);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_ready);

/* Set by the panic notifier: panic() runs its notifiers after stopping the other CPUs. */
static bool cxxnp_panicked;

int cxxnp_in_panic(void)
{
	return READ_ONCE(cxxnp_panicked);
}

int cxx_netpoll_in_panic(void)
{
	return cxxnp_in_panic();
}
EXPORT_SYMBOL_GPL(cxx_netpoll_in_panic);

static int cxxnp_panic_event(struct notifier_block *nb, unsigned long event, void *buf)
{
	WRITE_ONCE(cxxnp_panicked, true);
	return NOTIFY_DONE;
}

static struct notifier_block cxxnp_panic_notifier = {
	.notifier_call = cxxnp_panic_event,
	.priority = INT_MAX,	/* before any notifier that might print */
};

/* The registered uppers' ops (see cxx_netpoll_register_upper): read on every send. */
static const struct net_device_ops *cxxnp_uppers[4];

int cxx_netpoll_register_upper(const struct net_device_ops *ops)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cxxnp_uppers); i++)
		if (!cmpxchg(&cxxnp_uppers[i], NULL, ops))
			return 0;
	return -ENOSPC;
}
EXPORT_SYMBOL_GPL(cxx_netpoll_register_upper);

void cxx_netpoll_unregister_upper(const struct net_device_ops *ops)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cxxnp_uppers); i++)
		cmpxchg(&cxxnp_uppers[i], ops, NULL);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_unregister_upper);

int cxxnp_dev_is_cxx_upper(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cxxnp_uppers); i++)
		if (READ_ONCE(cxxnp_uppers[i]) == dev->netdev_ops)
			return 1;
	return 0;
}

void cxx_netpoll_get_stats(const struct cxx_netpoll *np, struct cxx_netpoll_stats *stats)
{
	cxxnp_get_stats(np, stats);
}
EXPORT_SYMBOL_GPL(cxx_netpoll_get_stats);

static const char *const cxxnp_rx_reason_names[CXX_NETPOLL_RX_REASONS] = {
#define CXXNP_RX_NAME(upper, lower) [CXX_NETPOLL_RX_##upper] = #lower,
	CXX_NETPOLL_RX_REASON_LIST(CXXNP_RX_NAME)
#undef CXXNP_RX_NAME
};

const char *cxx_netpoll_rx_reason_name(unsigned int reason)
{
	return reason < CXX_NETPOLL_RX_REASONS ? cxxnp_rx_reason_names[reason] : "?";
}
EXPORT_SYMBOL_GPL(cxx_netpoll_rx_reason_name);

/* A device going away (also on netns moves) must not keep our references. */
static int cxxnp_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	if (event == NETDEV_UNREGISTER)
		cxxnp_netdev_unregister(netdev_notifier_info_to_dev(ptr));
	return NOTIFY_DONE;
}

static struct notifier_block cxxnp_netdev_notifier = {
	.notifier_call = cxxnp_netdev_event,
};

static int __init cxxnp_init(void)
{
	int err;

	cxxnp_debugfs_root = debugfs_create_dir("cxx_netpoll", NULL);
	err = register_netdevice_notifier(&cxxnp_netdev_notifier);
	if (err) {
		debugfs_remove_recursive(cxxnp_debugfs_root);
		return err;
	}
	atomic_notifier_chain_register(&panic_notifier_list, &cxxnp_panic_notifier);
	return 0;
}

static void __exit cxxnp_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &cxxnp_panic_notifier);
	unregister_netdevice_notifier(&cxxnp_netdev_notifier);
	rtnl_lock();
	/* Users hold a module reference while set up; anything left is a user's bug. */
	WARN(cxxnp_attached_count(), "netpolls still set up at unload\n");
	rtnl_unlock();
	rcu_barrier();
	cxxnp_skb_nmi_spare_free();
	debugfs_remove_recursive(cxxnp_debugfs_root);
}

module_init(cxxnp_init);
module_exit(cxxnp_exit);
MODULE_DESCRIPTION("netpoll core in C++ (send_udp, send_skb, poll_dev) for stacked drivers");
MODULE_LICENSE("GPL");
