"""The policy's own faults: contradictions, Art 13 transparency gaps, and sloppy drafting.

Each check reads a :class:`ropa.Policy` (its statements, its meta facts and, when the text
is at hand, its outline) and, where given, the register (legal bases, DPO, recipients'
countries, automated decisions), and returns findings of the ``policy`` area
(``ropa/codes/policy.yml``). Every finding carries the policy version and, where it can,
the section(s) it rests on.

Contradictions follow PolicyLint (Andow et al., USENIX Security 2019): a negative and a
positive statement contradict when the positive's data and recipients are equal to or
under the negative's (through the taxonomy) and none of the negative's exceptions is met
by the positive statement. They need the same entity, read as the consistency check reads a
negation's reach (:func:`ropa.checks.statements.negation_reach`): "we do not share with third
parties" does not speak of processors acting on our behalf (a recipient of kind processor in
the register, or a service provider), one that speaks of anyone does not speak of processors
the disclosure presents as such, and "we do not sell or rent" contradicts no disclosure; the
finding states the reading taken. A negative statement that is narrower than the positive
("we share personal data, but not your email address") is a narrowing definition, not a
contradiction.

Example:
    >>> import ropa
    >>> from ropa.checks.policy import check_policy
    >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
    >>> f = check_policy(pol)
    >>> "policy-contradiction" in set(f["code"])
    True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..core.findings import findings_frame, make_findings
from ..core.names import normalise_name, vendor_records
from ..core.taxonomy import Taxonomy, default_taxonomy
from ..policy.facts import contacts_in
from ..policy.model import NEGATIVE_ACTIONS
from ..policy.parse import ParsedPolicy, parse
from ..policy.vendors import entity_taxonomy
from ..register.model import live_activities
from .rules import said_yes
from .statements import POSITIVE_ACTIONS, REACH, negation_reach, presents_processors, reach_reading

__all__ = ["POLICY_CHECKS", "check_policy", "exception_met"]

_SHARING = ("share", "transfer", "track")
_RIGHTS = ("right.access", "right.rectification", "right.erasure", "right.restriction", "right.portability",
           "right.objection", "right.withdraw_consent")
_SAFEGUARD_WORDS = re.compile(
    r"\b(?:standard\s+contractual\s+clauses|SCCs?|model\s+clauses|adequacy\s+decision|adequate\s+(?:level|protection)|"
    r"Data\s+Privacy\s+Framework|DPF|binding\s+corporate\s+rules|BCRs?|Art(?:icle)?\.?\s*4[5-9])\b", re.I)
_TRANSFER_WORDS = re.compile(
    r"\b(?:outside\s+(?:the\s+)?(?:EU|EEA|European\s+(?:Union|Economic\s+Area))|third\s+countr\w*|"
    r"international\s+(?:data\s+)?transfers?|transferred\s+to\s+(?:the\s+)?(?:United\s+States|US|USA))\b", re.I)
_EXPLAINED_NAMES = re.compile(r"\b(?:trading\s+as|trades\s+as|t/a|d/b/a|doing\s+business\s+as|also\s+known\s+as|"
                              r"formerly|hereinafter|operates\s+under\s+the\s+name|brand\s+of|part\s+of)\b", re.I)
_LEGIT_WORDS = re.compile(r"\blegitimate\s+interests?\b", re.I)
_ADM_WORDS = re.compile(r"\b(?:automated\s+(?:individual\s+)?decision|automatic\s+decision|profiling)\b", re.I)


@dataclass
class _Ctx:
    """What the checks read."""

    policy: Any
    register: Any
    tax: Taxonomy
    statements: pd.DataFrame
    outline: ParsedPolicy | None
    text: str
    version: str
    file: str | None
    org: dict[str, Any] = field(default_factory=dict)

    def row(self, **kw: Any) -> dict[str, Any]:
        return {"policy_version": self.version, "file": self.file, **kw}

    @functools.cached_property
    def activities(self) -> pd.DataFrame | None:
        acts = getattr(self.register, "activities", None)
        if acts is None or acts.empty:
            return None
        return live_activities(acts)

    @functools.cached_property
    def _controller_activities(self) -> pd.DataFrame | None:
        acts = self.activities
        if acts is None:
            return None
        return acts[acts["role"].astype(str).str.lower() != "processor"] if "role" in acts else acts

    def controller_activities(self) -> pd.DataFrame | None:
        return self._controller_activities

    def is_processor(self, entity: str) -> bool:
        """A recipient that processes on the controller's behalf: of kind processor in the
        register's recipients, else (a vendor or category the policy names) a service provider."""
        kinds = self._recipient_kinds
        if entity in kinds:
            return kinds[entity] == "processor"
        return _entity_under(self.tax, entity, "third_party.service_provider")

    @functools.cached_property
    def _recipient_kinds(self) -> dict[str, str]:
        """Each recipient of the register and its kind, lower-cased (read once)."""
        recips = getattr(self.register, "recipients", None)
        if recips is None or recips.empty or "kind" not in recips:
            return {}
        return dict(zip(recips["recipient_id"].astype(str), recips["kind"].astype(str).str.lower(), strict=True))

    def bases_in_register(self) -> set[str]:
        acts = self.controller_activities()
        if acts is None or "lawful_basis" not in acts:
            return set()
        return {b for cell in acts["lawful_basis"] for b in (cell or [])}


