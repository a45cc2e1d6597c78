# SPDX-License-Identifier: GPL-2.0
"""VM test harness: initramfs builder, QEMU runner, host peer, console scanner, scenarios."""
