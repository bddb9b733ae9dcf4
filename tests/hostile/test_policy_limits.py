"""Memory and time: a policy text past the limits is refused; one within them is extracted in
linear time, whatever its shape (the inputs that took minutes are generated here, small)."""

from __future__ import annotations

import pytest

import ropa
import ropa.policy.files
from ropa.policy.extract import extract
from tests.conftest import PRO_AT
from tests.growth import assert_linear
from tests.hostile.policy_helpers import run

GOOD = PRO_AT / "policies" / "2018-05-24.flows.yaml"


def test_a_text_past_max_policy_chars_is_refused_before_extraction(tmp_path):
    path = tmp_path / "2026-01-01.md"
    path.write_text("We collect your email address. " * 40_000, encoding="utf-8")  # 1.24 million characters
    result = run("diff", GOOD, path, "--format", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"ropa: {path}: the text holds 1,240,000 characters")
    assert "max_policy_chars=1,000,000" in result.stderr and "--limit max_policy_chars=N" in result.stderr
    with ropa.use_limits(max_policy_chars=2_000_000):
        assert ropa.policy.files.read_policy_text(path).startswith("We collect")  # raised, it is read


def test_a_diff_of_too_many_statements_is_refused_not_run_for_hours(tmp_path):
    """Within the limit a text is extracted (9,000 statements, in linear time); the diff then
    refuses to score 39 x 9,000 pairs of statements (it compares each with each)."""
    path = tmp_path / "2026-01-01.md"
    path.write_text("We collect your email address. " * 9_000, encoding="utf-8")
    result = run("diff", GOOD, path, "--format", "json")
    assert result.exit_code == 2, result.output
    assert "max_diff_pairs=250,000" in result.stderr and str(path) in result.stderr
    assert "comparing 39 statements with 9,000 makes 351,000 pairs" in result.stderr


def test_the_byte_count_is_checked_before_decoding(tmp_path):
    path = tmp_path / "2026-01-01.txt"
    path.write_bytes(b"a" * 5_000)
    with ropa.use_limits(max_policy_chars=1_000), pytest.raises(ropa.PolicyLoadError, match="5,000 bytes"):
        ropa.load_policy(path)
    with ropa.use_limits(max_file_bytes=1_000), pytest.raises(ropa.PolicyLoadError, match="max_file_bytes"):
        ropa.load_policy(path)


def test_a_flows_source_past_the_limit_is_refused_too(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "2026-01-01.md").write_text("We collect your name. " * 100, encoding="utf-8")
    flows = folder / "2026-01-01.flows.yaml"
    flows.write_text("version: '2026-01-01'\nsource: 2026-01-01.md\nstatements: []\n", encoding="utf-8")
    with ropa.use_limits(max_policy_chars=500), pytest.raises(ropa.PolicyLoadError, match=r"2026-01-01\.md: the text holds"):
        ropa.load_policy(flows)


#: Texts that took from 30 s to minutes at these sizes before extraction was made linear
#: (quadratic or cubic regular expressions, rescans), as functions of a size ``n``; at ``n = 1``
#: each is the size that took minutes.
SHAPES = {
    "spaces in a heading": lambda n: "# a" + " " * int(3_000 * n) + "b\n",
    "spaces in a numbered heading": lambda n: "\n1. a" + " " * int(20_000 * n) + "b\n\n",
    "initials": lambda n: "A." * int(15_000 * n),
    "dotted word": lambda n: "a." * int(20_000 * n),
    "hyphenated word": lambda n: "a-" * int(20_000 * n),
    "abbreviations": lambda n: "Mr. Smith and " * int(3_000 * n),
    "unclosed emphasis": lambda n: "*a " * int(13_000 * n),
    "unclosed links": lambda n: "[a](" * int(10_000 * n),
    "controller names": lambda n: "".join(f'Acme{i} B.V. (hereinafter "we") is the controller. '
                                          for i in range(int(800 * n))),
    "lists between paragraphs": lambda n: "We collect the following data:\n\n- your email address\n\n" * int(1_500 * n),
    "tracker rows and sub-sections": lambda n: "## Cookies\n\n| Provider | Purpose | Cookie |\n|---|---|---|\n"
    + "".join(f"| Hotjar | analytics cookie {i} | track |\n" for i in range(int(6_000 * n))) + "\n"
    + "".join(f"### Sub {i}\n\nWe use Hotjar cookies to track your clicks.\n\n" for i in range(int(3_000 * n))),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_hostile_shapes_extract_in_linear_time(shape):
    """Four times the text costs under eight times the work, not sixteen: a growth ratio of CPU
    time (not a wall-clock limit: this machine is shared), on the sizes that once took minutes.
    benchmarks/RESULTS.md has the absolute figures. Sizes are in quarters of SHAPES' ``n = 1``."""
    texts = {quarters: SHAPES[shape](quarters / 4) for quarters in (1, 4)}
    # under 0.5 s for the whole text passes whatever the ratio: 0.5 / 8 is the floor
    assert_linear(lambda quarters: extract(texts[quarters], filename="hostile.md"), 1, 4, floor=0.5 / 8)
