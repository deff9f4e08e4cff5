"""tpguide.loading: which script tags get ``defer``."""

import pytest

from tpguide.loading import defer_scripts


@pytest.mark.parametrize("tag,expected", [
    ('<script src="a.js"></script>', '<script src="a.js" defer></script>'),
    ('<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>',
     '<script src="../assets/javascripts/bundle.a5f9d56c.min.js" defer></script>'),
    ('<script src="a.js" type="text/javascript"></script>', '<script src="a.js" type="text/javascript" defer></script>'),
    # "defer" or "async" in the URL is not an attribute
    ('<script src="defer-async.js"></script>', '<script src="defer-async.js" defer></script>'),
])
def test_classic_external_scripts_are_deferred(tag, expected):
    assert defer_scripts(tag) == expected


@pytest.mark.parametrize("tag", [
    '<script src="a.js" defer></script>',
    '<script defer src="a.js"></script>',
    '<script src="a.js" async></script>',
    '<script type="module" src="m.js"></script>',
    '<script nomodule src="legacy.js"></script>',
    '<script>var palette = 1</script>',
    '<script id="__config" type="application/json">{"src": "x"}</script>',
    '<script type="application/ld+json">{}</script>',
])
def test_other_scripts_are_left_alone(tag):
    assert defer_scripts(tag) == tag


def test_every_external_script_of_a_page_and_nothing_else():
    page = ('<p>Text</p><script src="b.js"></script><script>inline()</script>'
            '<script src="c.js"></script>')
    assert defer_scripts(page) == ('<p>Text</p><script src="b.js" defer></script><script>inline()</script>'
                                   '<script src="c.js" defer></script>')
