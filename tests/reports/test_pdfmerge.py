"""The byte-level merger keeps what a tagged PDF needs: structure tree, parent tree, links, outline."""

import re

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject

from reports import pdfmerge, rendering

CSS = f"""
@font-face {{ font-family: R; src: url("{rendering.FONT_REGULAR.as_uri()}"); }}
@page {{ size: A4; margin: 20mm; }}
html {{ font-family: R; font-size: 11pt; }}
h2 {{ break-before: page; }}
"""


def html(body: str, title: str = "Raport próbny") -> str:
    return f'<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>{title}</title><style>{CSS}</style></head><body>{body}</body></html>'


@pytest.fixture
def parts(tmp_path):
    front = html('<h1 id="top">Okładka</h1><p><a href="#sec-b">Do części B</a></p><p id="sec-b">cel</p>')
    part_a = html('<h2 id="sec-a">Część A</h2><p>Zażółć gęślą jaźń.</p><h2 id="sec-a2">A2</h2><p>Łódź.</p>')
    part_b = html('<h2 id="sec-b">Część B</h2>' + "<p>Źdźbło trawy i pszczoła.</p>" * 80)
    paths = []
    anchors = {}
    for name, source in (("front", front), ("a", part_a), ("b", part_b)):
        path = tmp_path / f"{name}.pdf"
        rendered = rendering.render_html(source, path)
        paths.append(path)
        anchors[name] = rendered
    return paths, anchors


def merged(tmp_path, parts, **kwargs):
    paths, anchors = parts
    offsets, page = {}, 0
    for name, _path in zip(("front", "a", "b"), paths, strict=True):
        offsets[name] = page
        page += anchors[name].pages
    destinations = [
        pdfmerge.Destination(anchor, offsets[name] + p, left, top)
        for name in ("a", "b")
        for anchor, (p, left, top) in anchors[name].anchors.items()
    ]
    outline = [
        pdfmerge.OutlineItem("Część A", offsets["a"], 800, [pdfmerge.OutlineItem("A2", offsets["a"] + 1, 800)]),
        pdfmerge.OutlineItem("Część B", offsets["b"], 800),
    ]
    output = tmp_path / "merged.pdf"
    pages = pdfmerge.merge(
        paths,
        output,
        footer=lambda p, n: f"strona {p} z {n}",
        footer_font=rendering.FONT_REGULAR,
        destinations=destinations,
        outline=outline,
        **kwargs,
    )
    return output, pages, offsets


def test_pages_text_and_footers(tmp_path, parts):
    output, pages, offsets = merged(tmp_path, parts)
    reader = PdfReader(output)
    assert len(reader.pages) == pages == sum(r.pages for r in parts[1].values())
    texts = [page.extract_text() for page in reader.pages]
    assert "Okładka" in texts[0]
    assert "strona" not in texts[0]  # no footer on the cover
    assert "Zażółć gęślą jaźń." in texts[offsets["a"]]
    assert "Łódź." in texts[offsets["a"] + 1]
    for number, text in enumerate(texts[1:], start=2):
        assert text.rstrip().endswith(f"strona {number} z {pages}")


def test_catalogue_language_metadata_and_title(tmp_path, parts):
    output, _pages, _offsets = merged(tmp_path, parts)
    reader = PdfReader(output)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "pl"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == "Raport próbny"
    assert b"pdfuaid" in root["/Metadata"].get_data()


def _parent_tree(reader) -> dict[int, object]:
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]
    entries = {}
    pending = [tree]
    while pending:
        node = pending.pop().get_object()
        if "/Kids" in node:
            pending.extend(node["/Kids"])
        nums = node.get("/Nums", [])
        for i in range(0, len(nums), 2):
            entries[int(nums[i])] = nums[i + 1]
    return entries


def test_structure_tree_is_one_document_with_every_part(tmp_path, parts):
    output, pages, _offsets = merged(tmp_path, parts)
    reader = PdfReader(output)
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    (document,) = [kid.get_object() for kid in root["/K"]]
    assert document["/S"] == "/Document"
    kids = [kid.get_object() for kid in document["/K"]]
    tags = {kid["/S"] for kid in kids}
    assert {"/H1", "/H2", "/P"} <= tags | {
        grandchild.get_object()["/S"]
        for kid in kids
        for grandchild in kid.get("/K", [])
        if isinstance(grandchild, IndirectObject)
    }
    for kid in kids:
        assert kid["/P"].get_object() == document
    parent_tree = _parent_tree(reader)
    page_refs = [page.indirect_reference.idnum for page in reader.pages]
    for index, page in enumerate(reader.pages):
        assert page["/StructParents"] == index
        content = (
            b"".join(stream.get_object().get_data() for stream in page["/Contents"])
            if isinstance(page["/Contents"], list)
            else page["/Contents"].get_data()
        )
        mcids = [int(n) for n in re.findall(rb"/MCID (\d+)", content)]
        assert mcids, f"page {index + 1} has no tagged content"
        array = parent_tree[index]
        for mcid in mcids:
            element = array[mcid].get_object()
            assert element["/Type"] == "/StructElem"
            assert element.raw_get("/Pg").idnum == page_refs[index]
    assert reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTreeNextKey"] >= pages


def test_footers_are_pagination_artifacts(tmp_path, parts):
    output, _pages, _offsets = merged(tmp_path, parts)
    page = PdfReader(output).pages[1]
    footer = page["/Contents"][-1].get_object().get_data()
    assert footer.startswith(b"Q\n/Artifact <</Type /Pagination/Subtype /Footer>> BDC")
    assert footer.rstrip().endswith(b"EMC")
    assert "/LublinFooter" in page["/Resources"]["/Font"]


def test_links_destinations_and_outline(tmp_path, parts):
    output, _pages, offsets = merged(tmp_path, parts)
    reader = PdfReader(output)
    destinations = reader.named_destinations
    assert reader.get_destination_page_number(destinations["sec-b"]) == offsets["b"]
    assert reader.get_destination_page_number(destinations["sec-a2"]) == offsets["a"] + 1
    # The cover's link to "sec-b" now lands on part B, and stays tagged (its key is in the parent tree).
    (annotation,) = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert annotation["/Dest"] == "sec-b"
    assert annotation["/StructParent"] in _parent_tree(reader)
    titles = [
        (item.title, reader.get_destination_page_number(item)) for item in reader.outline if not isinstance(item, list)
    ]
    assert titles == [("Część A", offsets["a"]), ("Część B", offsets["b"])]


def test_progress_callback_and_no_footer_option(tmp_path, parts):
    calls = []
    output, pages, _offsets = merged(tmp_path, parts, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    plain = tmp_path / "plain.pdf"
    pdfmerge.merge(parts[0], plain)
    assert "strona" not in PdfReader(plain).pages[1].extract_text()


def test_a_pdf_not_written_by_weasyprint_is_refused(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    other = tmp_path / "other.pdf"
    with other.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(pdfmerge.PdfFormatError):
        pdfmerge.merge([other], tmp_path / "out.pdf")
