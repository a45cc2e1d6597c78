/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_netconsole's C shims: the kernel calls its C++ side needs beyond the support shim
 * (include/shim/support.h: RTNL, RCU, IRQ/BH sections, time, the oops flag). Plain C, no
 * kernel includes; each function is one kernel operation.
 */
#ifndef CXXNC_SHIM_H
#define CXXNC_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;

/* --- main.c ----------------------------------------------------------------------------- */
unsigned int cxxnc_param_txq_limit(void);
unsigned int cxxnc_param_resend_ms(void);	/* a new target's resend window */
unsigned int cxxnc_param_resend_kib(void);	/* its memory bound, read at enable */
void cxxnc_schedule_resend(void);		/* any context: the resend work */
unsigned long cxxnc_jiffies(void);
unsigned long cxxnc_msecs_to_jiffies(unsigned int ms);
/* Registers the extended console on first use (config mutex held). */
void cxxnc_ext_console_enable(void);

/* --- lib_shim.c: the kernel's parsers (s NUL-terminated) ----------------------------------- */
int cxxnc_kstrtoint(const char *s, int *out);			/* kstrtoint, base 10 */
int cxxnc_kstrtou16(const char *s, unsigned short *out);	/* kstrtou16, base 10 */
int cxxnc_kstrtouint(const char *s, unsigned int *out);	/* kstrtouint, base 10 */
int cxxnc_mac_pton(const char *s, unsigned char mac[6]);	/* mac_pton: 1 if valid */

/* --- netdev_shim.c ----------------------------------------------------------------------- */
int cxxnc_dev_running(struct net_device *dev);
int cxxnc_dev_has_master(struct net_device *dev);	/* RTNL held */
const char *cxxnc_dev_name(struct net_device *dev);

#ifdef __cplusplus
}
#endif

#endif /* CXXNC_SHIM_H */
