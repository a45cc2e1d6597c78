// SPDX-License-Identifier: GPL-2.0
/* cxx_bonding_kunit: KUnit suite of cxx_bonding's pure parts: the option table and its
 * parser (6.1's words, ranges and dependencies), the transmit hash policies, the names
 * /proc/net/bonding prints, and the slave array's shrinking in place. */
#include <linux/module.h>

#include "ktest.h"

#define CXX_BONDING_CASES(X)              \
	X(option_words_and_numbers)       \
	X(option_ranges)                  \
	X(option_table_as_6_1)            \
	X(hash_layer2)                    \
	X(hash_layer23_and_34)            \
	X(hash_icmp_and_encap)            \
	X(hash_vlan_srcmac)               \
	X(mode_names)                     \
	X(array_drop_unlisted)

CXX_KTEST_SUITE(cxx_bonding, CXX_BONDING_CASES);

MODULE_DESCRIPTION("KUnit tests of cxx_bonding");
MODULE_LICENSE("GPL");