# -- subsumption helpers ------------------------------------------------------------------------


def _data_under(tax: Taxonomy, x: str, y: str) -> bool:
    """x equal to or under y (data categories); unknown keys by their dotted prefix."""
    if x == y:
        return True
    if tax.known("data_category", [x, y]).all():
        return bool(tax.is_under("data_category", x, y))
    return x.startswith(y + ".")


def _entity_under(tax: Taxonomy, x: str, y: str) -> bool:
    """x equal to or under y (recipients); an unknown ``vendor:`` key is a third party."""
    if x == y:
        return True
    kx, ky = tax.known("recipient", [x, y])
    if kx and ky:
        return bool(tax.is_under("recipient", x, y))
    if not kx and x.startswith("vendor:") and ky:
        return bool(tax.is_under("recipient", "third_party.service_provider", y)) or y == "third_party"
    return False


def _data_of(stmt: Any) -> list[str]:
    return list(stmt.data_categories) or ["user"]


def _entities_of(stmt: Any) -> list[str]:
    """Who gets or collects the data a statement is about."""
    if stmt.action in _SHARING or stmt.action == "not_share":
        return [r for r in stmt.recipients if r != "we"] or ["third_party"]
    if stmt.actor and stmt.actor != "we":
        return [stmt.actor]
    return list(stmt.recipients) or ["we"]


# -- the checks -------------------------------------------------------------------------------------


def _emit(code: str, rows: list[dict[str, Any]]) -> pd.DataFrame | None:
    """Findings of one code, or None when there are none (building an empty frame costs)."""
    return make_findings(code, rows) if rows else None


