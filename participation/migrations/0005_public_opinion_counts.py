"""Public opinion counts per (area, district, channel, stage), kept by PostgreSQL triggers.

The facets of the public list used to aggregate every public opinion on each cache miss (a GROUP BY
over the whole table, 30-200 ms). Triggers on the opinion table now append the change of each
statement to `participation_publicopinioncount` (+n for opinions becoming public, −n for opinions
leaving it), so every writer counts: the services, imports and demo data (`bulk_create`), the admin,
deletions, raw SQL. Statement-level triggers with transition tables add one grouped INSERT per
statement, so a 2,000-row `bulk_create` costs one small insert, not 2,000.

The table is filled from the opinions in the same transaction that creates the triggers (which
locks the opinion table against writes until it commits), so no change is missed or counted twice.
On SQLite nothing happens: the selectors count the opinions directly there.
"""

import django.db.models.deletion
from django.db import migrations, models

PUBLIC = "status = 'published' AND NOT hidden_by_flags"
KEYS = "area_id, district_id, channel_id, stage_id"
TABLE = "participation_publicopinioncount"

FUNCTION = f"""
CREATE OR REPLACE FUNCTION participation_count_public_opinions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {TABLE} ({KEYS}, count)
        SELECT {KEYS}, COUNT(*) FROM new_rows WHERE {PUBLIC}
        GROUP BY {KEYS} ORDER BY {KEYS};
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {TABLE} ({KEYS}, count)
        SELECT {KEYS}, SUM(delta) FROM (
            SELECT {KEYS}, -1 AS delta FROM old_rows WHERE {PUBLIC}
            UNION ALL
            SELECT {KEYS}, 1 AS delta FROM new_rows WHERE {PUBLIC}
        ) AS changes
        GROUP BY {KEYS} HAVING SUM(delta) <> 0 ORDER BY {KEYS};
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {TABLE} ({KEYS}, count)
        SELECT {KEYS}, -COUNT(*) FROM old_rows WHERE {PUBLIC}
        GROUP BY {KEYS} ORDER BY {KEYS};
    ELSIF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 (constants only)

FORWARD = [
    FUNCTION,
    """
    CREATE TRIGGER participation_count_public_insert AFTER INSERT ON participation_opinion
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION participation_count_public_opinions()
    """,
    """
    CREATE TRIGGER participation_count_public_update AFTER UPDATE ON participation_opinion
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION participation_count_public_opinions()
    """,
    """
    CREATE TRIGGER participation_count_public_delete AFTER DELETE ON participation_opinion
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION participation_count_public_opinions()
    """,
    """
    CREATE TRIGGER participation_count_public_truncate AFTER TRUNCATE ON participation_opinion
    FOR EACH STATEMENT EXECUTE FUNCTION participation_count_public_opinions()
    """,
    f"""
    INSERT INTO {TABLE} ({KEYS}, count)
    SELECT {KEYS}, COUNT(*) FROM participation_opinion WHERE {PUBLIC} GROUP BY {KEYS}
    """,  # noqa: S608 (constants only)
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS participation_count_public_insert ON participation_opinion",
    "DROP TRIGGER IF EXISTS participation_count_public_update ON participation_opinion",
    "DROP TRIGGER IF EXISTS participation_count_public_delete ON participation_opinion",
    "DROP TRIGGER IF EXISTS participation_count_public_truncate ON participation_opinion",
    "DROP FUNCTION IF EXISTS participation_count_public_opinions()",
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
        ("participation", "0004_public_facets_index"),
        ("stages", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicOpinionCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("count", models.IntegerField()),
                (
                    "area",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participation.area",
                    ),
                ),
                (
                    "channel",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participation.channel",
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participation.district",
                    ),
                ),
                (
                    "stage",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stages.stage",
                    ),
                ),
            ],
            options={
                "verbose_name": "public opinion count",
                "verbose_name_plural": "public opinion counts",
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
