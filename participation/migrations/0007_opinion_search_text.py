"""Search over a stored search text (folded lemmas, `lublin2030.search`) instead of the raw text.

Adds `Opinion.search_text`, fills it for the opinions already there, and on PostgreSQL replaces the
GIN index over `to_tsvector('polish_unaccent', text)` (migration 0003: diacritics folded, but no
inflection) by one over `to_tsvector('simple', search_text)`, the very expression that
`search.filter_search` compiles to, so that the planner uses it. The `polish_unaccent`
configuration stays (nothing reads it any more; dropping it would gain nothing).
"""

from django.db import migrations, models

BATCH = 2000

INDEX = """
    CREATE INDEX IF NOT EXISTS opinion_search_text
    ON participation_opinion
    USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))
"""
OLD_INDEX = """
    CREATE INDEX IF NOT EXISTS opinion_text_search
    ON participation_opinion
    USING gin (to_tsvector('polish_unaccent'::regconfig, COALESCE(text, '')))
"""


def fill_search_text(apps, schema_editor):
    from lublin2030.search import search_text

    Opinion = apps.get_model("participation", "Opinion")
    last = 0
    while True:
        batch = list(Opinion.objects.filter(pk__gt=last).order_by("pk").only("pk", "text")[:BATCH])
        if not batch:
            break
        for opinion in batch:
            opinion.search_text = search_text(opinion.text)
        Opinion.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS opinion_text_search")
    schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS opinion_search_text")
    schema_editor.execute(OLD_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0006_import_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="opinion",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
