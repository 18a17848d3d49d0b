# SPDX-License-Identifier: GPL-2.0
"""The cluster harness judges service nodes and panics as it should.

A service node (an echo peer that never exits) passes when it is still up
at the end (test_lego_pairs.py relies on that); but if it dies early, or panics without exiting (a LegoOS
kernel without ktest= halts), the run fails at once: the other nodes are
stopped, not waited for, and no QEMU is left behind. Each run takes a few
seconds (bare-metal nodes boot in under a second).
"""

import os
from pathlib import Path

import pytest

from lib import linuxvm

TESTER = linuxvm.LegoNode("tester", "processor",
                          "net.ip=10.0.0.1/24 ktest=nettest "
                          "net.test_peer=10.0.0.2")


def expect_gone(result):
    for r in result:
        cmdline = Path(f"/proc/{r.pid}/cmdline")
        alive = cmdline.exists() and b"qemu" in cmdline.read_bytes()
        assert not alive, f"QEMU of node {r.name} (pid {r.pid}) still runs"


def peer(cmdline):
    return linuxvm.LegoNode("peer", "memory",
                            f"net.ip=10.0.0.2/24 net.echo_port=7 {cmdline}",
                            service=True)


def test_service_panic_fails_the_run(cluster):
    # No ktest= on the peer: its panic halts the machine, QEMU never exits.
    result = cluster([peer("debug.crash=panic"), TESTER])
    assert not result.passed
    p, t = result["peer"], result["tester"]
    assert not p.passed and "Kernel panic - not syncing" in p.failure, \
        p.describe()
    assert "no exit 3 s after its console showed a failure" in p.stopped
    assert "node peer ended" in t.stopped, t.describe()
    assert t.wall_time < 30, t.describe()
    assert "Kernel panic" in p.describe()
    expect_gone(result)


def test_service_early_exit_fails_the_run(cluster):
    result = cluster([peer("ktest=nosuch"), TESTER])
    assert not result.passed
    p, t = result["peer"], result["tester"]
    assert p.exit_code == linuxvm.EXIT_FAIL and not p.passed, p.describe()
    assert "node peer ended with status 35" in t.stopped, t.describe()
    expect_gone(result)


def test_only_service_nodes_is_refused(tmp_path):
    spec = linuxvm.NodeSpec("s", ["true"], tmp_path / "s.log", service=True)
    with pytest.raises(ValueError, match="every node is a service node"):
        linuxvm.run_nodes([spec])
    assert not os.path.exists(tmp_path / "s.log")
