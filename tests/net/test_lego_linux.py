# SPDX-License-Identifier: GPL-2.0
"""A Debian Linux VM and a bare-metal LegoOS node on one segment.

* Linux pings LegoOS (every ping answered: ARP and ICMP echo of our stack
  against Linux's), then runs its udpecho client against LegoOS's
  in-kernel echo service on port 7: datagrams of every size class from 16
  (udpecho's header) to 1472 bytes, each echo checked byte for byte by
  Linux. Once with virtio-net and once with e1000 on both nodes; the
  LegoOS node is a service node, so its early death or a panic fails the
  test.
* Flood: the Linux VM sends the LegoOS node thousands of malformed frames
  (usr/linuxvm/netflood.c: 19 classes, from random bytes to ARP garbage),
  pings it and says DONE; LegoOS runs the ktest suite `netflood`
  (net/flood_test.c), which passes only if it saw DONE, the drop counter
  of every class grew by about what was sent, and every ping was answered.
  Both nodes must exit 33. Once per LegoOS NIC (the Linux VM always uses
  virtio-net).

Each run takes 6-12 s on two TCG cores.
"""

import re

import pytest

from lib import checks, linuxvm

NICS = ("virtio-net-pci", "e1000")
LEGO_IP, LINUX_IP = "10.0.0.1", "10.0.0.2"
# udpecho's datagrams carry a 16-byte header; the smaller classes are
# covered by the LegoOS<->LegoOS nettest suite.
UDP_SIZES = (16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257,
             511, 512, 513, 1023, 1024, 1025, 1400, 1471, 1472)
ROUNDS = 4
PINGS = 10
FLOOD_PER_CLASS = 500
FLOOD_CLASSES = 19


@pytest.mark.parametrize("nic", NICS)
def test_linux_pings_and_echoes(cluster, linux_initrd, nic, record_property):
    lego = linuxvm.LegoNode("lego", "processor",
                            f"net.ip={LEGO_IP}/24 net.echo_port=7",
                            nic=nic, service=True)
    linux = linuxvm.LinuxNode(
        "linux", ip=f"{LINUX_IP}/24", nic=nic, test="ping-udpecho",
        params={"peer": LEGO_IP, "pings": PINGS, "port": 7,
                "sizes": UDP_SIZES, "count": ROUNDS * len(UDP_SIZES)})
    result = cluster([lego, linux], initrd=linux_initrd)
    assert result.passed, result.describe()
    log = result["linux"].log
    ping = linuxvm.parse_ping(log)
    assert ping and ping["peer"] == LEGO_IP and ping["count"] == PINGS, log
    rows = linuxvm.parse_udpecho(log)
    assert [r["size"] for r in rows] == list(UDP_SIZES), log
    assert all(r["count"] == ROUNDS for r in rows), log
    assert "echoed intact" in result["linux"].verdict[1], log
    assert result["lego"].stopped == linuxvm.SERVICE_STOPPED
    record_property("ping_avg_ms", ping["avg_ms"])
    record_property("udp64_median_us",
                    next(r["median_us"] for r in rows if r["size"] == 64))


@pytest.mark.parametrize("nic", NICS)
def test_flood_of_malformed_frames(cluster, linux_initrd, nic,
                                   record_property):
    lego = linuxvm.LegoNode("lego", "processor",
                            f"net.ip={LEGO_IP}/24 ktest=netflood "
                            "net.flood_port=9000", nic=nic)
    linux = linuxvm.LinuxNode(
        "linux", ip=f"{LINUX_IP}/24", test="flood",
        params={"peer": LEGO_IP, "count": FLOOD_PER_CLASS, "gap": 500,
                "pings": PINGS})
    result = cluster([lego, linux], initrd=linux_initrd)
    assert result.passed, result.describe()
    lego_log, linux_log = result["lego"].log, result["linux"].log
    sent = re.search(r"^NETFLOOD-SENT total=(\d+)", linux_log, re.M)
    assert sent and int(sent.group(1)) == FLOOD_PER_CLASS * FLOOD_CLASSES, \
        linux_log
    checks.expect_cases_passed(lego_log, ("flood_survived",
                                          "drops_counted_per_class",
                                          "echo_requests_answered"),
                               "netflood", lego_log)
    m = re.search(r"# drops_counted_per_class: (\d+) malformed frames sent, "
                  r"(\d+) drops counted", lego_log)
    assert m and int(m.group(1)) == int(sent.group(1)), lego_log
    assert re.search(rf"# echo_requests_answered: {PINGS} echo requests, "
                     rf"{PINGS} replies", lego_log), lego_log
    record_property("drops_counted", int(m.group(2)))
