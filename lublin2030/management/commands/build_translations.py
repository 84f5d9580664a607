"""Compile every committed .po file into its .mo, with or without GNU gettext on the machine."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SKIP = {".venv", "node_modules", "staticfiles", ".git"}


class Command(BaseCommand):
    help = "Compile the project's and apps' .po files into .mo files (pure Python, no msgfmt needed)."

    def handle(self, *args, **options):
        compiled = 0
        for po_path in sorted(Path(settings.BASE_DIR).glob("**/locale/*/LC_MESSAGES/*.po")):
            if SKIP.intersection(po_path.relative_to(settings.BASE_DIR).parts):
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        self.stdout.write(f"Compiled {compiled} translation file(s).")
