"""Build the search lexicon once (about half a minute): `make install` and the Docker image run it."""

import time

from django.core.management.base import BaseCommand

from lublin2030 import search


class Command(BaseCommand):
    help = "Fold simplemma's Polish dictionary into the lexicon file that search reads (skipped when present)."

    def handle(self, *args, **options):
        path = search.lexicon_path()
        if path.exists():
            self.stdout.write(f"Search lexicon present: {path}")
            return
        started = time.monotonic()
        search.build_lexicon(path)
        self.stdout.write(f"Search lexicon built in {time.monotonic() - started:.0f} s: {path}")
