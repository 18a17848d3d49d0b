# SPDX-License-Identifier: GPL-2.0
"""Tier 1: the libFuzzer targets of tests/fuzz/ (clang, ASan/UBSan).

`make -C tests/fuzz run` builds each target, writes its seed corpus and
fuzzes it for a bounded number of runs and seconds (see tests/fuzz/Makefile);
it fails on any crash, sanitizer report, leak or broken counter invariant.
The input that failed is left in build/fuzz/crash-* to replay.
clang and its libFuzzer runtime come from scripts/setup-deps.
"""

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 600     # seconds: the build plus a 60 s run, with margin


def test_fuzz_targets():
    try:
        proc = subprocess.run(["make", "-C", str(REPO / "tests" / "fuzz"),
                               "run"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired as e:
        out = (e.output or b"").decode("utf-8", "replace")
        pytest.fail(f"make -C tests/fuzz run did not finish in {TIMEOUT} s:\n"
                    + out[-20000:], pytrace=False)
    out = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        pytest.fail("make -C tests/fuzz run failed (crash inputs are in "
                    "build/fuzz/crash-*):\n" + out[-20000:], pytrace=False)
