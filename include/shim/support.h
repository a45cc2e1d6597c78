/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Support shim: the kernel services the C++ support library needs (allocation, logging,
 * warnings, locks, context checks). Plain C, no kernel includes: C++ includes it as is.
 * Every function is a thin wrapper compiled into each module (include/cxx/impl/support.c).
 */
#ifndef CXX_SHIM_SUPPORT_H
#define CXX_SHIM_SUPPORT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Allocation context, mapped onto GFP flags by the shim. */
enum cxx_gfp {
	CXX_GFP_KERNEL,	/* may sleep */
	CXX_GFP_ATOMIC,	/* any context, may use reserves */
	CXX_GFP_NOWAIT,	/* any context, no reserves */
};

void *cxx_alloc(unsigned long size, enum cxx_gfp gfp);
void cxx_free(void *p);

/* printk with the module's prefix; level is one of the CXX_LOG_* values. */
enum cxx_log_level {
	CXX_LOG_ERR = 3,
	CXX_LOG_WARNING = 4,
	CXX_LOG_NOTICE = 5,
	CXX_LOG_INFO = 6,
	CXX_LOG_DEBUG = 7,
};
void cxx_log(enum cxx_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* WARN() naming the C++ source location; returns 1 so it can sit in a condition. */
int cxx_warn(const char *file, int line, const char *cond);

/* Context. */
int cxx_irqs_disabled(void);
int cxx_in_hardirq(void);
int cxx_in_task(void);
void cxx_might_sleep(const char *file, int line);

/* Kernel services every module's C++ needs, once (shared by all modules as the rest of the
 * support library is): RTNL, RCU, BH and IRQ sections, time, the oops flag. */
void cxx_rtnl_lock(void);
void cxx_rtnl_unlock(void);
int cxx_rtnl_is_locked(void);
void cxx_rcu_read_lock(void);
void cxx_rcu_read_unlock(void);
int cxx_rcu_read_held(void);	/* rcu_read_lock_any_held() */
void cxx_synchronize_rcu(void);
void cxx_local_bh_disable(void);	/* process context only */
void cxx_local_bh_enable(void);
unsigned long cxx_local_irq_save(void);
void cxx_local_irq_restore(unsigned long flags);
void cxx_udelay(unsigned int us);
void cxx_msleep(unsigned int ms);
void cxx_cond_resched(void);
unsigned int cxx_usecs_per_jiffy(void);
int cxx_oops_in_progress(void);

/* Locks. Storage is embedded by C++ (sizes from the generated ksizes.h); the lock class key
 * is defined in C, one per class (see CXX_DEFINE_LOCK_CLASS). */
struct cxx_lock_class;
void cxx_spin_lock_init(void *lock, const char *name, struct cxx_lock_class *cls);
void cxx_spin_lock(void *lock);
void cxx_spin_unlock(void *lock);
unsigned long cxx_spin_lock_irqsave(void *lock);
void cxx_spin_unlock_irqrestore(void *lock, unsigned long flags);
int cxx_spin_trylock_irqsave(void *lock, unsigned long *flags);
int cxx_spin_is_locked(void *lock);
void cxx_mutex_init(void *lock, const char *name, struct cxx_lock_class *cls);
void cxx_mutex_lock(void *lock);
void cxx_mutex_unlock(void *lock);
int cxx_mutex_is_locked(void *lock);
void cxx_mutex_destroy(void *lock);

#ifdef __cplusplus
}
#endif

/* In C only: define a lock class key that C++ names as `extern "C" cxx_lock_class NAME`. */
#ifndef __cplusplus
#define CXX_DEFINE_LOCK_CLASS(name) struct lock_class_key name
#endif

#endif /* CXX_SHIM_SUPPORT_H */
