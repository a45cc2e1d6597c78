// SPDX-License-Identifier: GPL-2.0
// The frame builder under test, compiled into the test module (it has no kernel calls).
#include "../netpoll/frame.cpp"
