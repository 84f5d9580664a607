"""Every way staff may name a fragment of the consulted version on a paper form, in a spreadsheet or in the
entry form: a block's key or number ("3.2–1", as the consultation page shows it), a section's number ("3.2")
or key, a chapter's number ("3", "rozdział 3") or key, "dokument" or "nowy zapis"."""

from __future__ import annotations

from participation.imports import normalize
from strategy import selectors as strategy_selectors

from .models import Consultation, Target

DOCUMENT_WORDS = {"", "dokument", "caly dokument", "calosc", "document", "whole document", "ogolna"}
NEW_PROVISION_WORDS = {"nowy zapis", "nowy", "new provision", "nowe postanowienie", "propozycja nowego zapisu"}


class Fragments:
    """Every way staff may name a fragment of the consulted version: a block's key or number ("3.2–1"), a
    section's number ("3.2") or key, a chapter's number ("3", "rozdział 3") or key; read in six queries."""

    def __init__(self, consultation: Consultation):
        document = strategy_selectors.document(consultation.version, with_html=False, with_extras=False)
        self.names: dict[str, tuple[str, str]] = {}
        for chapter in document.chapters:
            for name in (
                chapter.key,
                str(chapter.position),
                f"rozdzial {chapter.position}",
                f"chapter {chapter.position}",
            ):
                self.names[normalize(name)] = (Target.CHAPTER, chapter.key)
            for block in chapter.intro_blocks:
                self._block(block)
            for section in chapter.section_list:
                number = f"{chapter.position}.{section.position}"
                for name in (section.key, number, f"rozdzial {number}", f"chapter {number}"):
                    self.names[normalize(name)] = (Target.SECTION, section.key)
                for block in section.block_list:
                    self._block(block)

    def _block(self, block) -> None:
        for name in (block.key, block.number, block.number.replace("–", "-")):
            self.names[normalize(name)] = (Target.BLOCK, block.key)

    def find(self, value: str) -> tuple[str, str] | None:
        key = normalize(value).removeprefix("akapit ").removeprefix("paragraph ")
        if key in DOCUMENT_WORDS:
            return Target.DOCUMENT, ""
        if key in NEW_PROVISION_WORDS:
            return Target.NEW_PROVISION, ""
        return self.names.get(key) or self.names.get(value.strip())
