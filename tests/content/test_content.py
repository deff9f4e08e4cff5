"""The guide's own pages: readable, cited paragraph by paragraph, written in our own words."""

import re
from pathlib import Path

import pytest

from support import ROOT, SHARED
from tpguide import quality

DOCS = ROOT / "docs"
ARTICLES = quality.article_paths(DOCS)
TREATMENT_SECTIONS = [
    "What it is",
    "How it is thought to work",
    "What the research shows",
    "Risks and side effects",
    "What happens without treatment",
    "Other options",
    "Questions to ask your practitioner",
    "What we don't know",
]
# Optional last section of any page: how the page was checked, and what we could not read.
HOW_WE_CHECKED = "How we checked this page"
REPORTS: dict[str, quality.PageReport] = {}


def _report(path: Path) -> quality.PageReport:
    key = str(path)
    if key not in REPORTS:
        REPORTS[key] = quality.report(path, DOCS)
    return REPORTS[key]


def _id(path: Path) -> str:
    return str(path.relative_to(DOCS))


def test_the_guide_has_its_pages():
    names = {_id(p) for p in ARTICLES}
    for page in ["index.md", "what-are-trigger-points.md", "how-trigger-points-develop.md", "release-vs-therapy.md",
                 "treatments/index.md", "treatments/dry-needling.md", "treatments/laser-therapy.md",
                 "treatments/manual-therapy.md", "treatments/vibration-therapy.md",
                 "treatments/exercise-and-stretching.md", "treatments/injections.md", "self-care.md",
                 "when-to-see-a-professional.md", "the-debate.md", "claims-checked.md", "glossary.md", "about.md"]:
        assert page in names


@pytest.mark.parametrize("path", [p for p in ARTICLES if _report(p).audience == "patient"], ids=_id)
def test_patient_pages_read_at_grade_8_or_below(path):
    report = _report(path)
    assert report.words > 300
    assert report.grade <= quality.MAX_GRADE, f"{report.path}: Flesch-Kincaid grade {report.grade:.1f}"


@pytest.mark.parametrize("path", ARTICLES, ids=_id)
def test_every_factual_paragraph_is_cited(path):
    report = _report(path)
    problems = [f"{report.path} (body line {b.line}, '{b.heading}'): {b.text[:80]}" for b in report.uncited]
    assert not problems, "uncited paragraphs:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", [p for p in ARTICLES if p.parent.name == "treatments" and p.name != "index.md"], ids=_id)
def test_treatment_pages_answer_the_questions_in_order(path):
    _, body = quality.split_front_matter(path.read_text(encoding="utf-8"))
    headings = [re.sub(r"\s*\{[^}]*\}$", "", h).strip() for h in re.findall(r"(?m)^## (.+)$", body)]
    if headings and headings[-1] == HOW_WE_CHECKED:
        headings = headings[:-1]
    assert headings == TREATMENT_SECTIONS


@pytest.fixture(scope="module")
def seed_shingles():
    seed_dir = SHARED / "seed"
    files = sorted(seed_dir.glob("*.txt")) if seed_dir.is_dir() else []
    if not files:
        pytest.skip("../shared/seed is not beside this clone")
    return set().union(*(quality.shingles(f.read_text(encoding="utf-8")) for f in files))


SEED_HASHES = {line for line in (Path(__file__).parent / "seed-shingles.txt").read_text().split()
               if not line.startswith("#") and len(line) == 16}


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.md")), ids=_id)
def test_no_sentence_taken_from_the_seed(path, seed_shingles):
    shared = quality.shared_phrases(path.read_text(encoding="utf-8"), seed_shingles)
    assert not shared, f"8-word sequences shared with the seed: {shared[:5]}"


# The same check from a bare clone: against the stored hashes of the seed's 8-word sequences.
@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.md")), ids=_id)
def test_no_sentence_taken_from_the_seed_by_hash(path):
    assert len(SEED_HASHES) > 1000
    shared = quality.hashed_shared_phrases(path.read_text(encoding="utf-8"), SEED_HASHES)
    assert not shared, f"8-word sequences shared with the seed: {shared[:5]}"


