"""The merge itself, in the steps it takes: copy each part's objects renumbered, then write what is global."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from pathlib import Path

from .source import PdfFormatError, SourcePdf, _dict_value, _ref
from .writer import Destination, OutlineItem, Writer, pdf_string, write_outline

REF = re.compile(rb"\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f\s]*>|(\d+) 0 R", re.DOTALL)
STRUCT_PARENTS = re.compile(rb"/StructParents (\d+)")
STRUCT_PARENT = re.compile(rb"/StructParent (\d+)")
PARENT = re.compile(rb"/Parent (\d+) 0 R")
CONTENTS = re.compile(rb"/Contents (\d+) 0 R")
RESOURCES = re.compile(rb"/Resources (\d+) 0 R")
FONT_REF = re.compile(rb"/Font (\d+) 0 R")
MEDIABOX = re.compile(rb"/MediaBox \[\s*([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)\s*\]")
PAGES_PER_NODE = 64
PARENT_TREE_LEAF = 128
FOOTER_FONT_NAME = b"/LublinFooter"
OBJECT_SEPARATOR = b"\nendobj\x00\x01\n"
A4_WIDTH = 595.28


def merge(
    parts: list[Path],
    output: Path,
    *,
    footer: Callable[[int, int], str] | None = None,
    footer_font: Path | None = None,
    skip_footer_pages: int = 1,
    destinations: list[Destination] = (),
    outline: list[OutlineItem] = (),
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write `parts` (WeasyPrint PDFs, tagged) as one PDF at `output`; returns the number of pages.

    The catalogue's language, metadata (XMP, with the PDF/UA identification) and document information
    (title) are those of the first part.
    """
    from ..footer import FooterFont

    sources = [SourcePdf(path) for path in parts]
    total_pages = sum(len(source.page_numbers) for source in sources)
    if total_pages == 0:
        raise PdfFormatError("nothing to merge")
    font = FooterFont(footer_font, footer(total_pages, total_pages) + "0123456789") if footer else None
    identifier = zlib.crc32(b"".join(str(p).encode() for p in parts)).to_bytes(4, "big").hex().encode() * 4
    with open(output, "wb") as fileobj:
        merger = _Merger(Writer(fileobj), total_pages, footer=footer, font=font, skip_footer_pages=skip_footer_pages)
        for part_index, source in enumerate(sources):
            merger.copy_part(part_index, source)
            if progress:
                progress(part_index + 1, len(sources))
        merger.write_annotation_keys()
        merger.write_page_tree()
        merger.write_structure_tree()
        merger.write_catalog(destinations=destinations, outline=outline, lang=sources[0].lang or b"pl")
        merger.writer.close(root=merger.catalog, info=merger.info_number, identifier=identifier)
    return total_pages


