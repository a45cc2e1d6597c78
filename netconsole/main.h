/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between cxx_netconsole's C files (main.c, configfs.c). */
#ifndef CXXNC_MAIN_H
#define CXXNC_MAIN_H

#include <linux/mutex.h>

#include "netconsole.h"
#include "shim.h"

/* Serialises target creation, removal, enabling and parameter changes (6.1's
 * dynamic_netconsole_mutex). Taken before RTNL. */
extern struct mutex cxxnc_config_mutex;

/* One target's state and counters as "key value" pairs separated by sep, into buf (config
 * mutex held; takes RTNL). Returns the length. */
int cxxnc_format_stats(char *buf, size_t size, struct cxxnc_target *t, char sep);

int cxxnc_configfs_init(void);
void cxxnc_configfs_exit(void);

#endif /* CXXNC_MAIN_H */
