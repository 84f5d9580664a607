import pytest
from django.urls import reverse

from stages.models import ProcessState, Stage
from tests.accounts.factories import PASSWORD, UserFactory, coordinator, moderator

pytestmark = pytest.mark.django_db


def test_home_lists_nine_stages_and_marks_the_current_one(client, reference_data, django_assert_num_queries):
    with django_assert_num_queries(3):  # the calendar, read once: the override, the stages, their windows
        response = client.get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="timeline-item') == 9
    assert content.count('aria-current="step"') == 1
    assert "Rozpoczynamy wdrażanie" in content
    assert '<html lang="pl">' in content


def test_home_with_a_pinned_stage_reads_the_calendar_once(client, reference_data, django_assert_num_queries):
    ProcessState.objects.create(current_stage_override=Stage.objects.get(number=2), reason="running late")
    with django_assert_num_queries(3):
        content = client.get(reverse("home")).content.decode()
    assert content.count('aria-current="step"') == 1
    assert "Trwa etap II" in content
    assert "Zbieranie opinii" in content


def test_home_in_english(client, reference_data):
    content = client.get("/en/").content.decode()
    assert '<html lang="en">' in content
    assert "We begin implementing" in content
    assert "current stage" in content


def test_home_says_what_a_resident_can_do_when_opinions_are_collected(client, open_window):
    open_window("opinions")
    content = client.get(reverse("home")).content.decode()
    assert "Zbieranie opinii" in content
    assert "Trwa etap II" in content


def test_stage_detail(client, reference_data):
    response = client.get(reverse("stages:detail", kwargs={"slug": "rozmawiamy-o-przyszlosci"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Rozmawiamy o przyszłości Lublina" in content
    assert "Kafejki Partycypacyjnej" in content
    assert "Zbieranie opinii" in content


def test_unknown_stage_is_a_translated_404(client, reference_data):
    response = client.get("/etapy/nie-ma-takiego/")
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.content.decode()
    response = client.get("/en/etapy/nie-ma-takiego/")
    assert "Page not found" in response.content.decode()


def test_manage_process_is_for_coordinators_only(client, reference_data):
    client.force_login(moderator())
    assert client.get(reverse("stages:manage")).status_code == 403
    client.force_login(UserFactory())
    response = client.get(reverse("stages:manage"))
    assert response.status_code == 403
    assert "Brak dostępu" in response.content.decode()


def test_coordinator_pins_and_releases_the_current_stage(client, reference_data):
    user = coordinator()
    client.login(email=user.email, password=PASSWORD)
    stage = Stage.objects.get(number=2)
    response = client.post(reverse("stages:manage"), {"stage": stage.pk, "reason": ""})
    assert response.status_code == 400
    assert "Podaj, dlaczego" in response.content.decode()
    response = client.post(reverse("stages:manage"), {"stage": stage.pk, "reason": "Przedłużone zbieranie opinii"})
    assert response.status_code == 302
    state = ProcessState.objects.get()
    assert state.current_stage_override == stage
    assert state.changed_by == user
    client.post(reverse("stages:manage"), {"stage": "", "reason": ""})
    assert ProcessState.objects.get().current_stage_override is None


def test_coordinator_opens_the_admin_and_edits_stage_dates_without_is_staff(client, reference_data):
    user = coordinator()
    assert not user.is_staff
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    stage = Stage.objects.get(number=2)
    assert client.get(f"/admin/stages/stage/{stage.pk}/change/").status_code == 200
    client.force_login(moderator())
    assert client.get("/admin/").status_code == 302  # sent to the admin login


# A coordinator's pin on a stage whose planned period has ended (today is long after 2022) ------------

PAGES_OF_WINDOWS = {
    "opinions": ["/", "/etapy/rozmawiamy-o-przyszlosci/", "/opinie/nowa/"],
    "recruitment": ["/", "/etapy/rekomendacje-strategiczne/", "/grupy/"],
    "recommendation_comments": ["/", "/etapy/weryfikacja-rozwiazan/", "/rekomendacje/"],
    "verification": ["/", "/panel/weryfikacja/"],
}


@pytest.mark.parametrize("kind", list(PAGES_OF_WINDOWS))
def test_no_page_shows_an_end_date_that_has_passed_as_open(client, open_window, kind):
    from django.utils.formats import date_format

    window = open_window(kind)
    past_end = date_format(window.last_day, "j E Y")
    client.force_login(coordinator())
    for url in PAGES_OF_WINDOWS[kind]:
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert f"do {past_end}" not in content, url  # "otwarte do …", "jest otwarty do …", "do … możesz"
        assert "do odwołania" in content, url


def test_the_timeline_marks_a_pinned_stage_as_extended_and_the_others_as_off_schedule(client, reference_data):
    ProcessState.objects.create(current_stage_override=Stage.objects.get(number=2), reason="running late")
    content = client.get(reverse("home")).content.decode()
    assert "planowane terminy; etap trwa do odwołania" in content
    assert content.count("planowane terminy; proces ich teraz nie przestrzega") == 7  # III–IX began as planned


def test_the_process_panel_says_who_pinned_the_stage_and_warns_of_a_past_end(client, reference_data):
    from stages.services import process_set_current_stage

    gone = coordinator()
    process_set_current_stage(actor=gone, stage=Stage.objects.get(number=2), reason="Przedłużone zbieranie")
    gone.delete()  # the account that pinned the stage no longer exists
    client.force_login(coordinator())
    content = client.get(reverse("stages:manage")).content.decode()
    assert "None" not in content
    assert "polecenie na serwerze lub usunięte konto" in content
    assert "miał się zakończyć 31 grudnia 2020" in content
    user = coordinator(display_name="Katarzyna K.")
    process_set_current_stage(actor=user, stage=Stage.objects.get(number=2), reason="Przedłużone zbieranie")
    assert "przez: Katarzyna K." in client.get(reverse("stages:manage")).content.decode()
