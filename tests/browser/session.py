"""Logging in through the real form, as a person does, for the browser tests."""

from tests.accounts.factories import PASSWORD


def log_in(page, base: str, email: str, *, password: str = PASSWORD, language: str = "") -> None:
    """`language="/en"` logs in on the English form."""
    page.goto(f"{base}{language}/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
