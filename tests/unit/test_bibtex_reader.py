import pytest

from tpguide.bib import _person, _plain
from tpguide.bibtex_reader import BibSyntaxError, name_parts, read, split_names


def test_reads_braces_quotes_numbers_macros_and_concatenation():
    (e,) = read('% a comment\n@Article{k1,\n  title = {A {nested} title},\n  journal = "J " # {X},\n'
                '  year = 2020, month = feb,\n}\n')
    assert (e.type, e.key, e.line) == ("article", "k1", 2)
    assert e.fields == {"title": "A {nested} title", "journal": "J X", "year": "2020", "month": "2"}


def test_skips_comment_and_preamble_blocks_and_keeps_lines():
    entries = read('@comment{ anything {here} }\n@preamble{"x"}\n\n@book{b, title={T}}\n@misc(c, title={U})\n')
    assert [(e.key, e.line) for e in entries] == [("b", 4), ("c", 5)]


@pytest.mark.parametrize(
    "text,line,words",
    [
        ("@article{a,\n title = {x},\n year = {2020}\n\n@article{b, title={y}}\n", 5, "'a' (line 1) is not closed"),
        ("@article{a,\n title = {x,\n year = 2020\n", 2, "unclosed '{' (opened on line 2)"),
        ("@article{a,\n title = {x}\n year = {2020}}\n", 3, "expected ',' or '}'"),
        ("@article{a,\n title {x}}\n", 2, "expected '='"),
        ("@article{a,\n title = {x},\n title = {y}}\n", 3, "appears twice"),
        ("@string{foo = {bar}}\n", 1, "@string macros are not supported"),
    ],
)
def test_syntax_errors_name_the_line(text, line, words):
    with pytest.raises(BibSyntaxError) as info:
        read(text)
    assert info.value.line == line and words in info.value.message


def test_names():
    assert split_names("Smith, Anna and {Cochrane Collaboration} and others") == [
        "Smith, Anna", "{Cochrane Collaboration}", "others"]
    assert name_parts("de Gast, Arthur") == ("de Gast", ["Arthur"])
    assert name_parts("Carel Bron") == ("Bron", ["Carel"])
    assert name_parts("Ludwig van Beethoven") == ("van Beethoven", ["Ludwig"])
    assert _person("{Fernández de las Peñas}, César") == "Fernández de las Peñas C"
    assert _person("Oostendorp, Rob A. B.") == "Oostendorp RAB"
    assert _person("others") == "et al."


@pytest.mark.parametrize(
    "latex,text",
    [
        (r"Journal of Manual \& Manipulative Therapy", "Journal of Manual & Manipulative Therapy"),
        (r"Hakg{\"u}der", "Hakgüder"),
        (r"Mu\~{n}oz \c{c}a", "Muñoz ça"),
        (r"Jos\'e", "José"),
        (r"An {in vivo} \textit{study}", "An in vivo study"),
        ("a~b", "a b"),
    ],
)
def test_latex_to_plain_text(latex, text):
    assert _plain(latex) == text


# A bare word is an @string macro to BibTeX (and to pybtex, which then fails with a traceback):
# only numbers and month names may go without braces.
def test_bare_words_other_than_numbers_and_months_are_syntax_errors():
    entries = read("@article{a,\n  year = 2020,\n  month = jan\n}\n")
    assert entries[0].fields == {"year": "2020", "month": "1"}
    with pytest.raises(BibSyntaxError) as exc:
        read("@article{a,\n  author = noquotes\n}\n")
    assert exc.value.line == 2 and "bare word 'noquotes'" in exc.value.message
