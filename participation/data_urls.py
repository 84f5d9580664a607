"""Staff data pages: import of offline opinions and export (namespace `participation_data`)."""

from django.urls import path

from . import data_views

app_name = "participation_data"

urlpatterns = [
    path("import/", data_views.import_upload, name="import"),
    path("import/podglad/", data_views.import_preview, name="import_preview"),
    path("import/zatwierdz/", data_views.import_confirm, name="import_confirm"),
    path("import/anuluj/", data_views.import_cancel, name="import_cancel"),
    path("import/zadanie/<str:job_id>/", data_views.import_job, name="import_job"),
    path("import/wzor.csv", data_views.import_template, name="import_template"),
    path("eksport/", data_views.export_page, name="export"),
    path("eksport/pobierz/", data_views.export_download, name="export_download"),
]
