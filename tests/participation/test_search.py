"""Search folds Polish letters and inflection, and finds the same opinions on PostgreSQL and on SQLite.

The `sqlite` database of the test settings stands for `make run` without configuration; `default` is
PostgreSQL in CI (or SQLite again on a developer's machine).
"""

import pytest

from lublin2030 import search
from participation.models import Area, Channel, District, Opinion

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])

TEXTS = {
    "benches": "Potrzeba nowych ławek w parku Saskim.",
    "bench": "Jedna ławka przy przystanku to za mało.",
    "broken": "Ławki nad Zalewem są zniszczone.",
    "centre": "Więcej zieleni w Śródmieściu, proszę.",
    "centre2": "Śródmieście potrzebuje drzew i cienia.",
    "bikes": "Ścieżki rowerowe wzdłuż Bystrzycy.",
    "green": "Zieleń miejska jest najważniejsza.",
}


@pytest.fixture(params=["default", "sqlite"])
def corpus(request):
    alias = request.param
    area = Area.objects.using(alias).create(slug="zielen", name_pl="Zieleń")
    district = District.objects.using(alias).create(slug="srodmiescie", name="Śródmieście")
    channel = Channel.objects.using(alias).create(code=Channel.ONLINE_FORM, name_pl="Formularz", is_online=True)
    ids = {
        key: Opinion.objects.using(alias).create(text=text, area=area, district=district, channel=channel).pk
        for key, text in TEXTS.items()
    }
    return alias, ids


def found(corpus, q):
    alias, ids = corpus
    pks = set(Opinion.objects.using(alias).search(q).values_list("pk", flat=True))
    return {key for key, pk in ids.items() if pk in pks}


@pytest.mark.parametrize("q", ["ławka", "ławki", "ławek", "lawki", "LAWEK", "Ławkach", "lawka"])
def test_every_form_of_a_word_with_or_without_polish_letters(corpus, q):
    assert found(corpus, q) == {"benches", "bench", "broken"}


@pytest.mark.parametrize("q", ["Śródmieście", "Śródmieściu", "srodmiesciu", "SRODMIESCIE", "śródmieścia"])
def test_a_district_in_any_case(corpus, q):
    assert found(corpus, q) == {"centre", "centre2"}


def test_the_pages_promise_zielen_finds_zielen(corpus):
    assert found(corpus, "zielen") == {"centre", "green"}
    assert found(corpus, "zieleni") == {"centre", "green"}
    assert found(corpus, "sciezki") == {"bikes"}
    assert found(corpus, "ścieżka rowerowa") == {"bikes"}


def test_words_of_three_letters_or_more_match_the_beginning_of_a_word(corpus):
    assert found(corpus, "rower") == {"bikes"}  # rowerowe
    assert found(corpus, "bystrz") == {"bikes"}
    assert found(corpus, "zi") == set()  # too short to be a beginning, and not a word


def test_phrases_alternatives_and_exclusions(corpus):
    assert found(corpus, '"nowych lawek"') == {"benches"}
    assert found(corpus, '"lawek nowych"') == set()
    assert found(corpus, "zalew OR bystrzyca") == {"broken", "bikes"}
    assert found(corpus, "ławki -zalew") == {"benches", "bench"}
    assert found(corpus, "zieleń śródmieście") == {"centre"}


def test_a_query_without_words_finds_nothing_and_a_blank_one_everything(corpus):
    assert found(corpus, "!!! ...") == set()
    assert found(corpus, "   ") == set(TEXTS)


def test_the_query_goes_through_the_same_folding_as_the_text():
    assert search.fold("Źdźbło ŁĄKI") == "zdzblo laki"
    assert search.search_text("Nowe ławki w Śródmieściu") == search.search_text("nowe lawki w srodmiesciu")
    assert "lawka" in search.search_text("ławek").split()


# Every writer keeps the search text in step with the text ------------------------------------------

TEXT = "Potrzeba nowych ławek w Śródmieściu, proszę."


def default_db_search(q):
    return set(Opinion.objects.search(q).values_list("pk", flat=True))


@pytest.fixture
def submitted(open_window):
    from participation import services
    from tests.accounts.factories import UserFactory

    open_window("opinions")
    return services.opinion_submit(
        actor=UserFactory(),
        area=Area.objects.get(slug="edukacja"),
        district=District.objects.get(slug="caly-lublin"),
        text=TEXT,
    )


def test_the_form_service_writes_it(submitted):
    assert default_db_search("lawka srodmiescie") == {submitted.pk}


def test_the_import_writes_it(reference_data, tmp_path):
    from participation import imports
    from tests.accounts.factories import moderator

    path = tmp_path / "ławki.csv"
    path.write_text(
        "text,area,district,channel,place,collected_on\n"
        f"{TEXT.replace(',', '')},Edukacja,Cały Lublin,Punkt mobilny,Plac Litewski,2020-06-15\n",
        "utf-8",
    )
    result = imports.opinions_import(actor=moderator(), path=path, name=path.name, publish=False)
    assert result.created == 1
    assert default_db_search("ławka") == set(Opinion.objects.values_list("pk", flat=True))


def test_demo_data_writes_it(reference_data):
    from participation import demo
    from stages.models import Stage

    demo.ensure_areas()
    demo.create_opinions(count=5, seed=1, stage=Stage.objects.get(number=2))
    for text, stored in Opinion.objects.values_list("text", "search_text"):
        assert stored == search.search_text(text)


def test_an_admin_edit_rewrites_it(client, submitted):
    from tests.accounts.factories import admin

    client.force_login(admin(is_staff=True))
    url = f"/admin/participation/opinion/{submitted.pk}/change/"
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "text": "Drzewa zamiast parkingu na Czechowie.",
            "flags-TOTAL_FORMS": "0",
            "flags-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert default_db_search("drzewo czechów") == {submitted.pk}
    assert default_db_search("ławka") == set()


def test_save_with_update_fields_and_update_write_it_too(submitted):
    submitted.text = "Więcej koszy na śmieci."
    submitted.save(update_fields=["text"])
    assert default_db_search("kosz") == {submitted.pk}
    Opinion.objects.filter(pk=submitted.pk).update(text="Lepsze oświetlenie ulic.")
    assert default_db_search("oswietlenie") == {submitted.pk}
    assert default_db_search("kosz") == set()
