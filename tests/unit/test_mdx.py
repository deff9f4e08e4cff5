import markdown


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["abbr", "md_in_html", "tpguide.mdx"])


def test_abbreviations_can_be_tapped_or_focused():
    out = convert("Pain fell (SMD).\n\n*[SMD]: Standardised mean difference\n")
    assert '<abbr tabindex="0" title="Standardised mean difference">SMD</abbr>' in out


def test_caption_in_a_markdown_table_is_not_wrapped_in_a_paragraph():
    out = convert('<table markdown="1">\n<caption>Cap</caption>\n<tbody markdown="1">\n<tr markdown="1"><td markdown="span">**x**</td></tr>\n</tbody>\n</table>\n')
    assert "<caption>Cap</caption>" in out and "<p><caption>" not in out and "<strong>x</strong>" in out