def _contradictions(ctx: _Ctx) -> pd.DataFrame | None:
    st = ctx.statements
    negs = st[st["action"].isin(list(NEGATIVE_ACTIONS))]
    if negs.empty:
        return None
    tax = ctx.tax
    # the same pairs of keys recur across statement pairs: each is looked up once
    data_under = functools.cache(lambda x, y: _data_under(tax, x, y))
    entity_under = functools.cache(lambda x, y: _entity_under(tax, x, y))
    is_processor = functools.cache(ctx.is_processor)
    positives = {kind: [(pos, _data_of(pos), _entities_of(pos))
                        for pos in st[st["action"].isin(actions)].itertuples()]
                 for kind, actions in (("share", _SHARING), ("collect", ("collect", "track", "retain", "use")))}
    groups: dict[tuple[str, str], list[tuple[Any, Any, list[str], list[str]]]] = {}
    readings: dict[str, str] = {}
    for neg in negs.itertuples():
        reach, words = negation_reach(str(neg.quote or ""), neg.action)
        if reach == "sale":  # denies a sale, which no disclosure says happens
            continue
        readings[neg.statement_id] = reach_reading(REACH.index(reach), words)
        n_data, n_ent = _data_of(neg), _entities_of(neg)
        for pos, p_data, p_ent in positives["share" if neg.action == "not_share" else "collect"]:
            if neg.action == "not_share":
                # the same entity (PolicyLint): a processor acting on our behalf is not the third
                # party a negation about sharing speaks of, unless it reaches processors
                presented = presents_processors(f"{getattr(pos, 'section_title', '') or ''} {pos.quote or ''}")
                p_ent = [e for e in p_ent if not (is_processor(e) and (
                    reach == "third_parties" or (reach == "anyone" and presented)))]
            data_pairs = [(d, m) for d in p_data for m in n_data if data_under(d, m) or data_under(m, d)]
            if not data_pairs:
                continue
            ent_pairs = [(e, m) for e in p_ent for m in n_ent if entity_under(e, m) or entity_under(m, e)]
            if not ent_pairs:
                continue
            # A narrower negative ("but not your email") defines an exception to the positive.
            if all(d != m and data_under(m, d) for d, m in data_pairs) or \
                    all(e != m and entity_under(m, e) for e, m in ent_pairs):
                continue
            if exception_met(tax, list(neg.exceptions), pos):
                continue
            shared = [d for d, _ in data_pairs]
            whom = [e for e, _ in ent_pairs]
            groups.setdefault((neg.statement_id, pos.section), []).append((neg, pos, shared, whom))
    rows = []
    for (_, section), items in groups.items():
        neg = items[0][0]
        data = list(dict.fromkeys(d for _, _, ds, _ in items for d in ds))
        whom = list(dict.fromkeys(e for _, _, _, es in items for e in es))
        actions = list(dict.fromkeys(p.action for _, p, _, _ in items))
        rows.append(ctx.row(
            section=f"{neg.section}; {section}",
            row=_int(items[0][1].line),
            negative_section=neg.section, negative_quote=_clip(neg.quote, 90), positive_section=section,
            positive_claim=_claim(ctx.tax, actions, data, whom),
            evidence=f"{neg.statement_id}: {_clip(neg.quote, 120)} ({readings[neg.statement_id]}) | "
                     + " | ".join(f"{p.statement_id}: {_clip(p.quote, 120)}" for _, p, _, _ in items),
        ))
    return _emit("policy-contradiction", rows)


def _claim(tax: Taxonomy, actions: Sequence[str], data: Sequence[str], whom: Sequence[str]) -> str:
    """ "DAS Incasso receives Name, Postal address" in labels, for a contradiction's message."""
    what = ", ".join(tax.label("data_category", d) for d in data)
    who = ", ".join(_entity_label(tax, e) for e in whom)
    s = "s" if len(whom) == 1 else ""
    if set(actions) <= {"track"}:
        return f"{who} collect{s} {what} through trackers on the website"
    if set(actions) & {"collect", "use", "retain"} and not set(actions) & set(_SHARING):
        return f"{who} collect{s} {what}"
    return f"{who} receive{s} {what}"


def exception_met(tax: Taxonomy, exceptions: Sequence[str], pos: Any) -> bool:
    """Does the positive statement meet one of the negative's exceptions?"""
    bases = set(pos.legal_bases)
    purposes = list(pos.purposes)
    recips = [r for r in pos.recipients if r != "we"]

    def purpose_under(*roots: str) -> bool:
        return any(bool(tax.is_under("data_use", p, r)) for p in purposes for r in roots if tax.known("data_use", [p])[0])

    for exc in exceptions:
        if exc == "consent" and (bool(pos.consent) or "art6_1_a" in bases):
            return True
        if exc == "explicit_consent" and ("art9_2_a" in bases or re.search(
                r"\bexplicit(?:ly)?\b", f"{pos.condition or ''} {pos.quote or ''}", re.I)):
            # a cookie banner's "accept" or a ticked box is consent, but not the explicit
            # consent (an express statement) that the negation promises
            return True
        if exc == "legal_obligation":
            authority = bool(recips) and all(_entity_under(tax, r, "third_party.public_authority") for r in recips)
            obligation = "art6_1_c" in bases or purpose_under("essential.legal_obligation",
                                                              "third_party_sharing.legal_obligation")
            if obligation and (authority or not recips):
                return True
        if exc == "contract" and ("art6_1_b" in bases or (purposes and all(
                bool(tax.is_under("data_use", p, "essential.service")) for p in purposes if tax.known("data_use", [p])[0]))):
            return True
        if exc == "vital_interests" and "art6_1_d" in bases:
            return True
    return False


