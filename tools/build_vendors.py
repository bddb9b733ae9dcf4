#!/usr/bin/env python3
"""Build ``ropa/taxonomy/vendors.yml``: our hand-curated vendors plus two public lists.

    .venv/bin/python tools/build_vendors.py            # rewrite ropa/taxonomy/vendors.yml
    .venv/bin/python tools/build_vendors.py --check    # exit 1 when the file is not what a build gives
    .venv/bin/python tools/build_vendors.py --extract-third-party-web third-party-web-0.30.0.tgz

Sources (both MIT; the copies under ``tools/sources/`` keep only the fields used here, see
``tools/sources/README.md`` and ``NOTICE``):

- **third-party-web** 0.30.0 (Patrick Hulce, MIT), the npm package's ``dist/entities.json``:
  2,143 entities seen as third-party scripts on web pages (HTTP Archive), each with a name, a
  category, sometimes a parent company, and the number of pages it was seen on. ``--extract-third-party-web`` turns the package
  tarball (``npm pack third-party-web@0.30.0``) into ``tools/sources/third-party-web-0.30.0.json``.
- **GDPR Tracker** (Privacy Radius, MIT, ``privacyradius/gdpr-tracker``): one JSON file per
  SaaS processor with its categories and ``countryHQ``; ``tools/sources/gdpr-tracker.tsv``
  holds id, name, categories, countryHQ and website of the 70 files transcribed.

What the build does, in order:

1. **Hand-curated entries win.** Every entry of the current vendors.yml without a ``source``
   field is kept exactly as written (edit those by hand in vendors.yml, then re-run).
2. **Names are normalised.** Display names lose a trailing legal form
   (:func:`ropa.core.names.strip_legal_form`), a trailing `` CMP`` (consent-platform label) and
   a parenthesised parent company (``Gravity (AOL)`` -> ``Gravity``); ``A / B`` names give the
   name ``A`` and the alias ``B``; ``Amazon Web Services (AWS)`` gives the alias ``AWS`` (a
   parenthesis is an alias when it is an acronym of the name); ``G Suite - Google`` gives ``G
   Suite``. Names starting with ``Other `` (third-party-web's catch-alls) are dropped.
3. **Duplicates merge.** Two names are one vendor when :func:`ropa.core.names.normalise_name`
   gives the same string for them (``ZenDesk``/``Zendesk``, ``Hubspot``/``HubSpot``), or when
   :data:`SAME_AS` says so. A source entry that meets a hand-curated one adds nothing to it;
   GDPR Tracker's category, country and ``tracker`` win over third-party-web's (its file is
   read first; a third-party-web entity that meets it adds only aliases).
4. **Categories are mapped** onto recipients.yml keys (:data:`THIRD_PARTY_WEB_CATEGORIES`,
   :data:`GDPR_TRACKER_CATEGORIES`, :data:`PAYMENT_NAMES`); third-party-web's ``content``
   category (publishers and media sites) is left out (:data:`THIRD_PARTY_WEB_LEFT_OUT`), and
   so is a third-party-web entity seen on fewer than :data:`MIN_PAGES` pages unless it names
   a vendor already listed (extraction's cost grows with every name: 1,576 names made the
   hostile-input extraction tests 2-5 times slower, 478 add about 10-40 %).
5. **Ambiguous names are kept apart.** A name is *ambiguous* when, folded (legal form
   dropped, lowercase, split at anything not a letter or digit), every word of it is an
   English word (the system word list, ``/usr/share/dict/words`` from Debian's ``wamerican``,
   lowercase entries): ``Segment``, ``Drift``, ``Box``, ``Provide Support``, ``Help Scout``;
   or it is two words of :data:`GENERIC_WORDS` (``Digital Media``), or one character. A name
   whose first word is in :data:`BRAND_WORDS` (``Twitter``, ``Google Maps``) or that is written
   as a domain (``Media.net``) is not ambiguous. An ambiguous alias is
   dropped. A source vendor whose name is ambiguous goes to ``ambiguous_vendors`` with
   ``ambiguous: true``: today's extraction reads only ``vendors`` (where every name and alias
   is safe as a whole-word, case-insensitive match), and an extraction that honours the flag
   should accept such a name only when it is capitalised mid-sentence, followed by a legal
   form (``Segment Inc.``) or written in a table or list of recipients. Hand-curated entries
   with an ambiguous name stay in ``vendors`` (a person judged them) and carry the flag too.
6. **Checks**: every category is a recipients.yml key, keys unique, no name or alias shared
   by two vendors (compared with ``normalise_name``), countries ISO 3166 alpha-2.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import re
import sys
import tarfile
from pathlib import Path

import pycountry
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ropa.core.names import normalise_name, slug, strip_legal_form  # noqa: E402

VENDORS = ROOT / "ropa" / "taxonomy" / "vendors.yml"
RECIPIENTS = ROOT / "ropa" / "taxonomy" / "recipients.yml"
SOURCES = Path(__file__).resolve().parent / "sources"
TPW = SOURCES / "third-party-web-0.30.0.json"
GDPR_TRACKER = SOURCES / "gdpr-tracker.tsv"
DICTIONARY = Path("/usr/share/dict/words")

TPW_VERSION = "0.30.0"
TPW_INTEGRITY = "sha512-p+PfyL5U0ediGzvwPzMSdD9MnC8rHW6nWJJVLIQvqN7RsSqfaZ+7n4c9GILqH36EYR0eXB9CzAeCRnKFr/9uJg=="

#: third-party-web category -> (recipients.yml key, tracker). ``tracker`` is true where the
#: vendor's main function is to follow, measure or reach visitors (its script or cookie on
#: the organisation's pages then needs consent); false for infrastructure and utilities.
THIRD_PARTY_WEB_CATEGORIES: dict[str, tuple[str, bool]] = {
    "ad": ("third_party.advertising", True),
    "analytics": ("third_party.service_provider.analytics", True),
    "social": ("third_party.social_network", True),
    "video": ("third_party.tracker", True),
    "tag-manager": ("third_party.tracker", True),
    "marketing": ("third_party.service_provider.email_marketing", False),
    "customer-success": ("third_party.service_provider.customer_support", False),
    "utility": ("third_party.service_provider.it_services", False),
    "consent-provider": ("third_party.service_provider.it_services", False),
    "other": ("third_party.service_provider.it_services", False),
    "hosting": ("third_party.service_provider.hosting", False),
    "cdn": ("third_party.service_provider.hosting", False),
}

#: third-party-web categories left out: "content" is publishers and media sites (Spotify,
#: Booking.com, Bloomberg) whose scripts are embeds; policies name them as the controller of
#: their own service or as sites users link to, rarely as recipients of the organisation's data.
THIRD_PARTY_WEB_LEFT_OUT = frozenset({"content"})

#: third-party-web entities seen on fewer pages of the HTTP Archive crawl are left out: the
#: more sites use a vendor, the more policies name it, and every name costs extraction time
#: (each is an alternative of the recipient pattern and a candidate of the "did you mean"
#: suggestions), which the hostile-input tests bound.
MIN_PAGES = 500

#: GDPR Tracker category words (lowercase, matched inside each category string) ->
#: (recipients.yml key, tracker); the first rule that matches any category of the entry wins.
GDPR_TRACKER_CATEGORIES: list[tuple[str, str, bool]] = [
    (r"payment|billing", "third_party.service_provider.payment", False),
    (r"web analytics|heatmap", "third_party.service_provider.analytics", True),
    (r"^analytics$|customer data platform", "third_party.service_provider.analytics", True),
    (r"social", "third_party.social_network", True),
    (r"e-?mail marketing|newsletter|transactional e-?mail|marketing automation|e-?mail serivce",
     "third_party.service_provider.email_marketing", False),
    (r"customer support|live chat|customer communication", "third_party.service_provider.customer_support", False),
    (r"crm|^sales$", "third_party.service_provider.crm", False),
    (r"team messaging|^chat$|communications|conferencing|webinar", "third_party.service_provider.communication", False),
    (r"ats|recruit", "third_party.service_provider.payroll", False),
    (r"hosting|cloud computing|infrastructure|cdn|platform as a service", "third_party.service_provider.hosting", False),
    (r".", "third_party.service_provider.it_services", False),
]

#: Names of payment services among third-party-web's utilities (-> payment providers).
PAYMENT_NAMES = re.compile(
    r"\b(?:pay|payments?|paypal|stripe|adyen|braintree|klarna|afterpay|affirm|checkout\.com|worldpay|"
    r"cybersource|authorize\.net|mollie|sagepay|sage pay|smartpay|skrill|paysafe|square)\b", re.I)

#: Source names that are one vendor with an entry of another name (source name -> key).
SAME_AS: dict[str, str] = {
    "Google/Doubleclick Ads": "google-doubleclick",
    "Cloudflare CDN": "cloudflare",
    "G Suite": "google-workspace",
    "Office 365": "microsoft-365",
    "Jira": "atlassian",
    "Trello": "atlassian",
    "Freshdesk": "freshworks",
    "Sendgrid": "sendgrid",
    "Azure Web Services": "microsoft-azure",
    "Microsoft Advertising": "microsoft-advertising",
    "Plausible": "plausible",
    "Clarity": "microsoft-clarity",
}

#: English words whose brand sense is the one privacy policies use: a name made of English
#: words is not ambiguous when it starts with one of these ("Twitter", "Google Maps").
BRAND_WORDS = frozenset({"twitter", "yahoo", "oracle", "twitch", "google", "amazon", "adobe", "apple"})

#: Words too general to make a two-word name distinctive ("Digital Media", "Online Research").
GENERIC_WORDS = frozenset([
    "ad", "ads", "advertising", "affiliate", "agency", "analytics", "audience", "brand", "business",
    "click", "cloud", "commerce", "communication", "communications", "consumer", "content", "data",
    "digital", "direct", "email", "group", "insight", "insights", "interactive", "internet", "lead",
    "local", "marketing", "media", "mobile", "net", "network", "networks", "news", "online", "people",
    "research", "search", "service", "services", "site", "social", "solutions", "technologies",
    "technology", "the", "tools", "traffic", "video", "web", "website",
])

#: Legal forms dropped from the end of a display name besides ``strip_legal_form``'s.
_CMP = re.compile(r"\s+CMP$")


def _fold_tokens(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", strip_legal_form(name).lower().replace("!", ""))


def load_dictionary(path: Path = DICTIONARY) -> frozenset[str]:
    if not path.exists():
        sys.exit(f"{path} is missing: install Debian's wamerican (apt-get install wamerican)")
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8", errors="ignore").splitlines()
                     if w.strip().islower() and w.strip().isalpha())


def is_ambiguous(name: str, words: frozenset[str]) -> bool:
    """The rule of the module docstring, step 5."""
    tokens = _fold_tokens(name)
    if not tokens or len("".join(tokens)) < 2:
        return True
    if re.search(r"\w\.[a-z]{2,}\b", name, re.I):
        return False  # written as a domain: "Media.net", "Customer.io"
    if tokens[0] in BRAND_WORDS:
        return False
    if len(tokens) == 2 and all(t in GENERIC_WORDS for t in tokens):
        return True
    return all(t in words for t in tokens)


def country_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.upper() == "UK":
        return "GB"
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None


# -- reading the sources ----------------------------------------------------------------------


def extract_third_party_web(tarball: Path, out: Path = TPW) -> int:
    """Write the slim copy of third-party-web's entities (name, company, category, homepage,
    and ``totalOccurrences``: on how many pages of the HTTP Archive crawl it was seen)."""
    with tarfile.open(tarball) as tar:
        data = json.load(tar.extractfile("package/dist/entities.json"))
    rows = [{k: e[k] for k in ("name", "company", "category", "homepage", "totalOccurrences") if e.get(k)}
            for e in data]
    out.write_text("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n", encoding="utf-8")
    return len(rows)


def third_party_web() -> list[dict]:
    return json.loads(TPW.read_text(encoding="utf-8"))


def gdpr_tracker() -> list[dict]:
    text = "\n".join(line for line in GDPR_TRACKER.read_text(encoding="utf-8").splitlines()
                     if line and not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return [dict(r) for r in reader]


def recipient_categories() -> set[str]:
    data = yaml.safe_load(RECIPIENTS.read_text(encoding="utf-8"))
    return {t["key"] for t in data["terms"]}


def curated_entries() -> list[dict]:
    """The hand-curated entries of the current vendors.yml (those without ``source``)."""
    if not VENDORS.exists():
        return []
    data = yaml.safe_load(VENDORS.read_text(encoding="utf-8")) or {}
    return [dict(v) for v in data.get("vendors") or [] if not v.get("source")]


# -- normalising names ------------------------------------------------------------------------


def split_name(raw: str) -> tuple[str, list[str]]:
    """Display name and aliases from a source's name (rules of the docstring, step 2)."""
    name = " ".join(html.unescape(raw).split())
    aliases: list[str] = []
    m = re.match(r"^(.*?)\s*\(([^)]*)\)\s*(.*)$", name)
    if m:
        inner = m.group(2).strip()
        name = f"{m.group(1)} {m.group(3)}".strip()
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", name)).lower()
        if inner.isupper() and inner.lower() == initials:
            aliases.append(inner)
    if " / " in name:
        first, *rest = [p.strip() for p in name.split(" / ")]
        name, aliases = first, [*rest, *aliases]
    if " - " in name:
        name = name.split(" - ", 1)[0].strip()
    name = _CMP.sub("", name)
    name = strip_legal_form(name).rstrip(" ,")
    return name, aliases


