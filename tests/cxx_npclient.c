// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_npclient: drives cxx_netpoll from VM scenarios. Sets up one netpoll per target given
 * as netpoll option strings (separated by ';'), then sends on command:
 *
 *   echo "N MODE [MASK]" > /sys/kernel/debug/cxx_npclient/send
 *
 * MODE: process (IRQs on), irqsoff (local_irq_save), hardirq (irq_work), or busy:MS (another
 * CPU holds the device's tx locks for MS milliseconds while a bound kthread sends with IRQs
 * off; the write fails with ETIMEDOUT if the batch was not all sent while they were held). MASK (hex) picks targets, default all. Payload: "npclient t=<target> seq=<n>
 * mode=<mode>". Counters: .../stats.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/uaccess.h>

#include <linux/netpoll.h>

#include "../include/cxx_netpoll.h"

#define MAX_TARGETS 8

static char *targets;
module_param(targets, charp, 0444);
MODULE_PARM_DESC(targets, "netpoll option strings separated by ';'");

static bool kernel_netpoll;
module_param(kernel_netpoll, bool, 0444);
MODULE_PARM_DESC(kernel_netpoll, "send through the kernel's own netpoll (the oracle)");

static struct cxx_netpoll nps[MAX_TARGETS];
static struct netpoll knps[MAX_TARGETS];
static unsigned int nr_targets;
static unsigned long long seq;
static struct dentry *dir;
static DEFINE_MUTEX(send_lock);

static unsigned int target_mask = ~0u;

static void send_batch(unsigned int count, const char *mode)
{
	char buf[96];
	unsigned int i, t;

	for (i = 0; i < count; i++) {
		for (t = 0; t < nr_targets; t++) {
			unsigned long flags;
			int len;

			if (!(target_mask & (1u << t)))
				continue;
			len = scnprintf(buf, sizeof(buf), "npclient t=%u seq=%llu mode=%s\n", t, seq,
					mode);
			if (kernel_netpoll) {
				/* the kernel's netpoll wants IRQs off, as netconsole calls it */
				local_irq_save(flags);
				netpoll_send_udp(&knps[t], buf, len);
				local_irq_restore(flags);
			} else {
				cxx_netpoll_send_udp(&nps[t], buf, len);
			}
		}
		seq++;
	}
}

/* hardirq */
static struct {
	struct irq_work work;
	struct completion done;
	unsigned int count;
} hard;

static void hard_fn(struct irq_work *w)
{
	WARN_ON_ONCE(!in_hardirq());
	send_batch(hard.count, "hardirq");
	complete(&hard.done);
}

/* busy: one CPU holds the tx locks, another sends */
struct busy_ctx {
	struct net_device *dev;
	unsigned int ms, count;
	bool overlapped;
	struct completion held, sent, released;
};

static int busy_holder(void *arg)
{
	struct busy_ctx *b = arg;

	netif_tx_lock_bh(b->dev);
	complete(&b->held);
	mdelay(b->ms);
	netif_tx_unlock_bh(b->dev);
	complete(&b->released);
	return 0;
}

static int busy_sender(void *arg)
{
	struct busy_ctx *b = arg;
	unsigned long flags;

	wait_for_completion(&b->held);
	local_irq_save(flags);
	send_batch(b->count, "busy");
	local_irq_restore(flags);
	/* The whole batch went out while the locks were held, or the run proves nothing. */
	b->overlapped = !completion_done(&b->released);
	complete(&b->sent);
	return 0;
}

static int run_busy(unsigned int count, unsigned int ms)
{
	struct busy_ctx b = {
		.dev = kernel_netpoll ? knps[0].dev : nps[0].dev, .ms = ms, .count = count,
	};
	struct task_struct *holder, *sender;

	if (!b.dev || num_online_cpus() < 2)
		return -EINVAL;
	init_completion(&b.held);
	init_completion(&b.sent);
	init_completion(&b.released);
	holder = kthread_create(busy_holder, &b, "npclient-hold");
	sender = kthread_create(busy_sender, &b, "npclient-send");
	if (IS_ERR(holder) || IS_ERR(sender)) {
		if (!IS_ERR(holder))
			kthread_stop(holder);
		if (!IS_ERR(sender))
			kthread_stop(sender);
		return -ENOMEM;
	}
	kthread_bind(holder, 1);
	kthread_bind(sender, 0);
	wake_up_process(holder);
	wake_up_process(sender);
	wait_for_completion(&b.sent);
	wait_for_completion(&b.released);
	if (!b.overlapped)
		pr_err("busy: the locks were released before the batch was sent\n");
	return b.overlapped ? 0 : -ETIMEDOUT;
}