def test_seed_hashes_match_the_seed(seed_shingles):
    assert {quality.shingle_hash(s) for s in seed_shingles} == SEED_HASHES


def test_reading_time_is_shown_on_articles(tmp_path):
    from support import article, make_site

    site = make_site(tmp_path, {"index.md": article("Home", "word " * 450 + "[@smith2020knots]\n")})
    assert site.build().returncode == 0
    assert "3 min read" in site.html()


# ---------------------------------------------------------------------------
# Numbers and certainty come from evidence/ (markers), never typed by hand
# ---------------------------------------------------------------------------

def _treatment_pages() -> set[str]:
    from tpguide.evidence import load_evidence_dir

    store = load_evidence_dir(ROOT / "evidence", root=ROOT)
    return {t.page for t in store.treatments.values()}


TREATMENT_PAGES = _treatment_pages()
NUMBER_PAGES = [p for p in ARTICLES if p.name not in quality.DEFINITION_PAGES
                and _report(p).audience != "editor"] + sorted((DOCS / "research-news" / "posts").glob("*.md"))


@pytest.mark.parametrize("path", NUMBER_PAGES, ids=_id)
def test_no_effect_estimate_or_certainty_is_typed_by_hand(path):
    text = path.read_text(encoding="utf-8")
    _, body = quality.split_front_matter(text)
    offset = text.count("\n", 0, len(text) - len(body))
    bare = _id(path) in TREATMENT_PAGES
    hits = quality.typed_numbers(body, bare=bare, line_offset=offset)
    assert not hits, "typed by hand, use a [[finding: ...]] or [[harm: ...]] marker:\n" + "\n".join(
        f"{_id(path)}:{line}: {what!r}" for line, what in hits)


@pytest.mark.parametrize("path", NUMBER_PAGES, ids=_id)
def test_key_messages_type_no_certainty(path):
    meta, _ = quality.split_front_matter(path.read_text(encoding="utf-8"))
    typed = [m for m in meta.get("key_messages") or [] if quality.typed_certainty(str(m))]
    assert not typed, f"{_id(path)}: key messages rate certainty by hand (use [[finding: id | certainty]]): {typed}"


def test_every_treatment_in_evidence_has_a_page_here():
    assert TREATMENT_PAGES, "evidence/treatments/ holds no treatment"
    for page in TREATMENT_PAGES:
        assert (DOCS / page).is_file(), page


@pytest.mark.parametrize("path", [p for p in ARTICLES if _report(p).audience == "patient"], ids=_id)
def test_patient_pages_give_a_next_step_near_the_top(path):
    _, body = quality.split_front_matter(path.read_text(encoding="utf-8"))
    first_heading = re.search(r"(?m)^## ", body)
    top = body[: first_heading.start()] if first_heading else body
    assert re.search(r'(?m)^!!! \w+ "Your next step"', top), (
        f'{_id(path)}: add a box \'!!! tip "Your next step"\' before the first section heading')


@pytest.mark.parametrize("path", ARTICLES, ids=_id)
def test_caveats_about_unread_papers_sit_in_how_we_checked(path):
    _, body = quality.split_front_matter(path.read_text(encoding="utf-8"))
    parts = re.split(r"(?m)^## " + re.escape(HOW_WE_CHECKED) + r".*$", body)
    main = parts[0]
    caveats = re.findall(r"[^.\n]*\b(?:we (?:have not|haven't|could not|did not|couldn't) (?:yet )?(?:read|check|see|review)(?:ed)?)\b[^.\n]*", main, re.I)
    assert not caveats, f"{_id(path)}: move these to a final '## {HOW_WE_CHECKED}' section:\n" + "\n".join(caveats)


# Urgent-care instructions are part of the warning-sign data (evidence/red-flags.yml, shown with
# [[red-flags: ...]]); a page that types its own can disagree with the others.
URGENT_RE = re.compile(r"\b(?:call (?:an ambulance|999|911|112)|emergency department|get (?:urgent|emergency) (?:help|care)|same[- ]day)\b", re.I)


