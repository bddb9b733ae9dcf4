"""The taxonomy: fideslang's terms, ``ropa``'s own data files, and an organisation's extension.

Every kind of term (data categories, data uses, data subjects, recipient categories, legal
bases, ...) is a hierarchy in which a term may have several parents. For each kind every
(term, ancestor) pair and the steps between them are computed once, with numpy, so that
subsumption questions ("is X under Y, and how far?") over whole columns are a single
sorted look-up. A taxonomy made from another (an organisation's extension, a register's
recipients as entities) shares the hierarchies of the kinds it leaves alone.

In: fideslang's installed taxonomy, ropa/taxonomy/*.yml, an organisation's taxonomy.yaml,
a register's recipients. Out: :class:`Taxonomy` and :func:`default_taxonomy`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from .errors import TaxonomyError
from .yamlio import YamlDocument, package_yaml, read_yaml, validate

__all__ = ["KINDS", "Taxonomy", "default_taxonomy", "normalise_phrase"]

#: The kinds of term the taxonomy holds.
KINDS: tuple[str, ...] = (
    "data_category",
    "data_use",
    "data_subject",
    "recipient",
    "legal_basis",
    "art9_category",
    "art9_condition",
    "safeguard",
    "right",
    "dpia",
    "source",
    "role",
    "recipient_kind",
    "status",
)

#: Plural and alternative spellings accepted in an organisation's taxonomy.yaml.
_KIND_ALIASES = {
    "data_categories": "data_category",
    "data_uses": "data_use",
    "purposes": "data_use",
    "purpose": "data_use",
    "data_subjects": "data_subject",
    "recipients": "recipient",
    "recipient_categories": "recipient",
    "recipient_category": "recipient",
    "legal_bases": "legal_basis",
    "rights": "right",
}


class TermSpec(BaseModel):
    """One term as written in a taxonomy data file."""

    model_config = ConfigDict(extra="allow")

    key: str = Field(min_length=1)
    name: str | None = None
    label: str | None = None
    description: str | None = None
    parents: list[str] | None = None
    synonyms: list[str] = Field(default_factory=list)
    article: str | None = None


class _LabelSpec(BaseModel):
    """Extra words for an existing term: ``{label, synonyms}`` or just a list of synonyms."""

    model_config = ConfigDict(extra="forbid")

    label: str | None = None
    synonyms: list[str] = Field(default_factory=list)


def _label_spec(value: Any) -> Any:
    return {"synonyms": value} if isinstance(value, list) else value


@functools.cache
def _taxonomy_file_model() -> type[BaseModel]:
    """The shape of a taxonomy.yaml: each kind (or its plural) a list of terms, and synonyms."""
    kinds = sorted({*KINDS, *_KIND_ALIASES})
    labels = dict[str, dict[str, Annotated[_LabelSpec, BeforeValidator(_label_spec)]] | None]
    return create_model(  # type: ignore[call-overload]
        "TaxonomyFile", __config__=ConfigDict(extra="forbid"),
        synonyms=(labels | None, None), **{k: (list[TermSpec] | None, None) for k in kinds})


def normalise_phrase(text: str) -> str:
    """A phrase as the synonym tables key it: trimmed, lower-case, single-spaced, ’ as '."""
    return re.sub(r"\s+", " ", str(text).strip().lower().replace("\u2019", "'"))


