"""Shared fixtures and the hypothesis profiles (HYPOTHESIS_PROFILE=ci|dev)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
PRO_AT = ROOT / "registers" / "pro-at"
AS_OF = dt.date(2026, 11, 25)

# PRO-AT's reviewed flows files name their texts in ../shared/policies (which stay there), and
# tests copy the reviewed files of tests/data elsewhere: trust both folders, as a user would
# with `ropa --trust DIR`. The environment variable reaches ropa run in a subprocess too.
os.environ["ROPA_TRUST"] = os.pathsep.join([str(SHARED / "policies"), str(DATA)])

settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def pro_at():
    import ropa

    return ropa.load_register(PRO_AT)
