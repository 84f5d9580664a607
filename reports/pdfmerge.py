"""Concatenate tagged PDFs written by WeasyPrint into one tagged PDF, fast and in bounded memory.

Why not pypdf: `PdfWriter.append` clones every object through Python dictionaries; on a 2,850-page
report with ~80 structure elements per page it took about 12 ms a page and kept the whole document in
memory, and it drops the structure tree (the tags) altogether.

This merger copies objects as bytes. It only understands what pydyf (WeasyPrint's PDF writer) emits:
a cross-reference stream, one object stream holding every non-stream object, streams with a direct
`/Length`. It renumbers references with one regular expression per object (literal and hex strings
are skipped so text is never touched), then rebuilds what must be global:

- the page tree (balanced, 64 pages per node) and the catalogue;
- the structure tree: one /Document element whose kids are every part's top-level elements in order,
  and a new /ParentTree whose page keys follow the global page numbers (each page's /StructParents is
  rewritten) and whose annotation keys come after them (each annotation's /StructParent is rewritten);
- named destinations (`/Dests`) pointing at global pages, for links from the table of contents;
- the outline (bookmarks), given by the caller with global page numbers;
- a footer "page X of Y" on every page but the first, drawn with an embedded subset of the shipped
  font and marked as a pagination artifact (ISO 32000 14.8.2.2), so it is not read as content.

What is lost compared with one WeasyPrint pass: each part embeds its own font subsets (a few tens of
KB per part) and the /IDTree is not rebuilt (WeasyPrint uses IDs only to tie table cells to their
headers, and tables only appear in the first part here). Everything is written as a PDF 1.7 file
with object streams and a cross-reference stream, like WeasyPrint's own output.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

REF = re.compile(rb"\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f\s]*>|(\d+) 0 R", re.DOTALL)
STRUCT_PARENTS = re.compile(rb"/StructParents (\d+)")
STRUCT_PARENT = re.compile(rb"/StructParent (\d+)")
PARENT = re.compile(rb"/Parent (\d+) 0 R")
CONTENTS = re.compile(rb"/Contents (\d+) 0 R")
RESOURCES = re.compile(rb"/Resources (\d+) 0 R")
FONT_REF = re.compile(rb"/Font (\d+) 0 R")
MEDIABOX = re.compile(rb"/MediaBox \[\s*([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)\s*\]")
INT_OR_REF = re.compile(rb"(\d+) 0 R|(\d+)|(\[)|(\])")
PAGES_PER_NODE = 64
PARENT_TREE_LEAF = 128
OBJECTS_PER_STREAM = 200
FOOTER_FONT_NAME = b"/LublinFooter"
OBJECT_SEPARATOR = b"\nendobj\x00\x01\n"


class PdfFormatError(ValueError):
    """The input is not a PDF written the way WeasyPrint (pydyf) writes them."""


def _dict_value(body: bytes, key: bytes) -> bytes | None:
    match = re.search(rb"/" + key + rb"[\s]*(\d+ 0 R|\[[^\]]*\]|/[^\s/<>\[\]()]+|\d+)", body)
    return match.group(1) if match else None


def _ref(value: bytes | None) -> int | None:
    if value is None:
        return None
    match = re.fullmatch(rb"(\d+) 0 R", value)
    return int(match.group(1)) if match else None


class SourcePdf:
    """Random access to the objects of one pydyf-written PDF, as bytes."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.data = self.path.read_bytes()
        self._objstm_cache: dict[int, list[bytes]] = {}
        try:
            self._parse()
        except PdfFormatError:
            raise
        except (ValueError, AttributeError, IndexError, KeyError, TypeError, zlib.error) as error:
            raise PdfFormatError(f"{self.path}: not a PDF as pydyf writes them ({error})") from error

    def _parse(self) -> None:
        self._parse_xref()
        catalog = self.body(self.root)
        self.pages_root = _ref(_dict_value(catalog, b"Pages"))
        self.struct_root = _ref(_dict_value(catalog, b"StructTreeRoot"))
        self.metadata = _ref(_dict_value(catalog, b"Metadata"))
        self.outlines = _ref(_dict_value(catalog, b"Outlines"))
        self.lang = None
        lang = re.search(rb"/Lang \(((?:[^\\()]|\\.)*)\)", catalog)
        if lang:
            self.lang = lang.group(1)
        kids = self.body(self.pages_root)
        kids_array = re.search(rb"/Kids \[([^\]]*)\]", kids)
        self.page_numbers = [int(n) for n in re.findall(rb"(\d+) 0 R", kids_array.group(1))] if kids_array else []
        if b"/Type /Pages" in b"".join(self.body(n)[:40] for n in self.page_numbers[:1]):
            raise PdfFormatError(f"{self.path}: nested page trees are not supported")
        self.doc_elem = None
        self.parent_tree = None
        if self.struct_root is not None:
            root = self.body(self.struct_root)
            kids = re.search(rb"/K \[\s*(\d+) 0 R\s*\]", root)
            self.doc_elem = int(kids.group(1)) if kids else None
            self.parent_tree = _ref(_dict_value(root, b"ParentTree"))

    # --- cross-reference -------------------------------------------------------------------------

    def _parse_xref(self) -> None:
        tail = self.data[-64:]
        match = re.search(rb"startxref\s+(\d+)\s+%%EOF", tail)
        if not match:
            raise PdfFormatError(f"{self.path}: no startxref")
        offset = int(match.group(1))
        header, stream = self._stream_at(offset)
        if b"/XRef" not in header:
            raise PdfFormatError(f"{self.path}: a cross-reference stream is expected (pydyf with compression)")
        widths = [int(w) for w in re.search(rb"/W \[\s*(\d+) (\d+) (\d+)\s*\]", header).groups()]
        size = int(re.search(rb"/Size (\d+)", header).group(1))
        index = re.search(rb"/Index \[\s*(\d+) (\d+)\s*\]", header)
        first, count = (int(index.group(1)), int(index.group(2))) if index else (0, size)
        if b"/FlateDecode" in header:
            stream = zlib.decompress(stream)
        row = sum(widths)
        w0, w1, w2 = widths
        count = min(count, len(stream) // row)
        from_bytes = int.from_bytes
        self.entries: dict[int, tuple[int, int, int]] = {
            first + i: (
                from_bytes(stream[p : p + w0], "big") if w0 else 1,
                from_bytes(stream[p + w0 : p + w0 + w1], "big"),
                from_bytes(stream[p + w0 + w1 : p + row], "big"),
            )
            for i, p in enumerate(range(0, count * row, row))
        }
        self.size = size
        self.root = _ref(_dict_value(header, b"Root"))
        self.info = _ref(_dict_value(header, b"Info"))
        self.xref_number = next((n for n, e in self.entries.items() if e[0] == 1 and e[1] == offset), None)
        self.objstm_numbers = {e[1] for e in self.entries.values() if e[0] == 2}

    def _stream_at(self, offset: int) -> tuple[bytes, bytes]:
        """The dictionary and the raw (still encoded) data of the stream object at `offset`."""
        start = self.data.index(b"obj", offset) + 3
        end_of_dict = self.data.index(b"stream", start)
        header = self.data[start:end_of_dict].strip()
        length = int(re.findall(rb"/Length (\d+)", header)[-1])
        data_start = end_of_dict + len(b"stream")
        if self.data[data_start : data_start + 2] == b"\r\n":
            data_start += 2
        else:
            data_start += 1
        return header, self.data[data_start : data_start + length]

    def _objstm(self, number: int) -> list[bytes]:
        cached = self._objstm_cache.get(number)
        if cached is not None:
            return cached
        kind, offset, _ = self.entries[number]
        header, stream = self._stream_at(offset)
        if b"/FlateDecode" in header:
            stream = zlib.decompress(stream)
        count = int(re.search(rb"/N (\d+)", header).group(1))
        first = int(re.search(rb"/First (\d+)", header).group(1))
        numbers = [int(x) for x in stream[:first].split()]
        offsets = numbers[1::2][:count]
        bodies = []
        for i, start in enumerate(offsets):
            end = offsets[i + 1] if i + 1 < len(offsets) else len(stream) - first
            bodies.append(stream[first + start : first + end].strip())
        self._objstm_cache[number] = bodies
        return bodies

    # --- objects ---------------------------------------------------------------------------------

    def is_stream(self, number: int) -> bool:
        kind, offset, _ = self.entries.get(number, (0, 0, 0))
        if kind != 1:
            return False
        start = self.data.index(b"obj", offset) + 3
        endobj = self.data.find(b"endobj", start)
        stream = self.data.find(b"stream", start)
        return stream != -1 and (endobj == -1 or stream < endobj)

    def body(self, number: int) -> bytes:
        """A non-stream object's bytes."""
        kind, a, b = self.entries[number]
        if kind == 2:
            return self._objstm(a)[b]
        if kind == 1:
            start = self.data.index(b"obj", a) + 3
            end = self.data.index(b"endobj", start)
            return self.data[start:end].strip()
        raise PdfFormatError(f"{self.path}: object {number} is free")

    def stream(self, number: int) -> tuple[bytes, bytes]:
        return self._stream_at(self.entries[number][1])

    def numbers(self) -> Iterable[int]:
        return (n for n, entry in sorted(self.entries.items()) if entry[0] in (1, 2))

    def parent_tree_nums(self) -> list[tuple[int, list[int] | int]]:
        """The /ParentTree as (key, [element numbers]) for pages, (key, element number) for annotations."""
        if self.parent_tree is None:
            return []
        entries = []
        pending: list[bytes] = [self.body(self.parent_tree)]
        while pending:
            body = pending.pop()
            kids = re.search(rb"/Kids \[([^\]]*)\]", body)
            if kids:
                pending.extend(self.body(int(n)) for n in re.findall(rb"(\d+) 0 R", kids.group(1)))
                continue
            nums_at = body.find(b"/Nums")
            if nums_at == -1:
                continue
            entries.extend(_parse_nums(body[nums_at + 5 :]))
        entries.sort(key=lambda item: item[0])
        return entries


def _parse_nums(data: bytes) -> list[tuple[int, list[int] | int]]:
    """Parse `[0 [5 0 R 6 0 R] 1 [...] 7 9 0 R]` (the value of /Nums)."""
    entries: list[tuple[int, list[int] | int]] = []
    depth = 0
    key: int | None = None
    current: list[int] | None = None
    for match in INT_OR_REF.finditer(data):
        ref, integer, opening, closing = match.groups()
        if opening:
            depth += 1
            if depth == 2:
                current = []
        elif closing:
            depth -= 1
            if depth == 1 and current is not None and key is not None:
                entries.append((key, current))
                key, current = None, None
            if depth == 0:
                break
        elif ref:
            if depth == 2 and current is not None:
                current.append(int(ref))
            elif depth == 1 and key is not None:
                entries.append((key, int(ref)))
                key = None
        elif integer is not None and depth == 1:
            key = int(integer)
    return entries


class _Writer:
    """Writes objects as they come; non-stream objects are packed into compressed object streams."""

    def __init__(self, fileobj):
        self.file = fileobj
        self.position = 0
        self.next_number = 1
        self.xref: dict[int, tuple[int, int, int]] = {}
        self._batch: list[tuple[int, bytes]] = []
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.file.write(data)
        self.position += len(data)

    def reserve(self, count: int = 1) -> int:
        first = self.next_number
        self.next_number += count
        return first

    def stream(self, number: int, header: bytes, data: bytes) -> None:
        """`header` is the dictionary without /Length, which is added here."""
        header = header.strip()
        if not header.startswith(b"<<") or not header.endswith(b">>"):
            raise PdfFormatError("a stream dictionary is expected")
        header = re.sub(rb"/Length \d+", b"", header)[:-2] + b"/Length " + str(len(data)).encode() + b">>"
        self.xref[number] = (1, self.position, 0)
        self._write(b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, header, data))

    def object(self, number: int, body: bytes) -> None:
        self._batch.append((number, body))
        if len(self._batch) >= OBJECTS_PER_STREAM:
            self._flush()

    def _flush(self) -> None:
        if not self._batch:
            return
        number = self.reserve()
        offsets, parts, position = [], [], 0
        for index, (object_number, body) in enumerate(self._batch):
            offsets.append(b"%d %d" % (object_number, position))
            parts.append(body)
            position += len(body) + 1
            self.xref[object_number] = (2, number, index)
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + b"\n".join(parts) + b"\n", 6)
        header = b"<</Type /ObjStm/N %d/First %d/Filter /FlateDecode>>" % (len(self._batch), len(head))
        self._batch = []
        self.stream(number, header, data)

    def close(self, *, root: int, info: int | None, identifier: bytes) -> None:
        self._flush()
        xref_number = self.reserve()
        size = self.next_number
        self.xref[xref_number] = (1, self.position, 0)
        width = max(1, (max(self.position, size).bit_length() + 7) // 8)
        rows = []
        for number in range(size):
            kind, a, b = self.xref.get(number, (0, 0, 0 if number else 65535))
            rows.append(bytes([kind]) + a.to_bytes(width, "big") + b.to_bytes(2, "big"))
        data = zlib.compress(b"".join(rows), 6)
        info_part = b"/Info %d 0 R" % info if info else b""
        header = b"<</Type /XRef/Size %d/W [1 %d 2]/Root %d 0 R%s/ID [<%s> <%s>]/Filter /FlateDecode/Length %d>>" % (
            size,
            width,
            root,
            info_part,
            identifier,
            identifier,
            len(data),
        )
        offset = self.position
        self._write(b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (xref_number, header, data))
        self._write(b"startxref\n%d\n%%%%EOF\n" % offset)


@dataclasses.dataclass
class OutlineItem:
    title: str
    page: int  # global page index, from 0
    top: float  # y in PDF points from the bottom of the page
    children: list[OutlineItem] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Destination:
    name: str
    page: int  # global page index, from 0
    left: float
    top: float


def pdf_string(text: str) -> bytes:
    try:
        raw = text.encode("latin-1")
        if any(c < 32 or c > 126 for c in raw):
            raise UnicodeEncodeError("latin-1", text, 0, 1, "non-ASCII")
        return b"(" + re.sub(rb"([\\()])", rb"\\\1", raw) + b")"
    except UnicodeEncodeError:
        return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"


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
    from .footer import FooterFont

    sources = [SourcePdf(path) for path in parts]
    total_pages = sum(len(source.page_numbers) for source in sources)
    if total_pages == 0:
        raise PdfFormatError("nothing to merge")
    font = FooterFont(footer_font, footer(total_pages, total_pages) + "0123456789") if footer else None
    identifier = zlib.crc32(b"".join(str(p).encode() for p in parts)).to_bytes(4, "big").hex().encode() * 4

    with open(output, "wb") as fileobj:
        writer = _Writer(fileobj)
        catalog = writer.reserve()
        struct_root = writer.reserve()
        document = writer.reserve()
        page_nodes_count = max(1, -(-total_pages // PAGES_PER_NODE))
        pages_root = writer.reserve()
        page_nodes = [writer.reserve() for _ in range(page_nodes_count)] if page_nodes_count > 1 else [pages_root]
        q_stream = writer.reserve()
        writer.stream(q_stream, b"<<>>", b"q")
        font_ref = None
        if font:
            font_ref = font.write(writer)

        page_refs: list[int] = []
        document_kids: list[int] = []
        parent_leaves: list[tuple[int, int, int]] = []  # (object, first key, last key)
        leaf_entries: list[bytes] = []
        leaf_first = 0
        annotation_entries: list[tuple[int, int]] = []  # (new key, element)
        next_annotation_key = total_pages
        page_offset = 0
        first_info = sources[0].info
        info_number = None
        metadata_number = None

        def flush_leaf(last_key: int) -> None:
            nonlocal leaf_entries, leaf_first
            if not leaf_entries:
                return
            number = writer.reserve()
            writer.object(number, b"<</Limits [%d %d]/Nums [%s]>>" % (leaf_first, last_key, b" ".join(leaf_entries)))
            parent_leaves.append((number, leaf_first, last_key))
            leaf_entries = []

        for part_index, source in enumerate(sources):
            base = writer.reserve(source.size) - 1  # old number n becomes base + n
            special = {}
            if source.doc_elem is not None:
                special[source.doc_elem] = document
            skip = {source.root, source.pages_root, source.struct_root, source.doc_elem, source.parent_tree}
            skip |= {source.info, source.xref_number} | source.objstm_numbers
            if source.outlines is not None:
                skip |= _outline_objects(source, source.outlines)
            if part_index == 0:
                metadata_number = base + source.metadata if source.metadata else None
                info_number = base + first_info if first_info else None
                if first_info:
                    skip.discard(first_info)
            else:
                skip.add(source.metadata)
            skip.discard(None)

            renumber = _renumberer(base, special)

            page_set = {number: index for index, number in enumerate(source.page_numbers)}
            page_keys = {}
            annotation_keys = {}
            nums = source.parent_tree_nums()
            part_pages = len(source.page_numbers)
            for key, value in nums:
                if key < part_pages:
                    page_keys[key] = page_offset + key
                else:
                    annotation_keys[key] = next_annotation_key
                    annotation_entries.append((next_annotation_key, base + value if isinstance(value, int) else 0))
                    next_annotation_key += 1
            font_dicts: set[int] = set()
            if font:
                for number in source.page_numbers:
                    resources = RESOURCES.search(source.body(number))
                    if resources:
                        match = FONT_REF.search(source.body(int(resources.group(1))))
                        if match:
                            font_dicts.add(int(match.group(1)))

            plain_numbers: list[int] = []
            plain_bodies: list[bytes] = []
            for number in source.numbers():
                if number in skip:
                    continue
                new = base + number
                if source.entries[number][0] == 2 and number not in page_set and number not in font_dicts:
                    plain_numbers.append(new)
                    plain_bodies.append(source.body(number))
                    continue
                if source.is_stream(number):
                    header, data = source.stream(number)
                    writer.stream(new, renumber(header), data)
                    continue
                body = source.body(number)
                if number in page_set:
                    index = page_offset + page_set[number]
                    body = STRUCT_PARENTS.sub(b"/StructParents %d" % page_keys.get(page_set[number], index), body)
                    body = PARENT.sub(b"/Parent %d 0 R" % page_nodes[index // PAGES_PER_NODE], renumber(body), count=1)
                    if font and index >= skip_footer_pages:
                        footer_number = writer.reserve()
                        box = MEDIABOX.search(body)
                        width = float(box.group(3)) - float(box.group(1)) if box else 595.28
                        writer.stream(footer_number, b"<<>>", font.content(footer(index + 1, total_pages), width))
                        body = CONTENTS.sub(
                            lambda m, footer_number=footer_number: (
                                b"/Contents [%d 0 R %s 0 R %d 0 R]" % (q_stream, m.group(1), footer_number)
                            ),
                            body,
                        )
                    page_refs.append(base + number)
                    writer.object(new, body)
                    continue
                if annotation_keys:
                    body = _renumber_struct_parent(body, annotation_keys)
                body = renumber(body)
                if number in font_dicts:
                    body = body.replace(b"<<", b"<<" + FOOTER_FONT_NAME + b" %d 0 R" % font_ref, 1)
                writer.object(new, body)

            # The bulk of a part (structure elements, annotations, font dictionaries) is renumbered in
            # one pass over the joined bodies; a separator swallowed by a string falls back to one by one.
            joined = renumber(OBJECT_SEPARATOR.join(plain_bodies))
            if annotation_keys:
                joined = _renumber_struct_parent(joined, annotation_keys)
            bodies = joined.split(OBJECT_SEPARATOR)
            if len(bodies) != len(plain_bodies):
                bodies = [renumber(body) for body in plain_bodies]
                if annotation_keys:
                    bodies = [_renumber_struct_parent(body, annotation_keys) for body in bodies]
            for new, body in zip(plain_numbers, bodies, strict=True):
                writer.object(new, body)
            del joined, bodies, plain_bodies

            if source.doc_elem is not None:
                kids = re.search(rb"/K \[([^\]]*)\]", source.body(source.doc_elem))
                if kids:
                    document_kids.extend(base + int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1)))
            for key, value in nums:
                if key >= part_pages:
                    continue
                if not leaf_entries:
                    leaf_first = page_keys[key]
                refs = b" ".join(b"%d 0 R" % (base + n) for n in value)
                leaf_entries.append(b"%d [%s]" % (page_keys[key], refs))
                if len(leaf_entries) >= PARENT_TREE_LEAF:
                    flush_leaf(page_keys[key])
            if leaf_entries:
                flush_leaf(page_offset + part_pages - 1)
            page_offset += part_pages
            source.data = b""  # let the part's bytes go
            source._objstm_cache.clear()
            if progress:
                progress(part_index + 1, len(sources))

        if annotation_entries:
            number = writer.reserve()
            entries = b" ".join(b"%d %d 0 R" % (key, element) for key, element in annotation_entries)
            writer.object(
                number,
                b"<</Limits [%d %d]/Nums [%s]>>" % (annotation_entries[0][0], annotation_entries[-1][0], entries),
            )
            parent_leaves.append((number, annotation_entries[0][0], annotation_entries[-1][0]))

        # Page tree.
        if len(page_nodes) > 1:
            for i, node in enumerate(page_nodes):
                kids = page_refs[i * PAGES_PER_NODE : (i + 1) * PAGES_PER_NODE]
                writer.object(
                    node,
                    b"<</Type /Pages/Parent %d 0 R/Kids [%s]/Count %d>>"
                    % (pages_root, b" ".join(b"%d 0 R" % k for k in kids), len(kids)),
                )
            writer.object(
                pages_root,
                b"<</Type /Pages/Kids [%s]/Count %d>>" % (b" ".join(b"%d 0 R" % n for n in page_nodes), len(page_refs)),
            )
        else:
            writer.object(
                pages_root,
                b"<</Type /Pages/Kids [%s]/Count %d>>" % (b" ".join(b"%d 0 R" % k for k in page_refs), len(page_refs)),
            )

        # Structure tree.
        parent_tree = writer.reserve()
        writer.object(
            parent_tree,
            b"<</Kids [%s]>>" % b" ".join(b"%d 0 R" % leaf for leaf, _, _ in parent_leaves),
        )
        writer.object(
            document,
            b"<</Type /StructElem/S /Document/P %d 0 R/K [%s]>>"
            % (struct_root, b" ".join(b"%d 0 R" % k for k in document_kids)),
        )
        writer.object(
            struct_root,
            b"<</Type /StructTreeRoot/K [%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d>>"
            % (document, parent_tree, next_annotation_key),
        )

        # Named destinations, sorted as a name tree must be.
        extra = b""
        if destinations:
            entries = []
            for destination in sorted(destinations, key=lambda d: d.name.encode("utf-8")):
                if 0 <= destination.page < len(page_refs):
                    entries.append(
                        b"%s [%d 0 R /XYZ %.2f %.2f 0]"
                        % (pdf_string(destination.name), page_refs[destination.page], destination.left, destination.top)
                    )
            dests = writer.reserve()
            writer.object(dests, b"<</Names [%s]>>" % b" ".join(entries))
            extra += b"/Names <</Dests %d 0 R>>" % dests
        if outline:
            extra += b"/Outlines %d 0 R/PageMode /UseOutlines" % _write_outline(writer, outline, page_refs)
        if metadata_number:
            extra += b"/Metadata %d 0 R" % metadata_number
        lang = sources[0].lang or b"pl"
        writer.object(
            catalog,
            b"<</Type /Catalog/Pages %d 0 R/StructTreeRoot %d 0 R/MarkInfo <</Marked true>>"
            b"/ViewerPreferences <</DisplayDocTitle true>>/Lang (%s)%s>>" % (pages_root, struct_root, lang, extra),
        )
        writer.close(root=catalog, info=info_number, identifier=identifier)
    return total_pages


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


def _write_outline(writer: _Writer, items: list[OutlineItem], page_refs: list[int]) -> int:
    root = writer.reserve()

    def write_level(level_items: list[OutlineItem], parent: int) -> tuple[int, int, int]:
        numbers = [writer.reserve() for _ in level_items]
        total = 0
        for i, (item, number) in enumerate(zip(level_items, numbers, strict=True)):
            parts = [b"/Title " + pdf_string(item.title), b"/Parent %d 0 R" % parent]
            page = page_refs[min(max(item.page, 0), len(page_refs) - 1)]
            parts.append(b"/Dest [%d 0 R /XYZ 0 %.2f 0]" % (page, item.top))
            if i > 0:
                parts.append(b"/Prev %d 0 R" % numbers[i - 1])
            if i + 1 < len(numbers):
                parts.append(b"/Next %d 0 R" % numbers[i + 1])
            if item.children:
                first, last, count = write_level(item.children, number)
                parts.append(b"/First %d 0 R/Last %d 0 R/Count %d" % (first, last, count))
                total += count
            writer.object(number, b"<<" + b"".join(parts) + b">>")
            total += 1
        return numbers[0], numbers[-1], total

    first, last, count = write_level(items, root)
    writer.object(root, b"<</Type /Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (first, last, count))
    return root
