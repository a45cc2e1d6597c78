// A static with a destructor: registered through __cxa_atexit, which does not exist.
extern "C" void tripwire_note(int) {}
struct Dtor { int v = 0; ~Dtor() { tripwire_note(v); } };
extern "C" int tripwire_touch(void)
{
	static Dtor d;
	return d.v;
}
