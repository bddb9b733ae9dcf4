"""Hypothesis strategies for property-testing registers, policies and the pipelines around them.

A three-line property test of your own code::

    from hypothesis import given
    from ropa.testing import registers

    @given(registers())
    def test_my_export_keeps_every_activity(reg):
        assert len(my_export(reg)) == len(reg.activities)

The strategies:

- :func:`taxonomy_keys` -- keys of one kind of term (``data_category``, ``data_use``, ...).
- :func:`recipients` -- a recipients table (the rows of recipients.csv).
- :func:`activities` -- an activities table, valid by default; ``invalid=`` plants
  exactly the register faults you name (finding codes of ``ropa.catalogue()``, area
  ``register``).
- :func:`registers` -- a :class:`ropa.Register` whose organisation, recipients and
  activities refer to each other; ``invalid=`` as above, for every code the register
  checks can find in memory.
- :func:`register_files` -- the files of a register folder as bytes (``activities.csv``,
  ``recipients.csv``, ``organisation.yaml``), so that the faults found only while reading
  files (``unreadable-row``, ``unknown-column``) can be planted too.
- :func:`policies` -- a :class:`ropa.Policy`: statements and the plain text they are
  rendered to (numbered sections, one sentence per statement, each statement quoting its
  sentence and line), about a register's flows when you pass one.
- :func:`policy_versions` -- two versions of a policy and the changes between them
  (:class:`PolicyVersions`).

A valid register drawn here has no register findings on the date you pass as ``as_of``
(default: today); a register drawn with ``invalid=["stale-review", "unknown-recipient"]``
has findings of exactly those two codes. Every drawn register survives
``ropa.write_register`` and ``ropa.load_register`` unchanged, in CSV, XLSX and YAML.

Profiles. How many examples each property runs is a hypothesis *profile*. ``ropa``'s own
suite chooses one with the environment variable ``HYPOTHESIS_PROFILE``: ``dev`` (15
examples, the default), ``ci`` (40) and ``thorough`` (400), registered in
``tests/conftest.py``. Do the same in your ``conftest.py``::

    import os
    from hypothesis import settings
    settings.register_profile("ci", max_examples=60, deadline=None)
    settings.register_profile("dev", max_examples=15, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

Speed. The strategies are composites that draw whole activities from taxonomy keys,
not pandera's column-by-column ``DataFrameModel.strategy()``: ``ropa``'s schemas hold
their rules as table-level checks, which pandera can only satisfy by filtering, and its
strategies slow down steeply beyond a few columns (a 20-column frame of 70 rows takes
minutes). Drawing a 50-activity register here takes about 0.13 s of CPU, hypothesis'
own work included (``tests/test_testing_kit.py`` holds it under 0.5 s); a test that asks for at least 50 activities should suppress
hypothesis' ``HealthCheck.large_base_example``, since even its smallest register is large.

In and out. In: the taxonomy (``ropa.default_taxonomy()`` or yours) and, for policies, a
register. Out: the strategies above. The modules, in the order they build on each other:
``faults`` (the codes that can be planted), ``vocabulary`` (words, free text, the
taxonomy's keys sorted by what they oblige), ``tables`` (activities and recipients),
``register`` (whole registers), ``files`` (a register's files) and ``policy`` (policies
and pairs of versions). hypothesis is the ``ropa[testing]`` extra.

.. versionadded:: 0.1
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - the testing extra is installed in development
    raise ImportError(
        'ropa.testing needs hypothesis, which comes with the testing extra: pip install "ropa[testing]"'
    ) from exc

from .faults import (
    ACTIVITY_FAULTS,
    CROSS_FAULTS,
    FILE_FAULTS,
    ORGANISATION_FAULTS,
    RECIPIENT_FAULTS,
    REGISTER_FAULTS,
)
from .files import register_files
from .policy import PolicyVersions, policies, policy_versions
from .register import registers
from .tables import activities, recipients
from .vocabulary import taxonomy_keys

__all__ = [
    "ACTIVITY_FAULTS",
    "CROSS_FAULTS",
    "FILE_FAULTS",
    "ORGANISATION_FAULTS",
    "RECIPIENT_FAULTS",
    "REGISTER_FAULTS",
    "PolicyVersions",
    "activities",
    "policies",
    "policy_versions",
    "recipients",
    "register_files",
    "registers",
    "taxonomy_keys",
]
