# SPDX-License-Identifier: GPL-2.0
"""Fixtures of the Linux VM tests (Documentation/linux-vms.md).

Self-contained: it does not rely on tests/conftest.py.

  linux_kernel  session: runs scripts/linuxvm/fetch-kernel once and returns
                its dict (release, vmlinux, modules, headers). When the
                kernel cannot be had, the tests are skipped with the reason,
                except under CI (CI set in the environment), where that is a
                failure: CI must run them.
  linux_initrd  session: the default initramfs (both NICs' modules, the
                guest tests and programs), built once.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib import linuxvm  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "linuxvm: boots Debian Linux VMs under QEMU "
        "(tests/lib/linuxvm.py)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.linuxvm)


@pytest.fixture(scope="session")
def linux_kernel():
    try:
        return linuxvm.fetch_kernel()
    except linuxvm.LinuxVMError as e:
        msg = f"cannot produce build/linuxvm/vmlinux: {e}"
        if os.environ.get("CI"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)


@pytest.fixture(scope="session")
def linux_initrd(linux_kernel, tmp_path_factory):
    out = tmp_path_factory.mktemp("linuxvm") / "net.cpio.gz"
    try:
        return linuxvm.mkinitramfs(out)
    except linuxvm.LinuxVMError as e:
        pytest.fail(str(e), pytrace=False)
