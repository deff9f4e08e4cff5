"""Open data (tpguide.opendata): the evidence base as a Frictionless Data Package, JSON with its
schema, CSL-JSON and BibTeX, made from the real evidence/ and bib/ folders and checked with the
formats' own validators."""

from __future__ import annotations

import csv
import io
import json

import pytest

from support import ROOT
from tpguide import opendata
from tpguide.bib import load_bib_dir
from tpguide.evidence import load_evidence_dir


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    store = load_evidence_dir(ROOT / "evidence", root=ROOT)
    bib = load_bib_dir(ROOT / "bib", root=ROOT)
    files = opendata.files(store, bib, version="2026-12-06+abc", site_url="https://example.org/", created="2026-12-06T00:00:00Z")
    out = tmp_path_factory.mktemp("data")
    for path, text in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return store, bib, files, out


def test_the_data_package_validates_with_frictionless(data):
    from frictionless import Package

    store, _, _, out = data
    package = Package(str(out / "data" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = {r.name: r.read_rows() for r in package.resources}
    assert len(rows["findings"]) == len(store.findings) and len(rows["harms"]) == len(store.harms)
    first = next(r for r in rows["findings"] if r["id"] == "onsaid-back-pain")
    assert tuple(map(float, (first["estimate"], first["ci_low"], first["ci_high"]))) == (-7.29, -10.98, -3.61)
    assert first["participants"] == 815
    assert first["certainty"] == "moderate" and first["pooled"] is True


def test_the_json_export_validates_against_its_generated_schema(data):
    import jsonschema

    store, _, files, _ = data
    doc = json.loads(files["data/evidence.json"])
    schema = json.loads(files["data/evidence.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert {f["id"] for f in doc["findings"]} == set(store.findings)
    # the schema is strict: a field it does not know, or a wrong type, is an error
    bad = json.loads(files["data/evidence.json"])
    bad["findings"][0]["estimate"] = "big"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_references_parse_as_csl_json_and_bibtex(data):
    from citeproc.source.json import CiteProcJSON

    _, bib, files, _ = data
    items = json.loads(files["data/references.csl.json"])
    source = CiteProcJSON(items)
    assert len(items) == len(bib) and "vandergaag2020nonsteroidal" in source
    nsaid = next(i for i in items if i["id"] == "vandergaag2020nonsteroidal")
    assert nsaid["type"] == "article-journal" and nsaid["DOI"] and nsaid["issued"]["date-parts"][0][0] == 2020
    # the BibTeX export reads back with our own strict reader: every entry, no problem
    from tpguide.bib import load_bib_dir as reload

    path = data[3] / "data" / "references.bib"
    again = reload(path.parent, root=path.parent)
    assert set(again.entries) == set(bib.entries)


def test_each_treatment_csv_holds_exactly_its_rows(data):
    store, _, files, _ = data
    for t in store.treatments.values():
        for kind, records in (("findings", store.findings_of(t.id)), ("harms", store.harms_of(t.id))):
            path = opendata.block_path(kind, t.id)
            if not records:
                assert path not in files
                continue
            ids = [row["id"] for row in csv.DictReader(io.StringIO(files[path]))]
            assert ids == [r.id for r in records], (t.id, kind)


def test_download_links_are_relative_to_the_page():
    link = opendata.download_link("harms", "dry-needling", 3, "treatments/dry-needling/")
    assert 'href="../../data/harms/dry-needling.csv" download' in link and "3 harm records" in link
    assert 'href="../../data/"' in link
    assert 'href="data/findings/heat.csv"' in opendata.download_link("findings", "heat", 1, "")
