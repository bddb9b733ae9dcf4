"""The doctests of ropa/ (``pytest --doctest-modules``, on by default in pyproject.toml).

Every docstring example runs from the repository root, as the README's commands do. The
examples of ``ropa.testing`` define property tests and run them: with a handful of examples
whatever the hypothesis profile (:func:`few_hypothesis_examples`).

:data:`KNOWN_FAILING_DOCTESTS` is the one list of doctests that fail and are not fixed yet:
each is collected and reported as skipped, with the reason. Empty it as they are fixed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from _pytest.doctest import DoctestItem, DoctestModule

#: Doctest id (a module's path for one that cannot even be collected) -> why it fails.
KNOWN_FAILING_DOCTESTS: dict[str, str] = {}


@contextlib.contextmanager
def few_hypothesis_examples() -> Iterator[None]:
    """Examples show usage: run them with a handful of examples whatever the profile."""
    from hypothesis import HealthCheck, settings

    previous = settings.get_current_profile_name()
    settings.register_profile("ropa-docs", parent=settings.get_profile(previous), max_examples=5,
                              deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("ropa-docs")
    try:
        yield
    finally:
        settings.load_profile(previous)


@pytest.fixture
def few_examples():
    """:func:`few_hypothesis_examples`, for a test that runs examples of ``ropa.testing``."""
    return few_hypothesis_examples


@pytest.fixture(autouse=True)
def _hypothesis_in_doctests(request: pytest.FixtureRequest) -> Iterator[None]:
    if isinstance(request.node, DoctestItem) and request.node.name.startswith("ropa.testing"):
        with few_hypothesis_examples():
            yield
    else:
        yield


def _known_failure(nodeid: str) -> str | None:
    reason = KNOWN_FAILING_DOCTESTS.get(nodeid)
    return f"known-failing doctest (conftest.py): {reason}" if reason else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        reason = _known_failure(item.nodeid)
        if reason and isinstance(item, DoctestItem):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    """A module whose docstrings doctest cannot parse: reported as skipped if it is listed."""
    outcome = yield
    report = outcome.get_result()
    reason = _known_failure(collector.nodeid)
    if report.failed and reason and isinstance(collector, DoctestModule):
        report.outcome = "skipped"
        report.longrepr = (str(collector.path), 0, f"Skipped: {reason}")
