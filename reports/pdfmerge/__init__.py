"""Concatenate tagged PDFs written by WeasyPrint into one tagged PDF, fast and in bounded memory.

`source.py` reads a part, `writer.py` writes the result, `merge.py` takes the steps between them.

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

from .merge import merge
from .source import PdfFormatError, SourcePdf
from .writer import Destination, OutlineItem

__all__ = ["Destination", "OutlineItem", "PdfFormatError", "SourcePdf", "merge"]
