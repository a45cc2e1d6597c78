// SPDX-License-Identifier: GPL-2.0
// errno values (the Linux ABI; uapi/asm-generic/errno*.h) for C++ that cannot include them.
#pragma once

namespace cxx::err {

inline constexpr int EPERM = 1;
inline constexpr int ENOENT = 2;
inline constexpr int EIO = 5;
inline constexpr int E2BIG = 7;
inline constexpr int EAGAIN = 11;
inline constexpr int ENOMEM = 12;
inline constexpr int EBUSY = 16;
inline constexpr int EEXIST = 17;
inline constexpr int ENODEV = 19;
inline constexpr int EINVAL = 22;
inline constexpr int ENOSPC = 28;
inline constexpr int ERANGE = 34;
inline constexpr int EDESTADDRREQ = 89;
inline constexpr int EOPNOTSUPP = 95;
inline constexpr int ENETDOWN = 100;
inline constexpr int ENETUNREACH = 101;
inline constexpr int ENOBUFS = 105;
inline constexpr int ETIMEDOUT = 110;
inline constexpr int EALREADY = 114;
inline constexpr int ENOTSUPP = 524;	// kernel-internal (linux/errno.h)

} // namespace cxx::err
