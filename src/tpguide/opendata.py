"""Open data (issue 25): the evidence base as downloadable, standard files, made at build time from
evidence/ and bib/, so nothing is typed twice.

Everything is written under ``data/`` in the site:

- ``findings.csv``, ``harms.csv``, ``searches.csv``, ``warning-signs.csv`` and ``datapackage.json``:
  a Frictionless Data Package (field types and descriptions), loadable in one call;
- ``evidence.json`` with ``evidence.schema.json``, a JSON Schema made from the same column
  definitions as the CSV files (one definition per field, so the two cannot disagree);
- ``references.bib`` and ``references.csl.json``: every reference, for reference managers;
- ``evidence.fhir.json``: an HL7 FHIR R5 Bundle (``tpguide.opendata_fhir``);
- ``findings/<treatment>.csv`` and ``harms/<treatment>.csv``: the rows of one treatment's evidence
  or harms table, linked as "Download this data" under that table.

Plain functions of the store and the bibliography: no MkDocs here (hooks/evidence.py writes the
files, and ``[[open-data]]`` lists them on the Data page).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from dataclasses import dataclass
from typing import Callable

from .evidence import model as m
from .evidence import words as w
from .evidence.render import relative_url

DATA_DIR = "data"
DATA_PAGE = "data.md"
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
CSV_MEDIA = "text/csv"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string | number | integer | date | boolean
    description: str
    get: Callable


def _join(values) -> str:
    return "; ".join(str(v) for v in values)


def _pair(value, i):
    return value[i] if value else None


FINDING_COLUMNS = (
    Column("id", "string", "Finding id, stable: the evidence map has an anchor #f-<id>", lambda f, s: f.id),
    Column("treatment", "string", "Treatment id (evidence/treatments/<id>.yml)", lambda f, s: f.treatment),
    Column("treatment_name", "string", "Treatment name as shown on the site", lambda f, s: s.treatments[f.treatment].name),
    Column("treatment_detail", "string", "The form of the treatment tested, where narrower than the treatment (a diclofenac gel)",
           lambda f, s: f.treatment_detail),
    Column("population", "string", "Who was studied", lambda f, s: f.population),
    Column("region", "string", "Body region id", lambda f, s: f.region),
    Column("comparison", "string", "Comparison group id (sham, no-treatment, usual-care, other-treatment, mixed ...)",
           lambda f, s: f.comparison),
    Column("comparison_detail", "string", "The comparison group in the source's words, where given", lambda f, s: f.comparison_detail),
    Column("outcome", "string", "Outcome id (pain, function, ...)", lambda f, s: f.outcome),
    Column("timepoint", "string", "Timepoint id (immediate, short, medium, long, ...)", lambda f, s: f.timepoint),
    Column("timepoint_detail", "string", "When it was measured, in the source's terms", lambda f, s: f.timepoint_detail),
    Column("measure", "string", "MD, SMD, proportions, narrative or kappa", lambda f, s: f.measure),
    Column("unit", "string", "Scale of a mean difference", lambda f, s: f.unit),
    Column("estimate", "number", "Effect estimate as printed in the source", lambda f, s: f.estimate),
    Column("ci_low", "number", "Lower end of the 95% confidence interval", lambda f, s: _pair(f.ci, 0)),
    Column("ci_high", "number", "Upper end of the 95% confidence interval", lambda f, s: _pair(f.ci, 1)),
    Column("event", "string", "Proportions: what was counted", lambda f, s: f.event),
    Column("rate_option", "number", "Proportions: percent with the treatment", lambda f, s: _pair(f.rates, 0)),
    Column("rate_comparison", "number", "Proportions: percent with the comparison", lambda f, s: _pair(f.rates, 1)),
    Column("result", "string", "Narrative result in the source's terms", lambda f, s: f.result),
    Column("studies", "integer", "Number of studies (or of reviews, for an umbrella review)", lambda f, s: f.studies),
    Column("participants", "integer", "Number of participants", lambda f, s: f.participants),
    Column("pooled", "boolean", "Whether the studies were pooled in a meta-analysis", lambda f, s: f.pooled),
    Column("certainty", "string", "GRADE certainty: high, moderate, low or very low", lambda f, s: f.certainty),
    Column("certainty_by", "string", "review: the review's own rating; editors: ours", lambda f, s: f.certainty_by),
    Column("downgrades", "string", "GRADE reasons for rating down, separated by '; '", lambda f, s: _join(f.downgrades)),
    Column("statement", "string", "The finding in GRADE words, as the site shows it",
           lambda f, s: w.statement(f, s.vocab, s.treatments[f.treatment])),
    Column("source", "string", "Bib key of the source (references.bib, references.csl.json)", lambda f, s: f.source),
)

HARM_COLUMNS = (
    Column("id", "string", "Harm id", lambda h, s: h.id),
    Column("treatment", "string", "Treatment id", lambda h, s: h.treatment),
    Column("event", "string", "What can happen", lambda h, s: h.event),
    Column("seriousness", "string", "minor or serious", lambda h, s: h.seriousness),
    Column("kind", "string", "rate, relative, none-seen, case-series, case-reports or no-data", lambda h, s: h.how_often.kind),
    Column("n", "integer", "rate: how many had it (or events, see counted)", lambda h, s: h.how_often.n),
    Column("of", "integer", "rate: out of how many (people or treatments, see unit)", lambda h, s: h.how_often.of),
    Column("rate_percent", "number", "rate: percent, where the source gives a percent", lambda h, s: h.how_often.rate),
    Column("unit", "string", "Who or what the denominator counts", lambda h, s: h.how_often.unit),
    Column("counted", "string", "people (or treatments) with the harm, or events", lambda h, s: h.how_often.counted),
    Column("comparison_n", "integer", "rate: how many had it in the comparison group, out of the same number",
           lambda h, s: h.how_often.comparison_n),
    Column("comparison", "string", "The comparison group", lambda h, s: h.how_often.comparison),
    Column("ratio_measure", "string", "relative: RR, OR, HR or rate ratio", lambda h, s: h.how_often.measure),
    Column("ratio", "number", "relative: the ratio against the comparison group", lambda h, s: h.how_often.ratio),
    Column("ratio_ci_low", "number", "relative: lower end of its 95% CI", lambda h, s: _pair(h.how_often.ratio_ci, 0)),
    Column("ratio_ci_high", "number", "relative: upper end of its 95% CI", lambda h, s: _pair(h.how_often.ratio_ci, 1)),
    Column("direction", "string", "no-data: the direction the source reports without a figure", lambda h, s: h.how_often.direction),
    Column("time_frame", "string", "Over how long", lambda h, s: h.how_often.time_frame),
    Column("how_often", "string", "How often, in the site's words", lambda h, s: w.how_often(h)),
    Column("source", "string", "Bib key of the source", lambda h, s: h.source),
)

SEARCH_COLUMNS = (
    Column("topic", "string", "Search topic (a treatment id or a subject)", lambda x, s: x.topic),
    Column("label", "string", "What was searched for", lambda x, s: x.label),
    Column("searched", "date", "When the literature was last searched", lambda x, s: x.searched.isoformat()),
    Column("where", "string", "Databases and sites searched, separated by '; '", lambda x, s: _join(x.where_searched)),
    Column("terms", "string", "Search terms, where recorded", lambda x, s: x.terms),
    Column("outcome", "string", "What the latest search meant for the site: changed, no change, or empty when not recorded",
           lambda x, s: x.outcome),
    Column("every_months", "integer", "How often the topic is searched again, in months", lambda x, s: x.every_months),
    Column("next_due", "date", "When the next search is due", lambda x, s: x.next_due.isoformat()),
    Column("pubmed_query", "string", "The PubMed query the evidence watch runs for new records", lambda x, s: x.pubmed),
)

RED_FLAG_COLUMNS = (
    Column("id", "string", "Warning sign id", lambda x, s: x.id),
    Column("sign", "string", "What the person notices", lambda x, s: x.sign),
    Column("urgency", "string", "emergency, same-day, soon or routine", lambda x, s: x.urgency),
    Column("regions", "string", "Body regions (or all), separated by '; '", lambda x, s: _join(x.regions)),
    Column("contexts", "string", "Situations (such as after needling), separated by '; '", lambda x, s: _join(x.contexts)),
    Column("advice", "string", "What to do, beyond the urgency", lambda x, s: x.advice),
    Column("sources", "string", "Bib keys of the sources, separated by '; '", lambda x, s: _join(x.sources)),
)

# name -> (columns, records of the store, title, description)
TABLES = {
    "findings": (FINDING_COLUMNS, lambda s: list(s.findings.values()), "Findings",
                 "Every effect estimate on the site, with its certainty (GRADE) and source"),
    "harms": (HARM_COLUMNS, lambda s: list(s.harms.values()), "Harms",
              "Every harm record: how often, out of how many, against which comparison group"),
    "searches": (SEARCH_COLUMNS, lambda s: list(s.searches.values()), "Literature searches",
                 "When and where the evidence on each topic was last searched"),
    "warning-signs": (RED_FLAG_COLUMNS, lambda s: list(s.red_flags.values()), "Warning signs",
                      "Signs that need medical help, with how urgently and their sources"),
}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def rows(columns, records, store) -> list[list]:
    return [[_cell(c.get(r, store)) for c in columns] for r in records]


def csv_text(columns, records, store) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    writer.writerows(rows(columns, records, store))
    return out.getvalue()


def _typed(column: Column, value):
    if value is None or value == "":
        return None
    return value


def json_export(store: m.EvidenceStore) -> dict:
    return {name: [{c.name: _typed(c, c.get(r, store)) for c in columns} for r in records(store)]
            for name, (columns, records, _, _) in TABLES.items()}


_JSON_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean", "date": "string"}


# A JSON Schema (2020-12) of evidence.json, from the same column definitions as the CSV files.
def json_schema(site_url: str = "") -> dict:
    def record(columns) -> dict:
        props = {}
        for c in columns:
            kind = {"type": [_JSON_TYPES[c.type], "null"], "description": c.description}
            if c.type == "date":
                kind["format"] = "date"
            props[c.name] = kind
        return {"type": "object", "additionalProperties": False, "required": [c.name for c in columns],
                "properties": props}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{site_url}{DATA_DIR}/evidence.schema.json",
        "title": "Trigger Point Guide evidence base",
        "type": "object",
        "additionalProperties": False,
        "required": list(TABLES),
        "properties": {name: {"type": "array", "description": desc, "items": record(columns)}
                       for name, (columns, _, _, desc) in TABLES.items()},
    }


# created: an RFC 3339 date-time ("2026-12-06T00:00:00Z"), as the Data Package standard asks.
def datapackage(store: m.EvidenceStore, *, version: str, site_url: str, created: str) -> dict:
    return {
        "name": "trigger-point-guide-evidence",
        "title": "Trigger Point Guide: evidence on treatments for muscle knots (myofascial trigger points)",
        "description": "Findings, harms, literature searches and warning signs from the Trigger Point Guide evidence "
                       "base, generated from its source files at build time. Each row cites a source by bib key; "
                       "see references.bib or references.csl.json.",
        "version": version,
        "created": created,
        "homepage": f"{site_url}data/",
        "licenses": [LICENCE],
        "contributors": [{"title": "Trigger Point Guide editorial team", "role": "author"}],
        "resources": [
            {"name": name, "path": f"{name}.csv", "title": title, "description": desc, "format": "csv",
             "mediatype": CSV_MEDIA, "encoding": "utf-8", "profile": "tabular-data-resource",
             "schema": {"fields": [{"name": c.name, "type": c.type, "description": c.description} for c in columns],
                        "primaryKey": [columns[0].name], "missingValues": [""]}}
            for name, (columns, _, title, desc) in TABLES.items()
        ],
    }


# CSL-JSON (the Citation Style Language's data format) of the bibliography.
_CSL_TYPES = {"article": "article-journal", "book": "book", "incollection": "chapter", "inbook": "chapter",
              "online": "webpage", "misc": "document", "report": "report", "techreport": "report",
              "inproceedings": "paper-conference", "phdthesis": "thesis"}


def _csl_name(author: str) -> dict:
    if author in ("et al.", "others"):
        return {"literal": "et al."}
    family, _, given = author.rpartition(" ")
    return {"family": family, "given": given} if family and given.isupper() else {"literal": author}


def csl_item(entry) -> dict:
    item = {"id": entry.key, "type": _CSL_TYPES.get(entry.type, "document"), "title": entry.title}
    if entry.authors:
        item["author"] = [_csl_name(a) for a in entry.authors]
    elif entry.get("organization") or entry.get("institution"):
        item["author"] = [{"literal": entry.get("organization") or entry.get("institution")}]
    if entry.year:
        item["issued"] = {"date-parts": [[int(entry.year)]]}
    for field, csl in (("journal", "container-title"), ("booktitle", "container-title"), ("volume", "volume"),
                       ("number", "issue"), ("pages", "page"), ("doi", "DOI"), ("pmid", "PMID"), ("url", "URL"),
                       ("publisher", "publisher")):
        if entry.get(field) and csl not in item:
            item[csl] = entry.get(field)
    return item


def csl_json(bib) -> list[dict]:
    return [csl_item(e) for _, e in sorted(bib.entries.items())]


def _bib_value(value: str) -> str:
    return "{" + value.replace("\\", "").replace("{", "").replace("}", "") + "}"


# The bibliography as BibTeX, one entry per key, from the checked entries (plain text, UTF-8).
def bibtex(bib) -> str:
    out = []
    for key, e in sorted(bib.entries.items()):
        lines = [f"@{e.type}{{{key},"]
        if e.authors:
            lines.append(f"  author = {_bib_value(' and '.join('others' if a == 'et al.' else a for a in e.authors))},")
        for name, value in sorted(e.fields.items()):
            if name != "author" and value:
                lines.append(f"  {name} = {_bib_value(value)},")
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def block_path(kind: str, treatment: str) -> str:
    return f"{DATA_DIR}/{kind}/{treatment}.csv"


# Every open-data file: site path -> text.
def files(store: m.EvidenceStore, bib, *, version: str, site_url: str, created: str, fhir: dict | None = None) -> dict[str, str]:
    out = {}
    for name, (columns, records, _, _) in TABLES.items():
        out[f"{DATA_DIR}/{name}.csv"] = csv_text(columns, records(store), store)
    out[f"{DATA_DIR}/datapackage.json"] = json.dumps(datapackage(store, version=version, site_url=site_url, created=created),
                                                     indent=2, ensure_ascii=False) + "\n"
    out[f"{DATA_DIR}/evidence.json"] = json.dumps({"version": version, "license": LICENCE["name"], **json_export(store)},
                                                  indent=1, ensure_ascii=False) + "\n"
    schema = json_schema(site_url)
    schema["properties"] = {"version": {"type": "string"}, "license": {"type": "string"}, **schema["properties"]}
    out[f"{DATA_DIR}/evidence.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    out[f"{DATA_DIR}/references.bib"] = bibtex(bib)
    out[f"{DATA_DIR}/references.csl.json"] = json.dumps(csl_json(bib), indent=1, ensure_ascii=False) + "\n"
    if fhir is not None:
        out[f"{DATA_DIR}/evidence.fhir.json"] = json.dumps(fhir, indent=1, ensure_ascii=False) + "\n"
    for t in store.treatments.values():
        findings = store.findings_of(t.id)
        if findings:
            out[block_path("findings", t.id)] = csv_text(FINDING_COLUMNS, findings, store)
        harms = store.harms_of(t.id)
        if harms:
            out[block_path("harms", t.id)] = csv_text(HARM_COLUMNS, harms, store)
    return out


# "Download this data" under a table: a link to the CSV of exactly its rows.
def download_link(kind: str, treatment: str, n: int, page_url: str) -> str:
    what = "finding" if kind == "findings" else "harm record"
    return (f'<p class="tpg-download"><a href="{html.escape(relative_url(block_path(kind, treatment), page_url))}" download>'
            f"Download this data</a> (CSV, {n} {what}{'' if n == 1 else 's'}; "
            f'<a href="{html.escape(relative_url(DATA_DIR + "/", page_url))}">all our data</a>)</p>')


# The Data page's list of downloads ([[open-data]]).
def data_block(store: m.EvidenceStore, page_url: str) -> str:
    base = relative_url(DATA_DIR + "/", page_url)
    counts = {name: len(records(store)) for name, (_, records, _, _) in TABLES.items()}
    items = [
        ("datapackage.json", "Data Package (Frictionless)", "the four tables below with their field types and descriptions: "
         "load it in one call"),
        *[(f"{name}.csv", f"{title} (CSV)", f"{counts[name]} rows. {desc}.")
          for name, (_, _, title, desc) in TABLES.items()],
        ("evidence.json", "All four tables (JSON)", "the same rows as the CSV files"),
        ("evidence.schema.json", "JSON Schema", "describes evidence.json field by field"),
        ("evidence.fhir.json", "HL7 FHIR R5 Bundle", f"one Evidence resource per finding ({counts['findings']}) and one "
         "Citation resource per reference"),
        ("references.bib", "References (BibTeX)", "every reference, for reference managers"),
        ("references.csl.json", "References (CSL-JSON)", "every reference, in the Citation Style Language's data format"),
    ]
    out = ['<table class="tpg-data tpg-stack">', "<caption>Files to download, made at the last build</caption>",
           '<thead><tr><th scope="col">File</th><th scope="col">What it is</th><th scope="col">What it holds</th></tr></thead>',
           "<tbody>"]
    for name, what, holds in items:
        out.append(f'<tr><th scope="row" data-label="File"><a href="{html.escape(base + name)}" download>'
                   f'{html.escape(name)}</a></th><td data-label="What it is">{html.escape(what)}</td>'
                   f'<td data-label="What it holds">{html.escape(holds)}</td></tr>')
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def version_of(today: dt.date, commit: str) -> str:
    return f"{today.isoformat()}+{commit[:12]}" if commit else today.isoformat()
