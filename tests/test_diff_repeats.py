"""One change, one row (ropa/diff/repeats.py): a new fact repeated in a summary, a promise
stated beside the new processing it limits, and a sentence's one edit read from two of its
statements are each reported once as material."""

from __future__ import annotations

import ropa
from ropa.diff.repeats import fold_repeated_grants, fold_repeats, one_edit_per_sentence
from tests.diffing import material_rows, policy_from


def _row(line, reason, added, sid, kind="added"):
    return {"kind": kind, "level": "material", "material": True, "direction": "adverse",
            "reason": reason, "new_line": line, "old_line": None, "added": added, "new_statement": sid}


def test_a_new_data_category_repeated_in_a_summary_is_reported_once(tmp_path):
    old = ("# Privacy\n\n## What we collect\n\nWe collect your email address when you sign up.\n\n"
           "## In short\n\nWe collect your email address.\n")
    new = ("# Privacy\n\n## What we collect\n\nWe collect your email address when you sign up.\n\n"
           "We also collect the location of your phone.\n\n"
           "## In short\n\nWe collect your email address. We also collect your location.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", old), policy_from(tmp_path, "b.md", new))
    material = material_rows(changes)
    assert len(material) == 1 and material.iloc[0]["new_line"] == 7
    later = changes[changes["reason"].str.startswith("already reported (line 7)")]
    assert len(later) == 1 and later.iloc[0]["level"] == "informational"


def test_a_repeat_with_news_of_its_own_keeps_its_level():
    rows = [_row(5, "new data category: Location", ["user.location"], "s1"),
            _row(9, "new data category: Location", ["user.location"], "s2"),
            _row(9, "new purpose: Advertising", ["marketing.advertising"], "s2"),
            _row(12, "new data category: Location", ["user.location"], "s3"),
            _row(12, "retention stated: P1Y", ["user.location"], "s4")]
    fold_repeats(rows)
    assert [r["level"] for r in rows] == ["material", "material", "material", "informational", "material"]


def test_a_repeat_on_the_same_line_is_not_folded():
    # two sentences of one paragraph naming the same terms may be two processings
    rows = [_row(5, "new purpose for Phone number: Customer support", ["customer_support"], "s1"),
            _row(5, "new purpose for Phone number: Customer support", ["customer_support"], "s2")]
    fold_repeats(rows)
    assert all(r["material"] for r in rows)


def test_a_promise_beside_new_processing_limits_it_and_is_not_a_favourable_change(tmp_path):
    old = "# Privacy\n\n## Use\n\nWe collect your email address to run your account.\n"
    new = ("# Privacy\n\n## Use\n\nWe collect your email address to run your account.\n\n"
           "We use your IP address to choose which adverts you see. This data is never shared with "
           "advertisers.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", old), policy_from(tmp_path, "b.md", new))
    material = material_rows(changes)
    assert set(material["direction"]) == {"adverse"}
    promise = changes[changes["reason"].str.contains("a limit on the new processing stated beside it")]
    assert len(promise) == 1 and promise.iloc[0]["level"] == "informational"


def test_a_new_promise_on_its_own_stays_a_favourable_change(tmp_path):
    old = "# Privacy\n\n## Use\n\nWe collect your email address to run your account.\n"
    new = ("# Privacy\n\n## Use\n\nWe collect your email address to run your account.\n\n"
           "## Sharing\n\nWe never sell your email address to anyone.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", old), policy_from(tmp_path, "b.md", new))
    assert list(material_rows(changes)["direction"]) == ["favourable"]


def test_one_edit_of_a_sentence_two_statements_rest_on_is_one_change():
    from ropa.diff.statements import Statement

    def st(pos, sid):
        empty = frozenset()
        return Statement(pos, sid, "1", "", "q", "q", "collect", "first_party", True, "we", empty, empty,
                         empty, empty, empty, empty, "", False, empty, empty, line=4)

    reason = "widened: the sentence now also says 'to use or link to'"
    rows = [dict(_row(4, reason, [], "s2", kind="changed"), old_line=3, aspect="recipient"),
            dict(_row(4, reason, [], "s1", kind="changed"), old_line=3, aspect="data_category"),
            dict(_row(4, "reworded", [], "s2", kind="changed"), old_line=3, level="wording")]
    kept = one_edit_per_sentence(rows, {"s1": st(0, "s1"), "s2": st(1, "s2")})
    assert [r["aspect"] for r in kept if r["level"] != "wording"] == ["data_category"]
    assert len(kept) == 2


