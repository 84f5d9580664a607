"""The Markdown subset of blocks: what renders, what is refused, what Word's paste becomes."""

from strategy import markup


def test_the_subset_renders():
    rendered = markup.render("**Ważne** i *pochyłe*, [link](https://lublin.eu).\n\n- a\n- b\n\n1. jeden\n2. dwa")
    assert "<strong>Ważne</strong>" in rendered.html
    assert "<em>pochyłe</em>" in rendered.html
    assert '<a href="https://lublin.eu" rel="noopener noreferrer">link</a>' in rendered.html
    assert "<ul>" in rendered.html
    assert "<ol>" in rendered.html
    assert rendered.plain == "Ważne i pochyłe, link. a b jeden dwa"


def test_syntax_outside_the_subset_stays_text():
    rendered = markup.render("# Nagłówek\n\n> cytat\n\n`kod`\n\n![obraz](https://example.org/x.png)")
    assert "<h1>" not in rendered.html
    assert "<blockquote>" not in rendered.html
    assert "<code>" not in rendered.html
    assert "<img" not in rendered.html


def test_raw_html_never_renders_even_unchecked():
    rendered = markup.render(
        '<script>alert(1)</script> <a href="javascript:x" onclick="y">z</a> <p style="color:red">s</p>'
    )
    assert "<script" not in rendered.html
    assert "<a " not in rendered.html  # the raw link stays text: no tag, so no onclick or javascript: attribute
    assert "<p style" not in rendered.html
    assert "&lt;script&gt;" in rendered.html


def test_tables_are_accessible_and_scroll_on_phones():
    rendered = markup.render("| Rok | Wartość |\n|---:|---|\n| 2019 | 12,5 |")
    assert '<th scope="col">Rok</th>' in rendered.html
    assert "style" not in rendered.html  # the alignment style is dropped (strict CSP)
    assert rendered.html.startswith('<div class="table-scroll" tabindex="0"><table class="data-table">')
    assert rendered.kind == "table"


def test_problems_name_what_is_wrong():
    assert markup.problems("wartość < 5 i a<b oraz 3 > 2") == []
    assert markup.problems("[ok](https://lublin.eu) [mail](mailto:urzad@lublin.eu) [kotwica](#cele)") == []
    problems = markup.problems("<iframe src=x></iframe>")
    assert len(problems) == 1
    assert "<iframe src=x>" in problems[0]
    assert "vbscript:x" in markup.problems("[a](vbscript:x)")[0]


def test_word_paste_is_cleaned():
    pasted = "Punkty:\r\n\uf0b7\tpierwszy\r\no\tpodpunkt\r\n2)\tdrugi\r\n\u00a0tekst\u00ad z\u200bmiękkim"
    assert markup.clean(pasted) == "Punkty:\n- pierwszy\n- podpunkt\n2. drugi\n tekst zmiękkim"


def test_a_single_line_with_tabs_is_not_a_table():
    assert markup.clean("Nazwa\tWartość") == "Nazwa Wartość"
