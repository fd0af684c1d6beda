"""Settings from the environment: whole numbers that fall back to their default when unusable."""

from __future__ import annotations

import pytest

from learning.config import positive_int_env
from learning.services.audit import retention_days
from learning.services.gdpr import inactive_months


@pytest.mark.parametrize("raw,expected", [(None, 7), ("", 7), ("30", 30), ("0", 7), ("-3", 7), ("tolv", 7)])
def test_positive_int_env(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("LEARNING_TEST_NUMBER", raising=False)
    else:
        monkeypatch.setenv("LEARNING_TEST_NUMBER", raw)
    assert positive_int_env("LEARNING_TEST_NUMBER", 7) == expected


def test_audit_days_and_inactive_months_read_their_variables(monkeypatch):
    monkeypatch.setenv("LEARNING_AUDIT_DAYS", "90")
    monkeypatch.setenv("LEARNING_INACTIVE_MONTHS", "nei")
    assert (retention_days(), inactive_months()) == (90, 18)
