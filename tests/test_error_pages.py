import pytest
from django.test import Client
from django.urls import path


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


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
