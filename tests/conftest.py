# SPDX-License-Identifier: GPL-2.0
"""pytest glue for the LegoOS test suite (see Documentation/testing.md).

Fixtures:
  iso     session-wide ISO cache: iso(role, cmdline) -> Path, built once per
          (role, command line) with scripts/mkiso in a pytest tmp dir.
  boot    boot(role, cmdline, smp=, mem=, machine=, cpu=, extra_args=,
          timeout=) -> lib.qemu.BootResult; the serial log is kept in the
          test's tmp dir.
  linux_kernel, linux_initrd
          session-wide: Debian's kernel (scripts/linuxvm/fetch-kernel) and a
          busybox initramfs for the Linux VMs of tests/linuxvm and tests/net;
          skipped with the reason when the kernel cannot be had, failed
          under CI (where CI is set).

Order: host unit tests first, then the tests marked `quick`, then the rest,
so that a broken build or a kernel that does not boot shows up in seconds.
QEMU runs are sequential: never more than one guest at a time. After
MAX_HANGS guests time out, the remaining QEMU tests fail without booting.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lib import linuxvm, qemu  # noqa: E402

BOOT_TIMEOUT = 120
# After this many guests hit BOOT_TIMEOUT, the remaining QEMU tests fail at
# once instead of each waiting 120 s: a kernel that hangs every boot would
# otherwise keep the suite (and CI) busy for over an hour.
MAX_HANGS = 3


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "quick: small smoke subset (both roles, smp 4, 512M, q35, "
        "cpu max); run with -m quick")
    config.addinivalue_line(
        "markers", "qemu: boots a kernel image under QEMU")


def pytest_collection_modifyitems(session, config, items):
    def rank(item):
        if item.path.name == "test_host_unit.py":
            return 0
        return 1 if item.get_closest_marker("quick") else 2

    items.sort(key=rank)    # stable: keeps the collected order within a rank
    for item in items:
        if "qemu" in item.path.parts:
            item.add_marker(pytest.mark.qemu)


@pytest.fixture(scope="session")
def iso(tmp_path_factory):
    cache = {}
    isodir = tmp_path_factory.mktemp("iso")

    def make(role, cmdline=""):
        key = (role, cmdline)
        if key not in cache:
            elf = qemu.default_elf(role)
            if not elf.is_file():
                pytest.fail(f"{elf} not found: build the images first "
                            "(`make`, or run the suite with `make test`)",
                            pytrace=False)
            out = isodir / f"lego-{role}-{len(cache)}.iso"
            try:
                cache[key] = qemu.mkiso(role, cmdline, out, elf)
            except RuntimeError as e:
                pytest.fail(str(e), pytrace=False)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def hangs():
    return []


@pytest.fixture
def boot(iso, tmp_path, hangs, request):
    def run(role, cmdline="", timeout=BOOT_TIMEOUT, **kwargs):
        if len(hangs) >= MAX_HANGS:
            pytest.fail(f"not run: {len(hangs)} guests already hung, in "
                        + ", ".join(hangs) + "; fix those first",
                        pytrace=False)
        log = tmp_path / f"serial-{role}.log"
        result = qemu.boot_iso(iso(role, cmdline), timeout=timeout,
                               log_path=log, **kwargs)
        if result.exit_code == qemu.EXIT_TIMEOUT:
            hangs.append(request.node.name)
        return result

    return run


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
