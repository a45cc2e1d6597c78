// SPDX-License-Identifier: GPL-2.0
// Fixed-width types for freestanding kernel C++ (no <cstdint>: -nostdinc).
#pragma once

namespace cxx {

using u8 = __UINT8_TYPE__;
using u16 = __UINT16_TYPE__;
using u32 = __UINT32_TYPE__;
using u64 = __UINT64_TYPE__;
using s8 = __INT8_TYPE__;
using s16 = __INT16_TYPE__;
using s32 = __INT32_TYPE__;
using s64 = __INT64_TYPE__;
using usize = __SIZE_TYPE__;
using isize = __PTRDIFF_TYPE__;
using uptr = __UINTPTR_TYPE__;
using nullptr_t = decltype(nullptr);

static_assert(sizeof(u64) == 8 && sizeof(usize) == 8 && sizeof(void *) == 8);

} // namespace cxx

// Placement new needs std::size_t's type under the name the compiler expects.
namespace std {
using size_t = __SIZE_TYPE__;
} // namespace std
