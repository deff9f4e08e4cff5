from tpguide import handouts

ARTICLE = """---
title: Dry needling
description: d
audience: patient
authors: [A]
reviewer: R
last_reviewed: 2026-01-10
next_review: 2027-01-10
evidence_topics: [dry-needling]
key_messages: [One., Two.]
handout: |
  Needling may ease pain for a while [@x].
---

Body.
"""


def test_handout_uri_flattens_paths():
    assert handouts.handout_uri("treatments/dry-needling.md") == "handouts/treatments-dry-needling.md"
    assert handouts.handout_uri("treatments/index.md") == "handouts/treatments.md"
    assert handouts.handout_uri("index.md") == "handouts/home.md"


def test_handout_source_copies_review_data_and_links_back():
    meta, body = handouts.split_front_matter(handouts.handout_source("treatments/dry-needling.md", ARTICLE))
    assert meta["title"] == "Handout: Dry needling" and meta["handout"] is True
    assert meta["key_messages"] == ["One.", "Two."] and str(meta["last_reviewed"]) == "2026-01-10"
    assert meta["search"] == {"exclude": True}
    assert "](../treatments/dry-needling.md)" in body
    assert "## In brief\n\nNeedling may ease pain for a while [@x]." in body
    assert "## When to get help { .practical }" in body and "[@verhagen2016red; @finucane2020international]" in body
    assert "](../when-to-see-a-professional.md)" in body


def test_no_safety_link_when_the_page_is_missing():
    source = handouts.handout_source("a.md", ARTICLE, safety_uri=None)
    assert "when-to-see-a-professional" not in source and "When to get help" in source


def test_only_patient_articles_get_handouts():
    assert handouts.wants_handout({"title": "T", "audience": "patient", "key_messages": ["a", "b"]})
    assert not handouts.wants_handout({"title": "T", "audience": "general", "key_messages": ["a", "b"]})
    assert not handouts.wants_handout({"audience": "patient", "key_messages": ["a", "b"]}), "no title: no handout"


def test_leaflet_questions_stop_at_a_subsection():
    body = ("## Questions to ask your practitioner\n\n- What will it change?\n- How many sessions?\n\n"
            "### Deciding together\n\n- Not a question for the leaflet.\n\n## What we don't know\n\n- x\n")
    assert handouts.questions_of(body) == ["What will it change?", "How many sessions?"]


# A page that lists every warning sign ([[red-flags: all]]): its handout prints every sign that
# needs help now or today (a missed same-day sign, such as a clot in the leg, can cost a life),
# says where the others are, and is marked for the three-page print budget.
def test_the_handout_of_a_page_with_every_sign_prints_the_emergency_and_same_day_ones():
    from tpguide.evidence import page_red_flags_marker

    page = ARTICLE.replace("Body.", "Intro.\n\n[[red-flags: all, context=after-needling]]\n\n`[[red-flags: neck]]` in code")
    marker = page_red_flags_marker(page)
    assert marker == "[[red-flags: urgency=emergency, urgency=same-day]]"
    source = handouts.handout_source("when.md", page, flags_marker=marker)
    assert marker in source
    note = source.split(marker, 1)[1]
    assert "are not printed here. They are on the web page: [Dry needling](../when.md)." in note
    assert "{: .tpg-urgent-signs-note }" in note
    # a page's own region signs are printed as they are, with no such note
    regional = page_red_flags_marker(ARTICLE.replace("Body.", "[[red-flags: neck, head]]"))
    assert regional == "[[red-flags: neck, head]]"
    assert "not printed here" not in handouts.handout_source("r.md", ARTICLE, flags_marker=regional)