# -- building ------------------------------------------------------------------------------


class Builder:
    def __init__(self, words: frozenset[str], categories: set[str]):
        self.words = words
        self.categories = categories
        self.entries: list[dict] = []
        self.by_norm: dict[str, dict] = {}
        self.by_key: dict[str, dict] = {}
        self.dropped: list[tuple[str, str]] = []

    def _index(self, entry: dict) -> None:
        self.by_key[entry["key"]] = entry
        for phrase in [entry["name"], *entry.get("aliases", [])]:
            self.by_norm.setdefault(normalise_name(phrase), entry)

    def add_curated(self, entry: dict) -> None:
        entry = dict(entry)
        entry.pop("ambiguous", None)
        if is_ambiguous(entry["name"], self.words):
            entry["ambiguous"] = True
        entry["_curated"] = True
        self.entries.append(entry)
        self._index(entry)

    def find(self, raw: str, name: str, aliases: list[str]) -> dict | None:
        if raw in SAME_AS and SAME_AS[raw] in self.by_key:
            return self.by_key[SAME_AS[raw]]
        if name in SAME_AS and SAME_AS[name] in self.by_key:
            return self.by_key[SAME_AS[name]]
        for phrase in [name, *aliases]:
            hit = self.by_norm.get(normalise_name(phrase))
            if hit is not None:
                return hit
        return None

    def add(self, raw: str, category: str, tracker: bool, country: str | None, source: str,
            *, prefer: bool = False, new_ok: bool = True) -> None:
        """Merge a source's entry into the one it names, or add it (when ``new_ok``)."""
        if raw.startswith("Other "):
            self.dropped.append((raw, "a catch-all, not a company"))
            return
        name, aliases = split_name(raw)
        if not normalise_name(name):
            self.dropped.append((raw, "no name left after normalising"))
            return
        existing = self.find(raw, name, aliases)
        if existing is not None:
            if existing.get("_curated"):
                return
            if prefer:
                existing["category"] = category
                existing["country"] = country or existing.get("country")
                existing["tracker"] = tracker
            else:
                existing["country"] = existing.get("country") or country
            sources = existing["source"].split(", ")
            if source not in sources:
                existing["source"] = ", ".join([*sources, source])
            for alias in aliases:
                self._add_alias(existing, alias)
            return
        if not new_ok:
            self.dropped.append((raw, f"seen on fewer than {MIN_PAGES} pages"))
            return
        key = slug(name)
        n = 2
        while key in self.by_key:
            key, n = f"{slug(name)}-{n}", n + 1
        entry = {"key": key, "name": name, "aliases": [], "category": category, "country": country,
                 "tracker": tracker, "source": source}
        if is_ambiguous(name, self.words):
            entry["ambiguous"] = True
        self.entries.append(entry)
        self._index(entry)
        for alias in aliases:
            self._add_alias(entry, alias)

    def _add_alias(self, entry: dict, alias: str) -> None:
        norm = normalise_name(alias)
        if not norm or is_ambiguous(alias, self.words):
            return
        owner = self.by_norm.get(norm)
        if owner is None:
            entry["aliases"].append(alias)
            self.by_norm[norm] = entry

    def build(self) -> None:
        for row in gdpr_tracker():
            cats = [c.strip().lower() for c in row["categories"].split(";") if c.strip()]
            category, tracker = next((key, tr) for pattern, key, tr in GDPR_TRACKER_CATEGORIES
                                     if any(re.search(pattern, c) for c in cats))
            self.add(row["name"], category, tracker, country_code(row["countryHQ"]), "gdpr-tracker", prefer=True)
        for ent in third_party_web():
            if ent["category"] in THIRD_PARTY_WEB_LEFT_OUT:
                self.dropped.append((ent["name"], f"third-party-web category {ent['category']}"))
                continue
            category, tracker = THIRD_PARTY_WEB_CATEGORIES[ent["category"]]
            if ent["category"] in ("utility", "other") and PAYMENT_NAMES.search(ent["name"]):
                category = "third_party.service_provider.payment"
            self.add(ent["name"], category, tracker, None, "third-party-web",
                     new_ok=ent.get("totalOccurrences", 0) >= MIN_PAGES)

    def check(self) -> list[str]:
        problems = []
        seen: dict[str, str] = {}
        keys: set[str] = set()
        for e in self.entries:
            if e["category"] not in self.categories:
                problems.append(f"{e['key']}: unknown category {e['category']}")
            if e["key"] in keys:
                problems.append(f"{e['key']}: key given twice")
            keys.add(e["key"])
            if e.get("country") and country_code(e["country"]) != e["country"]:
                problems.append(f"{e['key']}: country {e['country']} is not ISO 3166 alpha-2")
            for phrase in {normalise_name(p) for p in [e["name"], *e.get("aliases", [])]}:
                if phrase in seen and seen[phrase] != e["key"]:
                    problems.append(f"{e['key']}: name or alias {phrase!r} also names {seen[phrase]}")
                seen[phrase] = e["key"]
        return problems


