// A static object with a dynamic constructor: .init_array, never run on the stock kernel.
extern "C" int tripwire_value(void);
struct Dyn { int v; Dyn() : v(tripwire_value()) {} };
Dyn dyn;
extern "C" int tripwire_value(void) { return 0; }
extern "C" int tripwire_touch(void) { return dyn.v; }
