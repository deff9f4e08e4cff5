from tpguide import feeds


def test_discovery_links_are_relative_to_the_page_and_at_the_root():
    links = feeds.discovery_links("../../", "Site")
    assert 'type="application/rss+xml"' in links and 'href="../../feed-news.rss.xml"' in links
    assert 'href="../../feed-updates.atom.xml"' in links
    # the feeds sit at the root, where subscribers found them
    assert all("/" not in paths[fmt] for paths in feeds.FEEDS.values() for fmt in ("rss", "atom", "json"))
