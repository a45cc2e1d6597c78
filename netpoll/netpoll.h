/* SPDX-License-Identifier: GPL-2.0 */
/* cxx_netpoll: the C++ entry points (C linkage), called by main.c (exports, notifier, module
 * exit). Plain C, no kernel includes. */
#ifndef CXXNP_NETPOLL_H
#define CXXNP_NETPOLL_H

#include "../include/cxx_netpoll.h"

#ifdef __cplusplus
extern "C" {
#endif

int cxxnp_parse_options(struct cxx_netpoll *np, const char *opt);
int cxxnp_parse_addr(const char *s, unsigned int len, union cxx_netpoll_addr *addr);
void cxxnp_print_options(const struct cxx_netpoll *np);
int cxxnp_setup(struct cxx_netpoll *np);
int cxxnp_setup_dev(struct cxx_netpoll *np, struct net_device *dev);
void cxxnp_cleanup(struct cxx_netpoll *np);
void cxxnp_cleanup_dev(struct cxx_netpoll *np);
void cxxnp_send_udp(struct cxx_netpoll *np, const char *msg, int len);
void cxxnp_send_udp_to(struct cxx_netpoll *np, const struct cxx_netpoll_peer *to,
		       const char *msg, int len);
int cxxnp_send_skb(struct cxx_netpoll *np, struct sk_buff *skb);
void cxxnp_poll_dev(struct net_device *dev);
int cxxnp_send_skb_copy(struct cxx_netpoll *np, struct sk_buff *skb);
struct sk_buff *cxxnp_try_send_skb(struct cxx_netpoll *np, struct sk_buff *skb);
int cxxnp_hold_skb(struct sk_buff *skb);
int cxxnp_in_panic(void);		/* main.c */
int cxxnp_ready(const struct cxx_netpoll *np);
void cxxnp_get_stats(const struct cxx_netpoll *np, struct cxx_netpoll_stats *stats);
void cxxnp_netdev_unregister(struct net_device *dev);	/* RTNL held */
int cxxnp_attached_count(void);				/* RTNL held */

/* Module parameters (main.c). */
unsigned int cxxnp_param_carrier_timeout(void);
unsigned int cxxnp_param_pool_size(void);
unsigned int cxxnp_param_txq_limit(void);

#ifdef __cplusplus
}
#endif

#endif /* CXXNP_NETPOLL_H */
