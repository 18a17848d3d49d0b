# SPDX-License-Identifier: GPL-2.0
"""Tier 1: the host unit tests (cmocka, ASan/UBSan) of tests/host/.

`make -C tests/host` builds one executable per test file as
build/host/test_*; each becomes one pytest case. The build runs once, at
collection time, so that the list of cases is the list of executables.
"""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HOST_BUILD = REPO / "build" / "host"
TIMEOUT = 120     # seconds; a host test normally takes one or two
# The same sanitizer settings as `make -C tests/host run` (tests/host/Makefile),
# so that a test behaves the same under pytest and under make.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "abort_on_error=0:halt_on_error=1:detect_leaks=1:"
                    "detect_stack_use_after_return=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}


def _build():
    """Build the host tests; returns (ok, output)."""
    proc = subprocess.run(["make", "-C", str(REPO / "tests" / "host")],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    return proc.returncode == 0, proc.stdout


def _executables():
    if not HOST_BUILD.is_dir():
        return []
    return sorted(p for p in HOST_BUILD.glob("test_*")
                  if p.is_file() and "." not in p.name
                  and os.access(p, os.X_OK))


def pytest_generate_tests(metafunc):
    if "host_test" not in metafunc.fixturenames:
        return
    ok, output = _build()
    if not ok:
        metafunc.parametrize("host_test", [("make", output)], ids=["build"])
        return
    tests = _executables()
    if not tests:
        output += "\nno executables build/host/test_* after the build"
        metafunc.parametrize("host_test", [("make", output)], ids=["build"])
        return
    metafunc.parametrize("host_test", [(str(p), None) for p in tests],
                         ids=[p.name for p in tests])


def _run(path):
    """Run one test executable; returns (status or None on timeout, output)."""
    try:
        proc = subprocess.run([path], cwd=REPO, stdin=subprocess.DEVNULL,
                              env={**os.environ, **SANITIZER_ENV},
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TIMEOUT,
                              check=False)
        return proc.returncode, proc.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return None, (e.output or b"").decode("utf-8", "replace")


def test_host_unit(host_test):
    path, build_output = host_test
    if path == "make":
        pytest.fail("make -C tests/host failed:\n" + build_output,
                    pytrace=False)
    status, output = _run(path)
    if status is None:
        pytest.fail(f"{path} did not finish in {TIMEOUT} s and was killed:\n"
                    + output, pytrace=False)
    if status != 0:
        pytest.fail(f"{path} exited with status {status}:\n" + output,
                    pytrace=False)
