// SPDX-License-Identifier: GPL-2.0
/* The test glue, once per module (kbuild links an object into one module only). */
#include "ktest.c"
