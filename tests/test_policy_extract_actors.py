"""Who acts decides whose flow it is (issue 17, helper actors): what the reader, other users or
third parties do with data is not the organisation's flow, unless the sentence says the
organisation gets the data. Each rule on a short text written for the test."""

from __future__ import annotations

from ropa.policy.others import others_acts, signs_in_through
from tests.extraction import actions, rows


def test_other_users_passing_data_on_is_not_our_disclosure():
    assert "share" not in actions("On the forum, club members can share your personal information with people outside the club.")
    # an aside between the subject and its verb, and a first verb joined by "and"
    assert "share" not in actions("Readers of your blog, including guests, can view your personal data and can choose "
                                  "to forward it to people you do not know.")


def test_data_handled_by_others_in_the_passive_is_their_doing():
    assert "share" not in actions("Your public posts may be collected, stored or reused by third parties.")
    # ... also as a table's header row
    assert rows("# Privacy\n\n| Information Gathered by Third Parties | | |\n| --- | --- | --- |\n") == []


def test_another_users_act_that_reaches_us_is_our_collection():
    got = rows("Now and then a member, while using the app, uploads personal data such as a photo of a friend, "
               "and we store that information.")
    assert got and all(a == "collect" for a, _, _ in got)


def test_what_is_given_to_us_or_done_for_us_stays_ours():
    assert others_acts("Other users may share your phone number with us.") == []
    assert others_acts("If you send us a photo, we keep it.") == []
    assert ("collect", ["user.contact.phone_number"], ["we"]) in rows("Other users may share your phone number with us.")
    # our own disclosure, on the occasion of the reader's act, is still ours
    assert ("share", ["user.contact.email"], ["third_party.other_users"]) in rows(
        "We share your email address with other users when you send them an invitation.")


def test_the_readers_sharing_with_no_receiver_named_is_left_to_other_rules():
    # "if you choose to share your location" gives it to us (YOU_SHARE), not to anyone else
    assert others_acts("If you choose to share your location, we use it to show nearby shops.") == []
    t = "When you share a route with your friends, we record the distance."
    assert [t[a:b] for a, b in others_acts(t)] == ["you share a route with your friends"]


def test_a_relative_clause_or_a_compound_noun_is_no_subject():
    # "Other users ... with whom you share": the users are recipients we name, not actors
    assert others_acts("Other users of our services with whom you choose to communicate and share certain information.") == []
    assert others_acts("Any user profile information uploaded may be displayed to other users.") == []
    # "pixel tags" is no verb
    assert others_acts("We and third parties that provide content on the site may use cookies, pixel tags and web beacons.") == []


def test_data_out_of_our_control_once_sent_is_no_flow_of_ours():
    assert "share" not in actions("Personal data we transfer to partner apps is no longer in our control and follows "
                                  "the terms of those apps.")
    assert "share" not in actions("Personal data we transfer to partner apps is no longer under Example's control.")


def test_an_account_opened_through_another_services_login_gives_us_no_password():
    text = ("# When we collect your data\n\n* When you open an account, for now only through your Example login credentials.\n"
            "* When you write to our support team.\n")
    assert not any("user.authorization.credentials" in d for _, d, _ in rows(text))
    assert signs_in_through("collect", "You set up your account via your Example login.", ["user.authorization.credentials"])
    # other data, or a sentence that says data moves, is still a collection
    assert not signs_in_through("collect", "When you sign up via Example, we store your email address.", ["user.contact.email"])
    assert not signs_in_through("collect", "If you sign in with Example, we receive your password hash.",
                                ["user.authorization.password"])


def test_the_search_for_others_acts_is_linear_on_hostile_input():
    for text in ("the " * 20000, "used, " * 20000, "users can " * 8000, ", " * 30000):
        others_acts(text)  # returns (bounded repetitions only)


def test_a_party_named_as_topic_owner_or_means_is_no_recipient():
    # what the data is about
    assert rows("# Privacy\n\nWe collect information about the Third Party Apps and Third Party Users who interact "
                "with our forum, such as their usernames.\n") == [("collect", ["user.account.username"], ["we"])]
    assert actions("We may also use your email address to send you information about us or our partners.") == ["use"]
    # whose name and address it is, and the reader's way in
    got = rows("# Privacy\n\nIf you interact with our forum through a Third Party App, we collect your username and "
               "the name and IP address of the Third Party App you use.\n")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)
    # ... not a party we share with after data about the reader
    assert ("share", ["user"], ["third_party.service_provider"]) in rows(
        "We share information about you with our employees and service providers.")


def test_receiving_is_ours_also_under_the_controllers_name_or_after_the_readers_choice():
    text = ('# Privacy\n\nThis policy explains how Acme Ltd ("Acme", "we", "us") handles personal data.\n\n'
            "If an advertiser uses the Acme ad pixel, Acme may receive limited information about your activity "
            "on the advertiser's site.\n")
    assert rows(text) == [("collect", ["user.behavior"], ["we"])]
    # "where you have elected to share it": the reader's sharing, which we receive
    assert rows("We may receive your age range from app stores, such as where you have elected to share it "
                "with your app store account.") == [("collect", ["user.demographic.age_range"], ["we"])]


def test_others_able_to_see_data_is_its_public_display():
    got = rows("When you add a comment to an open forum, any visitors to and members of our site will be able to "
               "see that comment and the username that goes with it.")
    assert ("share", ["user.account.username"], ["third_party.other_users"]) in got
    assert ("share", ["user.content.self_image", "user.account.username"], ["third_party.other_users"]) in rows(
        "Other members can view your profile photo and your username.")
    assert rows("Other members can not view your email address.") == []


def test_sources_joined_by_and_are_sources():
    assert "share" not in actions("We show you ads based on information we collect from you and other parties.")
    assert not any(r != ["we"] for _, _, r in rows(
        "We use your clicks along with information from our partners and advertisers to make inferences about you."))
    # the reader's way in, with the organisation named by its name
    text = ('# Privacy\n\nAcme Ltd ("Acme", "we", "us") runs the Acme forum.\n\n'
            "If you interact with Acme through a Third Party App, we collect your username on that app.\n")
    assert rows(text) == [("collect", ["user.account.username"], ["we"])]
