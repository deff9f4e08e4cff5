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


# What reference managers write around entries: a @comment holding braces and even an entry,
# '%' lines (one with an e-mail address: its '@' starts no entry), JabRef's meta comment.
def test_comment_blocks_with_braces_and_percent_lines_are_skipped():
    text = ("% Exported by a reference manager; questions to editor@example.org\n"
            "@Comment{ old entry, kept for the record: @article{old, title = {{Nested} braces}} }\n"
            "%% @article{commented, title={out}}\n"
            "@article{k, title = {T}, % a note on the title\n year = 2020}\n"
            "@comment{jabref-meta: databaseType:bibtex;}\n")
    (entry,) = read(text)
    assert (entry.key, entry.line, entry.fields) == ("k", 4, {"title": "T", "year": "2020"})


# @string macros, as reference managers write them: any case, quotes or braces, a macro made of
# macros, concatenation with '#', and the predefined months.
def test_string_macros_expand_with_concatenation():
    text = ('@string{jama = "JAMA"}\n@STRING(Netw = {Netw})\n@string{jno = jama # " " # netw # { Open}}\n'
            '@article{a,\n  journal = jama # " Netw Open",\n  j2 = JAMA,\n  j3 = jno,\n  month = mar\n}\n')
    (e,) = read(text)
    assert e.line == 4
    assert e.fields == {"journal": "JAMA Netw Open", "j2": "JAMA", "j3": "JAMA Netw Open", "month": "3"}


@pytest.mark.parametrize(
    "text,line,words",
    [
        ("@article{a,\n title = {x},\n year = {2020}\n\n@article{b, title={y}}\n", 5, "'a' (line 1) is not closed"),
        ("@article{a,\n title = {x,\n year = 2020\n", 2, "unclosed '{' (opened on line 2)"),
        ("@article{a,\n title = {x}\n year = {2020}}\n", 3, "expected ',' or '}'"),
        ("@article{a,\n title {x}}\n", 2, "expected '='"),
        ("@article{a,\n title = {x},\n title = {y}}\n", 3, "appears twice"),
        ("@string{foo\n {bar}}\n", 2, "expected '=' after @string macro 'foo'"),
        ("@string{foo = {bar}\n@article{a, title={x}}\n", 2,
         "expected '}' after the value of @string macro 'foo' (line 1)"),
        ("\n@string{foo = {bar}\n\n", 4, "expected '}' after the value of @string macro 'foo' (line 2)"),
        ("@string{foo = {bar\n", 1, "unclosed '{' (opened on line 1)"),
    ],
)
def test_syntax_errors_name_the_line(text, line, words):
    with pytest.raises(BibSyntaxError) as info:
        read(text)
    assert info.value.line == line and words in info.value.message and info.value.hint is None


# An unknown macro (a bare word that is not a number) or a macro defined twice: the reader knows
# the fix, and says it.
@pytest.mark.parametrize(
    "text,line,message,hint",
    [
        ("@article{a,\n  title = {T},\n  journal = xyz\n}\n", 3, "unknown @string macro 'xyz'",
         "define it with @string{xyz = {...}} or write the value in braces"),
        ('@string{j = "J"}\n@article{a,\n  journal = j # " " # Jx}\n', 3, "unknown @string macro 'Jx'",
         "define it with @string{Jx = {...}} or write the value in braces"),
        ("@string{a = b}\n", 1, "unknown @string macro 'b'",
         "define it with @string{b = {...}} or write the value in braces"),
        ('@string{jama = "JAMA"}\n\n@String{JAMA = {J}}\n', 3,
         "@string macro 'JAMA' is defined twice (first on line 1)", "keep one definition"),
    ],
)
def test_unknown_or_twice_defined_macros_name_the_line_and_the_fix(text, line, message, hint):
    with pytest.raises(BibSyntaxError) as info:
        read(text)
    assert (info.value.line, info.value.message, info.value.hint) == (line, message, hint)


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
        (r"M{\"u}ller and S{\o}ren and S\o ren and {\O}ystein", "Müller and Søren and Søren and Øystein"),
        (r"\v{C}ech {\ss} \L{}\'od\'z \aa{}ngstr\"om {\AE}sop \oe{}uvre", "Čech ß Łódź ångström Æsop œuvre"),
        (r"\H{o} \k{a} \.{z} \r{u} \u{a} \c S \d{a} \b{b} \'{\i} \"\i", "ő ą ż ů ă Ş ạ ḇ í ï"),
        ("pages 100--110, a---b", "pages 100--110, a—b"),  # "--" is left to the renderers (pages)
        (r"\textless{}script\textgreater{}", "<script>"),  # decoded, so the markup check sees it
        ("50% of {patients}", "50% of patients"),  # a bare '%' is text, not a LaTeX comment
    ],
)
def test_latex_to_plain_text(latex, text):
    assert _plain(latex) == text


# A bare word is an @string macro to BibTeX (and to pybtex, which then fails with a traceback):
# numbers, the months and the file's own macros may go without braces.
def test_bare_words_are_numbers_months_or_macros():
    entries = read("@article{a,\n  year = 2020,\n  month = jan\n}\n")
    assert entries[0].fields == {"year": "2020", "month": "1"}
    with pytest.raises(BibSyntaxError) as exc:
        read("@article{a,\n  author = noquotes\n}\n")
    assert exc.value.line == 2 and exc.value.message == "unknown @string macro 'noquotes'"


# Macros belong to the text they are defined in (one bib file): another file must define its own.
def test_macros_do_not_leak_between_files():
    assert read('@string{j = "J"}\n@article{a, journal = j}\n')[0].fields == {"journal": "J"}
    with pytest.raises(BibSyntaxError):
        read("@article{a, journal = j}\n")