# -- writing ----------------------------------------------------------------------------------

HEADER = """\
# Processors, trackers and advertising networks that privacy policies name.
#
# GENERATED by tools/build_vendors.py from the hand-curated entries of this file (those
# without `source`: edit them here, then re-run the script) and two public lists (MIT; see
# NOTICE and tools/sources/README.md):
#   - third-party-web {tpw_version} (Patrick Hulce, npm `third-party-web`, {tpw_integrity}),
#     dist/entities.json: name, category, parent company, pages seen on (entities seen on
#     fewer than {min_pages} pages of the HTTP Archive crawl are left out);
#   - GDPR Tracker (Privacy Radius, github.com/privacyradius/gdpr-tracker, data/*.json,
#     70 files): name, categories, countryHQ.
# Facts only are taken over (names, categories, countries); the category mapping, the name
# rules and the ambiguity rule are in the script's docstring.
#   third-party-web: Copyright (c) 2019 Patrick Hulce. GDPR Tracker: Copyright (c) 2018
#   Privacy Radius. Both under the MIT License: Permission is hereby granted, free of charge,
#   to any person obtaining a copy of this software and associated documentation files (the
#   "Software"), to deal in the Software without restriction, including without limitation
#   the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
#   copies of the Software, and to permit persons to whom the Software is furnished to do so,
#   subject to the following conditions: The above copyright notice and this permission
#   notice shall be included in all copies or substantial portions of the Software. THE
#   SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED (full
#   text in NOTICE).
#
# Policy extraction recognises these names (and aliases, case-insensitively, as whole
# words) so that a policy naming a vendor the register does not hold still yields a
# statement about that vendor. Such a statement's recipient is the derived key
# `vendor:<key>` (for example `vendor:hotjar`). When the register holds the vendor (its
# name or one of its aliases equals a register recipient's name or alias), the register's
# recipient id is used instead.
#
# Fields: key (stable, kebab-case), name, aliases, category (a recipient-category key of
# recipients.yml), country (ISO 3166 alpha-2 of the place the vendor usually processes EU
# customers' data or of its contracting entity for EU customers, as the vendor publishes
# it; for generated entries the headquarters GDPR Tracker gives, or null when no source
# gives one), tracker (true when the vendor's script, cookie or pixel runs on the
# organisation's own web pages, which needs consent under ePrivacy art 5(3)), source (for
# generated entries: the list or lists it comes from), ambiguous (true when the name is
# also a common English word: "Segment", "Drift", "Box").
#
# `vendors`: every name and alias here is safe to match as a whole word in any case.
# `ambiguous_vendors`: vendors whose only name is a common English word. Extraction reads
# them only where it accepts a name when capitalised mid-sentence, followed by a legal form
# ("Segment Inc.") or written in a table or list of recipients; until then they are data
# only. Hand-curated vendors with such a name stay in `vendors` with `ambiguous: true`.
#
# {counts}
"""


