// SPDX-License-Identifier: GPL-2.0
/* Tripwire module: init calls into the C++ case; the build of a bad case must fail. */
#include <linux/module.h>

int tripwire_touch(void);

static int __init tripwire_init(void)
{
	return tripwire_touch();
}
module_init(tripwire_init);
MODULE_LICENSE("GPL");
