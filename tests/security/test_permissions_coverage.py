"""Each module's own permission matrix (besides test_permissions.py's) lists every public use case of the service
modules it covers, and a call for each, so a new use case cannot slip in unchecked."""

from __future__ import annotations

from types import ModuleType

import pytest

from . import test_permissions_code_corrections, test_permissions_reflection
from .test_permissions import _public_use_cases

# the test module holding CALLS and MATRIX -> the service modules whose use cases it must cover
MATRICES: dict[str, tuple[ModuleType, tuple[str, ...]]] = {
    "code_corrections": (test_permissions_code_corrections, ("code_corrections",)),
    "reflection": (test_permissions_reflection, ("reflection", "supervision")),
}


@pytest.mark.parametrize("matrix", sorted(MATRICES))
def test_matrix_covers_every_use_case_of_its_services(matrix):
    module, services = MATRICES[matrix]
    assert set(module.CALLS) == set(module.MATRIX)
    assert {u for u in _public_use_cases() if u.split(".")[0] in services} == set(module.MATRIX)
