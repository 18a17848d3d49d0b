# SPDX-License-Identifier: GPL-2.0
"""FIT nodes on Debian Linux VMs: fit.ko over soft-RoCE (rdma_rxe).

A Linux FIT node is a LinuxNode running the guest script
usr/linuxvm/tests/fit-node, which makes rxe0 on eth0 and loads
linux-modules/fit/fit.ko with the node's parameters (Documentation/fit.md).
It either runs FIT's self test against every peer and exits with the
verdict, or serves until the harness stops it, so that bare-metal LegoOS
nodes (linuxvm.LegoNode) and other Linux nodes can call it:

    initrd = fitnode.fit_initrd(tmp)        # builds fit.ko, then the image
    nodes = [fitnode.fit_linux_node("s", 2, "10.0.0.3",
                                    {0: "10.0.0.1", 1: "10.0.0.2"}),
             linuxvm.LegoNode("p", "processor", "net.ip=10.0.0.1/24 "
                              "fit.node=0 fit.peers=1@10.0.0.2,2@10.0.0.3 "
                              "ktest=fit"), ...]
    result = linuxvm.run_cluster(nodes, tmp, initrd=initrd, timeout=120)
    fitnode.parse_selftest(result["s"].log)

fit_initrd() needs the guest kernel's headers (scripts/linuxvm/fetch-kernel
installs them, as root) and the host's iproute2 `rdma` tool; it raises
linuxvm.LinuxVMError saying what is missing or what failed to build.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from . import linuxvm

# What a FIT node loads (lvm.mods): the NIC, then soft-RoCE.
MODULES = ("virtio_pci", "virtio_net", "crc32_generic", "rdma_rxe")
KO_PATH = "/lib/fit/fit.ko"
TEST = "fit-node"

# fit.ko's module parameters that fit_linux_node() passes on as lvm.fit_*.
FIT_PARAMS = ("role", "qps", "workers", "timeout_ms", "dead_ms", "hello_ms",
              "credits", "max_calls", "port", "dev", "ping")
# Parameters of the guest script itself (lvm.fit_*).
SCRIPT_PARAMS = ("wait", "linger")
# LinuxNode fields fit_linux_node() accepts as keywords.
NODE_FIELDS = ("nic", "modules", "timeout", "mem", "cpu", "append",
               "extra_args")

SERVING_RE = re.compile(r"^FIT-NODE: serving", re.M)
SELFTEST_RE = re.compile(r"FIT-SELFTEST: node (\d+): (PASS|FAIL)(?: (-?\d+))?")
DONE_RE = re.compile(r"FIT-SELFTEST: DONE passed=(\d+) failed=(\d+)")


def build_fit_ko(out, kdir=None):
    """make -C linux-modules/fit with its objects in OUT; returns the path
    of fit.ko. KDIR defaults to the guest kernel's headers. Raises
    linuxvm.LinuxVMError with the compiler's output on failure."""
    cmd = ["make", "-s", "-C", str(linuxvm.REPO / "linux-modules" / "fit"),
           f"O={out}"]
    if kdir:
        cmd.append(f"KDIR={kdir}")
    make = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if make.returncode:
        raise linuxvm.LinuxVMError(f"building fit.ko failed:\n{make.stdout}"
                                   f"{make.stderr}")
    return Path(out) / "fit.ko"


def fit_initrd(tmp_path):
    """Build fit.ko against the guest kernel's headers and an initramfs in
    TMP_PATH with it (at KO_PATH), the soft-RoCE modules (MODULES) and the
    host's rdma tool. Returns the initramfs's path."""
    tmp_path = Path(tmp_path)
    kernel = linuxvm.fetch_kernel(headers=True)
    rdma = shutil.which("rdma", path=os.environ.get("PATH", "") +
                        ":/usr/sbin:/sbin")
    if not rdma:
        raise linuxvm.LinuxVMError("no iproute2 rdma tool on the host "
                                   "(apt-get install iproute2)")
    ko = build_fit_ko(tmp_path / "fit-ko", kernel.get("headers"))
    return linuxvm.mkinitramfs(tmp_path / "fit.cpio.gz", modules=MODULES,
                               files=[(ko, KO_PATH)], binaries=[rdma])


def peers_param(peers):
    """fit.ko's peers= value from a dict {id: ip}, a list of (id, ip)
    pairs, or a string that already is one ("ID@IP,...")."""
    if isinstance(peers, str):
        return peers
    items = peers.items() if isinstance(peers, dict) else peers
    return ",".join(f"{int(node)}@{ip.split('/')[0]}" for node, ip in items)


def _param_value(value):
    if isinstance(value, bool):
        return 1 if value else 0
    return value


def fit_linux_node(name, node, ip, peers, token="lego", selftest=False,
                   service=None, **kw):
    """A LinuxNode that runs fit.ko as FIT node NODE at IP ("A.B.C.D",
    /24 unless it says otherwise) with PEERS (see peers_param()).

    selftest=True: the node runs FIT's self test against every peer and
    exits with the verdict (FIT-SELFTEST lines, parse_selftest()).
    Otherwise it serves until the harness stops it. service defaults to
    "not selftest" (a harness needs at least one node that ends the run).

    Keywords: fit.ko's parameters (FIT_PARAMS: role, qps, workers,
    timeout_ms, ...), the script's wait (seconds for the self test) and
    linger (seconds to stay up after it), and LinuxNode fields
    (NODE_FIELDS: nic, timeout, mem, append, ...)."""
    params = {"fit_node": node, "fit_peers": peers_param(peers),
              "fit_token": token, "fit_selftest": 1 if selftest else 0}
    fields = {}
    for key, value in kw.items():
        if key in FIT_PARAMS or key in SCRIPT_PARAMS:
            params[f"fit_{key}"] = _param_value(value)
        elif key in NODE_FIELDS:
            fields[key] = value
        else:
            raise TypeError(f"fit_linux_node() got an unknown keyword "
                            f"{key!r}")
    fields.setdefault("modules", MODULES)
    if service is None:
        service = not selftest
    return linuxvm.LinuxNode(name, ip=ip if "/" in ip else f"{ip}/24",
                             test=TEST, params=params, service=service,
                             **fields)


def parse_selftest(log):
    """The self test's verdict in a FIT node's console: a dict with
    "peers" ({node: 0 for PASS or the errno of the FAIL}) and "passed",
    "failed" from the DONE line (None if there is none)."""
    peers = {int(m[1]): 0 if m[2] == "PASS" else int(m[3] or -1)
             for m in SELFTEST_RE.finditer(log)}
    done = DONE_RE.search(log)
    return {"peers": peers,
            "passed": int(done[1]) if done else None,
            "failed": int(done[2]) if done else None}
