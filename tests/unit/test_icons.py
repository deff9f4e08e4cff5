"""Icon arrays (issue 23): the right number of filled and outlined squares, a text alternative
that reads the numbers, and no script."""

import re

import pytest

from tpguide.evidence import icons


def test_a_grid_of_100_fills_n_and_outlines_the_rest():
    svg = icons.grid(9, label="9 out of 100 with the gel", ident="g")
    assert svg.count('class="tpg-icons__hit"') == 9 and svg.count('class="tpg-icons__miss"') == 91
    assert '<title id="g-t">9 out of 100 with the gel</title>' in svg and 'aria-labelledby="g-t"' in svg
    assert "<script" not in svg and not re.search(r"\son\w+=", svg)


def test_a_grid_of_1000_for_rare_events():
    svg = icons.grid(3, 1000, label="3 out of 1,000", ident="r")
    assert svg.count("tpg-icons__hit") == 3 and svg.count("tpg-icons__miss") == 997
    with pytest.raises(ValueError):
        icons.grid(3, 50, label="x", ident="x")


def test_compare_reads_both_numbers_in_words():
    fig = icons.compare(event="had a side effect", option="the gel", option_rate=4.6, comparison="a placebo gel",
                        comparison_rate=5.0, time_frame="over about 1 week", ident="gel-harms")
    assert ("Out of 100 people like those in the studies (over about 1 week): 5 had a side effect with the gel, "
            "and 5 with a placebo gel.") in fig
    assert fig.count("<svg") == 2 and "filled: had a side effect" in fig and "outline: did not" in fig
    per1000 = icons.compare(event="had a side effect", option="tablets", option_rate=95, comparison="placebo",
                            comparison_rate=111, per=1000, time_frame="the trials", ident="t")
    assert "95 had a side effect with tablets, and 111 with placebo" in per1000
