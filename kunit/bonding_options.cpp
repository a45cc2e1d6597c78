// SPDX-License-Identifier: GPL-2.0
// cxx_bonding's option table and parser under test, compiled into the test module.
#include "../bonding/options.cpp"
