// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_pongtest: the rx path's test. Sets up a cxx_netpoll with an rx hook on a device and
 * answers every UDP datagram to its port with "PONG" (pong.cpp), from the receive path with
 * IRQs off. Counters: /sys/kernel/debug/cxx_pongtest/stats.
 *
 *   insmod cxx_pongtest.ko dev=eth0 port=6666 [ipv6=1] [local_ip=ADDR]
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/inet.h>

#include "pongtest.h"

static char *dev = "eth0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "network device to answer on (default eth0)");

static ushort port = 6666;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "local UDP port (default 6666)");

static bool ipv6;
module_param(ipv6, bool, 0444);
MODULE_PARM_DESC(ipv6, "answer IPv6 instead of IPv4");

static char *local_ip;
module_param(local_ip, charp, 0444);
MODULE_PARM_DESC(local_ip, "local address (default: the device's first of the family)");

static struct cxx_netpoll np;
static struct dentry *dir;

static int stats_show(struct seq_file *m, void *v)
{
	struct cxx_netpoll_stats core;
	struct pong_stats s;
	unsigned int i;

	pong_get_stats(&np, &s);
	seq_printf(m, "received %llu\nreplied %llu\ndeferred %llu\ndropped %llu\nmalformed %llu\n",
		   s.received, s.replied, s.deferred, s.dropped, s.malformed);
	cxx_netpoll_get_stats(&np, &core);
	seq_printf(m, "sent %llu\n", core.sent);
	for (i = 0; i < CXX_NETPOLL_RX_REASONS; i++)
		seq_printf(m, "rx_%s %llu\n", cxx_netpoll_rx_reason_name(i), core.rx[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int parse_local_ip(void)
{
	if (!local_ip || !*local_ip)
		return 0;
	if (cxx_netpoll_parse_addr(local_ip, strlen(local_ip), &np.local_ip) == !!ipv6)
		return 0;
	pr_err("local_ip %s is not an IPv%d address\n", local_ip, ipv6 ? 6 : 4);
	return -EINVAL;
}

static int __init pong_init(void)
{
	int err;

	if (!port) {
		pr_err("port must not be 0\n");
		return -EINVAL;
	}
	if (strscpy(np.dev_name, dev, sizeof(np.dev_name)) < 0) {
		pr_err("device name %s too long\n", dev);
		return -EINVAL;
	}
	np.name = KBUILD_MODNAME;
	np.ipv6 = ipv6;
	np.local_port = port;
	np.rx_hook = pong_answer;	/* the core calls the C++ responder directly */
	err = parse_local_ip();
	if (err)
		return err;
	err = cxx_netpoll_setup(&np);
	if (err)
		return err;
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
	pr_info("answering UDP port %u on %s\n", port, np.dev_name);
	return 0;
}

static void __exit pong_exit(void)
{
	debugfs_remove_recursive(dir);
	cxx_netpoll_cleanup(&np);
}

module_init(pong_init);
module_exit(pong_exit);
MODULE_DESCRIPTION("answers every UDP datagram to a port with PONG, through cxx_netpoll's rx hook");
MODULE_LICENSE("GPL");