def test_two_sentences_of_one_item_about_the_same_new_recipient_are_one_change(tmp_path):
    old = "# Privacy\n\n## Sharing\n\nWe collect your email address to run your account.\n"
    new = ("# Privacy\n\n## Sharing\n\nWe collect your email address to run your account.\n\n"
           "*   Hosting: we share your email address and IP address with our hosting providers. "
           "Our hosting providers may also see your messages when they keep our servers running.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", old), policy_from(tmp_path, "b.md", new))
    material = material_rows(changes)
    # the new recipient with what it receives, the collection read from the same sentence joined to it
    assert len(material) == 1
    assert material.iloc[0]["reason"].count("new recipient: Hosting") == 1
    assert material.iloc[0]["reason"].count("new data category: IP address") == 1


def test_two_new_recipients_in_one_paragraph_stay_two_changes():
    from ropa.diff.repeats import one_change_per_paragraph

    rows = [dict(_row(7, "new recipient: Stripe", ["vendor:stripe"], "s1"), aspect="recipient"),
            dict(_row(7, "new recipient: Intercom", ["vendor:intercom"], "s2"), aspect="recipient"),
            dict(_row(7, "new recipient: Stripe; new purpose: Payments", ["vendor:stripe", "payment"], "s3"),
                 aspect="recipient")]
    kept = one_change_per_paragraph(rows)
    assert [r["new_statement"] for r in kept] == ["s1", "s2"]
    assert kept[0]["reason"] == "new recipient: Stripe; new purpose: Payments"
    assert kept[0]["added"] == ["payment", "vendor:stripe"]


def test_a_changed_statement_telling_what_a_new_one_of_its_line_announces_is_one_change():
    from ropa.diff.repeats import one_change_per_paragraph

    rows = [dict(_row(3, "new data category: IP address", ["user.device.ip_address"], "s1", kind="changed"),
                 aspect="data_category", old_line=2),
            dict(_row(3, "new recipient: Hosting; new data category: IP address",
                      ["hosting", "user.device.ip_address"], "s2"), aspect="recipient"),
            dict(_row(3, "new purpose: Analytics", ["analytics"], "s3", kind="changed"), aspect="purpose",
                 old_line=2)]
    kept = one_change_per_paragraph(rows)
    assert [r["new_statement"] for r in kept] == ["s2", "s3"]


def test_a_plural_of_words_the_old_text_used_is_no_new_kind_of_data(tmp_path):
    from ropa.core.taxonomy import default_taxonomy
    from ropa.diff.statements import data_named_anew, squash

    new = policy_from(tmp_path, "b.md", "# Privacy\n\n## Data\n\nWe collect the IP addresses of visitors.\n")
    from ropa.diff.entities import EntityResolver
    from ropa.diff.statements import statements_of

    s = statements_of(new, EntityResolver(None))[0]
    assert data_named_anew(default_taxonomy(), squash("We log your IP address."), s) == {}


def test_a_new_purpose_told_again_beside_a_restated_term_is_reported_once():
    # a policy gives a new purpose (newsletters) to all it processes: the statements after
    # the first say it again, beside purposes or recipients the old version stated elsewhere
    rows = [_row(4, "new purpose: Newsletters, Research", ["marketing", "research"], "s1"),
            _row(8, "new purpose: Newsletters, Research; purpose already stated elsewhere in the old "
                    "version, now also here: Analytics", ["marketing", "research", "analytics"], "s2"),
            _row(11, "new purpose: Research; recipient no longer stated here, still stated elsewhere: "
                     "Printers", ["research"], "s3", kind="changed")]
    fold_repeats(rows)
    assert [r["level"] for r in rows] == ["material", "informational", "informational"]
    assert rows[1]["reason"].startswith("already reported (line 4): new purpose: Newsletters")


