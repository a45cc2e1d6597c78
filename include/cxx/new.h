// SPDX-License-Identifier: GPL-2.0
// Allocation that always names its context: `new (cxx::gfp_atomic) T(...)` returns null on
// failure (the allocation functions are noexcept, so the constructor is skipped). There is
// deliberately no plain `operator new(size_t)`: a bare `new T` fails to link at modpost.
#pragma once

#include <cxx/types.h>
#include <cxx/utility.h>
#include <shim/support.h>

namespace cxx {

struct GfpKernel { };	// process context, may sleep
struct GfpAtomic { };	// any context
struct GfpNowait { };	// any context, no emergency reserves, no warning

inline constexpr GfpKernel gfp_kernel {};
inline constexpr GfpAtomic gfp_atomic {};
inline constexpr GfpNowait gfp_nowait {};

} // namespace cxx

[[nodiscard]] inline void *operator new(cxx::usize, void *where) noexcept
{
	return where;
}

[[nodiscard]] inline void *operator new(cxx::usize size, cxx::GfpKernel) noexcept
{
	return cxx_alloc(size, CXX_GFP_KERNEL);
}

[[nodiscard]] inline void *operator new(cxx::usize size, cxx::GfpAtomic) noexcept
{
	return cxx_alloc(size, CXX_GFP_ATOMIC);
}

[[nodiscard]] inline void *operator new(cxx::usize size, cxx::GfpNowait) noexcept
{
	return cxx_alloc(size, CXX_GFP_NOWAIT);
}

// Arrays are not supported: no operator new[]. Sized delete lives in impl/runtime.cpp.
void operator delete(void *p, cxx::usize size) noexcept;

namespace cxx {

// One owner of an object from `new (gfp_...)`: deleted when the owner goes out of scope,
// unless handed on with release(). A constructor that fails part-way returns its error and
// lets the destructors of what it already has undo it. always_inline: see cxx/result.h.
template <typename T> class Owned {
public:
	[[gnu::always_inline]] explicit Owned(T *p) : p_(p) {}
	Owned(const Owned &) = delete;
	Owned &operator=(const Owned &) = delete;
	[[gnu::always_inline]] ~Owned() { delete p_; }

	[[gnu::always_inline]] [[nodiscard]] explicit operator bool() const { return p_ != nullptr; }
	[[gnu::always_inline]] T *operator->() const { return p_; }
	[[gnu::always_inline]] T &operator*() const { return *p_; }
	[[gnu::always_inline]] [[nodiscard]] T *release() { return exchange(p_, nullptr); }

private:
	T *p_;
};

} // namespace cxx
