/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C side of the C++ test cases: a suite is a list of case names, X(name) for each, whose
 * bodies are CXX_TEST(name) in C++. CXX_KTEST_SUITE() turns the list into a KUnit suite on a
 * kernel with KUnit (the test kernel), or into a module whose init runs the same cases and
 * prints the same KTAP (the stock kernel has no KUnit).
 */
#ifndef CXX_KUNIT_KTEST_H
#define CXX_KUNIT_KTEST_H

#include <linux/module.h>
#include <kunit/test.h>

#include "../include/shim/ktest.h"

struct cxx_ktest_case {
	const char *name;
	void (*run)(void *test);
};

int cxx_ktest_run_standalone(const char *suite, const struct cxx_ktest_case *cases,
			     unsigned int count);

#define CXX_KTEST_DECLARE(name) void cxx_test_##name(void *test);
#define CXX_KTEST_KUNIT_FN(name)                                                    \
	static void kunit_##name(struct kunit *test) { cxx_test_##name(test); }
#define CXX_KTEST_KUNIT_CASE(n) { .run_case = kunit_##n, .name = #n },
#define CXX_KTEST_STANDALONE_CASE(n) { .name = #n, .run = cxx_test_##n },

#if IS_ENABLED(CONFIG_KUNIT)
#define CXX_KTEST_SUITE(suite, LIST)                                                \
	LIST(CXX_KTEST_DECLARE)                                                     \
	LIST(CXX_KTEST_KUNIT_FN)                                                    \
	static struct kunit_case suite##_cases[] = { LIST(CXX_KTEST_KUNIT_CASE) {} }; \
	static struct kunit_suite suite##_suite = {                                 \
		.name = #suite,                                                     \
		.test_cases = suite##_cases,                                        \
	};                                                                          \
	kunit_test_suite(suite##_suite)
#else
#define CXX_KTEST_SUITE(suite, LIST)                                                \
	LIST(CXX_KTEST_DECLARE)                                                     \
	static const struct cxx_ktest_case suite##_cases[] = {                      \
		LIST(CXX_KTEST_STANDALONE_CASE)                                     \
	};                                                                          \
	static int __init suite##_init(void)                                        \
	{                                                                           \
		return cxx_ktest_run_standalone(#suite, suite##_cases,              \
						ARRAY_SIZE(suite##_cases));         \
	}                                                                           \
	static void __exit suite##_exit(void) {}                                    \
	module_init(suite##_init);                                                  \
	module_exit(suite##_exit)
#endif

#endif /* CXX_KUNIT_KTEST_H */
