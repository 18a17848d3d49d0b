# SPDX-License-Identifier: GPL-2.0
"""Boot matrix: every image boots through GRUB on every machine shape we
support, reaches ready with the right CPU count and passes `ktest=all`.

2 roles x smp {1,4} x mem {512M,4G} x machine {pc,q35} x cpu {max,qemu64} =
32 boots. The `quick` subset (smp 4, 512M, q35, max, both roles) comes first.
"""

import itertools

import pytest

from lib import checks

ROLES = ("processor", "memory")
QUICK = {"smp": 4, "mem": "512M", "machine": "q35", "cpu": "max"}


def matrix():
    quick, rest = [], []
    for smp, mem, machine, cpu, role in itertools.product(
            (4, 1), ("512M", "4G"), ("q35", "pc"), ("max", "qemu64"), ROLES):
        shape = {"smp": smp, "mem": mem, "machine": machine, "cpu": cpu}
        case_id = f"{role}-smp{smp}-{mem}-{machine}-{cpu}"
        if shape == QUICK:
            quick.append(pytest.param(role, shape, id=case_id,
                                      marks=pytest.mark.quick))
        else:
            rest.append(pytest.param(role, shape, id=case_id))
    return quick + rest


@pytest.mark.parametrize("role,shape", matrix())
def test_boot(boot, role, shape):
    result = boot(role, "ktest=all", **shape)
    checks.expect_exit(result)
    checks.expect_banner(result, role)
    checks.expect_ready(result, role, shape["smp"])
    checks.expect_ktap_pass(result)
