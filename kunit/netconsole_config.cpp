// SPDX-License-Identifier: GPL-2.0
// The netconsole= parser under test, compiled into the test module (its only kernel call is
// cxx_netpoll's option parser).
#include "../netconsole/config.cpp"
