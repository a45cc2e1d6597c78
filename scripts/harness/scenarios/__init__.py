# SPDX-License-Identifier: GPL-2.0
"""The scenarios, one module per area; importing the package registers them all."""
from . import bonding, boot, netconsole, netpoll, pong  # noqa: F401
