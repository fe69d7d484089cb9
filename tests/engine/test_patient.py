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
        ("Baby Amelia is doing well in the NICU after three weeks.", ["Amelia"]),  # as "resident Doris"
        ("Kevin Osei was started on apixaban after the scan.", ["Kevin Osei"]),  # a drug from the vocabulary
        ("Handover: pt Dana R., 58F, c/o SOB since 3/2", ["Dana R."]),  # shorthand is the only health cue
        ("Moore, Susan - 43yo, admitted with sepsis. Plan?", ["Moore, Susan"]),  # surname first, then age
        ("Does Keith Bishop (67) still need the dialysis?", ["Keith Bishop"]),
        ("Help with Mary's plan? She's 94 with dementia and keeps falling.", ["Mary"]),
        ("Does Lauren Williams need prophylaxis after her appendicectomy?", ["Lauren Williams"]),
        ("Dana Reed has hyponatraemia again", ["Dana Reed"]),  # British spelling of the vocabulary's word
        ("Who's covering Roberto Day overnight? Needs repeat K+ at 2am.", ["Roberto Day"]),  # lab shorthand
        ("Night shift: Christopher Rose in bay 17 kept pulling at his line", ["Christopher Rose", "bay 17"]),
        (
            "Claim for Olivia Turner was denied, member ID YZ-6709727 does not match",
            ["Olivia Turner", "YZ-6709727"],
        ),
        ("Would you anticoagulate Joseph Newton? 98, heart failure.", ["Joseph Newton"]),  # an ICD title
        ("Can anyone advise on Damien Carter? 29 y.o. with delirium.", ["Damien Carter"]),
        ("Michelle (38) on the stroke unit can't swallow her tablets", ["Michelle"]),
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
        "Alexis Long from pharmacy says morphine is out of stock until Friday",
        "Michael J. Fox spoke about living with Parkinson's in a new interview",
        "We passed 10M users this quarter, thanks to Priya Shah and the team.",
        "Great to see Dana Reed in room 4 for the sprint review.",
        "Reminder to complete the COPD audit by Friday, ask Joseph Davies if stuck",
        "Melissa Jones has been appointed lead nurse for CKD",
        "Congratulations to Alan Lee on the COPD research award",
        "Dana Reed demoed our new ECG viewer and BMI calculator to the board.",  # product words, not results
        "Tom Baker has a bad case of meetingitis this week.",  # a joke on an everyday word, not a condition
    ],
)
def test_people_who_are_not_the_one_in_care_are_left_alone(demo_scanner, text):
    assert _patient(demo_scanner, text) == []


def test_the_vocabulary_is_loaded_once_and_is_clinical():
    from discreet.recognizers.patient import HEALTH_TERMS

    assert {"glomerulonephritis", "metformin", "apixaban"} <= HEALTH_TERMS
    assert not {"encounter", "initial", "kendrick", "meeting", "pain", "shock"} & HEALTH_TERMS
    assert {"pneumonia", "hypertension"} <= HEALTH_TERMS  # condition names from ICD category titles


def test_condition_names_of_everyday_words_are_phrases_not_words():
    from discreet.recognizers.patient import HEALTH_PHRASE_SET, HEALTH_TERMS

    assert {"heart failure", "kidney disease", "cardiac arrest"} <= HEALTH_PHRASE_SET
    assert not {"heart", "failure", "kidney"} & HEALTH_TERMS
