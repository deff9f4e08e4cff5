import markdown
import pytest
from bs4 import BeautifulSoup

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


def test_every_handout_offers_large_print_before_its_content():
    leaflet = handouts.Leaflet(what="W.", benefits=(), harms=(), expect="", flags_marker="[[red-flags: urgency=emergency]]")
    for source in (handouts.handout_source("treatments/dry-needling.md", ARTICLE),
                   handouts.handout_source("treatments/dry-needling.md", ARTICLE, leaflet=leaflet)):
        _, body = handouts.split_front_matter(source)
        controls = body.index(f'<input type="checkbox" id="{handouts.LARGE_PRINT_ID}">')
        assert controls < body.index("## "), "the box comes before the first section"
        assert 'class="tpg-web-only tpg-print-controls"' in body and "data-tpg-print hidden" in body


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


# A reviewer of the printed neck sheet found warning signs but almost nothing on what to do: a
# page's "What you can do now" opening and first list go on its handout, links re-pointed.
WHAT_TO_DO = """Intro.

## What you can do now { #what-you-can-do }

<!-- effect-claim-ok: a note for the content check -->
These steps are low risk [@a].

- **Keep moving** [@b]. See [self-pressure](../self-care.md#self-pressure) and [signs](#warning-signs).
- **Exercise**, see [a trial](https://example.org/t) and [the plan](../six-week-plan.md).
  A second line of the same item.

More detail for the web page only [@c].

### Neck turns

Steps.

## Warning signs { #warning-signs }
"""


def test_the_handout_takes_the_steps_of_what_you_can_do_now():
    steps = handouts.what_you_can_do(WHAT_TO_DO, "regions/neck.md", "handouts/regions-neck.md")
    assert steps.startswith("<!-- effect-claim-ok") and "These steps are low risk [@a]." in steps
    assert "A second line of the same item." in steps
    assert "More detail" not in steps and "Neck turns" not in steps and "Warning signs" not in steps
    assert "](../self-care.md#self-pressure)" in steps  # the same depth: unchanged
    assert "](../regions/neck.md#warning-signs)" in steps  # the page's own anchor: on the page
    assert "](https://example.org/t)" in steps and "](../six-week-plan.md)" in steps
    # from a page at the top of docs/, a link gains the step up out of handouts/
    top = handouts.what_you_can_do(WHAT_TO_DO.replace("../", ""), "self-care.md", "handouts/self-care.md")
    assert "](../six-week-plan.md)" in top and "](../self-care.md#warning-signs)" in top
    source = handouts.handout_source("regions/neck.md", ARTICLE.replace("Body.\n", WHAT_TO_DO))
    assert "## What you can do now\n\n<!-- effect-claim-ok" in source
    assert source.index("## What you can do now") < source.index("## When to get help")
    # on paper, the steps point to the rest of the page (print only)
    more = source.index(handouts.MORE_ON_THE_PAGE)
    assert source.index("## What you can do now") < more < source.index("## When to get help")
    assert source[more:].split("\n")[1] == "{: .tpg-print-only .tpg-print-more }"


def test_no_steps_without_the_section_or_its_list():
    assert handouts.what_you_can_do("## Other { #x }\n\n- a\n", "a.md", "handouts/a.md") == ""
    assert handouts.what_you_can_do("## Do { #what-you-can-do }\n\nOnly words.\n\n## Next\n", "a.md", "handouts/a.md") == ""
    assert "What you can do now" not in handouts.handout_source("a.md", ARTICLE)


# Code review: a loose list, numbered items, titles, angle brackets and reference links.
def test_steps_survive_loose_lists_and_every_link_form():
    body = """## What you can do now { #what-you-can-do }

1. **One** [a](../x.md "A title").

2. **Two** [b](<../y.md>) and ![c](../img.png).
   still two

3. **Three** [d][ref] and [e](../dir/).

After the list.

[ref]: ../z.md
"""
    steps = handouts.what_you_can_do(body, "self-care.md", "handouts/self-care.md")
    assert "**Three**" in steps and "still two" in steps and "After the list" not in steps
    assert '](../../x.md "A title")' in steps  # from the top of docs: one more step up
    assert "](<../../y.md>)" in steps and "](../../img.png)" in steps and "](../../dir/)" in steps
    crlf = handouts.what_you_can_do(body.replace("\n", "\r\n"), "self-care.md", "handouts/self-care.md")
    assert crlf == steps
    assert handouts._relink("[ref]: ../z.md", "self-care.md", "handouts/self-care.md") == "[ref]: ../../z.md"


def test_a_leaflet_page_keeps_its_own_sections_not_the_steps():
    leaflet = handouts.Leaflet(what="What.", benefits=("Helps.",), harms=(), expect="", flags_marker="[[red-flags: all]]")
    source = handouts.handout_source("self-care.md", ARTICLE.replace("Body.\n", WHAT_TO_DO), leaflet=leaflet)
    assert "## What it is" in source and "## What you can do now" not in source


# A title is plain text on the handouts' pages: no Markdown in it becomes a link, an image, code,
# emphasis, a marker or a citation (a code review).
@pytest.mark.parametrize("title", ["Neck ] pain", "x \\", "`x` *y* _z_", "x ![i](https://evil.example/p.png)",
                                   "[[red-flags: all]] [@smith2020]", "Hands-on therapy (pressure, massage)", "A & B?"])
def test_a_title_stays_plain_text_in_a_link(title):
    html = markdown.markdown(f"[{handouts.link_text(title)}](x.md)", extensions=["attr_list", "md_in_html"])
    soup = BeautifulSoup(html, "html.parser")
    links = soup.find_all("a")
    assert len(links) == 1 and links[0].get_text() == title and links[0]["href"] == "x.md"
    assert not soup.find_all(["img", "code", "em", "strong"])
    assert "[[" not in handouts.link_text(title) and "[@" not in handouts.link_text(title)


def test_the_index_groups_handouts_by_kind_of_page():
    index = handouts.index_source([("Neck", "handouts/regions-neck.md"), ("Dry needling", "handouts/treatments-dry-needling.md"),
                                   ("Medicines", "handouts/medicines.md"), ("Where does it hurt?", "handouts/regions.md"),
                                   ("Self-care", "handouts/self-care.md")])
    _, body = handouts.split_front_matter(index)
    parts = [line for line in body.splitlines() if line.startswith(("## ", "- "))]
    assert parts == ["## Where it hurts", "- [Neck](regions-neck.md)", "- [Where does it hurt?](regions.md)",
                     "## Treatments and medicines", "- [Dry needling](treatments-dry-needling.md)", "- [Medicines](medicines.md)",
                     "## Everything else", "- [Self\\-care](self-care.md)"]
