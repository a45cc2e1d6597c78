// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_netconsole: netconsole on the C++ netpoll core. This file holds what must be C: the
 * netconsole= and oops_only parameters, the two consoles, the netdev notifier, debugfs and
 * module init/exit. Targets and the write path are C++ (target.cpp), configfs is configfs.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/console.h>
#include <linux/debugfs.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../include/shim/support.h"
#include "main.h"
#include "shim.h"

#define MAX_PARAM_LENGTH	256
#define MAX_PARAM_TARGETS	32

static char config[MAX_PARAM_LENGTH];
module_param_string(netconsole, config, MAX_PARAM_LENGTH, 0);
MODULE_PARM_DESC(netconsole,
		 " netconsole=[+][src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>/[tgt-macaddr][;...]");

static bool oops_only;
module_param(oops_only, bool, 0600);
MODULE_PARM_DESC(oops_only, "Only log oops messages");

static unsigned int txq_limit = 4096;
module_param(txq_limit, uint, 0644);
MODULE_PARM_DESC(txq_limit, "deferred datagrams per target before drops (counted); read at enable");

unsigned int cxxnc_param_txq_limit(void)
{
	return READ_ONCE(txq_limit) ?: 1;
}

static unsigned int resend_ms = 1000;
module_param(resend_ms, uint, 0644);
MODULE_PARM_DESC(resend_ms, "a new target's resend window after a bond failover, ms (0: off)");

static unsigned int resend_kib = 256;
module_param(resend_kib, uint, 0644);
MODULE_PARM_DESC(resend_kib, "memory of a target's resend window, KiB; read at enable");

unsigned int cxxnc_param_resend_ms(void)
{
	return min(READ_ONCE(resend_ms), 60000U);
}

unsigned int cxxnc_param_resend_kib(void)
{
	return clamp(READ_ONCE(resend_kib), 4U, 16384U);
}

unsigned long cxxnc_jiffies(void)
{
	return jiffies;
}

unsigned long cxxnc_msecs_to_jiffies(unsigned int ms)
{
	return msecs_to_jiffies(ms);
}

/* The bond's change (failover, a slave's link down) is made under RTNL, events and all:
 * taking RTNL once here waits for it to be complete, so the window goes out through the
 * slaves the bond uses now. */
static void resend_work_fn(struct work_struct *work)
{
	rtnl_lock();
	rtnl_unlock();
	mutex_lock(&cxxnc_config_mutex);
	cxxnc_resend_armed();
	mutex_unlock(&cxxnc_config_mutex);
}

static DECLARE_WORK(resend_work, resend_work_fn);

void cxxnc_schedule_resend(void)
{
	schedule_work(&resend_work);
}

CXX_DEFINE_LOCK_CLASS(cxxnc_targets_lock_class);
DEFINE_MUTEX(cxxnc_config_mutex);

/* Targets from the parameter: not in configfs, they live until unload. */
static struct cxxnc_target *param_targets[MAX_PARAM_TARGETS];
static unsigned int nr_param_targets;
static struct dentry *debugfs_dir;

/* --- consoles -------------------------------------------------------------------------------- */

/* Any context: console lock held, IRQs off or in hard IRQ (sysrq), oops, panic. */
static void write_msg(struct console *con, const char *msg, unsigned int len)
{
	if (oops_only && !oops_in_progress)
		return;
	cxxnc_write(msg, len, 0);
}

static void write_ext_msg(struct console *con, const char *msg, unsigned int len)
{
	if (oops_only && !oops_in_progress)
		return;
	cxxnc_write(msg, len, 1);
}

/* Own names, so in-tree netconsole ("netcon", "netcon_ext") can run beside us. */
static struct console cxxnc_ext_console = {
	.name	= "cxxnetcon_ext",
	.flags	= CON_EXTENDED,	/* starts disabled, registered on first use */
	.write	= write_ext_msg,
};

static struct console cxxnc_console = {
	.name	= "cxxnetcon",
	.flags	= CON_ENABLED,
	.write	= write_msg,
};