def _flow(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    text = str(value)
    dumped = yaml.safe_dump(text, default_flow_style=True, width=10_000, allow_unicode=True).strip()
    dumped = dumped.removesuffix("\n...").removesuffix("...").strip()
    plain_ok = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .'&+@_/-]*", text) and not re.search(r" $|: | #", text)
    if plain_ok and yaml.safe_load(text) == text:
        return text
    return dumped


FIELDS = ("key", "name", "aliases", "category", "country", "tracker", "source", "ambiguous")


def line(entry: dict) -> str:
    parts = []
    for f in FIELDS:
        if f in ("source", "ambiguous") and not entry.get(f):
            continue
        if f == "country" and entry.get("_curated") and "country" not in entry:
            continue
        parts.append(f"{f}: {_flow(entry.get(f))}")
    return "  - {" + ", ".join(parts) + "}"


def render(builder: Builder, curated_text: str) -> str:
    generated = [e for e in builder.entries if not e.get("_curated")]
    main = sorted((e for e in generated if not e.get("ambiguous")), key=lambda e: e["key"])
    amb = sorted((e for e in generated if e.get("ambiguous")), key=lambda e: e["key"])
    n_cur = sum(1 for e in builder.entries if e.get("_curated"))
    counts = (f"{n_cur} hand-curated, {len(main)} generated in `vendors`, "
              f"{len(amb)} in `ambiguous_vendors`: {n_cur + len(main) + len(amb)} in all.")
    out = [HEADER.format(tpw_version=TPW_VERSION, tpw_integrity=TPW_INTEGRITY, counts=counts, min_pages=MIN_PAGES).rstrip("\n"),
           "vendors:", curated_text.rstrip("\n"), "  # -- generated (tools/build_vendors.py): do not edit below by hand"]
    out += [line(e) for e in main]
    out += ["", "ambiguous_vendors:"] + [line(e) for e in amb]
    return "\n".join(out) + "\n"


def curated_block(builder: Builder) -> str:
    """The curated entries as the current file writes them (comments kept), with their
    ``ambiguous`` flag brought up to date."""
    text = VENDORS.read_text(encoding="utf-8")
    start = text.index("vendors:\n") + len("vendors:\n")
    end = text.find("  # -- generated", start)
    block = text[start:end if end >= 0 else None]
    block = block.split("\nambiguous_vendors:", 1)[0]
    flags = {e["key"]: bool(e.get("ambiguous")) for e in builder.entries if e.get("_curated")}
    lines = []
    for ln in block.splitlines():
        m = re.match(r"^  - \{key: ([^,]+),", ln)
        if m:
            ln = re.sub(r", ambiguous: (?:true|false)\}$", "}", ln)
            if flags.get(m.group(1).strip()):
                ln = ln[:-1] + ", ambiguous: true}"
        lines.append(ln)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when vendors.yml differs from a fresh build")
    parser.add_argument("--extract-third-party-web", type=Path, metavar="TGZ",
                        help="write tools/sources/third-party-web-*.json from the npm tarball, then build")
    parser.add_argument("--report", action="store_true", help="list the dropped and ambiguous names")
    args = parser.parse_args(argv)
    if args.extract_third_party_web:
        print(f"third-party-web: {extract_third_party_web(args.extract_third_party_web)} entities")
    builder = Builder(load_dictionary(), recipient_categories())
    for entry in curated_entries():
        builder.add_curated(entry)
    builder.build()
    problems = builder.check()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    text = render(builder, curated_block(builder))
    data = yaml.safe_load(text)
    n_main, n_amb = len(data["vendors"]), len(data["ambiguous_vendors"])
    if args.report:
        for raw, why in builder.dropped:
            print(f"dropped {raw!r}: {why}")
        print("ambiguous:", ", ".join(e["name"] for e in data["ambiguous_vendors"]))
    if args.check:
        same = VENDORS.read_text(encoding="utf-8") == text
        print("vendors.yml is " + ("up to date" if same else "NOT what a build gives"))
        return 0 if same else 1
    VENDORS.write_text(text, encoding="utf-8")
    print(f"wrote {VENDORS.relative_to(ROOT)}: {n_main} vendors, {n_amb} ambiguous vendors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
