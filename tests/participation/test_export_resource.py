"""The django-import-export resource: same columns as the staff export, no author, safe cells."""

import pytest

from participation import exports
from participation.models import Area
from participation.resources import NameWidget, OpinionResource
from tests.participation.factories import EventFactory, OpinionFactory

pytestmark = pytest.mark.django_db


def test_resource_exports_the_staff_columns_without_author(reference_data, django_assert_num_queries):
    opinion = OpinionFactory(published=True, text="=2+2", event=EventFactory(title="@kafejka"))
    OpinionFactory.create_batch(5)
    with django_assert_num_queries(1):
        dataset = OpinionResource().export()
    assert dataset.headers == exports.HEADER
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert str(row["id"]) == str(opinion.pk)
    assert row["text"] == "'=2+2"
    assert row["event"] == "'@kafejka"
    assert row["area"] == opinion.area.name_pl
    assert row["source"] == "online"
    assert "author" not in dataset.headers
    assert opinion.author.email not in dataset.csv


def test_name_widget_matches_without_case_or_diacritics(reference_data):
    widget = NameWidget(Area, ("name_pl", "name_en", "slug"))
    assert widget.clean("AKADEMICKOSC").slug == "akademickosc"
    assert widget.clean("Good neighbourhood").slug == "dobre-sasiedztwo"
    with pytest.raises(ValueError, match="unknown"):
        widget.clean("Atlantyda")
