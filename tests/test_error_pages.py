import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path


def broken_view(request):
    raise RuntimeError("boom")


def database_away_view(request):
    raise OperationalError("connection refused")


urlpatterns = [path("broken/", broken_view), path("database-away/", database_away_view)]
handler500 = "lublin2030.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_server_error_page_is_in_both_languages():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    content = response.content.decode()
    assert response.status_code == 500
    assert "Przepraszamy, wystąpił błąd serwera" in content
    assert "Sorry, something went wrong on our side" in content
    assert 'lang="en"' in content


@pytest.mark.django_db
def test_forbidden_page_is_translated(client, reference_data):
    response = client.get("/en/panel/")
    assert response.status_code == 302  # anonymous: sent to log in first
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/en/panel/")
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    response = client.get("/panel/")
    assert "Brak dostępu" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_a_database_that_does_not_answer_is_a_503_with_retry_after_not_a_500():
    response = Client(raise_request_exception=False).get("/database-away/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert "Portal jest chwilowo niedostępny" in response.content.decode()
    assert "The portal is temporarily unavailable" in response.content.decode()
