"""Staff data pages: import of offline opinions and export (namespace `participation_data`)."""

from django.urls import path  # noqa: F401

app_name = "participation_data"

urlpatterns = []
