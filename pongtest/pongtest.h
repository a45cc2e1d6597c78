/* SPDX-License-Identifier: GPL-2.0 */
/* cxx_pongtest: the C++ entry points (pong.cpp, C linkage) as main.c sees them. Plain C, no
 * kernel includes. */
#ifndef CXX_PONGTEST_H
#define CXX_PONGTEST_H

#include "../include/cxx_netpoll.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The rx hook (cxx_netpoll::rx_hook, softirq): one datagram for us; answer it. */
void pong_answer(struct cxx_netpoll *np, const struct cxx_netpoll_peer *from, const char *data,
		 int len);

struct pong_stats {
	unsigned long long received;	/* datagrams handed to us by the core */
	unsigned long long replied;	/* PONGs handed to the core */
	unsigned long long deferred;	/* of those, queued for the core's work item */
	unsigned long long dropped;	/* of those, dropped by the core (by any reason) */
	unsigned long long malformed;	/* frames to us the validator refused */
};
void pong_get_stats(const struct cxx_netpoll *np, struct pong_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* CXX_PONGTEST_H */
