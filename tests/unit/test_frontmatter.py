import datetime as dt

import pytest

from tpguide.frontmatter import validate

TODAY = dt.date(2026, 6, 1)
GOOD = {
    "title": "T",
    "description": "D",
    "audience": "patient",
    "authors": ["A"],
    "reviewer": "R",
    "last_reviewed": dt.date(2026, 1, 10),
    "next_review": dt.date(2027, 1, 10),
    "evidence_topics": ["dry-needling"],
    "key_messages": ["one", "two"],
}
SOURCE = "---\n" + "\n".join(f"{k}: x" for k in GOOD) + "\n---\n"


def check(**changes):
    meta = {**GOOD, **changes}
    meta = {k: v for k, v in meta.items() if v is not None}
    return validate(meta, path="docs/p.md", source=SOURCE, today=TODAY)


def test_valid_front_matter_has_no_problems():
    assert check() == []


@pytest.mark.parametrize("field", ["title", "description", "audience", "authors", "reviewer", "last_reviewed",
                                   "next_review", "key_messages"])
def test_each_missing_field_is_named(field):
    (p,) = check(**{field: None})
    assert f"'{field}' is missing" in p.message and p.path == "docs/p.md"


@pytest.mark.parametrize(
    "changes,expect,line",
    [
        ({"description": "x" * 161}, "161 characters", 3),
        ({"audience": "kids"}, "not one of", 4),
        ({"key_messages": ["one"]}, "has 1 items", 10),
        ({"key_messages": ["1", "2", "3", "4", "5", "6"]}, "has 6 items", 10),
        ({"next_review": dt.date(2026, 1, 10)}, "not after last_reviewed", 8),
        ({"next_review": dt.date(2029, 1, 11)}, "more than 3 years", 8),
        ({"last_reviewed": dt.date(2026, 7, 1), "next_review": dt.date(2027, 1, 1)}, "in the future", 7),
        ({"first_published": "last week"}, "is not a date", 1),
        ({"evidence_topics": "dry-needling"}, "list of search topics", 9),
        ({"evidence_checked": dt.date(2026, 1, 1)}, "no longer used", 1),
        ({"authors": "A"}, "list of names", 5),
        ({"last_reveiwed": dt.date(2026, 1, 1)}, "not a known field", 1),
    ],
)
def test_invalid_fields_name_field_and_line(changes, expect, line):
    problems = check(**changes)
    assert any(expect in p.message for p in problems), problems
    assert any(p.line == line for p in problems if expect in p.message)


def test_typo_gets_suggestion():
    (p,) = check(last_reveiwed=dt.date(2026, 1, 1))
    assert "did you mean 'last_reviewed'" in p.hint


def test_update_log_items_need_date_and_change():
    assert check(update_log=[{"date": "2026-01-10", "change": "First version"}]) == []
    (p,) = check(update_log=[{"date": "soon"}])
    assert "item 1 needs a date and a change" in p.message


REVIEWER = {"name": "A Clinician", "profession": "physiotherapist", "registration": "HCPC PH000000",
            "date": dt.date(2026, 5, 1)}


def test_a_clinical_review_names_who_their_registration_and_when():
    from tpguide.frontmatter import review_of

    assert check(clinical_review=REVIEWER) == []
    meta = {**GOOD, "clinical_review": REVIEWER}
    assert review_of(meta).clinical.registration == "HCPC PH000000"
    assert review_of(GOOD).clinical is None  # none: the review box says no clinician has reviewed it


@pytest.mark.parametrize("changes,expect", [
    ({"registration": ""}, "'registration' is missing"),
    ({"date": "soon"}, "'date' is missing or not a date"),
    ({"date": dt.date(2026, 7, 1)}, "date 2026-07-01 is in the future"),
    ({"employer": "X"}, "unknown field 'employer'"),
])
def test_a_clinical_review_without_its_facts_is_refused(changes, expect):
    problems = check(clinical_review={**REVIEWER, **changes})
    assert any(expect in p.message for p in problems), problems
    assert check(clinical_review="Dr X")[0].message.endswith("must be a block of fields")
