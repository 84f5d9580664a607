from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("panel/raporty/", views.ReportListView.as_view(), name="list"),
    path("panel/raporty/<int:pk>/stan/", views.report_status, name="status"),
    path("panel/raporty/<int:pk>/pobierz/", views.report_download, name="download"),
    path("panel/raporty/<int:pk>/ponow/", views.report_retry, name="retry"),
    path("panel/raporty/<int:pk>/publikuj/", views.report_publish, name="publish"),
    path("panel/raporty/<int:pk>/wycofaj/", views.report_unpublish, name="unpublish"),
    path("raporty/<int:pk>/<str:name>", views.public_download, name="public_download"),
]
