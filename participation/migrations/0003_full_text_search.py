"""Full-text search of opinions on PostgreSQL, insensitive to Polish diacritics ("zielen" finds "zieleń").

A text search configuration `polish_unaccent` (a copy of `simple` that first strips accents with the
`unaccent` dictionary) and a GIN index on the very expression the search selector uses
(`SearchVector("text", config="polish_unaccent")` compiles to to_tsvector(config, COALESCE(text, ''))),
so that the planner uses the index. On SQLite nothing happens: search falls back to icontains.

`unaccent` is a trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'polish_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION polish_unaccent (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION polish_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END
    $$
    """,
    """
    CREATE INDEX IF NOT EXISTS opinion_text_search
    ON participation_opinion
    USING gin (to_tsvector('polish_unaccent'::regconfig, COALESCE(text, '')))
    """,
]

BACKWARD = [
    "DROP INDEX IF EXISTS opinion_text_search",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS polish_unaccent",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_opinion_flags_and_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
