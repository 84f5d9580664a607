"""Page footers drawn after the merge: an embedded font subset and one tiny content stream per page.

The footer ("strona 12 z 2850") can only be written once every part has been rendered and the total
is known, so it is not laid out by WeasyPrint. The shipped font is subset to the characters the
footer needs (glyph ids kept, so the content stream can name glyphs directly), embedded once as a
Type 0 / CIDFontType2 font with a ToUnicode map (text extraction and screen readers read it), and
each footer is wrapped as a pagination artifact, which is what ISO 32000 and PDF/UA ask of running
headers and footers.
"""

from __future__ import annotations

import io
import logging
import zlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONT_SIZE = 8
BOTTOM = 30  # points from the bottom edge; inside the 20 mm bottom margin of the report pages
COLOUR = b"0.29 0.325 0.376 rg"  # the site's --muted grey, 7.4:1 on white


class FooterFont:
    def __init__(self, path: Path, characters: str):
        self.path = Path(path)
        font = TTFont(self.path)
        cmap = font.getBestCmap()
        self.units = font["head"].unitsPerEm
        self.glyphs: dict[str, int] = {}
        widths: dict[int, int] = {}
        hmtx = font["hmtx"]
        for char in sorted(set(characters)):
            name = cmap.get(ord(char))
            if name is None:
                continue
            gid = font.getGlyphID(name)
            self.glyphs[char] = gid
            widths[gid] = hmtx[name][0]
        self.widths = widths
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        self.bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
        self.ascent, self.descent = hhea.ascent, hhea.descent
        self.cap_height = getattr(os2, "sCapHeight", hhea.ascent)
        self.name = "LUBFTR+" + font["name"].getDebugName(6).replace(" ", "")

        options = subset.Options()
        options.retain_gids = True
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.layout_features = []
        options.drop_tables += ["FFTM"]  # FontForge's timestamp: nothing to subset, only a warning
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in self.glyphs])
        quiet = logging.getLogger("fontTools")
        level = quiet.level
        quiet.setLevel(logging.WARNING)  # the subsetter logs every table it prunes at INFO
        try:
            subsetter.subset(font)
        finally:
            quiet.setLevel(level)
        buffer = io.BytesIO()
        font.save(buffer)
        self.program = buffer.getvalue()

    def _scale(self, value: int) -> int:
        return round(value * 1000 / self.units)

    def write(self, writer) -> int:
        """Write the font objects; returns the number of the Type 0 font."""
        program = writer.reserve()
        writer.stream(
            program,
            b"<</Length1 %d/Filter /FlateDecode>>" % len(self.program),
            zlib.compress(self.program, 6),
        )
        descriptor = writer.reserve()
        x0, y0, x1, y1 = (self._scale(v) for v in self.bbox)
        name = self.name.encode("ascii")
        writer.object(
            descriptor,
            b"<</Type /FontDescriptor/FontName /%s/Flags 32/FontBBox [%d %d %d %d]/ItalicAngle 0"
            b"/Ascent %d/Descent %d/CapHeight %d/StemV 80/FontFile2 %d 0 R>>"
            % (
                name,
                x0,
                y0,
                x1,
                y1,
                self._scale(self.ascent),
                self._scale(self.descent),
                self._scale(self.cap_height),
                program,
            ),
        )
        widths = b" ".join(b"%d [%d]" % (gid, self._scale(w)) for gid, w in sorted(self.widths.items()))
        cid_font = writer.reserve()
        writer.object(
            cid_font,
            b"<</Type /Font/Subtype /CIDFontType2/BaseFont /%s"
            b"/CIDSystemInfo <</Registry (Adobe)/Ordering (Identity)/Supplement 0>>"
            b"/FontDescriptor %d 0 R/CIDToGIDMap /Identity/DW 1000/W [%s]>>" % (name, descriptor, widths),
        )
        to_unicode = writer.reserve()
        writer.stream(to_unicode, b"<</Filter /FlateDecode>>", zlib.compress(self._cmap(), 6))
        font = writer.reserve()
        writer.object(
            font,
            b"<</Type /Font/Subtype /Type0/BaseFont /%s/Encoding /Identity-H/DescendantFonts [%d 0 R]"
            b"/ToUnicode %d 0 R>>" % (name, cid_font, to_unicode),
        )
        return font

    def _cmap(self) -> bytes:
        lines = [
            b"/CIDInit /ProcSet findresource begin",
            b"12 dict begin",
            b"begincmap",
            b"/CIDSystemInfo <</Registry (Adobe)/Ordering (UCS)/Supplement 0>> def",
            b"/CMapName /Adobe-Identity-UCS def",
            b"/CMapType 2 def",
            b"1 begincodespacerange",
            b"<0000> <FFFF>",
            b"endcodespacerange",
            b"%d beginbfchar" % len(self.glyphs),
        ]
        for char, gid in sorted(self.glyphs.items(), key=lambda item: item[1]):
            lines.append(b"<%04X> <%s>" % (gid, char.encode("utf-16-be").hex().upper().encode()))
        lines += [b"endbfchar", b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
        return b"\n".join(lines)

    def text_width(self, text: str, size: float = FONT_SIZE) -> float:
        return sum(self.widths.get(self.glyphs.get(c, 0), 0) for c in text) * size / self.units

    def content(self, text: str, page_width: float, size: float = FONT_SIZE) -> bytes:
        """The content stream of one footer, centred; it starts by restoring the state saved before the page."""
        glyphs = "".join(f"{self.glyphs[c]:04X}" for c in text if c in self.glyphs)
        x = (page_width - self.text_width(text, size)) / 2
        return (
            b"Q\n/Artifact <</Type /Pagination/Subtype /Footer>> BDC\n"
            b"q %s BT /LublinFooter %g Tf %.2f %d Td <%s> Tj ET Q\nEMC"
            % (COLOUR, size, x, BOTTOM, glyphs.encode("ascii"))
        )
