// SPDX-License-Identifier: GPL-2.0
/* Sizes of kernel objects the C++ code embeds; turned into ksizes.h like asm-offsets. */
#include <linux/kbuild.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>

void cxx_ksizes(void);
void cxx_ksizes(void)
{
	DEFINE(KSIZE_SPINLOCK, sizeof(spinlock_t));
	DEFINE(KALIGN_SPINLOCK, __alignof__(spinlock_t));
	DEFINE(KSIZE_MUTEX, sizeof(struct mutex));
	DEFINE(KALIGN_MUTEX, __alignof__(struct mutex));
}
