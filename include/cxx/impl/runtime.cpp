// SPDX-License-Identifier: GPL-2.0
// The two C++ runtime entry points a module may need. Deliberately absent: plain
// operator new(size_t), __cxa_guard_*, __cxa_atexit (see STYLE.md: modpost catches them).
#include <cxx/new.h>

void operator delete(void *p, cxx::usize) noexcept
{
	cxx_free(p);
}