class _Merger:
    """What the merge keeps across parts: the global objects reserved up front, the page references, the
    document's structure kids and the /ParentTree entries, renumbered as each part is copied."""

    def __init__(self, writer: Writer, total_pages: int, *, footer, font, skip_footer_pages: int):
        self.writer = writer
        self.total_pages = total_pages
        self.footer = footer
        self.font = font
        self.skip_footer_pages = skip_footer_pages
        self.catalog = writer.reserve()
        self.struct_root = writer.reserve()
        self.document = writer.reserve()
        node_count = max(1, -(-total_pages // PAGES_PER_NODE))
        self.pages_root = writer.reserve()
        self.page_nodes = [writer.reserve() for _ in range(node_count)] if node_count > 1 else [self.pages_root]
        self.q_stream = writer.reserve()  # "q": saves the graphics state before a page's own content
        writer.stream(self.q_stream, b"<<>>", b"q")
        self.font_ref = font.write(writer) if font else None
        self.page_refs: list[int] = []
        self.document_kids: list[int] = []
        self.parent_leaves: list[tuple[int, int, int]] = []  # (object, first key, last key)
        self.leaf_entries: list[bytes] = []
        self.leaf_first = 0
        self.annotation_entries: list[tuple[int, int]] = []  # (new key, element)
        self.next_annotation_key = total_pages
        self.page_offset = 0
        self.info_number: int | None = None
        self.metadata_number: int | None = None

    # --- one part ----------------------------------------------------------------------------------

    def copy_part(self, part_index: int, source: SourcePdf) -> None:
        base = self.writer.reserve(source.size) - 1  # old number n becomes base + n
        skip = self._objects_not_copied(part_index, source, base)
        renumber = _renumberer(base, {source.doc_elem: self.document} if source.doc_elem is not None else {})
        nums = source.parent_tree_nums()
        page_keys, annotation_keys = self._struct_parent_keys(source, nums, base)
        font_dicts = self._font_dictionaries(source) if self.font else set()
        page_set = {number: index for index, number in enumerate(source.page_numbers)}
        plain: list[tuple[int, bytes]] = []
        for number in source.numbers():
            if number in skip:
                continue
            new = base + number
            if source.entries[number][0] == 2 and number not in page_set and number not in font_dicts:
                plain.append((new, source.body(number)))  # renumbered all at once below
            elif source.is_stream(number):
                header, data = source.stream(number)
                self.writer.stream(new, renumber(header), data)
            elif number in page_set:
                self._copy_page(source, number, new, page_set[number], page_keys, renumber)
            else:
                body = source.body(number)
                if annotation_keys:
                    body = _renumber_struct_parent(body, annotation_keys)
                body = renumber(body)
                if number in font_dicts:
                    body = body.replace(b"<<", b"<<" + FOOTER_FONT_NAME + b" %d 0 R" % self.font_ref, 1)
                self.writer.object(new, body)
        self._copy_plain_objects(plain, renumber, annotation_keys)
        self._collect_structure(source, base, nums, page_keys)
        self.page_offset += len(source.page_numbers)
        source.release()

    def _objects_not_copied(self, part_index: int, source: SourcePdf, base: int) -> set[int]:
        """What each part has of its own and the merge rebuilds once: catalogue, page and structure
        roots, the parent tree, the outline, and (but for the first part) the metadata and info."""
        skip = {source.root, source.pages_root, source.struct_root, source.doc_elem, source.parent_tree}
        skip |= {source.info, source.xref_number} | source.objstm_numbers
        if source.outlines is not None:
            skip |= _outline_objects(source, source.outlines)
        if part_index == 0:
            self.metadata_number = base + source.metadata if source.metadata else None
            self.info_number = base + source.info if source.info else None
            if source.info:
                skip.discard(source.info)
        else:
            skip.add(source.metadata)
        skip.discard(None)
        return skip

    def _struct_parent_keys(self, source: SourcePdf, nums, base: int) -> tuple[dict[int, int], dict[int, int]]:
        """Part keys of the parent tree to global ones: pages by their global number, annotations after
        every page of the document."""
        page_keys, annotation_keys = {}, {}
        part_pages = len(source.page_numbers)
        for key, value in nums:
            if key < part_pages:
                page_keys[key] = self.page_offset + key
            else:
                annotation_keys[key] = self.next_annotation_key
                self.annotation_entries.append(
                    (self.next_annotation_key, base + value if isinstance(value, int) else 0)
                )
                self.next_annotation_key += 1
        return page_keys, annotation_keys

    def _font_dictionaries(self, source: SourcePdf) -> set[int]:
        """The font dictionaries of the part's pages, which gain the footer's font."""
        found = set()
        for number in source.page_numbers:
            resources = RESOURCES.search(source.body(number))
            if resources:
                match = FONT_REF.search(source.body(int(resources.group(1))))
                if match:
                    found.add(int(match.group(1)))
        return found

    def _copy_page(self, source: SourcePdf, number: int, new: int, index_in_part: int, page_keys, renumber) -> None:
        index = self.page_offset + index_in_part
        body = STRUCT_PARENTS.sub(b"/StructParents %d" % page_keys.get(index_in_part, index), source.body(number))
        body = PARENT.sub(b"/Parent %d 0 R" % self.page_nodes[index // PAGES_PER_NODE], renumber(body), count=1)
        if self.font and index >= self.skip_footer_pages:
            body = self._with_footer(body, index)
        self.page_refs.append(new)
        self.writer.object(new, body)

    def _with_footer(self, page: bytes, index: int) -> bytes:
        """The page's content wrapped in q … Q by the footer stream, which draws "page X of Y"."""
        footer_number = self.writer.reserve()
        box = MEDIABOX.search(page)
        width = float(box.group(3)) - float(box.group(1)) if box else A4_WIDTH
        self.writer.stream(footer_number, b"<<>>", self.font.content(self.footer(index + 1, self.total_pages), width))
        return CONTENTS.sub(
            lambda m: b"/Contents [%d 0 R %s 0 R %d 0 R]" % (self.q_stream, m.group(1), footer_number), page
        )

    def _copy_plain_objects(self, plain: list[tuple[int, bytes]], renumber, annotation_keys) -> None:
        """The bulk of a part (structure elements, annotations, font dictionaries) is renumbered in one
        pass over the joined bodies; a separator swallowed by a string falls back to one by one."""
        bodies = [body for _number, body in plain]
        joined = renumber(OBJECT_SEPARATOR.join(bodies))
        if annotation_keys:
            joined = _renumber_struct_parent(joined, annotation_keys)
        renumbered = joined.split(OBJECT_SEPARATOR)
        if len(renumbered) != len(bodies):
            renumbered = [renumber(body) for body in bodies]
            if annotation_keys:
                renumbered = [_renumber_struct_parent(body, annotation_keys) for body in renumbered]
        for (new, _body), body in zip(plain, renumbered, strict=True):
            self.writer.object(new, body)

    def _collect_structure(self, source: SourcePdf, base: int, nums, page_keys) -> None:
        """The part's top-level structure elements join the document's; its pages' parent-tree entries are
        written in leaves of PARENT_TREE_LEAF keys."""
        if source.doc_elem is not None:
            kids = re.search(rb"/K \[([^\]]*)\]", source.body(source.doc_elem))
            if kids:
                self.document_kids.extend(base + int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1)))
        part_pages = len(source.page_numbers)
        for key, value in nums:
            if key >= part_pages:
                continue
            if not self.leaf_entries:
                self.leaf_first = page_keys[key]
            refs = b" ".join(b"%d 0 R" % (base + n) for n in value)
            self.leaf_entries.append(b"%d [%s]" % (page_keys[key], refs))
            if len(self.leaf_entries) >= PARENT_TREE_LEAF:
                self._flush_leaf(page_keys[key])
        if self.leaf_entries:
            self._flush_leaf(self.page_offset + part_pages - 1)

    def _flush_leaf(self, last_key: int) -> None:
        number = self.writer.reserve()
        self.writer.object(
            number, b"<</Limits [%d %d]/Nums [%s]>>" % (self.leaf_first, last_key, b" ".join(self.leaf_entries))
        )
        self.parent_leaves.append((number, self.leaf_first, last_key))
        self.leaf_entries = []

    # --- what is global ----------------------------------------------------------------------------

    def write_annotation_keys(self) -> None:
        if not self.annotation_entries:
            return
        first, last = self.annotation_entries[0][0], self.annotation_entries[-1][0]
        number = self.writer.reserve()
        entries = b" ".join(b"%d %d 0 R" % (key, element) for key, element in self.annotation_entries)
        self.writer.object(number, b"<</Limits [%d %d]/Nums [%s]>>" % (first, last, entries))
        self.parent_leaves.append((number, first, last))

    def write_page_tree(self) -> None:
        """A balanced page tree: PAGES_PER_NODE pages under each node (one node for a short document)."""
        refs = self.page_refs
        if len(self.page_nodes) == 1:
            kids = b" ".join(b"%d 0 R" % k for k in refs)
            self.writer.object(self.pages_root, b"<</Type /Pages/Kids [%s]/Count %d>>" % (kids, len(refs)))
            return
        for i, node in enumerate(self.page_nodes):
            kids = refs[i * PAGES_PER_NODE : (i + 1) * PAGES_PER_NODE]
            self.writer.object(
                node,
                b"<</Type /Pages/Parent %d 0 R/Kids [%s]/Count %d>>"
                % (self.pages_root, b" ".join(b"%d 0 R" % k for k in kids), len(kids)),
            )
        nodes = b" ".join(b"%d 0 R" % n for n in self.page_nodes)
        self.writer.object(self.pages_root, b"<</Type /Pages/Kids [%s]/Count %d>>" % (nodes, len(refs)))

    def write_structure_tree(self) -> None:
        """One /Document element holding every part's elements, and the parent tree of global keys."""
        parent_tree = self.writer.reserve()
        leaves = b" ".join(b"%d 0 R" % leaf for leaf, _, _ in self.parent_leaves)
        self.writer.object(parent_tree, b"<</Kids [%s]>>" % leaves)
        self.writer.object(
            self.document,
            b"<</Type /StructElem/S /Document/P %d 0 R/K [%s]>>"
            % (self.struct_root, b" ".join(b"%d 0 R" % k for k in self.document_kids)),
        )
        self.writer.object(
            self.struct_root,
            b"<</Type /StructTreeRoot/K [%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d>>"
            % (self.document, parent_tree, self.next_annotation_key),
        )

    def write_catalog(self, *, destinations: list[Destination], outline: list[OutlineItem], lang: bytes) -> None:
        extra = b""
        if destinations:
            extra += b"/Names <</Dests %d 0 R>>" % self._write_destinations(destinations)
        if outline:
            extra += b"/Outlines %d 0 R/PageMode /UseOutlines" % write_outline(self.writer, outline, self.page_refs)
        if self.metadata_number:
            extra += b"/Metadata %d 0 R" % self.metadata_number
        self.writer.object(
            self.catalog,
            b"<</Type /Catalog/Pages %d 0 R/StructTreeRoot %d 0 R/MarkInfo <</Marked true>>"
            b"/ViewerPreferences <</DisplayDocTitle true>>/Lang (%s)%s>>"
            % (self.pages_root, self.struct_root, lang, extra),
        )

    def _write_destinations(self, destinations: list[Destination]) -> int:
        """Named destinations, sorted as a name tree must be."""
        entries = []
        for destination in sorted(destinations, key=lambda d: d.name.encode("utf-8")):
            if 0 <= destination.page < len(self.page_refs):
                entries.append(
                    b"%s [%d 0 R /XYZ %.2f %.2f 0]"
                    % (
                        pdf_string(destination.name),
                        self.page_refs[destination.page],
                        destination.left,
                        destination.top,
                    )
                )
        number = self.writer.reserve()
        self.writer.object(number, b"<</Names [%s]>>" % b" ".join(entries))
        return number


def _renumberer(base: int, special: dict[int, int]) -> Callable[[bytes], bytes]:
    """Object n of a part becomes base + n (or its replacement); strings are left alone."""

    def replace(match: re.Match) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        old = int(match.group(1))
        return b"%d 0 R" % special.get(old, base + old)

    def renumber(data: bytes) -> bytes:
        return REF.sub(replace, data)

    return renumber


def _renumber_struct_parent(body: bytes, keys: dict[int, int]) -> bytes:
    return STRUCT_PARENT.sub(lambda m: b"/StructParent %d" % keys.get(int(m.group(1)), int(m.group(1))), body)


def _outline_objects(source: SourcePdf, root: int) -> set[int]:
    found = {root}
    pending = [root]
    while pending:
        body = source.body(pending.pop())
        for key in (b"First", b"Next"):
            number = _ref(_dict_value(body, key))
            if number is not None and number not in found:
                found.add(number)
                pending.append(number)
    return found