static ssize_t send_write(struct file *f, const char __user *ubuf, size_t len, loff_t *pos)
{
	char buf[48], mode[24];
	unsigned int count, ms, mask;
	unsigned long flags;
	int err = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	mask = ~0u;
	if (sscanf(buf, "%u %23s %x", &count, mode, &mask) < 2 || !count || count > 1000000)
		return -EINVAL;

	mutex_lock(&send_lock);
	target_mask = mask;
	if (!strcmp(mode, "process")) {
		send_batch(count, "process");
	} else if (!strcmp(mode, "irqsoff")) {
		local_irq_save(flags);
		send_batch(count, "irqsoff");
		local_irq_restore(flags);
	} else if (!strcmp(mode, "hardirq")) {
		hard.count = count;
		reinit_completion(&hard.done);
		irq_work_queue(&hard.work);
		wait_for_completion(&hard.done);
	} else if (sscanf(mode, "busy:%u", &ms) == 1 && ms <= 10000) {
		err = run_busy(count, ms);
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&send_lock);
	return err ? err : len;
}

static const struct file_operations send_fops = {
	.owner = THIS_MODULE,
	.write = send_write,
};

static int stats_show(struct seq_file *m, void *v)
{
	struct cxx_netpoll_stats s;
	unsigned int t;

	for (t = 0; t < nr_targets && !kernel_netpoll; t++) {
		cxx_netpoll_get_stats(&nps[t], &s);
		seq_printf(m, "target %u dev %s", t, nps[t].dev_name);
#define NPCLIENT_STAT(name) seq_printf(m, " " #name " %llu", s.name);
		CXX_NETPOLL_TX_COUNTERS(NPCLIENT_STAT)
#undef NPCLIENT_STAT
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static void cleanup_targets(void)
{
	while (nr_targets) {
		nr_targets--;
		if (kernel_netpoll)
			netpoll_cleanup(&knps[nr_targets]);
		else
			cxx_netpoll_cleanup(&nps[nr_targets]);
	}
}

/* The same target through the kernel's netpoll, with netconsole's defaults. */
static int setup_kernel_target(struct netpoll *np, char *opt)
{
	np->name = "npclient";
	strscpy(np->dev_name, "eth0", sizeof(np->dev_name));
	np->local_port = 6665;
	np->remote_port = 6666;
	eth_broadcast_addr(np->remote_mac);
	if (netpoll_parse_options(np, opt))
		return -EINVAL;
	return netpoll_setup(np);
}

static int __init npclient_init(void)
{
	char *opts, *cur, *opt;
	int err = 0;

	init_irq_work(&hard.work, hard_fn);
	init_completion(&hard.done);
	if (targets) {
		opts = kstrdup(targets, GFP_KERNEL);
		if (!opts)
			return -ENOMEM;
		cur = opts;
		while ((opt = strsep(&cur, ";")) && !err) {
			struct cxx_netpoll *np = &nps[nr_targets];

			if (!*opt)
				continue;
			if (nr_targets == MAX_TARGETS) {
				err = -E2BIG;
				break;
			}
			if (kernel_netpoll) {
				err = setup_kernel_target(&knps[nr_targets], opt);
				if (err) {
					pr_err("target '%s': error %d\n", opt, err);
					break;
				}
				nr_targets++;
				continue;
			}
			/* netconsole's defaults */
			np->name = "npclient";
			strscpy(np->dev_name, "eth0", sizeof(np->dev_name));
			np->local_port = 6665;
			np->remote_port = 6666;
			eth_broadcast_addr(np->remote_mac);
			err = cxx_netpoll_parse_options(np, opt);
			if (!err)
				err = cxx_netpoll_setup(np);
			if (err) {
				pr_err("target '%s': error %d\n", opt, err);
				break;
			}
			nr_targets++;
		}
		kfree(opts);
		if (err) {
			cleanup_targets();
			return err;
		}
	}
	dir = debugfs_create_dir("cxx_npclient", NULL);
	debugfs_create_file("send", 0200, dir, NULL, &send_fops);
	debugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
	pr_info("%u target(s) set up\n", nr_targets);
	return 0;
}

static void __exit npclient_exit(void)
{
	debugfs_remove_recursive(dir);
	irq_work_sync(&hard.work);
	cleanup_targets();
}

module_init(npclient_init);
module_exit(npclient_exit);
MODULE_DESCRIPTION("test client of cxx_netpoll");
MODULE_LICENSE("GPL");
