"""The evidence base as an HL7 FHIR R5 Bundle: one Evidence per finding, one Citation per cited source.

Plain JSON-ready dicts only: no FHIR library is imported here (``fhir.resources`` is a dev dependency,
used by tests/unit/test_fhir.py to validate the output against the R5 model).

Codes used, and where they were checked (FHIR R5 5.0.0 value sets bound to Evidence):

* statistic type: http://terminology.hl7.org/CodeSystem/statistic-type
  (0000457 mean difference, 0000100 standardized mean difference, C16932 odds ratio,
  C93152 relative risk, descriptive). Kappa and a pair of group proportions have no code there:
  they carry text only.
* confidence interval: http://terminology.hl7.org/CodeSystem/attribute-estimate-type C53324.
* variable roles: http://terminology.hl7.org/CodeSystem/variable-role
  (population, exposure, referenceExposure, measuredVariable).
* certainty: http://hl7.org/fhir/certainty-type (Overall, RiskOfBias, Inconsistency, Indirectness,
  Imprecision, PublicationBias) and http://hl7.org/fhir/certainty-rating (high, moderate, low,
  very-low, serious-concern). R5 moved these two systems from terminology.hl7.org to hl7.org/fhir.

A GRADE downgrade is exported as a subcomponent rated "serious-concern": the data say a reason was
used to rate down, not by how many levels.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .references import author_list, plain_text

# ---------------------------------------------------------------------------
# Code systems
# ---------------------------------------------------------------------------

STATISTIC_TYPE = "http://terminology.hl7.org/CodeSystem/statistic-type"
ATTRIBUTE_ESTIMATE_TYPE = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
VARIABLE_ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"
CERTAINTY_TYPE = "http://hl7.org/fhir/certainty-type"
CERTAINTY_RATING = "http://hl7.org/fhir/certainty-rating"
DOI_SYSTEM = "https://doi.org"
PMID_SYSTEM = "https://pubmed.ncbi.nlm.nih.gov"

# measure -> (code or "", display); "" means no code in the statistic-type system: text only.
STATISTICS = {
    "MD": ("0000457", "Mean Difference"),
    "SMD": ("0000100", "Standardized Mean Difference"),
    "OR": ("C16932", "Odds Ratio"),
    "RR": ("C93152", "Relative Risk"),
    "kappa": ("", "Cohen's kappa (agreement beyond chance)"),
    "proportions": ("", "Proportion with the outcome in each group"),
    "narrative": ("descriptive", "Descriptive"),
}
MEASURE_WORDS = {"MD": "Mean difference", "SMD": "Standardized mean difference", "OR": "Odds ratio",
                 "RR": "Relative risk", "kappa": "Kappa"}

RATINGS = {"high": ("high", "High quality"), "moderate": ("moderate", "Moderate quality"),
           "low": ("low", "Low quality"), "very low": ("very-low", "Very low quality")}
DOWNGRADE_TYPES = {
    "risk of bias": ("RiskOfBias", "Risk of bias"),
    "inconsistency": ("Inconsistency", "Inconsistency"),
    "indirectness": ("Indirectness", "Indirectness"),
    "imprecision": ("Imprecision", "Imprecision"),
    "publication bias": ("PublicationBias", "Publication bias"),
}
RATERS = {"review": "the authors of the cited review", "editors": "the editors of this site (GRADE-style reading)"}

_BAD_ID_CHARS = re.compile(r"[^A-Za-z0-9\-.]")


# ---------------------------------------------------------------------------
# The Bundle
# ---------------------------------------------------------------------------


def bundle(store, bib, *, site_url: str, version: str, timestamp: dt.datetime | None = None) -> dict:
    """A FHIR R5 Bundle (type 'collection') as plain JSON-ready dicts.

    One Evidence per finding in ``store.findings`` (in store order), then one Citation per bib entry
    that a finding, harm, warning sign (red flag) or natural-history course cites (not every entry in
    ``bib``: the library's uncited entries are left out), sorted by key. A cited key missing from
    ``bib`` gets no Citation; the Evidence then names it in ``citeAsMarkdown`` instead of a reference.

    ``site_url`` must be the absolute http(s) address of the site (a "/" is added when missing);
    ``version`` is the site's version, written to the Bundle identifier and every resource.
    ``timestamp`` defaults to SOURCE_DATE_EPOCH when set (reproducible builds), otherwise now (UTC).
    """
    if not site_url or not re.match(r"^https?://\S+$", site_url):
        raise ValueError(f"site_url must be an absolute http(s) URL, got {site_url!r}")
    base = site_url if site_url.endswith("/") else site_url + "/"
    entries = getattr(bib, "entries", bib)  # a tpguide.bib.Bibliography or a plain dict key -> Entry
    keys = sorted(k for k in _cited_keys(store) if k in entries)
    ids = citation_ids(keys)
    resources = [evidence(f, store, citation_id=ids.get(f.source), base=base, version=version)
                 for f in store.findings.values()]
    resources += [citation(entries[k], ids[k], base=base, version=version) for k in keys]
    return {
        "resourceType": "Bundle",
        "id": _fhir_id(f"tpguide-evidence-{version}") if version else "tpguide-evidence",
        "identifier": {"system": f"{base}data/fhir/", "value": f"tpguide-evidence-{version}"},
        "type": "collection",
        "timestamp": _instant(timestamp),
        "entry": [{"fullUrl": f"{base}data/fhir/{r['resourceType']}/{r['id']}", "resource": r} for r in resources],
    }


# Every bib key an evidence record rests on (findings, harms, red flags, courses).
def _cited_keys(store) -> set[str]:
    keys = {f.source for f in store.findings.values()}
    keys |= {h.source for h in getattr(store, "harms", {}).values()}
    keys |= {k for r in getattr(store, "red_flags", {}).values() for k in r.sources}
    keys |= {c.source for c in getattr(store, "courses", {}).values()}
    return {k for k in keys if k}


# bib key -> Citation id: FHIR ids allow [A-Za-z0-9-.]{1,64}; keys that collide after cleaning get -2, -3...
def citation_ids(keys) -> dict[str, str]:
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(keys):
        cand = _fhir_id(key)
        n = 2
        while cand in taken:
            suffix = f"-{n}"
            cand = _fhir_id(key)[: 64 - len(suffix)] + suffix
            n += 1
        taken.add(cand)
        out[key] = cand
    return out


def _fhir_id(text: str) -> str:
    return (_BAD_ID_CHARS.sub("-", text) or "x")[:64]


def _instant(when: dt.datetime | None) -> str:
    if when is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        when = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit()
                else dt.datetime.now(dt.timezone.utc))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.isoformat(timespec="seconds")


# ---------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------


def evidence(f, store, *, citation_id: str | None, base: str, version: str) -> dict:
    """One Evidence resource for one finding: PICO, the statistic with its CI and size, the certainty."""
    vocab = store.vocab
    treatment = store.treatments.get(f.treatment)
    intervention = treatment.name if treatment else f.treatment
    comparison = _label(vocab.comparisons, f.comparison)
    comparator = f"{comparison}: {f.comparison_detail}" if f.comparison_detail else comparison
    outcome = _label(vocab.outcomes, f.outcome)
    when = _label(vocab.timepoints, f.timepoint)
    when_text = f"{when} ({f.timepoint_detail})" if f.timepoint_detail else when
    region = _label(vocab.regions, f.region)

    res: dict = {
        "resourceType": "Evidence",
        "id": _fhir_id(f.id),
        "url": f"{base}evidence-map/#f-{f.id}",
        "version": version,
        "title": f"{intervention} compared with {f.comparison_detail or comparison}: {outcome.lower()}, {when.lower()}",
        "status": "active",
        "description": _sentence(f, intervention, f.comparison_detail or comparison, outcome, f.timepoint_detail or when),
    }
    if citation_id:
        res["citeAsReference"] = {"reference": f"Citation/{citation_id}", "display": f.source}
        res["relatedArtifact"] = [{"type": "derived-from", "label": f.source,
                                   "resourceReference": {"reference": f"Citation/{citation_id}"}}]
    elif f.source:
        res["citeAsMarkdown"] = f"Source {f.source} (not in the bibliography)"
    res["variableDefinition"] = [
        _variable("population", "population", f.population or "Not stated", note=f"Body region: {region}"),
        _variable("exposure", "exposure", intervention),
        _variable("referenceExposure", "reference exposure", comparator),
        _variable("measuredVariable", "measured variable", f"{outcome}, {when_text}",
                  note=f"Scale: {f.unit}" if f.unit else ""),
    ]
    res["synthesisType"] = {"text": "Pooled in a meta-analysis" if f.pooled else "Not pooled (summarised in words)"}
    res["statistic"] = [_statistic(f, intervention, comparator)]
    res["certainty"] = [_certainty(f)]
    return res


def _label(terms, key: str) -> str:
    term = terms.get(key) if terms else None
    return term.label if term is not None else (key or "Not stated")


def _variable(code: str, display: str, description: str, *, note: str = "") -> dict:
    out = {"description": description,
           "variableRole": {"coding": [{"system": VARIABLE_ROLE, "code": code, "display": display}]}}
    if note:
        out["note"] = [{"text": note}]
    return out


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _effect_text(f) -> str:
    """The result in words: "Mean difference -7.29 points on a 0 to 100 scale (95% CI -10.98 to -3.61)"."""
    if f.measure == "proportions" and f.rates:
        event = f" {f.event}" if f.event else ""
        return f"{_fmt(f.rates[0])}% with the treatment and {_fmt(f.rates[1])}% with the comparison{event}"
    if f.estimate is not None:
        words = MEASURE_WORDS.get(f.measure, f.measure or "Estimate")
        unit = f" {f.unit}" if f.unit else ""
        ci = f" (95% CI {_fmt(f.ci[0])} to {_fmt(f.ci[1])})" if f.ci else ""
        return f"{words} {_fmt(f.estimate)}{unit}{ci}"
    return f.result or "No numerical result"


def _sentence(f, intervention: str, comparator: str, outcome: str, when: str) -> str:
    """One plain sentence: "Oral NSAIDs compared with placebo tablets for pain (...) in adults with ...: result; certainty."""
    size = _size_words(f)
    size = f" ({size})" if size else ""
    who = _lower_first(f.population.rstrip(".")) if f.population else "the people studied"
    return (f"{intervention} compared with {comparator} for {outcome.lower()} ({_lower_first(when)}) in {who}{size}: "
            f"{_effect_text(f).rstrip('.')}; {f.certainty or 'unrated'} certainty.")


# "Adults with ..." -> "adults with ...", but "NSAID users" stays as it is.
def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _size_words(f) -> str:
    bits = []
    if f.studies is not None:
        one, many = (("systematic review", "systematic reviews") if getattr(f, "study_kind", "study") == "review"
                     else ("study", "studies"))
        bits.append(f"{f.studies} {one if f.studies == 1 else many}")
    if f.participants is not None:
        bits.append(f"{f.participants} participants")
    return ", ".join(bits)


def _statistic(f, intervention: str, comparator: str) -> dict:
    code, display = STATISTICS.get(f.measure, ("", f.measure or "Not stated"))
    stat: dict = {"description": _effect_text(f)}
    if f.measure == "narrative" and f.effect:
        stat["description"] = f"{stat['description']} (direction: {f.effect})"
    stat["statisticType"] = ({"coding": [{"system": STATISTIC_TYPE, "code": code, "display": display}], "text": display}
                             if code else {"text": display})
    if f.estimate is not None and f.measure != "proportions":
        quantity: dict = {"value": _num(f.estimate)}
        if f.unit:
            quantity["unit"] = f.unit
        stat["quantity"] = quantity
        if f.ci:
            low, high = ({"value": _num(v)} for v in f.ci)
            if f.unit:
                low["unit"] = high["unit"] = f.unit
            stat["attributeEstimate"] = [{
                "description": "95% confidence interval",
                "type": {"coding": [{"system": ATTRIBUTE_ESTIMATE_TYPE, "code": "C53324",
                                     "display": "Confidence interval"}], "text": "95% confidence interval"},
                "level": 0.95,
                "range": {"low": low, "high": high},
            }]
    size = _sample_size(f)
    if size:
        stat["sampleSize"] = size
    notes = [n for n in (f.notes, f.result if f.measure != "narrative" else "") if n]
    if notes:
        stat["note"] = [{"text": n} for n in notes]
    return stat


def _sample_size(f) -> dict:
    size: dict = {}
    if f.studies is not None:
        if getattr(f, "study_kind", "study") == "review":
            # an umbrella review: the count is of systematic reviews, not of studies
            size["description"] = f"{f.studies} systematic reviews (an umbrella review)"
        else:
            size["numberOfStudies"] = f.studies
    if f.participants is not None:
        size["numberOfParticipants"] = f.participants
    return size


def _certainty(f) -> dict:
    cert: dict = {
        "description": "Certainty of the evidence (GRADE or a GRADE-like reading)",
        "type": {"coding": [{"system": CERTAINTY_TYPE, "code": "Overall", "display": "Overall certainty"}]},
    }
    if f.certainty in RATINGS:
        code, display = RATINGS[f.certainty]
        cert["rating"] = {"coding": [{"system": CERTAINTY_RATING, "code": code, "display": display}], "text": f.certainty}
    elif f.certainty:
        cert["rating"] = {"text": f.certainty}
    rater = RATERS.get(f.certainty_by, f.certainty_by)
    if rater:
        cert["rater"] = rater
    if f.certainty_note:
        cert["note"] = [{"text": f.certainty_note}]
    subs = []
    for reason in f.downgrades:
        known = DOWNGRADE_TYPES.get(reason)
        sub_type = ({"coding": [{"system": CERTAINTY_TYPE, "code": known[0], "display": known[1]}]}
                    if known else {"text": reason})
        subs.append({
            "description": f"Rated down for {reason}",
            "type": sub_type,
            "rating": {"coding": [{"system": CERTAINTY_RATING, "code": "serious-concern", "display": "serious concern"}]},
        })
    if subs:
        cert["subcomponent"] = subs
    return cert


# ---------------------------------------------------------------------------
# Citation
# ---------------------------------------------------------------------------


def citation(entry, cid: str, *, base: str, version: str) -> dict:
    """One Citation resource for one bib entry: title, DOI/PMID, web address, source, authors, study type."""
    artifact: dict = {}
    idents = []
    if entry.get("doi"):
        idents.append({"system": DOI_SYSTEM, "value": entry.get("doi")})
    if entry.get("pmid"):
        idents.append({"system": PMID_SYSTEM, "value": entry.get("pmid")})
    if idents:
        artifact["identifier"] = idents
    if entry.title:
        artifact["title"] = [{"text": entry.title}]
    if entry.get("url"):
        artifact["webLocation"] = [{"url": entry.get("url")}]
    form = _publication_form(entry)
    if form:
        artifact["publicationForm"] = [form]
    people = author_list(entry, limit=1000)
    if people:
        artifact["contributorship"] = {"summary": [{"value": people}]}
    if entry.get("studytype"):
        artifact["classification"] = [{"type": {"text": "Study type"}, "classifier": [{"text": entry.get("studytype")}]}]
    res: dict = {
        "resourceType": "Citation",
        "id": cid,
        "url": f"{base}references/#{entry.key}",
        "identifier": [{"system": f"{base}references/", "value": entry.key}],
        "version": version,
        "title": entry.title or entry.key,
        "status": "active",
        "summary": [{"text": plain_text(entry)}],
    }
    if artifact:
        res["citedArtifact"] = artifact
    return res


def _publication_form(entry) -> dict:
    container = (entry.get("journal") or entry.get("booktitle") or entry.get("institution")
                 or entry.get("organization") or entry.get("publisher") or entry.get("howpublished"))
    form: dict = {}
    if container:
        form["publishedIn"] = {"title": container}
        if entry.get("publisher") and entry.get("publisher") != container:
            form["publishedIn"]["publisher"] = {"display": entry.get("publisher")}
    if entry.year:
        form["publicationDateText"] = entry.year
    if entry.get("volume"):
        form["volume"] = entry.get("volume")
    if entry.get("number") and entry.type == "article":
        form["issue"] = entry.get("number")
    if entry.get("pages"):
        form["pageString"] = entry.get("pages").replace("--", "-")
    return form
