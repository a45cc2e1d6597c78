// SPDX-License-Identifier: GPL-2.0
// The slave arrays the data path walks (6.1's bond_up_slave), and what becomes of a published
// one when no new array can be allocated. Pure: the KUnit suite checks it.
#pragma once

#include <cxx/types.h>

namespace bonding {

class Slave;

// Published whole under RCU; readers take count and the entries below it.
struct SlaveArray {
	cxx::u32 count;
	Slave *slaves[];
};

// 6.1's bond_skip_slave, for every entry `listed` refuses, when no new array could be had: the
// published array is changed in place, the last entry moved into the slot, then the count
// lowered. A reader sees the old count or the new one and a valid entry in every slot below
// it either way (the last slot keeps its pointer); a released slave is freed only after a
// grace period, so one that read it before is done with it by then.
template <typename Listed> void drop_unlisted(SlaveArray *arr, Listed listed)
{
	for (cxx::u32 i = 0; arr && i < arr->count;) {
		if (listed(arr->slaves[i])) {
			i++;
			continue;
		}
		cxx::u32 last = arr->count - 1;
		__atomic_store_n(&arr->slaves[i], arr->slaves[last], __ATOMIC_RELAXED);
		__atomic_store_n(&arr->count, last, __ATOMIC_RELEASE);
	}
}

} // namespace bonding
