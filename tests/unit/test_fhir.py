"""The evidence base as a FHIR R5 Bundle (tpguide.opendata_fhir), validated with fhir.resources (R5)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import replace

import pytest
from fhir.resources.bundle import Bundle

from support import ROOT
from tpguide.bib import load_bib_dir
from tpguide.opendata_fhir import bundle, citation_ids

SITE = "https://example.org/tpguide/"
STATISTIC_TYPE = "http://terminology.hl7.org/CodeSystem/statistic-type"
CERTAINTY_TYPE = "http://hl7.org/fhir/certainty-type"
CERTAINTY_RATING = "http://hl7.org/fhir/certainty-rating"
WHEN = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def bib():
    return load_bib_dir(ROOT / "bib", root=ROOT)


@pytest.fixture(scope="module")
def store(real_store):
    return real_store


@pytest.fixture(scope="module")
def data(store, bib):
    return bundle(store, bib, site_url=SITE, version="9.9.9", timestamp=WHEN)


def resources(data, kind):
    return {e["resource"]["id"]: e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind}


def codes(concept):
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


# ---------------------------------------------------------------------------
# The whole bundle
# ---------------------------------------------------------------------------


def test_bundle_validates_as_fhir_r5(data):
    model = Bundle.model_validate(data)
    assert model.type == "collection"
    assert len(model.entry) == len(data["entry"])
    kinds = {e.resource.get_resource_type() for e in model.entry}
    assert kinds == {"Evidence", "Citation"}


def test_bundle_header(data):
    assert data["resourceType"] == "Bundle"
    assert data["type"] == "collection"
    assert data["timestamp"] == "2025-01-02T03:04:05+00:00"
    assert data["identifier"]["value"] == "tpguide-evidence-9.9.9"
    for e in data["entry"]:
        r = e["resource"]
        assert e["fullUrl"] == f"{SITE}data/fhir/{r['resourceType']}/{r['id']}"


def test_json_round_trips(data):
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    again = json.loads(text)
    assert again == data
    Bundle.model_validate_json(text)


def test_site_url_without_slash_and_bad_site_url(store, bib):
    data = bundle(store, bib, site_url=SITE.rstrip("/"), version="1", timestamp=WHEN)
    assert data["entry"][0]["fullUrl"].startswith(f"{SITE}data/fhir/Evidence/")
    with pytest.raises(ValueError):
        bundle(store, bib, site_url="", version="1")


# ---------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------


def test_one_evidence_per_finding(data, store):
    evidence = resources(data, "Evidence")
    assert len(evidence) == len(store.findings) > 50
    assert set(evidence) == set(store.findings)
    # in store order, before the citations
    assert [e["resource"]["id"] for e in data["entry"][: len(store.findings)]] == list(store.findings)


def test_onsaid_back_pain_statistic(data):
    ev = resources(data, "Evidence")["onsaid-back-pain"]
    assert ev["status"] == "active"
    assert ev["url"] == f"{SITE}evidence-map/#f-onsaid-back-pain"
    assert "-7.29" in ev["description"] and "moderate certainty" in ev["description"]
    (stat,) = ev["statistic"]
    assert codes(stat["statisticType"]) == {(STATISTIC_TYPE, "0000457")}  # mean difference
    assert stat["quantity"] == {"value": -7.29, "unit": "points on a 0 to 100 scale"}
    (ci,) = stat["attributeEstimate"]
    assert ci["level"] == 0.95
    assert ci["range"]["low"]["value"] == -10.98
    assert ci["range"]["high"]["value"] == -3.61
    assert stat["sampleSize"] == {"numberOfStudies": 4, "numberOfParticipants": 815}


def test_onsaid_back_pain_pico(data, store):
    ev = resources(data, "Evidence")["onsaid-back-pain"]
    roles = {next(iter(codes(v["variableRole"])))[1]: v["description"] for v in ev["variableDefinition"]}
    assert set(roles) == {"population", "exposure", "referenceExposure", "measuredVariable"}
    assert roles["population"] == store.findings["onsaid-back-pain"].population
    assert roles["exposure"] == store.treatments["oral-nsaids"].name
    assert "placebo (dummy) tablets" in roles["referenceExposure"]
    assert roles["measuredVariable"].startswith("Pain") and "up to 3 weeks" in roles["measuredVariable"]


def test_onsaid_back_pain_certainty(data):
    ev = resources(data, "Evidence")["onsaid-back-pain"]
    (cert,) = ev["certainty"]
    assert codes(cert["type"]) == {(CERTAINTY_TYPE, "Overall")}
    assert codes(cert["rating"]) == {(CERTAINTY_RATING, "moderate")}
    assert "review" in cert["rater"]
    (sub,) = cert["subcomponent"]
    assert codes(sub["type"]) == {(CERTAINTY_TYPE, "Imprecision")}
    assert codes(sub["rating"]) == {(CERTAINTY_RATING, "serious-concern")}


def test_every_downgrade_is_a_subcomponent(data, store):
    names = {"risk of bias": "RiskOfBias", "inconsistency": "Inconsistency", "indirectness": "Indirectness",
             "imprecision": "Imprecision", "publication bias": "PublicationBias"}
    ratings = {"high": "high", "moderate": "moderate", "low": "low", "very low": "very-low"}
    for fid, ev in resources(data, "Evidence").items():
        f = store.findings[fid]
        (cert,) = ev["certainty"]
        assert codes(cert["rating"]) == {(CERTAINTY_RATING, ratings[f.certainty])}
        got = [code for s in cert.get("subcomponent", []) for _, code in codes(s["type"])]
        assert got == [names[d] for d in f.downgrades], fid


def test_other_measures(data):
    ev = resources(data, "Evidence")
    smd = ev["dn-pain-72-hours"]["statistic"][0]
    assert codes(smd["statisticType"]) == {(STATISTIC_TYPE, "0000100")}
    assert smd["quantity"] == {"value": -0.81}
    odds = ev["mt-global"]["statistic"][0]
    assert codes(odds["statisticType"]) == {(STATISTIC_TYPE, "C16932")}
    kappa = ev["palp-agreement-2017"]["statistic"][0]
    assert "coding" not in kappa["statisticType"]  # no kappa code in the R5 statistic-type system
    assert kappa["quantity"]["value"] == 0.452
    props = ev["ad-dulox-30"]["statistic"][0]
    assert "54.9%" in props["description"] and "40.5%" in props["description"]
    assert "quantity" not in props
    narrative = ev["ad-tca-back"]["statistic"][0]
    assert codes(narrative["statisticType"]) == {(STATISTIC_TYPE, "descriptive")}
    assert narrative["description"].startswith("TCAs and other antidepressants did not reduce pain")
    assert "sampleSize" not in narrative


def test_umbrella_review_counts_reviews_not_studies(data):
    size = resources(data, "Evidence")["dn-umbrella-2023-sham"]["statistic"][0]["sampleSize"]
    assert "numberOfStudies" not in size
    assert size["description"].startswith("36 systematic reviews")


# ---------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------


def test_every_evidence_cites_an_existing_citation(data, store):
    cites = resources(data, "Citation")
    keys = {c["identifier"][0]["value"]: cid for cid, c in cites.items()}
    for fid, ev in resources(data, "Evidence").items():
        ref = ev["citeAsReference"]["reference"]
        kind, cid = ref.split("/")
        assert kind == "Citation" and cid in cites, fid
        assert keys[store.findings[fid].source] == cid
        assert ev["relatedArtifact"][0]["resourceReference"]["reference"] == ref


def test_citations_are_the_cited_entries(data, store, bib):
    cited = {f.source for f in store.findings.values()} | {h.source for h in store.harms.values()}
    cited |= {k for r in store.red_flags.values() for k in r.sources}
    cited |= {c.source for c in store.courses.values()}
    keys = {c["identifier"][0]["value"] for c in resources(data, "Citation").values()}
    assert keys == cited & set(bib.entries)
    assert len(keys) < len(bib)  # uncited library entries are left out


def test_citation_content(data):
    c = resources(data, "Citation")["vandergaag2020nonsteroidal"]
    assert c["status"] == "active"
    art = c["citedArtifact"]
    assert art["title"][0]["text"] == "Non-steroidal anti-inflammatory drugs for acute low back pain"
    assert {"system": "https://doi.org", "value": "10.1002/14651858.CD013581"} in art["identifier"]
    assert art["publicationForm"][0]["publishedIn"]["title"] == "Cochrane Database of Systematic Reviews"
    assert art["publicationForm"][0]["publicationDateText"] == "2020"
    assert art["contributorship"]["summary"][0]["value"].startswith("van der Gaag WH, Roelofs PDDM")


def test_a_citation_with_a_pmid(data, bib):
    cites = resources(data, "Citation")
    with_pmid = [c for c in cites.values()
                 if bib[c["identifier"][0]["value"]].pmid]
    assert with_pmid
    c = with_pmid[0]
    pmid = bib[c["identifier"][0]["value"]].pmid
    assert {"system": "https://pubmed.ncbi.nlm.nih.gov", "value": pmid} in c["citedArtifact"]["identifier"]


def test_citation_ids_follow_fhir_id_rules():
    ids = citation_ids(["a_b", "a-b", "x:y", "k" * 80])
    assert ids["a-b"] == "a-b"
    assert ids["a_b"] == "a-b-2"
    assert ids["x:y"] == "x-y"
    assert ids["k" * 80] == "k" * 64


# ---------------------------------------------------------------------------
# Malformed input still gives a valid bundle
# ---------------------------------------------------------------------------


def test_malformed_findings_still_validate(store, bib):
    f = store.findings["onsaid-back-pain"]
    broken = copy.copy(store)
    broken.harms, broken.red_flags, broken.courses = {}, {}, {}
    broken.findings = {
        "no_estimate:1": replace(f, id="no_estimate:1", estimate=None, ci=None, studies=None, participants=None),
        "odd-values": replace(f, id="odd-values", measure="HR", certainty="unknown", certainty_by="",
                              downgrades=("bad luck",), treatment="no-such-treatment", comparison="nope",
                              outcome="nope", timepoint="nope", population="", unit=""),
        "lost-source": replace(f, id="lost-source", source="not-in-bib", measure="proportions", rates=None),
    }
    data = bundle(broken, bib, site_url=SITE, version="0", timestamp=WHEN)
    Bundle.model_validate(data)
    ev = resources(data, "Evidence")
    assert set(ev) == {"no-estimate-1", "odd-values", "lost-source"}
    (stat,) = ev["no-estimate-1"]["statistic"]
    assert "quantity" not in stat and "attributeEstimate" not in stat and "sampleSize" not in stat
    odd = ev["odd-values"]
    assert odd["certainty"][0]["rating"] == {"text": "unknown"}
    assert odd["certainty"][0]["subcomponent"][0]["type"] == {"text": "bad luck"}
    assert odd["variableDefinition"][1]["description"] == "no-such-treatment"
    lost = ev["lost-source"]
    assert "citeAsReference" not in lost and "not-in-bib" in lost["citeAsMarkdown"]
    assert list(resources(data, "Citation")) == ["vandergaag2020nonsteroidal"]
    json.dumps(data, allow_nan=False)
