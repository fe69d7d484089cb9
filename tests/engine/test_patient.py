"""Patients as clinicians, carers and claims staff write about them: shorthand, initials, care locations,
member IDs in any format, dates of birth in every common form, residents, babies in a neonatal unit."""

from __future__ import annotations

import pytest


def _patient(demo_scanner, text: str) -> list[str]:
    return [f.text for f in demo_scanner.scan(text) if f.category == "patient"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Guidelines for a 58yo F pt w/ hx of CKD, Dana R., seen at Lakeview on 3/2", ["Dana R."]),
        ("Mrs Okafor in bay 3 keeps asking for the TV remote", ["Okafor", "bay 3"]),
        ("72 M s/p CABG, Tom Baker in side room 4, needs obs every 2h", ["Tom Baker", "side room 4"]),
        ("Mr D. Jones on metformin, DOB 1961-03-02, c/o SOB", ["D. Jones", "1961-03-02"]),
        ("member ID HX-4471902-03 and her claims were denied", ["HX-4471902-03"]),
        ("Subscriber no. W123456789 was billed twice.", ["W123456789"]),
        ("Ann Lee, born on the 2nd of March 1961, was admitted.", ["Ann Lee", "the 2nd of March 1961"]),
        ("DOB 02-Mar-1961 on the wristband", ["02-Mar-1961"]),
        ("Our resident Doris turned 100 today at the care home!", ["Doris"]),
        ("Baby Amelia is doing well in the NICU after three weeks.", ["Baby Amelia"]),
        ("Kevin Osei was started on apixaban after the scan.", ["Kevin Osei"]),  # a drug from the vocabulary
    ],
)
def test_patients_written_as_people_write_them(demo_scanner, text, found):
    assert _patient(demo_scanner, text) == found


@pytest.mark.parametrize(
    "text",
    [
        "So proud of Sarah Jones running the London marathon in memory of her dad, who had dementia.",
        "Thanks to Priya Shah for the data ingestion pipeline work.",
        "Room 4 is booked for the sprint review with Tom Baker.",
        "Dr Dana Reed presented the sepsis dashboard at the summit.",
    ],
)
def test_people_who_are_not_the_one_in_care_are_left_alone(demo_scanner, text):
    assert _patient(demo_scanner, text) == []


def test_the_vocabulary_is_loaded_once_and_is_clinical():
    from discreet.recognizers.patient import HEALTH_TERMS

    assert {"glomerulonephritis", "metformin", "apixaban"} <= HEALTH_TERMS
    assert not {"encounter", "initial", "kendrick", "meeting"} & HEALTH_TERMS
