# SPDX-License-Identifier: GPL-2.0
"""The Linux VM harness works: Debian Linux VMs on one emulated segment.

* two VMs ping each other, and run udpecho with every echo checked byte for
  byte, once with virtio-net-pci and once with e1000 NICs, and once with one
  of each on the same segment;
* a guest's failure reaches the harness as exit 35 with its reason, and ends
  the run early: the other node is stopped, not waited for;
* a run that outlives its timeout is killed: exit 124, no QEMU left.

Each two-VM run takes about 7 s (virtio) to 11 s (e1000) on two TCG cores;
the 60 s timeout leaves room for a loaded machine.
"""

import os

import pytest

from lib import linuxvm

NICS = ("virtio-net-pci", "e1000")
TIMEOUT = 60
PINGS = 20
UDP_SIZES = (16, 64, 1472, 8000)    # 8000 B: IP fragmentation both ways
UDP_ROUNDS = 200


def expect_pass(result):
    if not result.passed:
        raise AssertionError("expected every node to exit 33 (pass)\n"
                             + result.describe())
    for r in result:
        assert r.verdict and r.verdict[0] == "PASS", r.describe()


def expect_gone(result):
    for r in result:
        cmdline = f"/proc/{r.pid}/cmdline"
        alive = os.path.exists(cmdline) and \
            b"qemu" in open(cmdline, "rb").read()
        assert not alive, f"QEMU of node {r.name} (pid {r.pid}) still runs"


def pair(nic_a, nic_b, test_a, test_b, params_a, params_b):
    return [linuxvm.LinuxNode("a", ip="10.0.0.1/24", nic=nic_a, test=test_a,
                              params=params_a),
            linuxvm.LinuxNode("b", ip="10.0.0.2/24", nic=nic_b, test=test_b,
                              params=params_b)]


def run_udpecho(nic_server, nic_client, initrd, tmp_path, sizes, rounds):
    nodes = pair(nic_server, nic_client, "udpecho-server", "udpecho-client",
                 {}, {"peer": "10.0.0.1", "count": rounds, "sizes": sizes})
    result = linuxvm.run_linux_nodes(nodes, tmp_path, initrd,
                                     timeout=TIMEOUT)
    expect_pass(result)
    rows = linuxvm.parse_udpecho(result["b"].log)
    assert [r["size"] for r in rows] == list(sizes), result["b"].describe()
    for r in rows:
        assert r["count"] == rounds // len(sizes), result["b"].describe()
        assert 0 < r["min_us"] <= r["median_us"] <= r["max_us"]
    assert "echoed intact" in result["b"].verdict[1]
    assert "no corrupt datagram" in result["a"].verdict[1]
    return result, rows


@pytest.mark.parametrize("nic", NICS)
def test_ping_each_other(nic, linux_initrd, tmp_path, record_property):
    params = {"count": PINGS, "await_pings": PINGS}
    nodes = pair(nic, nic, "ping", "ping", {"peer": "10.0.0.2", **params},
                 {"peer": "10.0.0.1", **params})
    result = linuxvm.run_linux_nodes(nodes, tmp_path, linux_initrd,
                                     timeout=TIMEOUT)
    expect_pass(result)
    for r, peer in ((result["a"], "10.0.0.2"), (result["b"], "10.0.0.1")):
        ping = linuxvm.parse_ping(r.log)
        assert ping and ping["peer"] == peer and ping["count"] == PINGS, \
            r.describe()
        record_property(f"{r.name}_ping_avg_ms", ping["avg_ms"])
        record_property(f"{r.name}_ready_s", r.ready_time)
    record_property("wall_s", result.wall_time)


@pytest.mark.parametrize("nic", NICS)
def test_udpecho(nic, linux_initrd, tmp_path, record_property):
    result, rows = run_udpecho(nic, nic, linux_initrd, tmp_path, UDP_SIZES,
                               UDP_ROUNDS)
    for r in rows:
        record_property(f"udp{r['size']}_median_us", r["median_us"])
    record_property("wall_s", result.wall_time)


def test_mixed_nics_on_one_segment(linux_initrd, tmp_path):
    run_udpecho("e1000", "virtio-net-pci", linux_initrd, tmp_path, (64,), 50)


def test_guest_failure_ends_the_run(linux_initrd, tmp_path):
    nodes = [linuxvm.LinuxNode("bad", nic=None, test="no-such-test"),
             linuxvm.LinuxNode("waiting", ip="10.0.0.2/24", test="ping",
                               params={"peer": "10.0.0.9"})]
    result = linuxvm.run_linux_nodes(nodes, tmp_path, linux_initrd,
                                     timeout=TIMEOUT)
    bad, waiting = result["bad"], result["waiting"]
    assert bad.exit_code == linuxvm.EXIT_FAIL, bad.describe()
    assert bad.verdict == ("FAIL", "no test /tests/no-such-test"), \
        bad.describe()
    assert not result.passed
    assert "node bad ended with status 35" in waiting.stopped, \
        waiting.describe()
    assert waiting.wall_time < 30, waiting.describe()
    expect_gone(result)


def test_timeout_kills_every_node(linux_initrd, tmp_path):
    nodes = [linuxvm.LinuxNode(name, ip=ip, test="ping",
                               params={"peer": "10.0.0.9"})
             for name, ip in (("x", "10.0.0.1/24"), ("y", "10.0.0.2/24"))]
    result = linuxvm.run_linux_nodes(nodes, tmp_path, linux_initrd,
                                     timeout=3)
    for r in result:
        assert r.exit_code == linuxvm.EXIT_TIMEOUT, r.describe()
        assert r.log_path.is_file()
    expect_gone(result)