@pytest.mark.parametrize("path", NUMBER_PAGES, ids=_id)
def test_urgent_care_instructions_come_from_the_warning_sign_data(path):
    text = path.read_text(encoding="utf-8")
    meta, body = quality.split_front_matter(text)
    offset = text.count("\n", 0, len(text) - len(body))
    hits = quality.find_outside(body, [URGENT_RE], offset)
    assert not hits, "typed urgent-care advice, show it with [[red-flags: ...]] instead:\n" + "\n".join(
        f"{_id(path)}:{line}: {what!r}" for line, what in hits)


# Effect claims in prose on patient pages go through the finding markers (issue 21: the fact-check
# found region and self-care pages saying flatly what very-low-certainty data only suggest).
def _finding_sources() -> set[str]:
    from tpguide.evidence import load_evidence_dir

    store = load_evidence_dir(ROOT / "evidence", root=ROOT)
    return {f.source for f in store.findings.values()}


FINDING_SOURCES = _finding_sources()


@pytest.mark.parametrize("path", [p for p in ARTICLES if _report(p).audience == "patient"], ids=_id)
def test_effect_claims_on_patient_pages_use_the_finding_markers(path):
    text = path.read_text(encoding="utf-8")
    _, body = quality.split_front_matter(text)
    offset = text.count("\n", 0, len(text) - len(body))
    hits = quality.unmarked_effect_claims(body, FINDING_SOURCES, line_offset=offset)
    assert not hits, ("an effect claim citing a source with findings, but no [[finding: ...]] marker in its paragraph; "
                      "use the marker (or '<!-- effect-claim-ok: reason -->' where it is not an effect claim):\n"
                      + "\n".join(f"{_id(path)}:{line}: {what}" for line, what in hits))


# No clinician has reviewed the site. A certainty note in the evidence data once said a rating changed
# "until a clinician reviewer's reading", and the evidence map printed it. Nothing the site shows
# (pages, evidence data, warning signs) may say a clinician reviewed it; saying that none has is fine.
_CLINICIAN_REVIEW_RE = re.compile(
    r"\b(?:clinician|clinical|doctor|GP|physiotherapist)\s+review(?:er)?(?:'s)?\b(?![^.]*\b(?:yet|will|would)\b)"
    r"|\breviewed by (?:a |an )?(?:clinician|doctor|GP|physiotherapist)", re.IGNORECASE)
_NEGATED_RE = re.compile(r"\b(?:no|not|none|never|without|before)\b[^.]{0,40}$", re.IGNORECASE)


def _claims_clinician_review(text: str) -> list[str]:
    found = []
    for mk in _CLINICIAN_REVIEW_RE.finditer(text):
        line = text[text.rfind("\n", 0, mk.start()) + 1:mk.start()]
        if line.lstrip().startswith("#"):  # a heading names the subject ("## Clinical review"), it claims nothing
            continue
        before = text[max(0, mk.start() - 60):mk.start()]
        if not _NEGATED_RE.search(before.split(".")[-1] + " "):
            found.append(text[max(0, mk.start() - 60):mk.end() + 20].replace("\n", " "))
    return found


SHOWN = sorted(p for p in (ROOT / "evidence").rglob("*.yml")) + [
    p for p in DOCS.rglob("*.md") if "contributing" not in p.parts]


@pytest.mark.parametrize("path", SHOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_shown_says_a_clinician_reviewed_it(path):
    assert not _claims_clinician_review(path.read_text(encoding="utf-8")), path


def test_the_clinician_review_check_sees_a_claim_and_allows_a_denial():
    assert _claims_clinician_review("It was rated moderate until a clinician reviewer's reading, December 2026.")
    assert _claims_clinician_review("After a clinician reviewer's reading, the rating changed.")
    assert _claims_clinician_review("This page was reviewed by a physiotherapist in 2026.")
    assert not _claims_clinician_review("No clinician has reviewed this page. It has not been reviewed by a doctor.")
