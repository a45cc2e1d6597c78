// SPDX-License-Identifier: GPL-2.0
/* The kernel's parsers for cxx_netconsole's C++ configuration code, one call each. */
#include <linux/if_ether.h>
#include <linux/kernel.h>

#include "shim.h"

int cxxnc_kstrtoint(const char *s, int *out)
{
	return kstrtoint(s, 10, out);
}

int cxxnc_kstrtou16(const char *s, unsigned short *out)
{
	return kstrtou16(s, 10, out);
}

int cxxnc_kstrtouint(const char *s, unsigned int *out)
{
	return kstrtouint(s, 10, out);
}

int cxxnc_mac_pton(const char *s, unsigned char mac[6])
{
	return mac_pton(s, mac);
}
