"""Checks: a register, and a policy, in; findings out.

In: a :class:`ropa.Register` (from :mod:`ropa.register`) and, optionally, a :class:`ropa.Policy`
(from :mod:`ropa.policy`). Out: findings DataFrames with the fixed columns of
:mod:`ropa.core.findings`, and the flow tables of :func:`ropa.flows` and :func:`ropa.consistency`.

- ``check``: :func:`ropa.check` and :func:`ropa.check_register`, every check that applies.
- ``schemas``: the register as pandera schemas, each rule a check named after its finding
  code; ``rules``: which rows pass each rule; ``evidence``: what a finding says about a
  failing row.
- ``policy``: the policy's own faults (contradictions, Art 13 gaps, drafting).
- ``flows``: the register's data flows; ``statements``: the policy's statements as term
  arrays; ``bitsets``: integer codes and bitsets; ``consistency``: each flow classified
  against the statements; ``consistency_findings``: the classification grouped into findings.
"""
