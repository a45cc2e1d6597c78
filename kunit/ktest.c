// SPDX-License-Identifier: GPL-2.0
/* Failure reporting for C++ test cases, and the standalone KTAP runner for kernels
 * without KUnit. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <kunit/test.h>

#include "ktest.h"

#if IS_ENABLED(CONFIG_KUNIT)

void cxx_test_fail(void *test, const char *file, int line, const char *expr)
{
	KUNIT_FAIL((struct kunit *)test, "%s:%d: expected %s", file, line, expr);
}

void cxx_test_fail_eq(void *test, const char *file, int line, const char *expr,
		      long long left, long long right)
{
	KUNIT_FAIL((struct kunit *)test, "%s:%d: expected %s, got %lld vs %lld", file, line,
		   expr, left, right);
}

#else /* !CONFIG_KUNIT */

struct cxx_ktest_ctx {
	bool failed;
};

void cxx_test_fail(void *test, const char *file, int line, const char *expr)
{
	((struct cxx_ktest_ctx *)test)->failed = true;
	pr_info("        # %s:%d: expected %s\n", file, line, expr);
}

void cxx_test_fail_eq(void *test, const char *file, int line, const char *expr,
		      long long left, long long right)
{
	((struct cxx_ktest_ctx *)test)->failed = true;
	pr_info("        # %s:%d: expected %s, got %lld vs %lld\n", file, line, expr, left,
		right);
}

/* Same KTAP shape as KUnit in 6.1, so one parser reads both kernels. */
int cxx_ktest_run_standalone(const char *suite, const struct cxx_ktest_case *cases,
			     unsigned int count)
{
	unsigned int i, failed = 0;

	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", suite);
	pr_info("    1..%u\n", count);
	for (i = 0; i < count; i++) {
		struct cxx_ktest_ctx ctx = { .failed = false };

		cases[i].run(&ctx);
		failed += ctx.failed;
		pr_info("    %sok %u %s\n", ctx.failed ? "not " : "", i + 1, cases[i].name);
	}
	pr_info("# %s: pass:%u fail:%u skip:0 total:%u\n", suite, count - failed, failed, count);
	pr_info("%sok 1 %s\n", failed ? "not " : "", suite);
	return 0;
}

#endif
