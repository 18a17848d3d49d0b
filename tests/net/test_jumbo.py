# SPDX-License-Identifier: GPL-2.0
"""Jumbo frames between two bare-metal LegoOS nodes: `net.mtu=9000`.

* RDMA: the ktest suite `sroce_peer` (as in test_rdma_lego.py: SEND,
  SEND_WITH_IMM, RDMA_WRITE, RDMA_WRITE_WITH_IMM and RDMA_READ at 1 B to
  1 MiB, both directions, every byte verified) with both nodes at MTU
  9000, once on virtio-net (QEMU `host_mtu=9000`: VIRTIO_NET_F_MTU) and
  once on e1000 (RCTL.LPE, 16 KiB receive buffers). Each node's boot log
  must say `active MTU 4096`, and the request packets counted by sroce
  must be those of 4096-byte segments, not 1024-byte ones.
* UDP: the `nettest` suite against the other node's echo service, both at
  MTU 9000: the 31 size classes up to 1472 bytes and the 8 jumbo ones
  (1473 .. 8972 bytes, 8000 among them), each echoed byte for byte through
  the rx thread and busy-polled, and 8973 bytes refused with -EMSGSIZE.
* ICMP and UDP with Linux: a Debian VM at MTU 9000 (`lvm.mtu=9000`) pings
  a LegoOS node at MTU 9000 with 8000 bytes of ICMP data (an 8028-byte
  datagram, unfragmented) and gets UDP datagrams of 1473 .. 8972 bytes
  back from its echo service byte for byte (virtio-net on both).

Each run takes 3-10 s on two TCG cores.
"""

import re

import pytest

from lib import checks, linuxvm
from test_rdma_lego import rdma_pair

JUMBO = "net.mtu=9000"
NICS = {    # name: (QEMU device, its properties)
    "virtio": ("virtio-net-pci", "host_mtu=9000"),
    "e1000": ("e1000", ""),
}
ACTIVE_RE = re.compile(r"sroce: sroce0 on eth0 [\d.]+, active MTU (\d+)")
STATUS_RE = re.compile(r"net: eth0 \S+ [\d./]+ link up mtu (\d+) \(")
REQ_PKTS_RE = re.compile(r"sroce0 qps:.* req_pkts=(\d+)")
# What one node sends as requester in sroce_peer, at PMTU 4096: 40
# messages (6,912,330 bytes), 1,710 request packets once (a READ is one
# request), and at most a few hundred resent; at PMTU 1024 it would be
# more than 6,000.
MAX_REQ_PKTS_4096 = 3000
TESTER_IP, PEER_IP = "10.0.0.1", "10.0.0.2"
LINUX_UDP_SIZES = (64, 1472, 1473, 4096, 8000, 8972)
LINUX_ROUNDS = 2
PINGS = 5
PING_SIZE = 8000
NETTEST_CASES = ("udp_echo_irq", "udp_echo_busy_poll", "udp_echo_burst",
                 "oversize_refused")
SIZES_RE = re.compile(r"# (udp_echo_\w+): (\d+) sizes, (\d+) retries")
LARGEST_RE = re.compile(r"# (udp_echo_\w+): largest echoed (\d+) bytes, "
                        r"MTU (\d+)")
JUMBO_SIZES = 31 + 8


def expect_jumbo_boot(log, name):
    status = STATUS_RE.search(log)
    assert status and status.group(1) == "9000", f"{name}:\n{log}"
    active = ACTIVE_RE.search(log)
    assert active and active.group(1) == "4096", f"{name}:\n{log}"


@pytest.mark.parametrize("nic", sorted(NICS))
def test_rdma_jumbo(cluster, nic, record_property):
    model, opts = NICS[nic]
    result = rdma_pair(cluster, JUMBO, nic=model, nic_opts=opts)
    for node in result:
        expect_jumbo_boot(node.log, node.name)
        sent = [int(n) for n in REQ_PKTS_RE.findall(node.log)]
        assert sent and 0 < sum(sent) < MAX_REQ_PKTS_4096, node.describe()
        record_property(f"{node.name}_req_pkts", sum(sent))
    record_property("wall_s", result.wall_time)


@pytest.mark.parametrize("nic", sorted(NICS))
def test_udp_jumbo(cluster, nic, record_property):
    model, opts = NICS[nic]
    peer = linuxvm.LegoNode(
        "peer", "memory", f"net.ip={PEER_IP}/24 net.echo_port=7 {JUMBO}",
        nic=model, nic_opts=opts, service=True)
    tester = linuxvm.LegoNode(
        "tester", "processor", f"net.ip={TESTER_IP}/24 ktest=nettest "
        f"net.test_peer={PEER_IP} {JUMBO}", nic=model, nic_opts=opts)
    result = cluster([peer, tester])
    assert result.passed, result.describe()
    assert result["peer"].stopped == linuxvm.SERVICE_STOPPED, \
        result.describe()
    log = result["tester"].log
    checks.expect_cases_passed(log, NETTEST_CASES, "nettest",
                               result.describe())
    sizes = {m.group(1): int(m.group(2)) for m in SIZES_RE.finditer(log)}
    assert sizes == {"udp_echo_irq": JUMBO_SIZES,
                     "udp_echo_busy_poll": JUMBO_SIZES}, log
    largest = {m.group(1): (int(m.group(2)), int(m.group(3)))
               for m in LARGEST_RE.finditer(log)}
    assert set(largest.values()) == {(8972, 9000)}, log
    record_property("retries", sum(int(m.group(3))
                                   for m in SIZES_RE.finditer(log)))
    record_property("wall_s", result.wall_time)


def test_linux_jumbo_ping_and_echo(cluster, linux_initrd, record_property):
    model, opts = NICS["virtio"]
    lego = linuxvm.LegoNode("lego", "processor",
                            f"net.ip={PEER_IP}/24 net.echo_port=7 {JUMBO}",
                            nic=model, nic_opts=opts, service=True)
    linux = linuxvm.LinuxNode(
        "linux", ip=f"{TESTER_IP}/24", nic=model, nic_opts=opts,
        test="ping-udpecho",
        params={"peer": PEER_IP, "mtu": 9000, "pings": PINGS,
                "ping_size": PING_SIZE, "port": 7, "sizes": LINUX_UDP_SIZES,
                "count": LINUX_ROUNDS * len(LINUX_UDP_SIZES)})
    result = cluster([lego, linux], initrd=linux_initrd)
    assert result.passed, result.describe()
    expect_jumbo_boot(result["lego"].log, "lego")
    log = result["linux"].log
    ping = linuxvm.parse_ping(log)
    assert ping and ping["count"] == PINGS and \
        ping["size"] == PING_SIZE, log
    rows = linuxvm.parse_udpecho(log)
    assert [r["size"] for r in rows] == list(LINUX_UDP_SIZES), log
    assert all(r["count"] == LINUX_ROUNDS for r in rows), log
    assert result["lego"].stopped == linuxvm.SERVICE_STOPPED
    record_property("ping_8000_avg_ms", ping["avg_ms"])
