# SPDX-License-Identifier: GPL-2.0
"""Two bare-metal LegoOS nodes exchange verified UDP over the emulated wire.

The processor image runs the ktest suite `nettest` (net/peer_test.c)
against the memory image's in-kernel echo service (a service node, stopped
when the tester is done): datagrams of 31 size classes from 1 to 1472
bytes, each echoed byte for byte, first through the rx thread and then
busy-polled; a burst of 64; an oversize datagram refused. Once per NIC
pairing (virtio-net, e1000, mixed), and once more with both nodes losing
10%, duplicating 5% and reordering 5% of the frames they send: the suite
must still pass, after retries.

Each run takes about 6 s on two TCG cores.
"""

import re

import pytest

from lib import checks, linuxvm

TESTER_IP, PEER_IP = "10.0.0.1", "10.0.0.2"
CASES = ("udp_echo_irq", "udp_echo_busy_poll", "udp_echo_burst",
         "oversize_refused")
FAULTS = "net.test_loss=100 net.test_dup=50 net.test_reorder=50"
PAIRS = {   # name: (tester NIC, tester CPUs, peer NIC)
    "virtio": ("virtio-net-pci", 1, "virtio-net-pci"),
    "e1000": ("e1000", 1, "e1000"),
    "mixed": ("virtio-net-pci", 2, "e1000"),
}
SIZES_RE = re.compile(r"# (udp_echo_\w+): (\d+) sizes, (\d+) retries, "
                      r"(\d+) stale echoes")


def nettest_pair(cluster, pair, faults=""):
    nic, smp, peer_nic = PAIRS[pair]
    peer = linuxvm.LegoNode(
        "peer", "memory", f"net.ip={PEER_IP}/24 net.echo_port=7 {faults}",
        nic=peer_nic, service=True)
    tester = linuxvm.LegoNode(
        "tester", "processor", f"net.ip={TESTER_IP}/24 ktest=nettest "
        f"net.test_peer={PEER_IP} {faults}", nic=nic, smp=smp)
    result = cluster([peer, tester])
    assert result.passed, result.describe()
    assert result["peer"].stopped == linuxvm.SERVICE_STOPPED, \
        result.describe()
    log = result["tester"].log
    checks.expect_cases_passed(log, CASES, "nettest", result.describe())
    echoes = {m.group(1): (int(m.group(2)), int(m.group(3)))
              for m in SIZES_RE.finditer(log)}
    assert set(echoes) == {"udp_echo_irq", "udp_echo_busy_poll"}, log
    for case, (sizes, _) in echoes.items():
        assert sizes == 31, f"{case} did {sizes} of 31 sizes\n{log}"
    return result, sum(retries for _, retries in echoes.values())


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_nettest(cluster, pair, record_property):
    result, retries = nettest_pair(cluster, pair)
    record_property("retries", retries)
    record_property("wall_s", result.wall_time)


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_nettest_lossy_link(cluster, pair, record_property):
    result, retries = nettest_pair(cluster, pair, FAULTS)
    # 62 round trips through two 10%-lossy senders: some must be retried.
    assert retries > 0, result.describe()
    record_property("retries", retries)
    record_property("wall_s", result.wall_time)
