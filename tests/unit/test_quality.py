from tpguide import quality


def test_prose_blocks_skip_code_tables_headings_and_charts():
    body = "## Title\n\nA claim [@a].\n\n| t | x |\n|---|---|\n| 1 | 2 |\n\n```\ncode here\n```\n\n[[chart: x]]\n\n- item one [@b]\n"
    blocks = quality.prose_blocks(body)
    assert [b.text for b in blocks] == ["A claim [@a].", "item one [@b]"]
    assert blocks[0].heading == "Title"


def test_uncited_claim_is_found_and_exemptions_hold():
    body = (
        "Muscle knots are found in most adults over forty years of age.\n\n"
        "A cited claim about muscle knots in many adults here [@a].\n\n"
        "Ask your doctor about these questions before starting any treatment?\n\n"
        "Press gently and stop if it hurts more than it did before. <!-- no-cite -->\n\n"
        "## Practical tips { .practical }\n\nKeep moving and stay active during the day as much as you can.\n\n"
        "## Facts again\n\nKnots are said to cause pain that spreads to other areas of the body.\n"
    )
    found = [b.text for b in quality.uncited_blocks(quality.prose_blocks(body))]
    assert found == [
        "Muscle knots are found in most adults over forty years of age.",
        "Knots are said to cause pain that spreads to other areas of the body.",
    ]


def test_grade_separates_plain_from_dense_text():
    easy = "The cat sat on the mat. It was warm. The sun was out. We went home."
    hard = ("Myofascial pain syndrome constitutes a heterogeneous musculoskeletal condition characterised by "
            "hypersensitive intramuscular nodules, electrophysiological abnormalities and referred nociception.")
    assert quality.fk_grade(easy) < 4 < 8 < quality.fk_grade(hard)


def test_shared_phrases_find_eight_word_copies():
    seed = quality.shingles("Trigger points are those tender lumps in your muscles that therapists find.")
    copied = "We know that trigger points are those tender lumps in your muscles, they say."
    own = "Trigger points are described as tender spots that a clinician may feel."
    assert quality.shared_phrases(copied, seed) == [
        "points are those tender lumps in your muscles",
        "trigger points are those tender lumps in your",
    ]
    assert quality.shared_phrases(own, seed) == []


def test_hashed_check_finds_copies_without_the_text():
    seed = quality.shingles("Trigger points are those tender lumps in your muscles that therapists find.")
    hashes = {quality.shingle_hash(s) for s in seed}
    assert quality.hashed_shared_phrases("so trigger points are those tender lumps in your muscles", hashes)
    assert quality.hashed_shared_phrases("Trigger points are described as tender spots.", hashes) == []


def test_effect_claims_citing_a_source_with_findings_need_a_marker():
    sources = {"smith2020knots"}
    body = ("Intro line.\n\nNeedling eased neck pain in trials [@smith2020knots].\n\n"
            "Needling may ease neck pain [[finding: nd-pain-short | certainty]] [@smith2020knots].\n\n"
            "A review of many kinds of care [@smith2020knots].\n\n"
            "Heat helped back pain [@other2020].\n\n"
            "<!-- effect-claim-ok: a question, not a claim -->\nDoes needling help more than waiting [@smith2020knots]?\n\n"
            "Part of any gain may come from expecting help or getting care; nobody has worked out the dose [@smith2020knots].\n")
    hits = quality.unmarked_effect_claims(body, sources, line_offset=10)
    assert hits == [(13, "Needling eased neck pain in trials [@smith2020knots].")]
