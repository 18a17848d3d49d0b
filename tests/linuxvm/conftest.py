# SPDX-License-Identifier: GPL-2.0
"""The `linuxvm` marker for the Linux VM tests (Documentation/linux-vms.md).

Their fixtures linux_kernel and linux_initrd (Debian's kernel, fetched once,
and the default initramfs) are in tests/conftest.py, shared with tests/net.
"""

from pathlib import Path

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "linuxvm: boots Debian Linux VMs under QEMU "
        "(tests/lib/linuxvm.py)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.linuxvm)
