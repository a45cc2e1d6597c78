// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/bonding/<bond>: the directory per netns and one file per bond, renamed with it.
 * The text is the C++ side's (proc.cpp); it reads under RCU, as 6.1's seq_file does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "main.h"
#include "bonding.h"
#include "shim.h"

void cxxbond_seq_printf(void *seq, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	seq_vprintf(seq, fmt, args);
	va_end(args);
}

static int cxxbond_proc_show_seq(struct seq_file *seq, void *v)
{
	struct net_device *bond_dev = seq->private;

	rcu_read_lock();
	cxxbond_proc_show(bond_dev, seq);
	rcu_read_unlock();
	return 0;
}

static int cxxbond_proc_open(struct inode *inode, struct file *file)
{
	return single_open(file, cxxbond_proc_show_seq, pde_data(inode));
}

static const struct proc_ops cxxbond_proc_ops = {
	.proc_open	= cxxbond_proc_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

unsigned int cxxbond_net_id;

static struct proc_dir_entry *cxxbond_proc_dir(struct net *net)
{
	struct cxxbond_net *bn = net_generic(net, cxxbond_net_id);

	return bn->proc_dir;
}

int cxxbond_proc_net_init(struct net *net)
{
	struct cxxbond_net *bn = net_generic(net, cxxbond_net_id);

	bn->proc_dir = proc_mkdir(CXXBOND_DRV_NAME, net->proc_net);
	if (!bn->proc_dir)
		pr_warn("Warning: Cannot create /proc/net/%s\n", CXXBOND_DRV_NAME);
	return 0;
}

void cxxbond_proc_net_exit(struct net *net)
{
	struct cxxbond_net *bn = net_generic(net, cxxbond_net_id);

	if (bn->proc_dir) {
		/* Bonds of a dying netns may still hold their files: take them too. */
		remove_proc_subtree(CXXBOND_DRV_NAME, net->proc_net);
		bn->proc_dir = NULL;
	}
}

void cxxbond_proc_add(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);
	struct proc_dir_entry *dir = cxxbond_proc_dir(dev_net(bond_dev));

	if (!dir)
		return;
	p->proc_entry = proc_create_data(bond_dev->name, 0444, dir, &cxxbond_proc_ops,
					 bond_dev);
	if (!p->proc_entry)
		netdev_warn(bond_dev, "Cannot create /proc/net/%s/%s\n", CXXBOND_DRV_NAME,
			    bond_dev->name);
	else
		memcpy(p->proc_name, bond_dev->name, IFNAMSIZ);
}

void cxxbond_proc_remove(struct net_device *bond_dev)
{
	struct cxxbond_priv *p = netdev_priv(bond_dev);
	struct proc_dir_entry *dir = cxxbond_proc_dir(dev_net(bond_dev));

	if (dir && p->proc_entry) {
		remove_proc_entry(p->proc_name, dir);
		memset(p->proc_name, 0, IFNAMSIZ);
		p->proc_entry = NULL;
	}
}
