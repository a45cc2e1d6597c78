// Control: constinit, trivially destructible statics and a GFP-tagged new. Must build.
#include <cxx/new.h>
struct Box { int v; };
constinit Box box { 1 };
extern "C" int tripwire_touch(void)
{
	Box *b = new (cxx::gfp_kernel) Box { 2 };
	int v = b ? b->v + box.v : 0;
	delete b;
	return v == 3 ? 0 : -12;
}