def _controller_identity(ctx: _Ctx) -> pd.DataFrame | None:
    names = ctx.policy.meta.get("controller")
    if names is None or names:
        return None
    hint = ""
    if ctx.org.get("name"):
        hint = f" (the register's controller is {ctx.org.get('name')})"
    return _emit("policy-no-controller-identity", [ctx.row(evidence=hint)])


def _contacts(ctx: _Ctx) -> list[dict[str, str]] | None:
    contacts = ctx.policy.meta.get("contacts")
    if contacts is None and ctx.outline is not None:
        contacts = contacts_in(ctx.outline)
    return contacts


def _controller_contact(ctx: _Ctx) -> pd.DataFrame | None:
    contacts = _contacts(ctx)
    if contacts is None or contacts:
        return None
    return _emit("policy-no-controller-contact", [ctx.row()])


def _dpo_contact(ctx: _Ctx) -> pd.DataFrame | None:
    contacts = _contacts(ctx)
    if contacts is None:
        return None
    roles = {c.get("role") for c in contacts}
    dpo = ctx.org.get("dpo") if isinstance(ctx.org.get("dpo"), dict) else {}
    designated = dpo.get("designated") if dpo else None
    if designated is False:
        if roles & {"dpo", "privacy"}:
            return None
        return _emit("policy-no-dpo-contact", [ctx.row(
            severity="low",
            evidence="for privacy questions (no DPO is designated, as organisation.yaml records; a privacy contact is still expected)")])
    if "dpo" in roles:
        return None
    return _emit("policy-no-dpo-contact", [ctx.row(evidence="for the data protection officer")])


def _legal_bases(ctx: _Ctx) -> pd.DataFrame | None:
    st = ctx.statements
    pos = st[st["action"].isin(POSITIVE_ACTIONS)]
    if pos.empty:
        return None
    stated = {p for ps, lb in zip(pos["purposes"], pos["legal_bases"], strict=True) if lb for p in ps}
    where = _sections_of((p, sec) for ps, lb, sec in zip(pos["purposes"], pos["legal_bases"], pos["section"],
                                                         strict=True) if not lb for p in ps if p not in stated)
    if not where:
        return None
    total = len({p for ps in pos["purposes"] for p in ps})
    listed = _listed(ctx.tax, "data_use", where)
    scope = "any of its" if not stated else f"{len(where)} of its"
    return _emit("policy-no-legal-basis", [ctx.row(
        evidence=f"{scope} {total} purposes: {listed}")])


def _legitimate_interests(ctx: _Ctx) -> pd.DataFrame | None:
    acts = ctx.controller_activities()
    if acts is None or "lawful_basis" not in acts:
        return None
    st = ctx.statements
    if st["legal_bases"].map(lambda c: "art6_1_f" in c).any() or _LEGIT_WORDS.search(ctx.text):
        return None  # the policy speaks of legitimate interests: the register need not be read
    relies = acts[acts["lawful_basis"].map(lambda c: "art6_1_f" in (c or []))]
    if relies.empty:
        return None
    items = [f"{a} ({li})" if li else str(a) for a, li in zip(relies["activity_id"], relies.get(
        "legitimate_interest", pd.Series([""] * len(relies), index=relies.index)), strict=True)]
    return _emit("policy-no-legitimate-interests", [ctx.row(evidence="; ".join(items))])


