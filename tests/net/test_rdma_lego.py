# SPDX-License-Identifier: GPL-2.0
"""Soft-RoCEv2 RDMA between two bare-metal LegoOS nodes (virtio-net).

Both nodes run the ktest suite `sroce_peer`
(drivers/infiniband/sw/sroce/sroce_peer_test.c): a UDP handshake, then
SEND, SEND_WITH_IMM, RDMA_WRITE, RDMA_WRITE_WITH_IMM and RDMA_READ at sizes
1 B, 64 B, 1024 B, 1025 B, 4 KiB, 64 KiB, 256 KiB and 1 MiB, client to server and then server to client, every
byte verified where it landed (and the guard bytes after it), then a QP
towards a QP number the peer does not have, whose work must fail within 2 s
(RETRY_EXC_ERR, the rest WR_FLUSH_ERR). Both nodes must exit 33 with every
case passed and no mismatch.

Again with both nodes losing 10%, duplicating 5% and reordering 5% of the
frames they send, with messages up to 256 KiB (about 3.3 MB verified):
go-back-N recovery must make the loss invisible. (With 1 MiB messages the
lossy run also passes, in about a minute: a lost READ response re-requests
the whole tail.)

Each run takes about 7 s (clean) and 13 s (lossy) on two TCG cores.
"""

import re

import pytest

from lib import checks, linuxvm

CLIENT_IP, SERVER_IP = "10.0.0.1", "10.0.0.2"
CASES = ("handshake", "client_to_server", "server_to_client",
         "peer_vanishes", "teardown_counters")
FAULTS = ("net.test_loss=100 net.test_dup=50 net.test_reorder=50 "
          "rdma.test_max_size=262144")
STATS_RE = re.compile(r"# (client_to_server|server_to_client): (requester|"
                      r"target): (\d+) messages, (\d+) bytes verified, "
                      r"(\d+) mismatches")
WRITE_RE = re.compile(r"1 MiB RDMA_WRITE (\d+) us")
VANISH_RE = re.compile(r"dead peer [\d.]+: RETRY_EXC_ERR after (\d+) ms")
RETRANS_RE = re.compile(r"sroce0 qps:.* req_retrans_pkts=(\d+)")


def rdma_pair(cluster, faults="", messages=40, nic="virtio-net-pci",
              nic_opts=""):
    """5 operations x 8 sizes (1 B .. 1 MiB), or 7 sizes up to 256 KiB.
    FAULTS: more kernel parameters for both nodes; NIC and NIC_OPTS their
    QEMU NIC (test_jumbo.py: net.mtu=9000 and host_mtu=9000)."""
    server = linuxvm.LegoNode(
        "server", "memory", f"net.ip={SERVER_IP}/24 ktest=sroce_peer "
        f"rdma.test_peer={CLIENT_IP} rdma.test_role=server {faults}",
        nic=nic, nic_opts=nic_opts)
    client = linuxvm.LegoNode(
        "client", "processor", f"net.ip={CLIENT_IP}/24 ktest=sroce_peer "
        f"rdma.test_peer={SERVER_IP} rdma.test_role=client {faults}",
        nic=nic, nic_opts=nic_opts)
    result = cluster([server, client], timeout=120)
    assert result.passed, result.describe()
    for node in ("server", "client"):
        log = result[node].log
        checks.expect_cases_passed(log, CASES, "sroce_peer",
                                   f"{node}:\n{result.describe()}")
        halves = {m.group(1): m.groups()[1:] for m in STATS_RE.finditer(log)}
        assert set(halves) == {"client_to_server", "server_to_client"}, log
        for half, (role, msgs, nbytes, bad) in halves.items():
            assert int(bad) == 0, f"{node} {half}: {bad} mismatches\n{log}"
            assert int(msgs) == messages, \
                f"{node} {half}: {msgs} messages\n{log}"
        vanish = VANISH_RE.search(log)
        assert vanish and int(vanish.group(1)) < 2000, log
    return result


def test_rdma_two_nodes(cluster, record_property):
    result = rdma_pair(cluster)
    writes = [int(m.group(1)) for r in result
              for m in WRITE_RE.finditer(r.log)]
    assert len(writes) == 2, result.describe()
    record_property("write_1mib_us", max(writes))
    record_property("wall_s", result.wall_time)


def test_rdma_two_nodes_lossy_link(cluster, record_property):
    result = rdma_pair(cluster, FAULTS, messages=35)
    retrans = [int(m.group(1)) for r in result
               for m in RETRANS_RE.finditer(r.log)]
    # 3 MB through two 10%-lossy senders: retransmission must have worked.
    assert retrans and sum(retrans) > 0, result.describe()
    record_property("retransmitted", sum(retrans))
    record_property("wall_s", result.wall_time)


@pytest.mark.parametrize("nic", ["e1000"])
def test_rdma_two_nodes_e1000(cluster, nic):
    server = linuxvm.LegoNode(
        "server", "memory", f"net.ip={SERVER_IP}/24 ktest=sroce_peer "
        f"rdma.test_peer={CLIENT_IP} rdma.test_role=server", nic=nic)
    client = linuxvm.LegoNode(
        "client", "processor", f"net.ip={CLIENT_IP}/24 ktest=sroce_peer "
        f"rdma.test_peer={SERVER_IP} rdma.test_role=client", nic=nic)
    result = cluster([server, client], timeout=120)
    assert result.passed, result.describe()
