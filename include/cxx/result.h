// SPDX-License-Identifier: GPL-2.0
// Result<T>: a value or a negative errno. TRY(expr) returns the error from the enclosing
// function or yields the value. Convert to int / ERR_PTR only at the C boundary.
// Every member is always_inline: an out-of-line copy is a COMDAT function, which objtool's
// .return_sites on the test kernel cannot have in two objects of one module.
#pragma once

#include <cxx/new.h>
#include <cxx/utility.h>
#include <cxx/warn.h>

namespace cxx {

class Error {
public:
	// Accepts -EINVAL or EINVAL; always stores the negative form.
	[[gnu::always_inline]] constexpr explicit Error(int errno_value)
		: code_(errno_value < 0 ? errno_value : -errno_value)
	{
	}
	[[gnu::always_inline]] [[nodiscard]] constexpr int code() const { return code_; }
	constexpr bool operator==(const Error &) const = default;

private:
	int code_;
};

template <typename T> class [[nodiscard]] Result {
public:
	[[gnu::always_inline]] Result(const T &v) : ok_(true) { new (&value_) T(v); }
	[[gnu::always_inline]] Result(T &&v) : ok_(true) { new (&value_) T(move(v)); }
	[[gnu::always_inline]] Result(Error e) : error_(e.code()), ok_(false)
	{
		// A zero errno would read as success at the C boundary.
		if (CXX_WARN_ON(error_ == 0))
			error_ = -err::EINVAL;
	}
	[[gnu::always_inline]] Result(Result &&other) : ok_(other.ok_)
	{
		if (ok_)
			new (&value_) T(move(other.value_));
		else
			error_ = other.error_;
	}
	Result(const Result &) = delete;
	Result &operator=(const Result &) = delete;
	Result &operator=(Result &&) = delete;
	[[gnu::always_inline]] ~Result()
	{
		if (ok_)
			value_.~T();
	}

	[[gnu::always_inline]] [[nodiscard]] constexpr bool ok() const { return ok_; }
	[[gnu::always_inline]] [[nodiscard]] constexpr explicit operator bool() const { return ok_; }
	[[gnu::always_inline]] [[nodiscard]] constexpr Error error() const
	{
		return Error(ok_ ? -err::EINVAL : error_);
	}
	// 0 on success, else the negative errno: for C callers.
	[[gnu::always_inline]] [[nodiscard]] constexpr int errno_or_zero() const
	{
		return ok_ ? 0 : error_;
	}

	[[gnu::always_inline]] [[nodiscard]] T &value() &
	{
		CXX_WARN_ON(!ok_);
		return value_;
	}
	[[gnu::always_inline]] [[nodiscard]] const T &value() const &
	{
		CXX_WARN_ON(!ok_);
		return value_;
	}
	[[gnu::always_inline]] [[nodiscard]] T release_value() &&
	{
		CXX_WARN_ON(!ok_);
		return move(value_);
	}
	[[gnu::always_inline]] [[nodiscard]] T value_or(T fallback) const
	{
		return ok_ ? value_ : fallback;
	}

private:
	union {
		T value_;
		int error_;
	};
	bool ok_;
};

template <> class [[nodiscard]] Result<void> {
public:
	[[gnu::always_inline]] constexpr Result() : error_(0) {}
	[[gnu::always_inline]] Result(Error e) : error_(e.code())
	{
		if (CXX_WARN_ON(error_ == 0))
			error_ = -err::EINVAL;
	}

	[[gnu::always_inline]] [[nodiscard]] constexpr bool ok() const { return error_ == 0; }
	[[gnu::always_inline]] [[nodiscard]] constexpr explicit operator bool() const { return ok(); }
	[[gnu::always_inline]] [[nodiscard]] constexpr Error error() const
	{
		return Error(ok() ? -err::EINVAL : error_);
	}
	[[gnu::always_inline]] [[nodiscard]] constexpr int errno_or_zero() const { return error_; }
	[[gnu::always_inline]] constexpr void release_value() && {}

private:
	int error_;
};

[[gnu::always_inline]] inline Result<void> ok() { return {}; }

} // namespace cxx

// Evaluate a Result; on error return it from the enclosing function, else yield the value.
#define TRY(expr)                                                                  \
	({                                                                         \
		auto _try_result = (expr);                                        \
		if (!_try_result.ok()) [[unlikely]]                               \
			return _try_result.error();                               \
		::cxx::move(_try_result).release_value();                         \
	})
