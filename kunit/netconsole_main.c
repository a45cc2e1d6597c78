// SPDX-License-Identifier: GPL-2.0
/* cxx_netconsole_kunit: KUnit suite of cxx_netconsole's pure parts: the netconsole= target
 * string, extended-record fragmentation (ncfrag) and plain message splitting. */
#include <linux/module.h>

#include "ktest.h"

#define CXX_NETCONSOLE_CASES(X)           \
	X(param_split_targets)            \
	X(param_extended_and_options)     \
	X(param_invalid)                  \
	X(plain_split)                    \
	X(ext_short_record_whole)         \
	X(ext_fragments_reassemble)       \
	X(ext_boundary_1000)              \
	X(ext_bad_records)                \
	X(ext_long_header_exact_bytes)    \
	X(oops_lock_wait_once)            \
	X(resend_window)

CXX_KTEST_SUITE(cxx_netconsole, CXX_NETCONSOLE_CASES);

MODULE_DESCRIPTION("KUnit tests of cxx_netconsole");
MODULE_LICENSE("GPL");
