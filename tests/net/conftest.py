# SPDX-License-Identifier: GPL-2.0
"""Fixtures of the multi-node network tests (Documentation/testing.md).

  linux_kernel  session: scripts/linuxvm/fetch-kernel, once; skips the
                tests that need it when the kernel cannot be had (fails
                under CI, where CI is set in the environment)
  linux_initrd  session: the default Linux VM initramfs (both NICs, the
                guest tests, udpecho, netflood, udpstream)
  cluster       cluster(nodes, timeout=, initrd=) -> linuxvm.ClusterResult:
                linuxvm.run_cluster() in the test's tmp dir. LegoNodes get
                their ISO from the session's ISO cache (tests/conftest.py);
                a run that times out counts as a hang of the suite (after
                MAX_HANGS, the remaining QEMU tests fail without booting).

Clusters run one at a time, every node with -smp 1 or 2, so the directory
stays within a few minutes on a 2-core TCG machine.
"""

import dataclasses
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib import linuxvm  # noqa: E402

# As in tests/conftest.py: after this many hung guests, stop booting more.
MAX_HANGS = 3


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "net: multi-node network tests (tests/net: LegoOS nodes "
        "and Linux VMs on one emulated segment)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.net)


@pytest.fixture
def cluster(iso, tmp_path, hangs, request):
    def run(nodes, timeout=60, initrd=None, **kwargs):
        if len(hangs) >= MAX_HANGS:
            pytest.fail(f"not run: {len(hangs)} guests already hung, in "
                        + ", ".join(hangs) + "; fix those first",
                        pytrace=False)
        nodes = [dataclasses.replace(n, iso=iso(n.role, n.cmdline))
                 if isinstance(n, linuxvm.LegoNode) and n.iso is None else n
                 for n in nodes]
        result = linuxvm.run_cluster(nodes, tmp_path, initrd,
                                     timeout=timeout, **kwargs)
        if any(r.exit_code == linuxvm.EXIT_TIMEOUT for r in result):
            hangs.append(request.node.name)
        return result

    return run
