"""What changed in the evidence: findings and harms added, removed or changed, from git history.

Each commit that touched ``evidence/treatments/`` is compared with its parent, record by record
(by id): a new estimate, interval, certainty or rate is shown from what to what, and why (the
commit's first line). The "what changed" page (``[[evidence-changes]]``) and the evidence-changes
feed are made from it. Without git (a tarball, a fixture site, git not installed) the history is
``None`` and the page says so: nothing fails. A shallow clone counts as no history (its oldest
commit would look as if it added everything): deploy from a full clone (``fetch-depth: 0``).

Old versions are history, not input to the build: a file that does not parse in some commit is
skipped, never an error. Git output is read with one ``git log`` and one ``git cat-file --batch``;
parsed file versions are cached by blob id, so ``mkdocs serve`` rebuilds parse nothing again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem

try:  # the C parser (libyaml) when present: old versions are only read, never checked
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in the PyYAML wheels we install
    from yaml import SafeLoader as _Loader

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

TREATMENTS = "evidence/treatments"
GIT_TIMEOUT = 30
MAX_COMMITS = 300  # the newest commits that touched the evidence: the page and feed stay small
MAX_VALUE = 160  # characters of a changed value shown before it is cut
MAX_FEED_RECORDS = 8  # record changes told in full in one feed entry; the page has them all
KINDS = ("findings", "harms")
# Fields shown first, in this order, when a record changes (others follow as written).
FIRST = ("estimate", "ci", "rates", "certainty", "downgrades", "studies", "participants", "how_often", "event",
         "seriousness", "outcome", "timepoint", "comparison", "measure", "source")
_ZERO = "0" * 40
_RECORD, _FIELD = "\x1e", "\x1f"
_parsed: dict[str, dict] = {}  # blob id -> {"findings": {id: record}, "harms": {...}}


@dataclass(frozen=True)
class FieldChange:
    """One field of a record, from what to what ("" when it was not there)."""

    name: str
    old: str
    new: str


@dataclass(frozen=True)
class RecordChange:
    """One finding or harm that a commit added, removed or changed."""

    when: dt.datetime  # the commit's time (timezone-aware)
    commit: str  # full commit id
    why: str  # the commit's first line
    kind: str  # "finding" or "harm"
    id: str
    treatment: str  # the treatment file's name, without .yml
    change: str  # "added", "removed" or "changed"
    fields: tuple[FieldChange, ...] = ()

    @property
    def date(self) -> dt.date:
        return self.when.date()


# ---------------------------------------------------------------------------
# Reading git
# ---------------------------------------------------------------------------


# Every record change in the evidence, newest commit first; None when git history is not available.
def read_changes(root: Path | str, *, treatments: str = TREATMENTS, limit: int = MAX_COMMITS) -> list[RecordChange] | None:
    root = Path(root)
    if (_git(root, ["rev-parse", "--is-shallow-repository"]) or "true").strip() != "false":
        return None  # no repository, or a shallow clone whose oldest commit would look like "all added"
    log = _git(root, ["log", "--no-merges", "--no-renames", "--raw", "--no-abbrev", f"-n{limit}",
                      f"--format={_RECORD}%H{_FIELD}%cI{_FIELD}%s", "--", treatments])
    if log is None:
        return None
    commits = parse_raw_log(log)
    blobs = {b for c in commits for _, old, new in c[3] for b in (old, new) if b != _ZERO and b not in _parsed}
    if blobs and not _read_blobs(root, sorted(blobs)):
        return None
    out = []
    for commit, day, why, files in commits:
        for path, old, new in files:
            name = Path(path).stem
            out += diff_versions(_parsed.get(old, {}), _parsed.get(new, {}), when=day, commit=commit, why=why,
                                 treatment=name)
    return out


# ---------------------------------------------------------------------------
# Public reasons (evidence/change-reasons.yml)
# ---------------------------------------------------------------------------

REASONS_FILE = "evidence/change-reasons.yml"
# Words that say a clinician, or a patient, reviewed or checked something ("GP review", "after a
# clinician's review", "reviewed by a doctor", "two reviews (clinician, ..."). No clinician has
# reviewed this site and no patient has tested it: a reason shown to readers may not say so.
_ROLE = r"(?:clinician|GP|doctor|physician|physio(?:therapist)?|pharmacist|nurse|patient|surgeon|consultant)s?(?:'s|s'|\u2019s)?"
_REVIEW_CLAIM_RE = re.compile(
    rf"\b{_ROLE}\s+(?:review|reviews|reviewed|reading|check|checked|checks)\b"
    rf"|\b(?:reviews?|reviewed|checked|read)\s+(?:\(|(?:by|from)\s+(?:an?\s+|two\s+|the\s+|our\s+)?){_ROLE}\b", re.I)


def claims_review(text: str) -> str | None:
    """The words of `text` that say a clinician or patient reviewed something, or None."""
    found = _REVIEW_CLAIM_RE.search(text)
    return found.group(0) if found else None


# The changes with each commit's public reason from change-reasons.yml (a key may be a commit id's
# first 7 or more characters) instead of its subject.
def with_reasons(changes: list[RecordChange] | None, reasons: dict[str, str]) -> list[RecordChange] | None:
    if not changes or not reasons:
        return changes
    def reason(commit: str) -> str | None:
        return next((text for key, text in reasons.items() if commit.startswith(key)), None)
    return [dataclasses.replace(c, why=r) if (r := reason(c.commit)) else c for c in changes]


# A shown reason that says a clinician or patient reviewed something, one problem per commit: a
# commit subject is fixed in history, so the fix is a public reason in change-reasons.yml.
def review_claim_problems(changes: list[RecordChange] | None) -> list[Problem]:
    problems, seen = [], set()
    for c in changes or ():
        words = claims_review(c.why)
        if words and c.commit not in seen:
            seen.add(c.commit)
            problems.append(Problem(
                REASONS_FILE, None,
                f"the reason shown for commit {c.commit[:7]} says {words!r}: no clinician has reviewed this site "
                "and no patient has tested it",
                f"add '- commit: {c.commit[:7]}' with a 'reason:' that says what changed, without that claim"))
    return problems


# The commits of `git log --raw` output: (commit, date, subject, [(path, old blob, new blob)]).
def parse_raw_log(text: str) -> list[tuple[str, dt.datetime, str, list[tuple[str, str, str]]]]:
    commits = []
    for record in text.split(_RECORD):
        head, _, rest = record.partition("\n")
        parts = head.split(_FIELD)
        if len(parts) != 3:
            continue
        try:
            day = dt.datetime.fromisoformat(parts[1].strip())
        except ValueError:
            continue
        files = []
        for line in rest.splitlines():
            meta, tab, path = line.partition("\t")
            fields = meta.split()
            if line.startswith(":") and tab and len(fields) >= 5 and path.endswith((".yml", ".yaml")):
                files.append((path, fields[2], fields[3]))
        commits.append((parts[0].strip(), day, parts[2].strip(), files))
    return commits


# Read and parse the given blobs with one `git cat-file --batch`; False when git fails.
def _read_blobs(root: Path, blobs: list[str]) -> bool:
    try:
        result = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input=("\n".join(blobs) + "\n").encode(),
                                capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    if result.returncode != 0:
        return False
    data, pos = result.stdout, 0
    for blob in blobs:
        end = data.find(b"\n", pos)
        header = data[pos:end].split()
        if end < 0 or len(header) != 3 or header[1] != b"blob":
            _parsed[blob] = {}
            pos = end + 1 if end >= 0 else len(data)
            continue
        size = int(header[2])
        _parsed[blob] = records_of(data[end + 1:end + 1 + size].decode("utf-8", "replace"))
        pos = end + 1 + size + 1
    return True


# The findings and harms of one version of a treatment file, by id ({} when it does not parse).
def records_of(text: str) -> dict[str, dict[str, dict]]:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, dict[str, dict]] = {}
    for kind in KINDS:
        items = data.get(kind)
        out[kind] = {str(r["id"]): r for r in items if isinstance(r, dict) and isinstance(r.get("id"), (str, int))} \
            if isinstance(items, list) else {}
    return out


def _git(root: Path, args: list[str]) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT,
                                check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------


# The record changes between two versions of one treatment file.
def diff_versions(old: dict, new: dict, *, when: dt.datetime, commit: str, why: str, treatment: str) -> list[RecordChange]:
    out = []
    for kind in KINDS:
        before, after = old.get(kind, {}), new.get(kind, {})
        for rid in list(after) + [r for r in before if r not in after]:
            a, b = before.get(rid), after.get(rid)
            if a == b:
                continue
            change = "added" if a is None else "removed" if b is None else "changed"
            fields = _field_changes(a or {}, b or {}) if change == "changed" else ()
            out.append(RecordChange(when, commit, why, kind[:-1], rid, treatment, change, fields))
    return out


# The fields that differ; a nested mapping (how_often) by its own fields: "how_often.n".
def _field_changes(a: dict, b: dict) -> tuple[FieldChange, ...]:
    a, b = _flat(a), _flat(b)
    first = [n for top in FIRST for n in list(b) + list(a) if n == top or n.startswith(top + ".")]
    seen, out = set(), []
    for name in first + list(b) + list(a):
        if name in seen or name == "id" or a.get(name) == b.get(name):
            continue
        seen.add(name)
        out.append(FieldChange(name, value_text(a.get(name)), value_text(b.get(name))))
    return tuple(out)


def _flat(record: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


# A stored value as short plain text: [-2.5, -0.5], "kind: rate, n: 76", and so on.
def value_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    elif isinstance(value, list):
        text = "[" + ", ".join(value_text(v) for v in value) + "]"
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1].rstrip() + "…"


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


# The words of one change: "Finding nd-pain-short changed: certainty low → moderate; estimate -1.5 → -1.2".
def summary(change: RecordChange) -> str:
    what = f"{change.kind.capitalize()} {change.id} ({change.treatment}) {change.change}"
    if not change.fields:
        return what + "."
    parts = [f"{f.name} {f.old or '(none)'} → {f.new or '(none)'}" for f in change.fields]
    return f"{what}: " + "; ".join(parts) + "."


# The changes grouped by commit, in their order (newest commit first).
def by_commit(changes: list[RecordChange]) -> list[tuple[str, list[RecordChange]]]:
    groups: dict[str, list[RecordChange]] = {}
    for c in changes:
        groups.setdefault(c.commit, []).append(c)
    return list(groups.items())


# The names of the treatments some changes touched, sorted (names: treatment id -> name).
def treatment_names(changes: list[RecordChange], names: dict[str, str]) -> list[str]:
    return sorted({names.get(c.treatment, c.treatment) for c in changes})


# Text from git (commit lines, old versions) as HTML: escaped, and with '[' and '@' as character
# references, so an old citation like [@key] is shown as written, never read as one.
def _text(value: str) -> str:
    return html.escape(value).replace("[", "&#91;").replace("@", "&#64;")


# The "what changed" block: newest first, one table per commit, or a line saying why there is none.
# page_of(treatment id) gives the relative link of a treatment page, or "" when there is none.
def changes_html(changes: list[RecordChange] | None, page_of, *, names: dict[str, str]) -> str:
    if changes is None:
        return ('<p class="tpg-changes__none">The change history is not available in this copy of the site: it '
                "comes from the project's git history, which this copy does not have.</p>")
    if not changes:
        return '<p class="tpg-changes__none">No finding or harm has changed yet.</p>'
    out = []
    for commit, items in by_commit(changes):
        first = items[0]
        out.append(f'<section class="tpg-changes__commit" id="change-{commit[:12]}">')
        out.append(f'<h3><time datetime="{first.date.isoformat()}">{first.date:%-d %B %Y}</time>: '
                   f"{_text(', '.join(treatment_names(items, names)))}</h3>")
        out.append(f'<p class="tpg-changes__why"><strong>Why:</strong> {_text(first.why)}</p>')
        out.append('<table class="tpg-changes">')
        out.append('<thead><tr><th scope="col">Record</th><th scope="col">What changed</th><th scope="col">From</th>'
                   '<th scope="col">To</th></tr></thead><tbody>')
        for c in items:
            link = page_of(c.treatment)
            name = _text(names.get(c.treatment, c.treatment))
            place = f'<a href="{html.escape(link)}">{name}</a>' if link and c.change != "removed" else name
            rows = c.fields or (FieldChange("", "", ""),)
            for i, f in enumerate(rows):
                lead = (f'<th scope="row" rowspan="{len(rows)}">{place}<small>{c.kind} <code>{_text(c.id)}</code>'
                        "</small></th>") if i == 0 else ""
                what = c.change if not f.name else f"{c.change}: {_text(f.name)}"
                out.append(f"<tr>{lead}<td>{what}</td><td>{_text(f.old) or '–'}</td><td>{_text(f.new) or '–'}</td></tr>")
        out.append("</tbody></table></section>")
    return "\n".join(out)


# Feed entries, one per commit: what it changed and why. page_url: absolute URL of the page that
# shows the changes (its sections are #change-<commit>); Item is tpguide.feeds.Item.
def feed_items(changes: list[RecordChange], page_url: str, *, names: dict[str, str]) -> list:
    from . import feeds

    items = []
    for commit, group in by_commit(changes):
        treatments = treatment_names(group, names)
        told = " ".join(summary(c) for c in group[:MAX_FEED_RECORDS])
        more = len(group) - MAX_FEED_RECORDS
        items.append(feeds.Item(
            id=f"{page_url}#change-{commit[:12]}", title=f"Evidence changed: {', '.join(treatments)}",
            url=f"{page_url}#change-{commit[:12]}", published=feeds.at_midnight(group[0].when),
            summary=f"Why: {group[0].why} {told}" + (f" And {more} more on the page." if more > 0 else ""),
        ))
    return items
