"""Version summaries were stored already translated ("Dołączenie opinii nr 65" showed in English too):
turn the ones the services and the demo wrote into codes that RecommendationVersion.summary_text
puts into words in the reader's language. Anything else stays as written."""

import re

from django.db import migrations

PATTERNS = [
    (re.compile(r"^(?:Created|Utworzenie)$"), lambda match: "created"),
    (re.compile(r"^(?:Edited|Edycja)$"), lambda match: "edited"),
    (re.compile(r"^(?:Attached opinion #|Dołączenie opinii nr )(\d+)$"), lambda match: f"attached:{match.group(1)}"),
    (re.compile(r"^(?:Removed opinion #|Usunięcie opinii nr )(\d+)$"), lambda match: f"removed:{match.group(1)}"),
]


def summaries_to_codes(apps, schema_editor):
    RecommendationVersion = apps.get_model("recommendations", "RecommendationVersion")
    for version in RecommendationVersion.objects.exclude(summary="").only("pk", "summary").iterator():
        for pattern, code in PATTERNS:
            match = pattern.match(version.summary)
            if match:
                RecommendationVersion.objects.filter(pk=version.pk).update(summary=code(match))
                break


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(summaries_to_codes, migrations.RunPython.noop)]
