// SPDX-License-Identifier: GPL-2.0
/* Support shim: thin kernel calls behind include/shim/support.h. No logic here. */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/rtnetlink.h>
#include <linux/rcupdate.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/jiffies.h>

#include "../../shim/support.h"

static gfp_t cxx_gfp_flags(enum cxx_gfp gfp)
{
	switch (gfp) {
	case CXX_GFP_KERNEL:
		return GFP_KERNEL;
	case CXX_GFP_ATOMIC:
		return GFP_ATOMIC;
	case CXX_GFP_NOWAIT:
		return GFP_NOWAIT | __GFP_NOWARN;
	}
	return GFP_ATOMIC;
}

void *cxx_alloc(unsigned long size, enum cxx_gfp gfp)
{
	return kmalloc(size, cxx_gfp_flags(gfp));
}

void cxx_free(void *p)
{
	kfree(p);
}

void cxx_log(enum cxx_log_level level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	printk("%c%c" KBUILD_MODNAME ": %pV", KERN_SOH_ASCII, '0' + level, &vaf);
	va_end(args);
}

int cxx_warn(const char *file, int line, const char *cond)
{
	WARN(1, KBUILD_MODNAME ": %s:%d: WARN_ON(%s)\n", file, line, cond);
	return 1;
}

int cxx_irqs_disabled(void)
{
	return irqs_disabled();
}

int cxx_in_hardirq(void)
{
	return in_hardirq();
}

int cxx_in_task(void)
{
	return in_task();
}

void cxx_might_sleep(const char *file, int line)
{
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	__might_sleep(file, line);
#endif
	might_resched();
}

void cxx_spin_lock_init(void *lock, const char *name, struct cxx_lock_class *cls)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init(spinlock_check(lock), name, (struct lock_class_key *)cls,
			     LD_WAIT_CONFIG);
#else
	spin_lock_init((spinlock_t *)lock);
#endif
}

void cxx_spin_lock(void *lock)
{
	spin_lock(lock);
}

void cxx_spin_unlock(void *lock)
{
	spin_unlock(lock);
}

unsigned long cxx_spin_lock_irqsave(void *lock)
{
	unsigned long flags;

	spin_lock_irqsave((spinlock_t *)lock, flags);
	return flags;
}

void cxx_spin_unlock_irqrestore(void *lock, unsigned long flags)
{
	spin_unlock_irqrestore(lock, flags);
}

int cxx_spin_trylock_irqsave(void *lock, unsigned long *flags)
{
	return spin_trylock_irqsave((spinlock_t *)lock, *flags);
}

int cxx_spin_is_locked(void *lock)
{
	return spin_is_locked(lock);
}

void cxx_mutex_init(void *lock, const char *name, struct cxx_lock_class *cls)
{
	__mutex_init(lock, name, (struct lock_class_key *)cls);
}

void cxx_mutex_lock(void *lock)
{
	mutex_lock(lock);
}

void cxx_mutex_unlock(void *lock)
{
	mutex_unlock(lock);
}

int cxx_mutex_is_locked(void *lock)
{
	return mutex_is_locked(lock);
}

void cxx_mutex_destroy(void *lock)
{
	mutex_destroy(lock);
}

/* Called through a vtable slot of an abstract class: a bug, never fatal. */
void __cxa_pure_virtual(void);
void __cxa_pure_virtual(void)
{
	WARN(1, KBUILD_MODNAME ": pure virtual function called\n");
}

void cxx_rtnl_lock(void)
{
	rtnl_lock();
}

void cxx_rtnl_unlock(void)
{
	rtnl_unlock();
}

int cxx_rtnl_is_locked(void)
{
	return rtnl_is_locked();
}

void cxx_rcu_read_lock(void)
{
	rcu_read_lock();
}

void cxx_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

int cxx_rcu_read_held(void)
{
	return rcu_read_lock_any_held();
}

void cxx_synchronize_rcu(void)
{
	synchronize_rcu();
}

void cxx_local_bh_disable(void)
{
	local_bh_disable();
}

void cxx_local_bh_enable(void)
{
	local_bh_enable();
}

unsigned long cxx_local_irq_save(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

void cxx_local_irq_restore(unsigned long flags)
{
	local_irq_restore(flags);
}

void cxx_udelay(unsigned int us)
{
	udelay(us);
}

void cxx_msleep(unsigned int ms)
{
	msleep(ms);
}

void cxx_cond_resched(void)
{
	cond_resched();
}

unsigned int cxx_usecs_per_jiffy(void)
{
	return jiffies_to_usecs(1);
}

int cxx_oops_in_progress(void)
{
	return READ_ONCE(oops_in_progress);
}