def _recipients(ctx: _Ctx) -> pd.DataFrame | None:
    st = ctx.statements
    third = st[st["action"].isin(_SHARING)]["recipients"].map(lambda rs: [r for r in rs if not r.startswith("we")])
    if (third.map(len) > 0).any() or st[st["action"].isin(POSITIVE_ACTIONS)].empty:
        return None
    acts = ctx.activities
    if acts is not None:
        named = {r for cell in acts["recipients"] for r in (cell or []) if r and r != "none"}
        if not named:
            return None
        return _emit("policy-no-recipients", [ctx.row(
            evidence=f", although the register lists {', '.join(sorted(named))}")])
    return _emit("policy-no-recipients", [ctx.row(evidence="")])


def _non_eea_expected(ctx: _Ctx) -> list[str]:
    """Recipients that take data outside the EEA: the register's (for live activities) and
    the named vendors the policy mentions."""
    out: dict[str, str] = {}
    tax = ctx.tax
    recips = getattr(ctx.register, "recipients", None)
    acts = ctx.activities
    if recips is not None and not recips.empty and acts is not None:
        used = {r for cell in acts["recipients"] for r in (cell or [])}
        rec = recips[recips["recipient_id"].isin(used) & (recips["country"].astype(str) != "")]
        countries = rec["country"].to_numpy(dtype=object)
        far = tax.country_known(countries) & ~tax.is_eea(countries)  # each country looked up once, by masks
        for rid, country in zip(rec["recipient_id"].to_numpy(dtype=object)[far], countries[far], strict=True):
            out[rid] = country
        cells = acts.get("transfer_countries", pd.Series([], dtype=object))
        listed = np.array(list(dict.fromkeys(c for cell in cells for c in (cell or []))), dtype=object)
        if len(listed):
            for c in listed[tax.country_known(listed) & ~tax.is_eea(listed)]:
                out.setdefault(f"transfer to {c}", c)
    vendor_country = {f"vendor:{v['key']}": v.get("country") for v in vendor_records()}
    for rs in ctx.statements[ctx.statements["action"].isin(_SHARING)]["recipients"]:
        for r in rs:
            c = vendor_country.get(r)
            if c and not tax.is_eea([c])[0]:
                out.setdefault(r, c)
    return [f"{r} ({c})" for r, c in out.items()]


def _transfers(ctx: _Ctx) -> list[pd.DataFrame] | None:
    st = ctx.statements
    tax = ctx.tax
    stated = sorted({c for cs in st["countries"] for c in cs if tax.country_known([c])[0] and not tax.is_eea([c])[0]})
    mentions = bool(stated) or (st["action"] == "transfer").any() or bool(_TRANSFER_WORDS.search(ctx.text))
    parts = []
    expected = _non_eea_expected(ctx)
    if expected and not mentions:
        parts.append(_emit("policy-no-transfer-information", [ctx.row(evidence=", ".join(expected))]))
    if mentions:
        text = ctx.text or " ".join(st["quote"])
        if not _SAFEGUARD_WORDS.search(text):
            what = ", ".join(stated) or "countries outside the EEA"
            sections = sorted({s for s, cs, a in zip(st["section"], st["countries"], st["action"], strict=True)
                               if a == "transfer" or set(cs) & set(stated)}, key=_section_key)
            parts.append(_emit("policy-no-transfer-safeguard", [ctx.row(
                evidence=what, section="; ".join(sections) or None)]))
    return [p for p in parts if p is not None] or None


def _retention(ctx: _Ctx) -> pd.DataFrame | None:
    st = ctx.statements
    with_ret = st[st["retention"].astype(str) != ""]
    collected = st[st["action"].isin(("collect", "use", "share", "transfer", "track"))]
    if collected.empty:
        return None
    if with_ret.empty:
        return _emit("policy-no-retention", [ctx.row()])
    covered = list(dict.fromkeys(d for ds in with_ret["data_categories"] for d in (ds or ["user"])))
    uncovered = functools.cache(lambda d: not any(_data_under(ctx.tax, d, c) for c in covered))
    # "personal data" unspecified asks for no period of its own
    missing = _sections_of((d, sec) for ds, sec in zip(collected["data_categories"], collected["section"], strict=True)
                           for d in ds if d != "user" and uncovered(d))
    if not missing:
        return None
    return _emit("policy-retention-incomplete", [ctx.row(evidence=_listed(ctx.tax, "data_category", missing))])


