# SPDX-License-Identifier: GPL-2.0
"""Fixtures of the cluster runner tests (scripts/cluster; see
Documentation/cluster.md).

  lego_images   session: build/{processor,memory}/lego-*.elf, built with
                `make` if missing (the runner makes an ISO per node even
                when its QEMU is the fake one)
  runner        runner(*args, env=) -> subprocess.Popen of scripts/cluster
                in its own session, stdout and stderr merged into one pipe
  fake_cluster  fake_cluster(text) -> the manifest TEXT written to the
                test's tmp dir, for runs with tests/cluster/fake-qemu

Markers: every test here is `cluster`; test_cluster_boot.py is also
`cluster_boot` and `qemu`: it boots the real images (building them, and
Debian's kernel and fit.ko, if needed) and needs FIT in the kernel.
"""

import os
import subprocess
from pathlib import Path

import pytest

from lib import qemu

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "scripts" / "cluster"
FAKE_QEMU = Path(__file__).resolve().parent / "fake-qemu"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cluster: tests of scripts/cluster and its manifests")
    config.addinivalue_line(
        "markers", "cluster_boot: boots whole FIT clusters from "
        "configs/*.cluster with the real images (builds what is missing)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def lego_images():
    elfs = [qemu.default_elf(role) for role in qemu.ROLES]
    if not all(elf.is_file() for elf in elfs):
        proc = subprocess.run(["make", "--no-print-directory", "all"],
                              cwd=REPO, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            pytest.fail(f"make failed (status {proc.returncode}):\n"
                        f"{proc.stdout[-3000:]}{proc.stderr[-3000:]}",
                        pytrace=False)
    return elfs


@pytest.fixture
def runner():
    procs = []

    def start(*args, env=None):
        proc = subprocess.Popen(
            [str(RUNNER), *map(str, args)], cwd=REPO,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={**os.environ, **(env or {})})
        procs.append(proc)
        return proc

    yield start
    for proc in procs:              # a failed test must not leave one
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.fixture
def fake_cluster(tmp_path):
    def write(text, name="fake.cluster"):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
