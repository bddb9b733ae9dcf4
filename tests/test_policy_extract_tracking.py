"""Statements about cookies, pixels and other tracking technologies (issue 17): the data a
tracking sentence names, what a technology implies when it names none, definitions of a
technology and the reader's own controls (no flows), and kinds of technology never read as
recipients. Each rule on a short text written for it."""

from __future__ import annotations

from ropa.policy.extract import extract
from ropa.policy.nonflow import COOKIE_TALK
from ropa.policy.tracking import tracked_data
from tests.extraction import rows


def _review(text: str) -> list[str]:
    return list(extract(text).review["quote"])


# -- the data a tracking sentence names ---------------------------------------------------------


def test_preferences_a_cookie_records_are_settings():
    got = rows("We set a cookie to record user preferences such as the colour theme.\n")
    assert got and all(r == ["we"] and "user.account.settings" in d for _, d, r in got)


def test_links_clicked_and_time_on_pages_are_behaviour():
    got = rows("Our advertising partners use pixels to learn the links clicked and the time spent on pages.\n")
    data = {d for _, ds, _ in got for d in ds}
    assert {"user.behavior", "user.behavior.browsing_history"} <= data


def test_a_tracker_named_with_the_behaviour_it_tracks_carries_it():
    got = rows("Heatmap Inc aside, our site runs Google Analytics, which tracks user behaviour on the site.\n")
    assert any(a == "track" and "user.behavior" in d and "vendor:google-analytics" in r for a, d, r in got)


def test_online_identifiers_are_unique_identifiers():
    got = rows("We collect your IP address and other online identifiers.\n")
    assert got and "user.unique_id" in got[0][1]


# -- a tracking statement that names no data ------------------------------------------------------


def test_a_tracker_vendor_named_without_data_reads_its_cookies():
    got = rows("We use Hotjar on our website.\n")
    assert got == [("track", ["user.device.cookie"], ["vendor:hotjar"])]


def test_other_vendors_named_without_data_are_given_personal_data():
    # a helpdesk is no tracker: the two, named with no data, receive personal data (a disclosure)
    assert rows("We use Zendesk and Hotjar.\n") == [("share", ["user"], ["vendor:zendesk", "vendor:hotjar"])]


def test_tracked_data_is_a_fact_of_the_technology_or_a_disclosure():
    trackers = {"vendor:hotjar"}.__contains__
    assert tracked_data(["vendor:hotjar"], trackers) == ("track", ["user.device.cookie"])
    assert tracked_data(["vendor:acme"], trackers) == ("share", ["user"])


# -- definitions of a technology and the reader's controls ----------------------------------------


def test_a_definition_of_web_beacons_is_no_flow():
    assert rows("Web beacons are tiny pictures embedded in a page or a message that report when it is opened.\n") == []


def test_a_definition_of_several_technologies_is_no_flow_nor_review():
    text = "Cookies, pixels and other similar technologies are typically small files kept by your browser.\n"
    assert rows(text) == [] and _review(text) == []


def test_the_readers_browser_settings_are_no_flow_nor_review():
    for text in ("You might be able to configure your web browser to decline some kinds of cookies.\n",
                 "If you disable or block cookies, some pages may look different.\n",
                 "Feel free to delete cookies at any time.\n"):
        assert rows(text) == [] and _review(text) == [], text
        assert COOKIE_TALK.search(text), text


def test_opting_out_of_the_technologies_is_no_flow_even_beside_a_law_of_the_us():
    text = ("Where US state laws treat our tracking technologies as a sale of personal data, "
            "you may opt out of these technologies by writing to the address below.\n")
    assert rows(text) == []


def test_cookies_we_place_stay_a_flow():
    assert rows("We use cookies to keep you signed in.\n") == [("track", ["user.device.cookie"], ["we"])]
    assert not COOKIE_TALK.search("Cookies are used to keep you signed in.")


# -- kinds of technology and presences are never recipients ---------------------------------------


def test_tracking_technologies_are_no_recipient():
    got = rows("We use cookies and similar tracking technologies to measure visits to our site.\n")
    assert got and all(r == ["we"] for _, _, r in got)
    assert all("user.device.cookie" in d for _, d, _ in got)


def test_analytics_tools_we_built_are_no_recipient():
    got = rows("We run our own self-hosted analytics tools to count page views.\n")
    assert all("third_party.service_provider.analytics" not in r for _, _, r in got)


def test_platforms_we_are_active_on_are_no_recipients():
    assert rows("We are active on Mastodon, Reddit and LinkedIn.\n") == []


def test_a_readers_own_account_at_a_service_is_no_recipient():
    got = rows("You can revoke our access to information from your YouTube account in its settings.\n")
    assert all("vendor:youtube" not in r for _, _, r in got)


def test_what_is_given_in_anonymous_form_is_no_flow():
    assert rows("We give statistics about our visitors in aggregated or otherwise in anonymous form to advertisers.\n") == []


def test_opting_out_of_a_tracker_by_a_tool_is_no_flow():
    text = "You may also opt out of Matomo by installing the add-on its makers publish.\n"
    assert COOKIE_TALK.search(text) and rows(text) == []
