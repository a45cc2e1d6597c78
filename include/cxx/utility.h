// SPDX-License-Identifier: GPL-2.0
// move/forward/exchange and the few type traits the support library needs.
#pragma once

#include <cxx/types.h>

namespace cxx {

template <typename T> struct remove_reference { using type = T; };
template <typename T> struct remove_reference<T &> { using type = T; };
template <typename T> struct remove_reference<T &&> { using type = T; };
template <typename T> using remove_reference_t = typename remove_reference<T>::type;

template <typename T> struct remove_cv { using type = T; };
template <typename T> struct remove_cv<const T> { using type = T; };
template <typename T> struct remove_cv<volatile T> { using type = T; };
template <typename T> struct remove_cv<const volatile T> { using type = T; };
template <typename T> using remove_cvref_t = typename remove_cv<remove_reference_t<T>>::type;

template <typename A, typename B> inline constexpr bool is_same_v = false;
template <typename A> inline constexpr bool is_same_v<A, A> = true;
template <typename A, typename B> concept same_as = is_same_v<A, B> && is_same_v<B, A>;

template <typename T> inline constexpr bool is_lvalue_reference_v = false;
template <typename T> inline constexpr bool is_lvalue_reference_v<T &> = true;

template <typename T> concept trivially_destructible = __has_trivial_destructor(T);

template <typename T> [[nodiscard]] constexpr remove_reference_t<T> &&move(T &&v) noexcept
{
	return static_cast<remove_reference_t<T> &&>(v);
}

template <typename T> [[nodiscard]] constexpr T &&forward(remove_reference_t<T> &v) noexcept
{
	return static_cast<T &&>(v);
}

template <typename T> [[nodiscard]] constexpr T &&forward(remove_reference_t<T> &&v) noexcept
{
	static_assert(!is_lvalue_reference_v<T>, "forwarding an rvalue as an lvalue");
	return static_cast<T &&>(v);
}

template <typename T, typename U = T> constexpr T exchange(T &obj, U &&new_value)
{
	T old = move(obj);
	obj = forward<U>(new_value);
	return old;
}

template <typename T> constexpr void swap(T &a, T &b)
{
	T tmp = move(a);
	a = move(b);
	b = move(tmp);
}

template <typename T> [[nodiscard]] constexpr const T &min(const T &a, const T &b)
{
	return b < a ? b : a;
}

template <typename T> [[nodiscard]] constexpr const T &max(const T &a, const T &b)
{
	return a < b ? b : a;
}

// Base for types that must stay where they are (locks, list heads, guards).
class Pinned {
public:
	Pinned(const Pinned &) = delete;
	Pinned &operator=(const Pinned &) = delete;

protected:
	constexpr Pinned() = default;
};

} // namespace cxx
