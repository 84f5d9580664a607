"""Idempotent loading of the nine Lublin stages: creates what is missing, never overwrites edits."""

from pathlib import Path

from django.db import transaction

from stages.models import ParticipationWindow, Stage

from . import lublin
from .parser import parse_stages

REFERENCE_DIR = Path(__file__).resolve().parent


@transaction.atomic
def load_stages(*, seed_dir: Path = REFERENCE_DIR, reset: bool = False) -> dict:
    text = (seed_dir / lublin.SEED_FILE).read_text(encoding="utf-8")
    parsed = parse_stages(text)
    if [s.number for s in parsed] != list(range(1, 10)):
        raise ValueError(f"Expected stages I–IX in {lublin.SEED_FILE}, found {[s.number for s in parsed]}")
    created = updated = windows_created = 0
    for item in parsed:
        expected_pl, expected_en = lublin.EXPECTED_RESULTS[item.number]
        values = {
            "slug": lublin.SLUGS[item.number],
            "title_pl": item.title,
            "title_en": lublin.TITLES_EN[item.number],
            "description_pl": item.description,
            "description_en": lublin.DESCRIPTIONS_EN[item.number],
            "expected_result_pl": expected_pl,
            "expected_result_en": expected_en,
            "starts_on": item.starts_on,
            "ends_on": lublin.END_OVERRIDES.get(item.number, item.ends_on),
        }
        stage = Stage.objects.filter(number=item.number).first()
        if stage is None:
            stage = Stage(number=item.number, **values)
            stage.full_clean()
            stage.save()
            created += 1
        elif reset:
            for field, value in values.items():
                setattr(stage, field, value)
            stage.full_clean()
            stage.save()
            updated += 1
        for kind in lublin.WINDOWS.get(item.number, []):
            _, was_created = ParticipationWindow.objects.get_or_create(stage=stage, kind=kind)
            windows_created += was_created
    return {"stages_created": created, "stages_updated": updated, "windows_created": windows_created}
