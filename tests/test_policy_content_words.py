"""What the person puts into a service, named as such ("your photos", "text and images",
"documents you create"), is their content, not personal data in general (issue 17); and a
job described in other words ("employment-related information", "business title") is a job
title. Short texts written for the test."""

from __future__ import annotations

from tests.extraction import rows


def data_of(text: str) -> set[str]:
    return {d for a, data, _ in rows(text) if a != "inform" for d in data}


def test_photos_documents_and_text_are_content():
    assert "user.content" in data_of("We store your photos on our servers until you delete them.")
    assert "user.content" in data_of("We keep the documents you create until you delete them.")
    assert "user.content" in data_of("We may receive the text and images you posted on the partner site.")


def test_employment_information_is_a_job_title():
    assert "user.job_title" in data_of("We collect employment-related information, such as your business title.")
