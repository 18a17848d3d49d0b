# SPDX-License-Identifier: GPL-2.0
"""The RDMA interoperability test, Linux <-> Linux over rdma_rxe.

Two Debian VMs on one emulated segment, soft-RoCE (rdma_rxe) on their
virtio-net NICs, and linux-modules/rdma_test/rdma_test.ko on both
(Documentation/rdma-interop.md; the protocol is in
include/uapi/lego/rdma_test.h). The module is built here against the
guest kernel's headers (scripts/linuxvm/fetch-kernel installs them); the
initramfs gets the host's iproute2 `rdma` tool for `rdma link add`.

* the whole plan, both directions: SEND, SEND_WITH_IMM, RDMA_WRITE,
  RDMA_WRITE_WITH_IMM and RDMA_READ at 1 B to 1 MiB, every byte checked,
  both nodes PASS with the same totals, and rxe's counters show the
  packets crossed the segment;
* the checks are not vacuous: one flipped byte (corrupt=) fails the step on
  both sides with where it was;
* a configuration error (both nodes initiators) fails fast and clearly.

About 6 s per two-VM run on two TCG cores.
"""

import os
import re
import shutil
import subprocess

import pytest

from lib import linuxvm

TIMEOUT = 90
RDMA_TIMEOUT = 45                   # the module's own deadline
MODULES = ("virtio_pci", "virtio_net", "crc32_generic", "rdma_rxe")
KO_PATH = "/lib/rdma_test/rdma_test.ko"
# RDMA_TEST_DEFAULT_SIZES of include/uapi/lego/rdma_test.h
SIZES = (1, 64, 1000, 1024, 1025, 4096, 65536, 1 << 20)
NR_OPS = 5
PMTU = 1024

RESULT_RE = re.compile(r"^RDMA-TEST: (PASS|FAIL) (.*)$", re.M)
PASS_RE = re.compile(r"^ops=(\d+) bytes=(\d+)$")


def need(what):
    """Skip for want of WHAT, except under CI, which must run these."""
    if os.environ.get("CI"):
        pytest.fail(what, pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="module")
def rdma_initrd(tmp_path_factory):
    try:
        kernel = linuxvm.fetch_kernel(headers=True)
    except linuxvm.LinuxVMError as e:
        need(f"no guest kernel with headers: {e}")
    rdma = shutil.which("rdma", path=os.environ.get("PATH", "") +
                        ":/usr/sbin:/sbin")
    if not rdma:
        need("no iproute2 rdma tool on the host (apt-get install iproute2)")
    out = tmp_path_factory.mktemp("rdma")
    make = subprocess.run(
        ["make", "-s", "-C", linuxvm.REPO / "linux-modules" / "rdma_test",
         f"KDIR={kernel['headers']}", f"O={out / 'ko'}"],
        capture_output=True, text=True, check=False)
    if make.returncode:
        pytest.fail(f"building rdma_test.ko failed:\n{make.stdout}"
                    f"{make.stderr}", pytrace=False)
    try:
        return linuxvm.mkinitramfs(
            out / "rdma.cpio.gz", modules=MODULES,
            files=[(out / "ko" / "rdma_test.ko", KO_PATH)], binaries=[rdma])
    except linuxvm.LinuxVMError as e:
        pytest.fail(str(e), pytrace=False)


def run_pair(initrd, tmp_path, role_a, role_b, params=None,
             stop_on_failure=True):
    params = {"rdma_timeout": RDMA_TIMEOUT, **(params or {})}
    nodes = [linuxvm.LinuxNode(name, ip=f"10.0.0.{i}/24", test="rdma-test",
                               modules=MODULES,
                               params={"peer": f"10.0.0.{3 - i}",
                                       "role": role, **params})
             for name, i, role in (("a", 1, role_a), ("b", 2, role_b))]
    return linuxvm.run_linux_nodes(nodes, tmp_path, initrd, timeout=TIMEOUT,
                                   stop_on_failure=stop_on_failure)


def verdict(node):
    """The module's (PASS|FAIL, rest) from a node's console, or None."""
    m = RESULT_RE.search(node.log)
    return (m.group(1), m.group(2).strip()) if m else None


def counters(node):
    """rxe's hw_counters, as the guest test printed them."""
    for line in node.log.splitlines():
        if line.startswith("RXE-COUNTERS "):
            return {k: int(v) for k, v in
                    re.findall(r"(\w+)=(\d+)", line)}
    return {}


def test_rdma_both_directions(rdma_initrd, tmp_path, record_property):
    result = run_pair(rdma_initrd, tmp_path, "initiator", "target")
    assert result.passed, result.describe()
    want_ops = 2 * NR_OPS * len(SIZES)
    want_bytes = 2 * NR_OPS * sum(SIZES)
    # Request packets of one operation at every size, at PMTU 1024.
    packets = sum(-(-size // PMTU) for size in SIZES)
    for node in result:
        v = verdict(node)
        assert v and v[0] == "PASS", node.describe()
        m = PASS_RE.match(v[1])
        assert m and (int(m[1]), int(m[2])) == (want_ops, want_bytes), \
            node.describe()
        c = counters(node)
        # As target the four SENDs and WRITEs, as initiator the READ data.
        assert c.get("rcvd_pkts", 0) >= NR_OPS * packets, \
            f"{c}\n{node.describe()}"
        assert c.get("retry_exceeded_err", 1) == 0, c
        record_property(f"{node.name}_rcvd_pkts", c["rcvd_pkts"])
        record_property(f"{node.name}_duplicate_request",
                        c.get("duplicate_request"))
    record_property("wall_s", result.wall_time)


def test_rdma_checks_catch_corruption(rdma_initrd, tmp_path):
    # Step 2 of round 0 is a SEND of 1000 bytes; byte 500 is flipped.
    result = run_pair(rdma_initrd, tmp_path, "initiator", "target",
                      {"corrupt": 2}, stop_on_failure=False)
    for node in result:
        assert node.exit_code == linuxvm.EXIT_FAIL, node.describe()
        v = verdict(node)
        assert v and v[0] == "FAIL", node.describe()
        assert "round 0 step 2 SEND 1000 B" in v[1], node.describe()
        assert "data differs from the pattern (detail 500)" in v[1], \
            node.describe()
    assert result.wall_time < 40, result.describe()


def test_rdma_both_initiators_fail_fast(rdma_initrd, tmp_path):
    result = run_pair(rdma_initrd, tmp_path, "initiator", "initiator",
                      stop_on_failure=False)
    for node in result:
        assert node.exit_code == linuxvm.EXIT_FAIL, node.describe()
        assert verdict(node) == ("FAIL", "both sides are the initiator of "
                                 "round 0 (give the peer the other role)"), \
            node.describe()
    assert result.wall_time < 40, result.describe()