class _Hierarchy:
    """The terms of one kind, and every (term, ancestor) pair with the steps between them.

    The closure is computed level by level with numpy: the pairs ``(t, t)`` at 0 steps, then
    the pairs one step further up from those of the level before, through each parent,
    minus the pairs already found. Each pair is kept once, at its shortest distance, in two
    sorted orders: by term (a term's ancestors are a slice) and by ancestor (its
    descendants are a slice). Memory grows with the number of pairs, not with the square of
    the number of terms, so a register's thousands of recipients cost little.
    """

    def __init__(self, keys: Sequence[str], parents: Sequence[Sequence[str]]):
        self.index = pd.Index(list(keys), dtype=object)
        self.position = {key: i for i, key in enumerate(self.index)}
        n = self.n = len(self.index)
        get = self.position.get
        self.parent_codes = [
            [c for c in (get(q, -1) if isinstance(q, str) else -1 for q in p) if c >= 0] if p else []
            for p in parents
        ]
        counts = np.fromiter(map(len, self.parent_codes), dtype=np.int64, count=n)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        flat = np.fromiter(itertools.chain.from_iterable(self.parent_codes), dtype=np.int64,
                           count=int(starts[-1]))
        term = anc = np.arange(n, dtype=np.int64)
        found = term * n + anc  # a pair (t, a) as one number, t * n + a; sorted
        keys_by_level, levels = [found], [np.zeros(n, dtype=np.int16)]
        step = 0
        while len(term):
            step += 1
            fan = counts[anc]
            first = np.repeat(starts[anc] - np.cumsum(fan) + fan, fan)
            up = flat[first + np.arange(int(fan.sum()))]
            pairs = np.unique(np.repeat(term, fan) * n + up)
            pairs = pairs[~np.isin(pairs, found, assume_unique=True)]
            found = np.union1d(found, pairs)
            term, anc = np.divmod(pairs, n) if n else (pairs, pairs)
            keys_by_level.append(pairs)
            levels.append(np.full(len(pairs), step, dtype=np.int16))
        pair = np.concatenate(keys_by_level)
        steps = np.concatenate(levels)
        order = np.argsort(pair, kind="stable")
        self.pair, self.steps = pair[order], steps[order]
        pair_term, pair_anc = np.divmod(self.pair, n) if n else (self.pair, self.pair)
        by_anc = np.lexsort((pair_term, pair_anc))
        self.down_anc, self.down_term, self.down_steps = pair_anc[by_anc], pair_term[by_anc], self.steps[by_anc]
        roots = counts == 0
        if n and roots.any():
            self.depth = np.full(n, np.iinfo(np.int16).max, dtype=np.int16)
            at_root = roots[pair_anc]
            np.minimum.at(self.depth, pair_term[at_root], self.steps[at_root])
        else:
            self.depth = np.zeros(n, np.int16)

    def codes(self, values: Any) -> np.ndarray:
        if isinstance(values, str):
            return np.array([self.position.get(values, -1)], dtype=np.intp)
        if (isinstance(values, list | tuple) or (isinstance(values, np.ndarray) and values.ndim == 1)) \
                and len(values) < 64:
            # a few keys (the usual case in per-statement checks): a dict look-up each,
            # far cheaper than building a pandas Index
            get = self.position.get
            return np.fromiter((get(v, -1) if isinstance(v, str) else -1 for v in values),
                               dtype=np.intp, count=len(values))
        arr = np.asarray(values, dtype=object).ravel()
        return self.index.get_indexer(arr)

    def distance(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Steps from each term code ``x`` up to ``y`` (codes of known terms); -1 if not under."""
        wanted = x.astype(np.int64) * self.n + y
        at = np.minimum(np.searchsorted(self.pair, wanted), len(self.pair) - 1)
        return np.where(self.pair[at] == wanted, self.steps[at], -1).astype(np.int16)

    def step(self, x: int, y: int) -> int:
        """Steps from the term code ``x`` up to ``y`` (both known); -1 if not under: one pair,
        without building arrays."""
        wanted = x * self.n + y
        at = int(self.pair.searchsorted(wanted))
        return int(self.steps[at]) if at < len(self.pair) and self.pair[at] == wanted else -1

    def up(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """A term's ancestors (itself included) by code, in code order, and their steps."""
        lo, hi = np.searchsorted(self.pair, [code * self.n, (code + 1) * self.n])
        return self.pair[lo:hi] - code * self.n, self.steps[lo:hi]

    def down(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """A term's descendants (itself included) by code, in code order, and their steps."""
        lo, hi = np.searchsorted(self.down_anc, [code, code + 1])
        return self.down_term[lo:hi], self.down_steps[lo:hi]


def _fideslang_rows() -> list[dict[str, Any]]:
    from fideslang import DEFAULT_TAXONOMY

    rows = []
    for kind, attr in (
        ("data_category", "data_category"),
        ("data_use", "data_use"),
        ("data_subject", "data_subject"),
    ):
        for term in getattr(DEFAULT_TAXONOMY, attr):
            rows.append(
                {
                    "kind": kind,
                    "key": term.fides_key,
                    "name": term.name,
                    "description": term.description or "",
                    "parents": [term.parent_key] if getattr(term, "parent_key", None) else [],
                    "synonyms": [],
                    "article": "",
                    "source": "fideslang",
                }
            )
    return rows


def _spec_rows(kind: str, specs: Iterable[Mapping[str, Any]], source: str) -> list[dict]:
    rows = []
    for raw in specs:
        try:
            spec = TermSpec.model_validate(raw)
        except ValidationError as exc:
            raise TaxonomyError(f"{source}: invalid {kind} term {raw!r}: {exc}") from None
        parents = spec.parents
        if parents is None:
            parents = [spec.key.rsplit(".", 1)[0]] if "." in spec.key else []
        rows.append(
            {
                "kind": kind,
                "key": spec.key,
                "name": spec.name or spec.label or spec.key,
                "label": spec.label,
                "description": spec.description or "",
                "parents": list(parents),
                "synonyms": list(spec.synonyms),
                "article": spec.article or "",
                "source": source,
                **{k: v for k, v in (spec.model_extra or {}).items()},
            }
        )
    return rows


def _package_rows() -> list[dict[str, Any]]:
    rows = _fideslang_rows()
    rec = package_yaml("recipients.yml")
    rows += _spec_rows(rec["kind"], rec["terms"], "ropa")
    for kind, specs in package_yaml("legal.yml").items():
        rows += _spec_rows(kind, specs, "ropa")
    return rows


def _apply_labels(frame: pd.DataFrame, spec: Mapping[str, Mapping[str, Mapping]], source: str):
    """Merge a {kind: {key: {label, synonyms}}} mapping into the terms frame (in place)."""
    frame["label"] = frame["label"].astype(object) if "label" in frame else None
    for kind, entries in (spec or {}).items():
        kind = _KIND_ALIASES.get(kind, kind)
        for key, entry in (entries or {}).items():
            mask = (frame["kind"] == kind) & (frame["key"] == key)
            if not mask.any():
                raise TaxonomyError(f"{source}: synonyms given for unknown {kind} term {key!r}")
            idx = frame.index[mask][0]
            if isinstance(entry, list):
                entry = {"synonyms": entry}
            if entry.get("label"):
                frame.at[idx, "label"] = entry["label"]
            extra = [s for s in entry.get("synonyms", []) if s]
            if extra:
                frame.at[idx, "synonyms"] = list(frame.at[idx, "synonyms"]) + extra


class Taxonomy:
    """All terms ``ropa`` knows, by kind, with fast subsumption queries.

    Example:
        >>> from ropa import default_taxonomy
        >>> tax = default_taxonomy()
        >>> bool(tax.is_under("data_category", "user.contact.email", "user.contact"))
        True
        >>> int(tax.distance("data_category", "user.contact.email", "user"))
        2
        >>> tax.is_under("data_category", ["user.name.first", "user.device"], "user.name").tolist()
        [True, False]

    .. versionadded:: 0.1
    """

    def __init__(self, terms: pd.DataFrame, countries: pd.DataFrame | None = None):
        terms = terms.drop_duplicates(subset=["kind", "key"], keep="last").reset_index(drop=True)
        if "label" not in terms:
            terms["label"] = None
        terms["label"] = [
            lab if isinstance(lab, str) and lab else name
            for lab, name in zip(terms["label"], terms["name"], strict=True)
        ]
        self._terms = terms
        self._countries = countries if countries is not None else _countries_frame()
        # per-instance caches, by kind (a taxonomy is immutable)
        self._hier: dict[str, _Hierarchy] = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._synonyms: dict[str, dict[str, str]] = {}
        # the taxonomy this one was made from, and the kinds whose terms differ from its own:
        # the hierarchies of the other kinds are the same, built once, in the base
        self._base: tuple[Taxonomy, frozenset[str]] | None = None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def load(cls, extension: str | Path | Mapping[str, Any] | None = None) -> Taxonomy:
        """The default taxonomy, extended by an organisation's ``taxonomy.yaml`` if given."""
        tax = default_taxonomy()
        return tax.extend(extension) if extension is not None else tax

    def extend(self, extension: str | Path | Mapping[str, Any], source: str | None = None) -> Taxonomy:
        """A new taxonomy with an organisation's own terms and synonyms added.

        The extension maps a kind (``data_category``, ``data_use``, ``data_subject``,
        ``recipient``, ...) to a list of terms (``key``, ``name``, ``parents``, ``synonyms``),
        and may hold a ``synonyms`` mapping of extra phrases for existing keys.
        Every parent must exist, in the default taxonomy or in the extension.
        """
        if isinstance(extension, str | Path):
            doc = read_yaml(extension, error=TaxonomyError)
        elif isinstance(extension, YamlDocument):
            doc = extension
        else:
            doc = YamlDocument(dict(extension), source or "taxonomy extension")
        source = source or doc.path
        spec = doc.data if doc.data is not None else {}
        if not isinstance(spec, Mapping):
            raise TaxonomyError("expected a mapping of kinds (data_category, data_use, ...) to "
                                "lists of terms", doc.path, 1)
        for raw_kind in spec:
            if raw_kind != "synonyms" and _KIND_ALIASES.get(raw_kind, raw_kind) not in KINDS:
                raise TaxonomyError(f"unknown kind {raw_kind!r}; expected one of {', '.join(KINDS)}, "
                                    "or synonyms", doc.path, doc.line((raw_kind,)))
        validate(doc, _taxonomy_file_model(), error=TaxonomyError)
        rows: list[dict[str, Any]] = []
        synonyms = spec.get("synonyms") or {}
        for raw_kind, specs in spec.items():
            if raw_kind == "synonyms":
                continue
            kind = _KIND_ALIASES.get(raw_kind, raw_kind)
            if kind not in KINDS:
                raise TaxonomyError(f"{source}: unknown kind {raw_kind!r}; expected one of {', '.join(KINDS)}")
            rows += _spec_rows(kind, specs or [], source)
        frame = pd.concat([self._terms, pd.DataFrame(rows)], ignore_index=True) if rows else self._terms.copy()
        frame["parents"] = frame["parents"].map(list)
        frame["synonyms"] = frame["synonyms"].map(list)
        _apply_labels(frame, synonyms, source)
        new = Taxonomy(frame, self._countries)
        new._base = (self, frozenset(row["kind"] for row in rows))
        new._check_parents(source)
        return new

    def with_entities(self, recipients: pd.DataFrame) -> Taxonomy:
        """Add a register's named recipients as entities under their recipient category.

        Each recipient's ``id`` becomes a ``recipient`` term whose parent is its
        ``category``; its name and aliases become synonyms, so that policy text naming it
        ("DAS Incasso B.V.") resolves to it.
        """
        if recipients is None or recipients.empty:
            return self
        known = set(self.keys("recipient"))
        rows = []
        for rid, name, aliases, category in zip(
            recipients["recipient_id"], recipients["name"], recipients["aliases"],
            recipients["category"], strict=True,
        ):
            if not isinstance(rid, str) or not rid:
                continue
            parent = category if isinstance(category, str) and category in known else "third_party"
            syn = [name] if isinstance(name, str) and name else []
            syn += [a for a in (aliases or []) if a]
            rows.append(
                {"kind": "recipient", "key": rid, "name": name or rid, "label": name or rid,
                 "description": "", "parents": [parent], "synonyms": syn, "article": "",
                 "source": "register"}
            )
        if not rows:
            return self
        frame = pd.concat([self._terms, pd.DataFrame(rows)], ignore_index=True)
        new = Taxonomy(frame, self._countries)
        new._base = (self, frozenset({"recipient"}))
        return new

    def _check_parents(self, source: str) -> None:
        for kind, group in self._terms.groupby("kind", sort=False):
            keys = set(group["key"])
            for key, parents in zip(group["key"], group["parents"], strict=True):
                missing = [p for p in parents if p not in keys]
                if missing:
                    hint = self.suggest(kind, missing[0])
                    raise TaxonomyError(
                        f"{source}: {kind} term {key!r} has unknown parent {missing[0]!r}"
                        + (f" (did you mean {hint[0]!r}?)" if hint else "")
                    )

    # -- look-ups -----------------------------------------------------------------------
    @property
    def terms(self) -> pd.DataFrame:
        """Every term: kind, key, name, label, description, parents, synonyms, source."""
        return self._terms

    @property
    def countries(self) -> pd.DataFrame:
        """ISO 3166 countries indexed by alpha-2 code: name, eea, adequacy scope and date."""
        return self._countries

    def _h(self, kind: str) -> _Hierarchy:
        h = self._hier.get(kind)
        if h is None:
            if kind not in KINDS:
                raise KeyError(f"unknown taxonomy kind {kind!r}")
            if self._base is not None and kind not in self._base[1]:
                h = self._base[0]._h(kind)
            else:
                group = self._terms[self._terms["kind"] == kind]
                h = _Hierarchy(group["key"].tolist(), group["parents"].tolist())
            self._hier[kind] = h
        return h

    def keys(self, kind: str) -> list[str]:
        """All keys of one kind."""
        return self._h(kind).index.tolist()

    def known(self, kind: str, values: Any) -> np.ndarray:
        """Boolean mask: is each value a key of this kind?"""
        return self._h(kind).codes(values) >= 0

    def distance(self, kind: str, x: Any, y: Any) -> np.ndarray:
        """Steps from each ``x`` up to the matching ``y``; -1 where ``x`` is not under ``y``.

        ``x`` and ``y`` are scalars or equal-length sequences (broadcast as numpy does).
        """
        h = self._h(kind)
        if isinstance(x, str) and isinstance(y, str):  # one pair: no arrays
            get = h.position.get
            xc1, yc1 = get(x, -1), get(y, -1)
            one: Any = np.int16(h.step(xc1, yc1) if xc1 >= 0 and yc1 >= 0 else -1)  # as out[0] below
            return one
        xc, yc = h.codes(x), h.codes(y)
        xc, yc = np.broadcast_arrays(xc, yc)
        out = np.full(xc.shape, -1, dtype=np.int16)
        ok = (xc >= 0) & (yc >= 0)
        out[ok] = h.distance(xc[ok], yc[ok])
        return out if np.ndim(x) or np.ndim(y) else out[0]

    def is_under(self, kind: str, x: Any, y: Any) -> np.ndarray:
        """True where ``x`` equals ``y`` or lies below it (through any parent)."""
        return self.distance(kind, x, y) >= 0

    def depth(self, kind: str, x: Any) -> np.ndarray:
        """Steps from each term up to its nearest root (0 for a root; -1 if unknown)."""
        h = self._h(kind)
        c = h.codes(x)
        out = np.where(c >= 0, h.depth[np.maximum(c, 0)], -1).astype(np.int16)
        return out if np.ndim(x) else out[0]

    def ancestors(self, kind: str, key: str) -> list[str]:
        """The key's ancestors, nearest first (not the key itself)."""
        h = self._h(kind)
        c = h.codes([key])[0]
        if c < 0:
            return []
        idx, steps = h.up(c)
        above = steps > 0
        idx, steps = idx[above], steps[above]
        return h.index[idx[np.argsort(steps, kind="stable")]].tolist()

    def descendants(self, kind: str, key: str) -> list[str]:
        """Every key under ``key`` (not the key itself)."""
        h = self._h(kind)
        c = h.codes([key])[0]
        if c < 0:
            return []
        idx, steps = h.down(c)
        return h.index[idx[steps > 0]].tolist()

    def path(self, kind: str, x: str, y: str) -> list[str]:
        """A shortest chain of keys from ``x`` up to ``y`` (empty if ``x`` is not under ``y``)."""
        h = self._h(kind)
        get = h.position.get
        xc = get(x, -1) if isinstance(x, str) else -1
        yc = get(y, -1) if isinstance(y, str) else -1
        if xc < 0 or yc < 0:
            return []
        steps = h.step(xc, yc)
        if steps < 0:
            return []
        chain = [xc]
        while steps > 0:
            parents = h.parent_codes[chain[-1]]
            steps -= 1
            chain.append(next((p for p in parents if h.step(p, yc) == steps), parents[0]))
        return h.index[chain].tolist()

    def label(self, kind: str, key: str) -> str:
        """The readable label of a key (the key itself if unknown)."""
        return self.labels(kind).get(key, key)

    def labels(self, kind: str) -> dict[str, str]:
        """Mapping of key to readable label for one kind."""
        found = self._labels.get(kind)
        if found is None:
            group = self._terms[self._terms["kind"] == kind]
            found = self._labels[kind] = dict(zip(group["key"], group["label"], strict=True))
        return found

    def attribute(self, kind: str, key: str, name: str, default: Any = None) -> Any:
        """An extra attribute of a term from its data file (``article``, ``data_categories``)."""
        group = self._terms[(self._terms["kind"] == kind) & (self._terms["key"] == key)]
        if group.empty or name not in group:
            return default
        value = group.iloc[0][name]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return default
        return value

    def synonyms(self, kind: str) -> dict[str, str]:
        """Mapping of normalised phrase to key for one kind (labels and names included)."""
        found = self._synonyms.get(kind)
        if found is None:
            found = {}
            group = self._terms[self._terms["kind"] == kind]
            # Names first, then synonyms, so an explicit synonym wins over a generated name.
            for key, name, label in zip(group["key"], group["name"], group["label"], strict=True):
                for phrase in (name, label):
                    if isinstance(phrase, str) and phrase:
                        found.setdefault(normalise_phrase(phrase), key)
            for key, syns in zip(group["key"], group["synonyms"], strict=True):
                for phrase in syns:
                    found[normalise_phrase(phrase)] = key
            self._synonyms[kind] = found
        return found

    def lookup(self, kind: str, phrase: str) -> str | None:
        """The key a phrase means (a key, a label or a synonym), or None."""
        if not isinstance(phrase, str):
            return None
        if self.known(kind, [phrase])[0]:
            return phrase
        return self.synonyms(kind).get(normalise_phrase(phrase))

    def suggest(self, kind: str, value: str, limit: int = 3) -> list[str]:
        """The known keys closest to ``value`` (for "did you mean" messages)."""
        from rapidfuzz import fuzz, process, utils

        if kind not in KINDS or not isinstance(value, str) or not value:
            return []
        syn = self.synonyms(kind)
        choices = list(dict.fromkeys(self.keys(kind)))
        by_key = process.extract(value, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit)
        by_phrase = process.extract(value, list(syn), scorer=fuzz.WRatio, processor=utils.default_process, limit=limit)
        scored: dict[str, float] = {}
        for key, score, _ in by_key:
            scored[key] = max(scored.get(key, 0), score)
        for phrase, score, _ in by_phrase:
            key = syn[phrase]
            scored[key] = max(scored.get(key, 0), score - 1)
        best = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        return [k for k, s in best if s >= 50][:limit]

    # -- countries ----------------------------------------------------------------------
    def is_eea(self, codes: Any) -> np.ndarray:
        """Boolean mask: is each ISO alpha-2 code an EEA country?"""
        c = pd.Index(np.asarray(codes, dtype=object).ravel())
        return c.isin(self._countries.index[self._countries["eea"].astype(bool)])

    def adequacy_scope(self, codes: Any) -> np.ndarray:
        """Per code: 'all', 'dpf', 'commercial' where an adequacy decision exists, else ''."""
        c = pd.Series(np.asarray(codes, dtype=object).ravel())
        return c.map(self._countries["adequacy"]).fillna("").astype(str).to_numpy()

    def country_known(self, codes: Any) -> np.ndarray:
        c = pd.Index(np.asarray(codes, dtype=object).ravel())
        return c.isin(self._countries.index)

    def country_name(self, code: str) -> str:
        try:
            return str(self._countries.at[code, "name"])
        except KeyError:
            return str(code)

    def __repr__(self) -> str:
        counts = self._terms.groupby("kind").size()
        parts = ", ".join(f"{k}={counts.get(k, 0)}" for k in ("data_category", "data_use", "data_subject", "recipient"))
        return f"<Taxonomy {parts}>"


def _countries_frame() -> pd.DataFrame:
    import pycountry

    data = package_yaml("countries.yml")
    eea = set(data["eea"])
    rows = {c.alpha_2: {"name": getattr(c, "common_name", None) or c.name, "eea": c.alpha_2 in eea}
            for c in pycountry.countries}
    for region in data.get("regions", []):
        rows[region["code"]] = {"name": region["name"], "eea": bool(region["eea"])}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["adequacy"] = ""
    frame["adequacy_decided"] = ""
    for entry in data["adequacy"]:
        frame.at[entry["country"], "adequacy"] = entry["scope"]
        frame.at[entry["country"], "adequacy_decided"] = str(entry["decided"])
    frame.index.name = "country"
    return frame


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped with ``ropa``: fideslang's terms plus ``ropa``'s data files.

    Example:
        >>> from ropa import default_taxonomy
        >>> default_taxonomy().label("data_category", "user.contact.email")
        'Email address'
    """
    frame = pd.DataFrame(_package_rows())
    _apply_labels(frame, package_yaml("synonyms.yml"), "ropa/taxonomy/synonyms.yml")
    tax = Taxonomy(frame)
    tax._check_parents("ropa taxonomy")
    return tax
