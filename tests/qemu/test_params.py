# SPDX-License-Identifier: GPL-2.0
"""Bad boot parameters are reported, never fatal and never silently ignored."""

import re

import pytest

from lib import checks

ROLES = ("processor", "memory")


@pytest.mark.parametrize("role", ROLES)
def test_unknown_parameter(boot, role):
    result = boot(role, "foo.bar=1 ktest=all", smp=2)
    m = checks.expect_line(result, r"params: unknown parameter 'foo\.bar=1'")
    # The warning is followed, before the ready line, by the list of valid
    # parameters, which names at least the two every image has.
    listing = result.log[m.end():].split("manager ready:")[0]
    for name in ("lego.node", "ktest"):
        if not re.search(re.escape(name) + r"\b", listing):
            checks.fail(result, "the unknown-parameter warning is not "
                        f"followed by a list of valid parameters naming {name}")
    checks.expect_exit(result)
    checks.expect_ready(result, role, 2)
    checks.expect_ktap_pass(result)


@pytest.mark.parametrize("role", ROLES)
def test_malformed_parameter(boot, role):
    result = boot(role, "lego.node=abc ktest=all", smp=2)
    checks.expect_line(result, r"params: invalid value 'abc' for lego\.node")
    checks.expect_exit(result)
    checks.expect_ready(result, role, 2)
    checks.expect_ktap_pass(result)
