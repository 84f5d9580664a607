"""Search of recommendations ignores Polish letters and inflection: a stored search text (`lublin2030.search`)."""

from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    from lublin2030.search import search_text

    Recommendation = apps.get_model("recommendations", "Recommendation")
    recommendations = list(Recommendation.objects.only("pk", "title", "vision", "diagnosis"))
    for recommendation in recommendations:
        recommendation.search_text = search_text(
            f"{recommendation.title} {recommendation.vision} {recommendation.diagnosis}"
        )
    Recommendation.objects.bulk_update(recommendations, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
    ]