def _sections_of(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each key with the sections it stands in, both in first-seen order, each once."""
    where: dict[str, list[str]] = {}
    for key, section in pairs:
        sections = where.setdefault(key, [])
        if section not in sections:
            sections.append(section)
    return where


def _listed(tax: Taxonomy, kind: str, where: dict[str, list[str]]) -> str:
    """``label (§1, 2); label (§3)``: each key's label and the sections it stands in."""
    return "; ".join(f"{tax.label(kind, k)} (§{', '.join(s)})" for k, s in where.items())


def _rights(ctx: _Ctx) -> list[pd.DataFrame] | None:
    st = ctx.statements
    informed = {r for rs in st["rights"] for r in rs}
    bases = ctx.bases_in_register()
    consent_used = bool(st["consent"].any() or st["legal_bases"].map(lambda c: "art6_1_a" in c).any()
                        or "art6_1_a" in bases)
    rows = []
    for right in _RIGHTS:
        if right in informed:
            continue
        if right == "right.withdraw_consent" and not consent_used:
            continue
        if bases and right == "right.portability" and not bases & {"art6_1_a", "art6_1_b"}:
            continue
        if bases and right == "right.objection" and not bases & {"art6_1_e", "art6_1_f"} and not st["purposes"].map(
                lambda ps: any(p.startswith("marketing") for p in ps)).any():
            continue
        art = _right_articles(ctx.tax).get(right, "")
        label = ctx.tax.label("right", right)
        rows.append(ctx.row(evidence=label[0].lower() + label[1:], article=f"Art 13(2)(b), {art}".rstrip(", ")
                            if right != "right.withdraw_consent" else "Art 13(2)(c), Art 7(3)"))
    parts = [_emit("policy-right-not-stated", rows)]
    if "right.complaint" not in informed:
        authority = ctx.org.get("supervisory_authority")
        parts.append(_emit("policy-no-complaint-right", [ctx.row(
            evidence=f" (the register's lead authority: {authority})" if authority else "")]))
    return [p for p in parts if p is not None] or None


def _right_articles(tax: Taxonomy) -> dict[str, str]:
    terms = tax.terms
    rights = terms[terms["kind"] == "right"]
    return {k: (a if isinstance(a, str) else "") for k, a in zip(rights["key"], rights["article"], strict=True)}


def _automated_decisions(ctx: _Ctx) -> pd.DataFrame | None:
    st = ctx.statements
    informed = any("right.automated_decisions" in rs for rs in st["rights"]) or bool(_ADM_WORDS.search(ctx.text))
    if informed:
        return None
    acts = ctx.controller_activities()
    items: list[str] = []
    if acts is not None and "automated_decision_making" in acts:
        adm = acts[said_yes(acts["automated_decision_making"]).to_numpy()]
        items = [f"{a} ({n})" for a, n in zip(adm["activity_id"], adm["name"], strict=True)]
    profiling = [s for s, ps in zip(st["section"], st["purposes"], strict=True)
                 if any(p.endswith("profiling") or ".profiling." in p for p in ps)]
    items += [f"profiling in §{s}" for s in dict.fromkeys(profiling)]
    if not items:
        return None
    return _emit("policy-no-automated-decision-information", [ctx.row(evidence="; ".join(items))])


def _controller_names(ctx: _Ctx) -> pd.DataFrame | None:
    names = list(ctx.policy.meta.get("controller") or [])
    base = {normalise_name(n) for n in names}
    if len(base) < 2 or (ctx.text and _EXPLAINED_NAMES.search(ctx.text)):
        return None
    where = []
    sections_all: list[str] = []
    for n in names:
        secs = _sections_naming(ctx, n)
        sections_all += [s for s in secs if s != "title"]
        shown = [("the title" if s == "title" else f"§{s}") for s in secs]
        where.append(f"{n!r}" + (f" ({', '.join(shown)})" if shown else ""))
    return _emit("policy-controller-named-inconsistently", [ctx.row(
        evidence=" and ".join(where), section="; ".join(sorted(dict.fromkeys(sections_all), key=_section_key)) or None)])


def _sections_naming(ctx: _Ctx, name: str) -> list[str]:
    if ctx.outline is None:
        return []
    rx = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
    out = []
    if ctx.outline.title and rx.search(ctx.outline.title):
        out.append("title")
    for sec in ctx.outline.sections:
        if any(rx.search(b.text) for b in sec.blocks) and sec.number not in out:
            out.append(sec.number)
    return out


_PLACEHOLDER_ITEM = re.compile(r"^[\s\-–—•*.:]*(?:all\s+pages|tbd|todo|n/?a|xxx+|lorem\s+ipsum.*|\.\.\.|…|\[.*\]|<.*>)?[\s.]*$", re.I)
_INLINE_UNFINISHED = re.compile(r"\bthe\s+following\s*[–—-]\s*\S|\bthe\s+following\s*(?:\.\.\.|…|tbd|\[)", re.I)


def _unfinished_lists(ctx: _Ctx) -> pd.DataFrame | None:
    if ctx.outline is None:
        return None
    rows = []
    children = {s.parent for s in ctx.outline.sections if s.parent}
    for sec in ctx.outline.sections:
        problems: list[str] = []
        lines: list[int] = []
        groups: dict[int, list[Any]] = {}
        for b in sec.blocks:
            if b.kind == "item":
                groups.setdefault(b.group, []).append(b)
            if b.kind == "para" and _INLINE_UNFINISHED.search(b.text):
                problems.append(f"{b.text!r}")
                lines.append(b.line)
        for items in groups.values():
            texts = [i.text.strip() for i in items]
            placeholders = [t for t in texts if _PLACEHOLDER_ITEM.match(t)]
            repeated = len(texts) > 1 and len({t.lower() for t in texts}) < len(texts)
            if placeholders or repeated:
                kind = "placeholder items" if placeholders else "repeated items"
                problems.append(f"{kind} {', '.join(repr(t) for t in dict.fromkeys(texts))}")
                lines.append(items[0].line)
        for lead in sec.empty_leads:
            if lead is sec.blocks[-1] and sec.number in children:
                continue  # "we use the following trackers:" followed by a sub-section each
            problems.append(f"{lead.text!r} is followed by no list")
            lines.append(lead.line)
        if problems:
            rows.append(ctx.row(section=sec.number, row=lines[0], evidence="; ".join(problems)))
    return _emit("policy-unfinished-list", rows)


def _trackers_consent(ctx: _Ctx) -> pd.DataFrame | None:
    st = ctx.statements
    track = st[(st["action"] == "track") & ~st["consent"].astype(bool)]
    if track.empty:
        return None
    by_top: dict[str, list[Any]] = {}
    for s in track.itertuples():
        by_top.setdefault(str(s.section).split(".")[0], []).append(s)
    rows = []
    for top, items in by_top.items():
        secs = list(dict.fromkeys(s.section for s in items))
        names = list(dict.fromkeys(r for s in items for r in s.recipients))
        label = ", ".join(_entity_label(ctx.tax, n) for n in names)
        section = "; ".join(sorted(set(secs) | ({top} if top in set(st["section"]) else set()), key=_section_key))
        rows.append(ctx.row(section=section, row=_int(items[0].line), evidence=label))
    return _emit("policy-trackers-without-consent", rows)


def _unmapped(ctx: _Ctx) -> pd.DataFrame | None:
    un = getattr(ctx.policy, "unmapped", None)
    if un is None or un.empty:
        return None
    rows = []
    for r in un.to_dict("records"):
        sugg = r.get("suggestions")
        sugg = list(sugg) if isinstance(sugg, list | tuple) else []
        hint = f" (nearest: {', '.join(sugg)})" if sugg else ""
        kind = {"data_category": "data-category", "recipient": "recipient", "data_use": "purpose"}.get(
            str(r.get("kind")), str(r.get("kind")))
        rows.append(ctx.row(section=str(r.get("section") or "") or None, kind=kind,
                            evidence=f"{r.get('phrase')!r}{hint}"))
    return _emit("policy-unmapped-phrase", rows)


def _stated_date(ctx: _Ctx) -> pd.DataFrame | None:
    meta = ctx.policy.meta
    if "stated_date" in meta and not meta.get("stated_date") and (ctx.text or ctx.policy.origin == "reviewed"):
        return _emit("policy-no-stated-date", [ctx.row()])
    return None


def _no_statements(ctx: _Ctx) -> pd.DataFrame | None:
    if len(ctx.statements):
        return None
    return _emit("policy-no-statements", [ctx.row()])


#: Every policy check, in the order their findings are gathered.
POLICY_CHECKS: tuple[Callable[[_Ctx], pd.DataFrame | list[pd.DataFrame] | None], ...] = (
    _contradictions, _controller_identity, _controller_contact, _dpo_contact, _legal_bases,
    _legitimate_interests, _recipients, _transfers, _retention, _rights, _automated_decisions,
    _controller_names, _unfinished_lists, _trackers_consent, _unmapped, _stated_date, _no_statements,
)


def check_policy(policy: Any, register: Any = None) -> pd.DataFrame:
    """The policy's own findings: contradictions, Art 13 gaps, drafting faults.

    Args:
        policy: a :class:`ropa.Policy` (extracted or reviewed).
        register: the register, when there is one: its legal bases, DPO designation,
            recipients' countries, automated decisions and controller names sharpen the
            checks (a gap that cannot apply is not reported).

    Returns:
        A findings DataFrame (:data:`ropa.FINDING_COLUMNS`) of area ``policy``; every
        finding names the policy version and, where it can, the sections involved.

    Example:
        >>> import ropa
        >>> from ropa.checks.policy import check_policy
        >>> reg = ropa.load_register("registers/pro-at")
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml", register=reg)
        >>> f = check_policy(pol, register=reg)
        >>> sorted(f.loc[f["code"] == "policy-contradiction", "section"])[:2]
        ['4; 2.3', '4; 2.4']
    """
    base = getattr(register, "taxonomy", None) or default_taxonomy()
    tax = entity_taxonomy(base)
    text = getattr(policy, "text", "") or ""
    outline = parse(text) if text.strip() else None
    org = dict(getattr(register, "organisation", None) or {})
    src = (policy.meta or {}).get("source") or (str(policy.path) if getattr(policy, "path", None) else None)
    statements = policy.statements.copy()
    for col in ("data_categories", "recipients", "purposes", "legal_bases", "countries", "rights", "exceptions"):
        statements[col] = statements[col].map(lambda v: list(v) if isinstance(v, list | tuple) else [])
    ctx = _Ctx(policy=policy, register=register, tax=tax, statements=statements, outline=outline, text=text,
               version=str(policy.version), file=str(src) if src else None, org=org)
    # What loading found (a key given twice, a source outside the register not read) comes first.
    parts: list[pd.DataFrame] = [getattr(policy, "load_findings", None)]
    for check in POLICY_CHECKS:
        found = check(ctx)
        if isinstance(found, list):
            parts += found
        elif found is not None:
            parts.append(found)
    return findings_frame(parts)


# -- small helpers ------------------------------------------------------------------------------------


def _section_key(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 10**6 for p in str(number).split("."))


def _clip(text: Any, n: int) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _int(value: Any) -> int | None:
    try:
        return None if value is None or value is pd.NA or value != value else int(value)
    except (TypeError, ValueError):
        return None


def _entity_label(tax: Taxonomy, key: str) -> str:
    label = tax.label("recipient", key)
    return label if label != key else key
