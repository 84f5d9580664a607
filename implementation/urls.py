from django.urls import path

from . import chain_views, staff_views, views

app_name = "implementation"

urlpatterns = [
    # Public monitoring of the strategy in force
    path("strategia/realizacja/", views.monitoring, name="monitoring"),
    path("strategia/realizacja/dzialania/<int:pk>/", views.action_detail, name="action"),
    path("strategia/realizacja/programy/<int:pk>/", views.sector_strategy_detail, name="sector_strategy"),
    path("strategia/realizacja/wskazniki/<slug:key>/", views.indicator_detail, name="indicator"),
    path("strategia/podstawy/<slug:kind>/<slug:key>/", views.basis, name="basis"),
    path("strategia/zmiany/<int:number>/", views.changes_since_consultation, name="changes"),
    path("strategia/pokrycie/", chain_views.coverage, name="coverage"),
    # The chain of one opinion, and following it
    path("opinie/<int:pk>/droga/", chain_views.chain, name="chain"),
    path("opinie/<int:pk>/obserwuj/", chain_views.follow, name="follow"),
    path("konto/obserwowane/", chain_views.my_follows, name="my_follows"),
    path("obserwowane/wypisz/<str:token>/", chain_views.unsubscribe, name="unsubscribe"),
    # Staff
    path("panel/pokrycie/", chain_views.coverage_staff, name="coverage_staff"),
    path("panel/realizacja/", staff_views.home, name="staff_home"),
    path("panel/realizacja/programy/nowy/", staff_views.sector_strategy_edit, name="staff_sector_strategy_new"),
    path("panel/realizacja/programy/<int:pk>/", staff_views.sector_strategy_edit, name="staff_sector_strategy"),
    path("panel/realizacja/dzialania/nowe/", staff_views.action_edit, name="staff_action_new"),
    path("panel/realizacja/dzialania/<int:pk>/", staff_views.action_edit, name="staff_action"),
    path("panel/realizacja/usun/<slug:kind>/<int:pk>/", staff_views.delete, name="staff_delete"),
    path("panel/realizacja/edukacja/", staff_views.educational_event, name="staff_education"),
    path("panel/realizacja/wskazniki/<slug:key>/", staff_views.indicator_measurements, name="staff_indicator"),
    path(
        "panel/realizacja/wskazniki/<slug:key>/pomiary/<int:measurement_pk>/",
        staff_views.indicator_measurements,
        name="staff_measurement",
    ),
    path("panel/realizacja/pomiary/<int:pk>/usun/", staff_views.measurement_delete, name="staff_measurement_delete"),
    path("panel/realizacja/import/", staff_views.measurement_import, name="staff_import"),
    path("panel/realizacja/raport/", staff_views.report_request, name="staff_report"),
]
