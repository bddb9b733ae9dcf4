"""The consistency findings: the flows that are not clear, grouped, and the statements no flow records.

Findings are grouped by cause (the ``grain`` of each code in ``ropa/codes/consistency.yml``):
one per recipient × class for flows to third parties, one per purpose × class for the
organisation's own collection and use, one per data subject for flows outside the policy's
scope (processor activities raise none), each naming the data categories, purposes and data
subjects involved and listing every activity concerned in its evidence (``activities (n):
...``; ``activity_id`` is set when there is one); and one per disclosure that no flow of the
register relates to.
An omitted flow to a recipient the policy does name is not called undisclosed: named by a
statement with the data for other purposes, it is ``flow-omitted-purpose``; named only in the
text (no statement read from it), ``flow-recipient-unread``. Unclassified flows (an unknown key)
give ``flow-unclassified``; transfers to countries the policy does not name are added by
:mod:`ropa.checks.consistency_transfers`. Every per-group fact is computed over the classified table's categorical codes at once;
only the sentences are written group by group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.findings import findings_frame, make_findings
from .bitsets import group_ids
from .consistency import CLASSES, Classification, classify, exception_words
from .consistency_transfers import transfer_findings
from .statements import Statements, reach_reading

if TYPE_CHECKING:
    from ..core.taxonomy import Taxonomy
    from ..policy.model import Policy
    from ..register.model import Register

__all__ = ["consistency_findings", "findings_of"]

_CLEAR, _OUT = CLASSES.index("clear"), CLASSES.index("out_of_scope")


def _join(values: Sequence[Any]) -> str:
    if all(type(v) is str for v in values):  # the usual case: text, some of it blank
        return ", ".join(dict.fromkeys(filter(None, values))) or "(none recorded)"
    vals = [str(v) for v in values if v is not None and v == v and str(v) != ""]
    return ", ".join(dict.fromkeys(vals)) or "(none recorded)"


def _path_text(tax: Taxonomy, kind: str, x: str | None, terms: list[str]) -> str:
    if not isinstance(x, str):
        return ""
    best: list[str] = []
    for t in terms:
        p = tax.path(kind, x, t)
        if p and (not best or len(p) < len(best)):
            best = p
    return " → ".join(best)


def consistency_findings(register: Register, policy: Policy) -> pd.DataFrame:
    """Findings for the flows that are not clear, grouped, and for statements no flow records.

    One finding per recipient × class (the organisation's own flows per purpose × class),
    naming the data categories, purposes and data subjects involved and listing the
    activities concerned, with the policy's sentence, its section and the taxonomy path as
    evidence; one per data subject whose flows fall outside the policy's scope (processor
    activities raise none); and one per positive statement that matches no flow.

    Example:
        >>> import ropa
        >>> from ropa.checks.consistency_findings import consistency_findings
        >>> reg = ropa.load_register("registers/pro-at")
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> f = consistency_findings(reg, pol)
        >>> set(f["area"]) == {"consistency"}
        True
    """
    res = classify(register, policy)
    return findings_of(register.taxonomy, res, policy, register)


def findings_of(tax: Taxonomy, res: Classification, policy: Policy, register: Register | None = None) -> pd.DataFrame:
    st = res.st
    frame = st.frame
    ctx = _Context(tax, res)
    groups = _Groups(res.table)
    rows_by_code: dict[str, list[dict[str, Any]]] = {}
    for row in groups.rows_for(ctx):
        rows_by_code.setdefault(row.pop("code"), []).append(row)
    parts = [make_findings(code, rows, policy_version=policy.version)
             for code, rows in rows_by_code.items()]
    rows = []
    for s in np.flatnonzero(st.positive & ~res.recorded):
        rec = frame.iloc[s]
        third = [e for e in st.promised[s] if not tax.is_under("recipient", e, "we")]
        rows.append({
            "statement_id": rec["statement_id"], "section": rec["section"], "action": rec["action"],
            "data": ctx.labels("data_category", st.data[s]),
            "recipient_phrase": f" with {_join([ctx.label(e) for e in third])}" if third else "",
            "evidence": _statement_evidence(rec, st, s),
        })
    if rows:
        parts.append(make_findings("statement-not-in-register", rows, policy_version=policy.version))
    if register is not None:
        parts.append(transfer_findings(register, res))
    return findings_frame(parts)


def _some(values: Sequence[str], noun: str, shown: int = 3) -> str:
    """``12 activities: A01, A02, A03, …``: how many, and the first few."""
    more = ", …" if len(values) > shown else ""
    return f"{len(values)} {noun}: {', '.join(values[:shown])}{more}"


def _section_in(reason: str) -> str | None:
    """The section a reason cites first (``s11-2 (§11) ...`` -> ``11``)."""
    start = reason.find("(§")
    return reason[start + 2: reason.index(")", start)] if start >= 0 else None


def _statement_evidence(rec: pd.Series, st: Statements, s: int) -> str:
    bits = [f'"{rec["quote"]}" (§{rec["section"]}, {rec["statement_id"]})',
            f"data: {_join(st.data[s])}", f"recipients: {_join(st.promised[s])}"]
    if st.purposes[s]:
        bits.append(f"purposes: {_join(st.purposes[s])}")
    if st.subjects[s]:
        bits.append(f"subjects: {_join(st.subjects[s])}")
    return "; ".join(bits)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _fold(text: str) -> str:
    """``text`` lower-cased, with every other character that a case-insensitive regular
    expression matches to an ASCII letter (``ſ``, the Kelvin sign, dotless ``ı``) made that letter.

    Example:
        >>> _fold("Mailchimp \u017fends \u212aeys")
        'mailchimp sends keys'
    """
    odd = {ch: next(a for a in _LETTERS if re.fullmatch(a, ch, re.I))
           for ch in set(text) if not ch.isascii() and re.fullmatch("[a-z]", ch, re.I)}
    return (text.translate(str.maketrans(odd)) if odd else text).lower()


def _may_occur(name: str, exact: bool, raw: str, folded: str) -> bool:
    """False only when ``name`` cannot occur in the text (as written when ``exact``, else in any
    case): a quick test before a regular expression is compiled for it. Names with characters
    other than ASCII are always tried.

    Example:
        >>> _may_occur("Mailchimp", False, "We use MAILCHIMP.", _fold("We use MAILCHIMP."))
        True
        >>> _may_occur("AWS", True, "laws", _fold("laws"))
        False
    """
    if exact:
        return name in raw
    return not name.isascii() or name.lower() in folded


class _Groups:
    """The flows that raise findings, grouped: recipient × class, the organisation's own flows
    purpose × class, flows out of the policy's scope by data subject (processor activities
    and clear flows raise nothing).

    Every per-group fact is computed over the table's categorical codes at once; only the
    sentences are then written group by group.
    """

    def __init__(self, table: pd.DataFrame):
        self.table = table
        cls = table["class"].cat.codes.to_numpy()
        keep = (cls != _CLEAR) & ~(table["role"] == "processor").to_numpy(dtype=bool)
        self.rows = np.flatnonzero(keep)
        k = cls[self.rows].astype(np.int64)
        out = k == _OUT
        rec = self.codes("recipient")
        we = np.flatnonzero(np.asarray(table["recipient"].cat.categories, dtype=object) == "we")
        own = np.isin(rec, we)
        # the grain: a recipient × class; the organisation's own flows per purpose × class;
        # flows out of the policy's scope per data subject
        r = np.where(out, -1, rec)
        second = np.where(out, self.codes("data_subject"), np.where(own, self.codes("purpose"), -1))
        self.gid, self.first = group_ids([r, second, k])
        self.n = len(self.first)
        self.order = np.argsort(self.gid, kind="stable")
        self.bounds = np.searchsorted(self.gid[self.order], np.arange(self.n + 1))

    def codes(self, col: str) -> np.ndarray:
        return self.table[col].cat.codes.to_numpy()[self.rows].astype(np.int64)

    def first_value(self, col: str) -> list[Any]:
        cats = np.asarray(self.table[col].cat.categories, dtype=object)
        return [None if c < 0 else cats[c] for c in self.codes(col)[self.first]]

    def sets(self, col: str) -> list[list[str]]:
        """Per group, the distinct values of ``col``, sorted."""
        cats = np.asarray(self.table[col].cat.categories, dtype=object)
        order = np.argsort(cats.astype(str), kind="stable")
        rank = np.empty(len(cats), dtype=np.int64)
        rank[order] = np.arange(len(cats))
        c = self.codes(col)
        valid = c >= 0
        width = len(cats) + 1
        key = self.gid[valid] * width + rank[c[valid]]
        if self.n * width <= 4 * len(key) + 1_000_000:  # few possible keys: mark them, sorted for free
            key = np.flatnonzero(np.bincount(key, minlength=self.n * width))
        else:
            key = np.unique(key)
        values = cats[order][key % width]
        bounds = np.searchsorted(key // width, np.arange(self.n + 1))
        return [list(values[bounds[i]:bounds[i + 1]]) for i in range(self.n)]

    def ranked(self, col: str) -> list[list[tuple[str, str | None]]]:
        """Per group, the distinct statements cited in ``col``, most cited first (then in
        policy order), each with a data category of a flow that cites it."""
        cats = np.asarray(self.table[col].cat.categories, dtype=object)
        data = np.asarray(self.table["data_category"].cat.categories, dtype=object)
        c = self.codes(col)
        valid = np.flatnonzero(c >= 0)
        width = len(cats) + 1
        u, first, counts = np.unique(self.gid[valid] * width + c[valid], return_index=True,
                                     return_counts=True)
        grp, code = u // width, u % width
        o = np.lexsort((code, -counts, grp))
        grp, code = grp[o], code[o]
        d = self.codes("data_category")[valid[first[o]]]
        bounds = np.searchsorted(grp, np.arange(self.n + 1))
        return [[(cats[code[j]], data[d[j]] if d[j] >= 0 else None) for j in range(bounds[i], bounds[i + 1])]
                for i in range(self.n)]

    def maximum(self, col: str) -> np.ndarray:
        values = self.table[col].to_numpy(dtype=np.float64)[self.rows][self.order]
        if not self.n:
            return values[:0]
        with np.errstate(invalid="ignore"):
            return np.fmax.reduceat(values, self.bounds[:-1])

    def rows_for(self, ctx: _Context) -> list[dict[str, Any]]:
        """One finding row per group (with its ``code``)."""
        if not self.n:
            return []
        rid, klass, name, party = (self.first_value(c) for c in ("recipient", "class", "activity_name", "party"))
        activities, bases = self.sets("activity_id"), self.sets("lawful_basis")
        data, purposes, subjects = (self.sets(c) for c in ("data_category", "purpose", "data_subject"))
        recipients, reasons = self.sets("recipient"), self.sets("reason")
        disclosures, negations = self.ranked("statement_id"), self.ranked("negation_id")
        vd, ve = self.maximum("data_vagueness"), self.maximum("entity_vagueness")
        sizes = np.diff(self.bounds)
        out = []
        for i in range(self.n):
            acts = activities[i]
            one = len(acts) == 1
            row: dict[str, Any] = {
                "activity_id": acts[0] if one else None,
                "who": f"{name[i]}, {acts[0]}" if one else _some(acts, "activities"),
                "data": ctx.labels("data_category", data[i]),
                "purposes": ctx.labels("data_use", purposes[i]),
                "subjects": ctx.labels("data_subject", subjects[i]),
            }
            evidence = [f"activities ({len(acts)}): {', '.join(acts)}",
                        f"flows: {int(sizes[i])}; data: {_join(data[i])}; purposes: {_join(purposes[i])}; "
                        f"subjects: {_join(subjects[i])}"]
            if klass[i] == "out_of_scope":
                row["code"] = "flow-out-of-scope"
                row["subject"] = None if one else f"data subject {row['subjects']}"
                evidence.append(f"recipients: {_join(recipients[i])}")
                evidence += reasons[i]
            elif klass[i] == "unclassified":
                row["code"] = "flow-unclassified"
                row["recipient_label"] = ctx.label(rid[i])
                row["recipient_id"] = None if party[i] == "first_party" else rid[i]
                row["unknown"] = _join(ctx.unknown(data[i], purposes[i], subjects[i], rid[i]))
                if not one:
                    row["subject"] = (f"purpose {row['purposes']}" if party[i] == "first_party"
                                      else f"recipient {row['recipient_label']}")
                evidence += reasons[i]
            else:
                first_party = party[i] == "first_party"
                ctx.describe(row, evidence, rid[i], klass[i], first_party, ", ".join(bases[i]),
                             data[i], purposes[i], subjects[i], disclosures[i], negations[i],
                             float(vd[i]), float(ve[i]), reasons[i])
                row["flow"] = (f"collection or use of {row['data']}" if first_party
                               else f"{row['data']} given to {row['recipient_label']}")
                if not one:
                    row["subject"] = (f"purpose {row['purposes']}" if first_party
                                      else f"recipient {row['recipient_label']}")
            row["evidence"] = "; ".join(evidence)
            out.append(row)
        return out


class _Context:
    """Look-ups from keys to rows of the matrices, and the sentences of a finding (cached)."""

    def __init__(self, tax: Taxonomy, res: Classification):
        self.tax, self.res, self.st = tax, res, res.st
        f = res.flows
        self.rec_row = {v: i for i, v in enumerate(f.recipients)}
        self.data_row = {v: i for i, v in enumerate(f.data)}
        self.purp_row = {v: i for i, v in enumerate(f.purposes)}
        self.subj_row = {v: i for i, v in enumerate(f.subjects)}
        self.by_id = {sid: i for i, sid in enumerate(self.st.frame["statement_id"].astype(str))}
        frame = self.st.frame
        self.ids = frame["statement_id"].astype(str).tolist()
        self.sections = frame["section"].astype(str).tolist()
        self.quotes = frame["quote"].astype(str).tolist()
        self._cites: dict[tuple[int, str, str | None], str] = {}
        self._paths: dict[tuple[str, str | None, tuple[str, ...]], str] = {}
        self._near: dict[tuple, tuple[int, str] | None] = {}
        self._near_rec: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._labels: dict[tuple[str, tuple[str, ...]], str] = {}
        self._in_text: dict[str, tuple[str, int, str] | None] = {}
        self._names: dict[str, list[Any]] | None = None
        self._section_rows: list[Any] | None = None
        self._folded: tuple[str, str] | None = None
        self._named: set[str] | None = None

    def unknown(self, data: list[str], purposes: list[str], subjects: list[str], rid: str) -> list[str]:
        """The keys of a group the taxonomy does not know (what makes it unclassified)."""
        out = []
        for kind, keys in (("data_category", data), ("data_use", purposes), ("data_subject", subjects)):
            out += [k for k, ok in zip(keys, self.tax.known(kind, np.asarray(keys, dtype=object)), strict=True)
                    if not ok] if keys else []
        if self.category(rid) is None and rid != "we":
            out.append(rid)
        return out

    def label(self, rid: str) -> str:
        i = self.rec_row.get(rid)
        return str(self.res.flows.rec_label[i]) if i is not None else self.tax.label("recipient", rid)

    def labels(self, kind: str, keys: list[str]) -> str:
        key = (kind, tuple(keys))
        text = self._labels.get(key)
        if text is None:
            names = self.tax.labels(kind)
            text = self._labels[key] = _join([names.get(k, k) for k in keys])
        return text

    def category(self, rid: str) -> str | None:
        i = self.rec_row.get(rid)
        return self.res.flows.rec_category[i] if i is not None else None

    def cite(self, s: int, rid: str, flow_data: str | None) -> str:
        key = (s, rid, flow_data)
        text = self._cites.get(key)
        if text is None:
            text = f'§{self.sections[s]} {self.ids[s]}: "{self.quotes[s]}"'
            path_d = self.path("data_category", flow_data, self.st.data[s])
            ents = self.st.entities[s]
            path_e = self.path("recipient", rid, ents) or self.path("recipient", self.category(rid), ents)
            if path_d:
                text += f"; data path: {path_d}"
            if path_e:
                text += f"; recipient path: {path_e}"
            self._cites[key] = text
        return text

    def path(self, kind: str, x: str | None, terms: list[str]) -> str:
        key = (kind, x, tuple(terms))
        text = self._paths.get(key)
        if text is None:
            text = self._paths[key] = _path_text(self.tax, kind, x, terms)
        return text

    def describe(self, row, evidence, rid, klass, first_party, basis, data, purposes, subjects,
                 disclosures, negations, vd, ve, reasons) -> None:
        """Code, severity, section and evidence of a group of flows that are not clear."""
        row["recipient_label"] = self.label(rid)
        row["recipient_id"] = None if first_party else rid
        row["flow"] = (f"collects or uses {row['data']}" if first_party
                       else f"gives {row['data']} to {row['recipient_label']}")
        example = data[0] if data else None

        def cites(ranked: list[tuple[str, str | None]], limit: int = 6) -> list[str]:
            return [self.cite(self.by_id[str(sid)], rid, d) for sid, d in ranked[:limit]]

        if klass == "vague":
            s = self.by_id[str(disclosures[0][0])]
            row["code"] = "flow-vague"
            row["section"] = self.sections[s]
            row["severity"] = "low" if max(vd, ve) >= 0.5 else "info"
            evidence.append(f"data vagueness up to {vd:.2f}, recipient vagueness up to {ve:.2f}")
            evidence += cites(disclosures)
        elif klass in ("incorrect", "ambiguous"):
            n = self.by_id[str(negations[0][0])]
            row["code"] = f"flow-{klass}"
            row["section"] = self.sections[n]
            if klass == "ambiguous":
                row["disclosure_section"] = self.sections[self.by_id[str(disclosures[0][0])]]
                row["severity"] = "medium" if first_party else "high"
                evidence.append("disclosed by " + "; ".join(cites(disclosures)))
            evidence.append("denied by " + self.cite(n, rid, example))
            evidence.append(f"reading of {self.ids[n]}: {reach_reading(int(self.st.reach[n]), self.st.reach_words[n])}")
            exc = exception_words(int(self.st.exceptions[n]))
            if exc:
                evidence.append(f"its exception {' or '.join(exc)} is not met (lawful basis: {basis or 'none'})")
            broader = [sid for sid, _ in disclosures if self.st.positive[self.by_id[str(sid)]]]
            if klass == "incorrect" and broader:  # (a flow only denied shows the negation itself)
                evidence.append("the negation is narrower than the disclosure "
                                + _join(broader) + ", an exception to it")
        else:  # omitted
            row["code"] = "flow-omitted-first-party" if first_party else "flow-omitted-recipient"
            near = self.nearest(rid, data, purposes, subjects)
            lifted = [x for x in reasons if "does not apply" in x]
            row["section"] = self.sections[near[0]] if near else None
            if near:
                evidence.append(f"nearest: {self.cite(near[0], rid, example)} ({near[1]})")
                named = self.naming(rid, data) if not first_party else None
                if named is not None:
                    # the policy names the recipient with the data, for other purposes or
                    # subjects: the recipient is disclosed (Art 13(1)(e)), what for is not
                    row["code"] = "flow-omitted-purpose"
                    row["section"] = self.sections[named]
                    if named != near[0]:
                        evidence.append(f"names the recipient with the data: {self.cite(named, rid, example)}")
            else:
                cat = self.category(rid)
                above = f" or a category above it ({cat})" if cat and cat != rid else ""
                evidence.append(f"no statement names {rid}{above}")
                if lifted:  # the only statement that speaks of it is a negation it is let through
                    row["section"] = _section_in(lifted[0])
            seen = None if first_party or self.named(rid) else self.named_in_text(rid)
            if seen is not None:
                # the text names the recipient, but no statement read gives it anything: say
                # what could not be read rather than that it is not disclosed
                row["code"] = "flow-recipient-unread"
                row["section"] = seen[0]
                evidence.append(f"the policy's text names {seen[2]!r} in §{seen[0]} (line {seen[1]}); "
                                "no statement read from it gives this recipient data")
            evidence += lifted
        # a negation that stops short of the recipient, and the reading that says so
        evidence += list(dict.fromkeys(x[x.index("; ") + 2:] for x in reasons
                                       if "does not reach it" in x and "; " in x))

    def named(self, rid: str) -> bool:
        """Some disclosure names the recipient itself."""
        if self._named is None:
            self._named = {r for s in np.flatnonzero(self.st.positive) for r in self.st.promised[s]}
        return rid in self._named

    def named_in_text(self, rid: str) -> tuple[str, int, str] | None:
        """Where the policy's text names the recipient (its name or an alias in the register):
        section, line and the words found; None when it does not (or there is no text)."""
        if rid in self._in_text:
            return self._in_text[rid]
        found = None
        names = self._recipient_names().get(rid, [])
        names = sorted({str(n).strip() for n in names if isinstance(n, str) and len(n.strip()) >= 3}, key=len, reverse=True)
        sections = self._sections()
        if names and sections:
            # short all-capital names (AWS) case-sensitive, others not; whole words only;
            # a name the whole text cannot contain is not compiled (most are not there)
            raw, folded = self._text()
            pats = [re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)", 0 if exact else re.I)
                    for n in names for exact in [n.isupper() and len(n) <= 5]
                    if _may_occur(n, exact, raw, folded)]
            for sec in sections:
                text = str(sec.text or "")
                hits = [m for p in pats for m in [p.search(text)] if m]
                if hits:
                    m = min(hits, key=lambda m: m.start())
                    start = int(sec.line_start) if sec.line_start == sec.line_start else 0
                    found = (str(sec.number), start + text.count("\n", 0, m.start()), m.group(0))
                    break
        self._in_text[rid] = found
        return found

    def _text(self) -> tuple[str, str]:
        """The policy's whole text, as written and folded for :func:`_may_occur` (once per check)."""
        if self._folded is None:
            raw = "\n".join(str(sec.text or "") for sec in self._sections())
            self._folded = (raw, _fold(raw))
        return self._folded

    def _recipient_names(self) -> dict[str, list[Any]]:
        """Each recipient key's name and synonyms in the taxonomy (looked up once per check)."""
        if self._names is None:
            terms = self.tax.terms
            rows = terms[terms["kind"] == "recipient"].drop_duplicates("key")
            self._names = {str(k): [n, *list(syn if isinstance(syn, list | tuple | np.ndarray) else [])]
                           for k, n, syn in zip(rows["key"], rows["name"], rows["synonyms"], strict=True)}
        return self._names

    def _sections(self) -> list[Any]:
        """The policy's sections with their text (read once per check)."""
        if self._section_rows is None:
            sections = getattr(self.res.policy, "sections", None)
            ok = sections is not None and len(sections) and "text" in sections
            self._section_rows = list(sections.itertuples()) if ok else []
        return self._section_rows

    def naming(self, rid: str, data: list[str]) -> int | None:
        """The first disclosure that names the recipient itself and covers all of the data."""
        for s in np.flatnonzero(self.st.positive):
            if rid in self.st.promised[s] and all(self.res.Dd[self.data_row[d], s] >= 0
                                                  for d in data if d in self.data_row):
                return int(s)
        return None

    def nearest(self, rid: str, data: list[str], purposes: list[str], subjects: list[str]
                ) -> tuple[int, str] | None:
        """The positive statement closest to disclosing an omitted group, and what it lacks."""
        key = (rid, tuple(data), tuple(purposes), tuple(subjects))
        if key in self._near:
            return self._near[key]
        found = None
        sliced = self._for_recipient(rid)
        if sliced is not None:
            cand, dist, d_ok, p_ok, j_ok = sliced
            dims = []
            for vals, rows, mat in ((data, self.data_row, d_ok), (purposes, self.purp_row, p_ok),
                                    (subjects, self.subj_row, j_ok)):
                ok = mat[[rows[v] for v in vals]] if vals else np.zeros((0, len(cand)), bool)
                dims.append((vals, ok))
            # most dimensions fully covered, then the closest recipient, then most values covered
            full = sum(ok.all(axis=0).astype(np.int64) for _, ok in dims)
            count = sum(ok.sum(axis=0) for _, ok in dims)
            k = int(np.lexsort((-count, dist, -full))[0])
            lacks = []
            for word, (vals, ok) in zip(("data", "purpose", "subjects"), dims, strict=True):
                missing = [v for v, hit in zip(vals, ok[:, k], strict=True) if not hit]
                if missing:
                    lacks.append(f"{word} {', '.join(missing)}")
            who = "us" if rid == "we" else "the recipient"
            found = (int(cand[k]), f"it covers {who} but not " + "; ".join(lacks) if lacks else f"it covers {who}")
        self._near[key] = found
        return found

    def _for_recipient(self, rid: str):
        """The disclosures that cover a recipient, with the coverage matrices sliced to them."""
        if rid not in self._near_rec:
            res, st = self.res, self.st
            r = self.rec_row.get(rid)
            cand = np.flatnonzero(st.positive & (res.De[r] >= 0)) if r is not None and len(st.frame) else []
            self._near_rec[rid] = (None if not len(cand) else
                                   (cand, res.De[r, cand], res.Dd[:, cand] >= 0, res.P_ok[:, cand],
                                    res.J_ok[:, cand]))
        return self._near_rec[rid]