def test_a_repeated_purpose_beside_other_news_keeps_its_level():
    # a new kind of recipient is news; data named more precisely than before (a city where
    # the old text said address) is a new processing for that purpose; a new purpose is news
    rows = [_row(4, "new purpose: Newsletters", ["marketing"], "s1"),
            _row(9, "new purpose: Newsletters; new kind of recipient: Printers (the old version listed "
                    "hosting, payment)", ["marketing", "printers"], "s2"),
            _row(10, "new purpose: Newsletters; data category now named specifically: City (was Address)",
                 ["marketing", "user.location"], "s3"),
            _row(12, "new purpose: Newsletters, Profiling", ["marketing", "profiling"], "s4")]
    fold_repeats(rows)
    assert all(r["material"] for r in rows)


def test_a_label_with_a_bracketed_list_is_one_term():
    # "Advisers (lawyers, auditors)" is one recipient: told again later, it is a repeat; a
    # later row naming only "auditors" as a recipient of its own is not that term
    rows = [_row(4, "new recipient: Advisers (lawyers, auditors)", ["advisers"], "s1"),
            _row(9, "new recipient: Advisers (lawyers, auditors); purpose already stated elsewhere in "
                    "the old version, now also here: Billing", ["advisers", "billing"], "s2"),
            _row(12, "new recipient: auditors); purpose already stated elsewhere in the old version, "
                     "now also here: Billing", ["auditors", "billing"], "s3")]
    fold_repeats(rows)
    assert [r["level"] for r in rows] == ["material", "informational", "material"]


def test_a_recipient_the_old_text_named_without_a_readable_flow_is_not_new(tmp_path):
    head = "# Privacy\n\n## Your profile\n\nWe collect your name and your email address.\n\n"
    old = policy_from(tmp_path, "a.md", head + "Your public profile may turn up in search engine results.\n")
    new = policy_from(tmp_path, "b.md", head + "We share your public profile with search engines.\n")
    changes = ropa.diff_policies(old, new)
    assert material_rows(changes).empty
    row = changes[changes["reason"].str.contains("search engine", case=False)]
    assert len(row) == 1 and row.iloc[0]["level"] == "informational"
    assert "named in the old text too, where no statement was read" in row.iloc[0]["reason"]
    # an old text that never spoke of search engines: the same sentence is a new recipient
    other = policy_from(tmp_path, "c.md", head + "Your public profile is visible to everyone on the site.\n")
    assert "new recipient: Search engines" in " ".join(material_rows(ropa.diff_policies(other, new))["reason"])


def test_a_third_country_transfer_told_again_later_is_reported_once():
    rows = [_row(10, "new third-country transfer: India", ["IN"], "s1", kind="changed"),
            _row(30, "new third-country transfer: India; country added: Norway", ["IN", "NO"], "s2"),
            _row(40, "new third-country transfer: India; new data category: Passport number",
                 ["IN", "user.government_id.passport_number"], "s3")]
    fold_repeats(rows)
    assert [r["level"] for r in rows] == ["material", "informational", "material"]
    assert rows[1]["reason"].startswith("already reported (line 10): ")


def test_a_new_promise_an_earlier_new_promise_already_makes_is_reported_once(tmp_path):
    base = "# Privacy\n\n## What we collect\n\nWe collect your name and e-mail address to run your account.\n\n"
    new = (base + "## Advertising\n\nWe do not sell or share your personal data for advertising.\n\n"
           "## Residents of some states\n\nWe do not share your personal data for targeted advertising.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", base), policy_from(tmp_path, "b.md", new))
    material = material_rows(changes)
    assert material["new_line"].tolist() == [9] and material.iloc[0]["direction"] == "favourable"
    assert changes[changes["new_line"] == 13].iloc[0]["reason"].startswith("already reported (line 9): ")


def _promise(sid, line, quote, data=("user",), entities=("third_party",), purposes=(), positive=False):
    from ropa.diff.statements import Statement

    empty: frozenset[str] = frozenset()
    return Statement(pos=line, sid=sid, section="1", title="", quote=quote, wording=quote, action="not_share",
                     family="disclose", positive=positive, actor="we", entities=frozenset(entities),
                     data=frozenset(data), subjects=empty, purposes=frozenset(purposes), countries=empty,
                     legal_bases=empty, retention="", consent=False, exceptions=empty, rights=empty, line=line)


