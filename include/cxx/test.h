// SPDX-License-Identifier: GPL-2.0
// Writing test cases in C++: CXX_TEST(name) { EXPECT(...); } defines the extern "C" case
// cxx_test_<name>(void *test) that a C suite file lists (KUnit, or the standalone runner on
// kernels without KUnit). A failed expectation marks the case failed and continues.
#pragma once

#include <shim/ktest.h>

#define CXX_TEST(name) extern "C" void cxx_test_##name(void *test_ctx_)

#define EXPECT(cond)                                                               \
	do {                                                                       \
		if (!(cond))                                                       \
			cxx_test_fail(test_ctx_, __FILE__, __LINE__, #cond);       \
	} while (0)

#define EXPECT_EQ(a, b)                                                            \
	do {                                                                       \
		const auto _l = (a);                                               \
		const auto _r = (b);                                               \
		if (!(_l == _r))                                                   \
			cxx_test_fail_eq(test_ctx_, __FILE__, __LINE__, #a " == " #b, \
					 (long long)_l, (long long)_r);             \
	} while (0)
