// SPDX-License-Identifier: GPL-2.0
// errno values (the Linux ABI; uapi/asm-generic/errno*.h) for C++ that cannot include them.
#pragma once

#include "ksizes.h"

namespace cxx::err {

inline constexpr int EPERM = 1;
inline constexpr int ENOENT = 2;
inline constexpr int EIO = 5;
inline constexpr int E2BIG = 7;
inline constexpr int EAGAIN = 11;
inline constexpr int ENOMEM = 12;
inline constexpr int EACCES = 13;
inline constexpr int EBUSY = 16;
inline constexpr int EEXIST = 17;
inline constexpr int ENODEV = 19;
inline constexpr int EINVAL = 22;
inline constexpr int ENOSPC = 28;
inline constexpr int ERANGE = 34;
inline constexpr int ENAMETOOLONG = 36;
inline constexpr int ENOTEMPTY = 39;
inline constexpr int EDESTADDRREQ = 89;
inline constexpr int EOPNOTSUPP = 95;
inline constexpr int ENETDOWN = 100;
inline constexpr int ENETUNREACH = 101;
inline constexpr int ENOBUFS = 105;
inline constexpr int ETIMEDOUT = 110;
inline constexpr int EALREADY = 114;
inline constexpr int ENOTSUPP = 524;	// kernel-internal (linux/errno.h)

// Each the kernel's own value (ksizes.h is generated from the kernel's headers).
#define CXX_ERRNO_IS_KERNELS(name) static_assert(name == KERRNO_##name, #name);
CXX_ERRNO_IS_KERNELS(EPERM)
CXX_ERRNO_IS_KERNELS(ENOENT)
CXX_ERRNO_IS_KERNELS(EIO)
CXX_ERRNO_IS_KERNELS(E2BIG)
CXX_ERRNO_IS_KERNELS(EAGAIN)
CXX_ERRNO_IS_KERNELS(ENOMEM)
CXX_ERRNO_IS_KERNELS(EACCES)
CXX_ERRNO_IS_KERNELS(EBUSY)
CXX_ERRNO_IS_KERNELS(EEXIST)
CXX_ERRNO_IS_KERNELS(ENODEV)
CXX_ERRNO_IS_KERNELS(EINVAL)
CXX_ERRNO_IS_KERNELS(ENOSPC)
CXX_ERRNO_IS_KERNELS(ERANGE)
CXX_ERRNO_IS_KERNELS(ENAMETOOLONG)
CXX_ERRNO_IS_KERNELS(ENOTEMPTY)
CXX_ERRNO_IS_KERNELS(EDESTADDRREQ)
CXX_ERRNO_IS_KERNELS(EOPNOTSUPP)
CXX_ERRNO_IS_KERNELS(ENETDOWN)
CXX_ERRNO_IS_KERNELS(ENETUNREACH)
CXX_ERRNO_IS_KERNELS(ENOBUFS)
CXX_ERRNO_IS_KERNELS(ETIMEDOUT)
CXX_ERRNO_IS_KERNELS(EALREADY)
CXX_ERRNO_IS_KERNELS(ENOTSUPP)
#undef CXX_ERRNO_IS_KERNELS

} // namespace cxx::err
