"""Reading one PDF as pydyf (WeasyPrint's writer) writes it: cross-reference stream, object streams."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from pathlib import Path

INT_OR_REF = re.compile(rb"(\d+) 0 R|(\d+)|(\[)|(\])")


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

    def release(self) -> None:
        """Let the part's bytes go once it has been copied."""
        self.data = b""
        self._objstm_cache.clear()

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
