/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: how a C++ test case reports a failed expectation. `test` is the opaque context
 * the runner passed in (a struct kunit under KUnit, the standalone runner's own otherwise).
 */
#ifndef CXX_SHIM_KTEST_H
#define CXX_SHIM_KTEST_H

#ifdef __cplusplus
extern "C" {
#endif

void cxx_test_fail(void *test, const char *file, int line, const char *expr);
void cxx_test_fail_eq(void *test, const char *file, int line, const char *expr,
		      long long left, long long right);

#ifdef __cplusplus
}
#endif

#endif /* CXX_SHIM_KTEST_H */