def test_a_promise_the_new_version_makes_more_broadly_is_not_withdrawn():
    from ropa.diff.promises import fold_kept_promises, implies

    tax = ropa.default_taxonomy()
    narrow = _promise("o1", 4, "We do not sell your name to other companies for their marketing.",
                      data=("user.name",), purposes=("marketing",))
    shown = _promise("o2", 6, "Your phone number is never shown to other members.",
                     data=("user.contact.phone_number",), entities=("third_party.other_users",))
    broad = _promise("n1", 20, "We do not sell your personal data to anyone.")
    aside = _promise("n2", 22, "We ask for proof of identity, so that your data is not given to anyone else.")
    assert implies(tax, broad, narrow)
    assert not implies(tax, broad, shown)      # selling is not showing
    assert not implies(tax, aside, shown)      # a clause of another purpose promises nothing general
    assert not implies(tax, narrow, broad)
    rows = [{"kind": "removed", "level": "material", "material": True, "direction": "adverse",
             "reason": f"negative statement withdrawn ({s.quote})", "old_statement": s.sid, "new_statement": None,
             "old_line": s.line, "new_line": None} for s in (narrow, shown)]
    fold_kept_promises(rows, {"o1": narrow, "o2": shown}, {"n1": broad, "n2": aside}, tax)
    assert [r["level"] for r in rows] == ["informational", "material"]
    assert rows[0]["reason"].startswith("promise still made, as broadly or more (line 20): ")


def test_a_right_or_a_retention_told_again_later_is_one_favourable_change():
    def grant(line, reason, sid):
        row = _row(line, reason, [], sid)
        row["direction"] = "favourable"
        return row

    rows = [grant(12, "right added: Right to object", "s1"),
            grant(40, "right added: Right to object", "s2"),
            grant(41, "right added: Right to object, Right of access", "s3"),
            grant(20, "retention stated: two years after your last order, then deleted", "s4"),
            grant(60, "retention stated: two years after your last order, then deleted; data kept for: Tax", "s5"),
            grant(61, "retention stated: five years", "s6")]
    fold_repeated_grants(rows)
    assert [r["level"] for r in rows] == ["material", "informational", "material",
                                          "material", "informational", "material"]
    assert rows[1]["reason"].startswith("already reported (line 12): ")
    assert rows[4]["reason"].startswith("already reported (line 20): ")


def _swapped(row: dict) -> dict:
    """The same row read from the new version to the old one."""
    kind = {"added": "removed", "removed": "added"}.get(row["kind"], row["kind"])
    return dict(row, kind=kind, old_line=row.get("new_line"), new_line=row.get("old_line"),
                old_statement=row.get("new_statement"), new_statement=row.get("old_statement"),
                added=row.get("removed") or [], removed=row.get("added") or [])


def test_changed_statements_join_only_where_both_versions_share_their_lines():
    # Two changed statements whose new sentences differ (new lines 11 and 13) are two changes,
    # even though the old line of the one is the new line of the other: line numbers of two
    # versions are never compared. Read the other way round, the diff must say the same.
    from ropa.diff.repeats import one_change_per_paragraph

    first = dict(_row(7, "lawful basis no longer stated: consent", [], "n1", kind="changed"),
                 aspect="legal_basis", old_line=11, removed=["art6_1_a"])
    second = dict(_row(11, "lawful basis now consent", ["art6_1_a"], "n2", kind="changed"),
                  aspect="legal_basis", old_line=13, removed=["art6_1_b"])
    for rows in ([first, second], [_swapped(second), _swapped(first)]):
        kept = one_change_per_paragraph([dict(r) for r in rows])
        assert len(kept) == 2
        assert [len(r["added"]) + len(r["removed"]) for r in kept] in ([1, 2], [2, 1])
    # on one sentence of each version, two changed statements telling of one term are one change
    twin = dict(second, new_line=7, old_line=11, removed=["art6_1_a"], added=["art6_1_c"], new_statement="n3")
    for rows in ([first, twin], [_swapped(first), _swapped(twin)]):
        assert len(one_change_per_paragraph([dict(r) for r in rows])) == 1
