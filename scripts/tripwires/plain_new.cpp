// A plain `new` with no allocation context: operator new(size_t) does not exist.
#include <cxx/new.h>
extern "C" int tripwire_touch(void)
{
	int *p = new int(0);
	int v = *p;
	delete p;
	return v;
}
