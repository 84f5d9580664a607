"""Writing a PDF 1.7 with object streams and a cross-reference stream, and its outline."""

from __future__ import annotations

import dataclasses
import re
import zlib

from .source import PdfFormatError

OBJECTS_PER_STREAM = 200


class Writer:
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


def write_outline(writer: Writer, items: list[OutlineItem], page_refs: list[int]) -> int:
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
