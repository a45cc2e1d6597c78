// A function-local static with a dynamic initialiser: __cxa_guard_acquire does not exist.
extern "C" int tripwire_value(void) { return 0; }
struct Dyn { int v; Dyn() : v(tripwire_value()) {} };
extern "C" int tripwire_touch(void)
{
	static Dyn dyn;
	return dyn.v;
}