void cxxnc_ext_console_enable(void)
{
	lockdep_assert_held(&cxxnc_config_mutex);
	if (cxxnc_ext_console.flags & CON_ENABLED)
		return;
	cxxnc_ext_console.flags |= CON_ENABLED;
	register_console(&cxxnc_ext_console);
}

/* --- counters -------------------------------------------------------------------------------- */

int cxxnc_format_stats(char *buf, size_t size, struct cxxnc_target *t, char sep)
{
	struct cxx_netpoll *np = cxxnc_target_np(t);
	struct cxxnc_stats st;
	int enabled, pos;

	lockdep_assert_held(&cxxnc_config_mutex);
	rtnl_lock();
	cxxnc_target_stats(t, &st);
	enabled = cxxnc_target_enabled(t);
	rtnl_unlock();
	pos = scnprintf(buf, size,
			"target %s%cdev %s%cenabled %d%cextended %d%c"
			"messages %llu%cfragments %llu%cbytes %llu%c"
			"drop_dev_down %llu%cdrop_format %llu%c"
			"resend_ms %u%cresent %llu%cresend_evicted %llu",
			cxxnc_target_name(t), sep, np->dev_name, sep, enabled, sep,
			cxxnc_target_extended(t), sep,
			st.messages, sep, st.fragments, sep, st.bytes, sep,
			st.drop_dev_down, sep, st.drop_format, sep,
			cxxnc_target_resend_ms(t), sep, st.resent, sep, st.resend_evicted);
	/* the core's counters, as np_<name> */
#define CXXNC_NP_STAT(name) \
	pos += scnprintf(buf + pos, size - pos, "%cnp_" #name " %llu", sep, st.np.name);
	CXX_NETPOLL_TX_COUNTERS(CXXNC_NP_STAT)
#undef CXXNC_NP_STAT
	return pos + scnprintf(buf + pos, size - pos, "\n");
}

static void show_target(struct cxxnc_target *t, void *arg)
{
	struct seq_file *m = arg;
	char buf[512];

	cxxnc_format_stats(buf, sizeof(buf), t, ' ');
	seq_puts(m, buf);
}

/* debugfs cxx_netconsole/stats: one line per target, parameter and configfs ones alike. */
static int stats_show(struct seq_file *m, void *unused)
{
	mutex_lock(&cxxnc_config_mutex);
	cxxnc_for_each_target(show_target, m);
	mutex_unlock(&cxxnc_config_mutex);
	seq_printf(m, "drop_locked %llu\n", cxxnc_drop_locked());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/*
 * debugfs cxx_netconsole/write_ext (root, a test aid): one write() is handed to the extended
 * consoles' write path as one record, with IRQs off as printk calls it. printk caps a record's
 * text at 992 bytes, so this is how records of several KiB (ncfrag) are exercised end to end.
 */
static ssize_t write_ext_write(struct file *file, const char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	unsigned long flags;
	char *buf;

	if (count > CONSOLE_EXT_LOG_MAX)
		return -E2BIG;
	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* Holding the console lock as printk does when it calls consoles: a printk underneath
	 * (a driver's warning) only stores its record, printed at console_unlock() once our
	 * lock is dropped, instead of coming back into this console while it is held.
	 * (printk_deferred_enter() is not exported to modules in 6.1.) */
	console_lock();
	local_irq_save(flags);
	cxxnc_write(buf, count, 1);
	local_irq_restore(flags);
	console_unlock();
	kfree(buf);
	return count;
}

static const struct file_operations write_ext_fops = {
	.owner	= THIS_MODULE,
	.write	= write_ext_write,
	.llseek	= noop_llseek,
};

/* --- netdev events --------------------------------------------------------------------------- */

/*
 * A LAG slave's carrier losses as last seen (its carrier_down_count, counted when the driver
 * drops the carrier). Linkwatch reports a carrier change later, from a work item: a flap
 * shorter than that delay (a loaded machine, a 40 ms cut) comes as one NETDEV_CHANGE with the
 * carrier already back, and only the count tells that it went. RTNL (netdev notifiers).
 */
#define CXXNC_LAG_SLAVES 32
static struct {
	int ifindex;
	unsigned int down_count;
} cxxnc_lag_seen[CXXNC_LAG_SLAVES];
static unsigned int cxxnc_lag_next;

/* Stores the slave's count; returns true if it lost its carrier since the last look. */
static bool cxxnc_lag_carrier_lost(struct net_device *dev)
{
	unsigned int down = atomic_read(&dev->carrier_down_count);
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < CXXNC_LAG_SLAVES; i++) {
		if (cxxnc_lag_seen[i].ifindex == dev->ifindex) {
			bool lost = cxxnc_lag_seen[i].down_count != down;

			cxxnc_lag_seen[i].down_count = down;
			return lost;
		}
	}
	/* First look (at NETDEV_JOIN, as it is enslaved): the oldest entry makes room. */
	i = cxxnc_lag_next++ % CXXNC_LAG_SLAVES;
	cxxnc_lag_seen[i].ifindex = dev->ifindex;
	cxxnc_lag_seen[i].down_count = down;
	return false;
}

static int cxxnc_netdev_event_cb(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_CHANGENAME:
		cxxnc_netdev_event(dev, CXXNC_EV_CHANGENAME);
		break;
	case NETDEV_UNREGISTER:
		cxxnc_netdev_event(dev, CXXNC_EV_UNREGISTER);
		break;
	case NETDEV_JOIN:
		cxxnc_lag_carrier_lost(dev);	/* the count it joins with */
		cxxnc_netdev_event(dev, CXXNC_EV_JOIN);
		break;
	case NETDEV_RELEASE:
		cxxnc_netdev_event(dev, CXXNC_EV_RELEASE);
		break;
	case NETDEV_BONDING_FAILOVER:
		cxxnc_netdev_event(dev, CXXNC_EV_FAILOVER);
		break;
	case NETDEV_CHANGE: {
		struct net_device *upper = netdev_master_upper_dev_get(dev);

		/* A LAG slave's carrier: a flap shorter than miimon's interval is never seen by
		 * the bond, but what went into the link while it was down is gone all the same.
		 * Back already, but it went since the last look: it was off until now. */
		if (upper && netif_is_lag_master(upper)) {
			bool lost = cxxnc_lag_carrier_lost(dev);

			if (!netif_carrier_ok(dev)) {
				cxxnc_netdev_event(upper, CXXNC_EV_LOWER_CARRIER_OFF);
			} else {
				if (lost)
					cxxnc_netdev_event(upper, CXXNC_EV_LOWER_CARRIER_OFF);
				cxxnc_netdev_event(upper, CXXNC_EV_LOWER_CARRIER_ON);
			}
		}
		break;
	}
	case NETDEV_CHANGELOWERSTATE: {
		struct netdev_notifier_changelowerstate_info *info = ptr;
		struct netdev_lag_lower_state_info *st = info->lower_state_info;
		struct net_device *upper = netdev_master_upper_dev_get(dev);

		/* A LAG slave that was sending lost its link: what went into it since the link
		 * died is gone (the emulated and many real NICs complete and drop it). */
		if (upper && netif_is_lag_master(upper) && st && !st->link_up && st->tx_enabled)
			cxxnc_netdev_event(upper, CXXNC_EV_LOWER_DOWN);
		break;
	}
	}
	return NOTIFY_DONE;
}

/* Ahead of cxx_netpoll's own notifier (priority 0), which lets the device go on unregister:
 * the target stops while the core still holds the device. */
static struct notifier_block cxxnc_netdev_notifier = {
	.notifier_call	= cxxnc_netdev_event_cb,
	.priority	= 1,
};

/* --- init / exit ----------------------------------------------------------------------------- */

static void free_param_targets(void)
{
	mutex_lock(&cxxnc_config_mutex);
	while (nr_param_targets) {
		struct cxxnc_target *t = param_targets[--nr_param_targets];

		cxxnc_target_list_del(t);
		cxxnc_target_disable(t);
		cxxnc_target_free(t);
	}
	mutex_unlock(&cxxnc_config_mutex);
}

static int add_param_target(const char *opt, unsigned int len, void *unused)
{
	struct cxxnc_target *t;
	char name[16];
	int err;

	if (nr_param_targets == MAX_PARAM_TARGETS)
		return -E2BIG;
	snprintf(name, sizeof(name), "param%u", nr_param_targets);
	err = cxxnc_target_alloc(name, &t);
	if (err)
		return err;
	err = cxxnc_target_parse(t, opt, len);
	if (err) {
		pr_err("target %.*s: error %d\n", (int)len, opt, err);
		cxxnc_target_free(t);
		return err;
	}
	/* Listed (disabled) before it is enabled: the notifier sees it from the start. */
	param_targets[nr_param_targets++] = t;
	cxxnc_target_list_add(t);
	err = cxxnc_target_enable(t);
	if (err) {
		pr_err("target %.*s: error %d\n", (int)len, opt, err);
		return err;	/* freed with the others by free_param_targets() */
	}
	/* Dump existing printks when we register. */
	if (cxxnc_target_extended(t))
		cxxnc_ext_console.flags |= CON_PRINTBUFFER | CON_ENABLED;
	else
		cxxnc_console.flags |= CON_PRINTBUFFER;
	return 0;
}

static int __init cxxnc_module_init(void)
{
	int err;

	cxxnc_init();
	/* First the notifier, so no event on a target's device is missed while it is set up. */
	err = register_netdevice_notifier(&cxxnc_netdev_notifier);
	if (err)
		return err;
	mutex_lock(&cxxnc_config_mutex);
	err = cxxnc_for_each_param_target(config, add_param_target, NULL);
	mutex_unlock(&cxxnc_config_mutex);
	if (err)
		goto fail;

	/* The consoles before configfs: a configfs target enabled as extended registers the
	 * extended console itself (once, under the config mutex). */
	mutex_lock(&cxxnc_config_mutex);
	if (cxxnc_ext_console.flags & CON_ENABLED)
		register_console(&cxxnc_ext_console);
	register_console(&cxxnc_console);
	mutex_unlock(&cxxnc_config_mutex);

	err = cxxnc_configfs_init();
	if (err)
		goto undo_consoles;

	debugfs_dir = debugfs_create_dir("cxx_netconsole", NULL);
	debugfs_create_file("stats", 0444, debugfs_dir, NULL, &stats_fops);
	debugfs_create_file("write_ext", 0200, debugfs_dir, NULL, &write_ext_fops);
	pr_info("network logging started\n");
	return 0;

undo_consoles:
	if (cxxnc_ext_console.flags & CON_ENABLED)
		unregister_console(&cxxnc_ext_console);
	unregister_console(&cxxnc_console);
fail:
	pr_err("cleaning up\n");
	free_param_targets();
	unregister_netdevice_notifier(&cxxnc_netdev_notifier);
	cancel_work_sync(&resend_work);
	return err;
}

static void __exit cxxnc_module_exit(void)
{
	if (cxxnc_ext_console.flags & CON_ENABLED)
		unregister_console(&cxxnc_ext_console);
	unregister_console(&cxxnc_console);
	debugfs_remove_recursive(debugfs_dir);
	/* configfs targets pin the module: only the parameter's are left. They go while the
	 * notifier is still registered: unregistering it replays NETDEV_UNREGISTER for every
	 * device, which would stop each target as if its device had gone, purging what it
	 * still had queued instead of draining it (6.1 has that order; here it differs). */
	cxxnc_configfs_exit();
	free_param_targets();
	unregister_netdevice_notifier(&cxxnc_netdev_notifier);
	cancel_work_sync(&resend_work);	/* armed by an event before the notifier went */
}

module_init(cxxnc_module_init);
module_exit(cxxnc_module_exit);
MODULE_DESCRIPTION("netconsole on the C++ netpoll core (cxx_netpoll)");
MODULE_LICENSE("GPL");
