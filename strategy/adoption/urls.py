from django.urls import path

from . import views

app_name = "adoption"

urlpatterns = [
    path("panel/strategia/wersje/<int:number>/uchwalenie/", views.adoption_page, name="ws"),
    path("panel/strategia/wersje/<int:number>/uchwalenie/projekt-koncowy/", views.publish_final, name="publish_final"),
    path("panel/strategia/wersje/<int:number>/uchwalenie/kroki/<slug:kind>/", views.record_step, name="record_step"),
    path("panel/strategia/wersje/<int:number>/uchwalenie/uchwala/", views.record_resolution, name="record_resolution"),
    path(
        "panel/strategia/wersje/<int:number>/uchwalenie/uchwala/korekta/",
        views.correct_resolution,
        name="correct_resolution",
    ),
    path("strategia/uchwalenie/dokumenty/<int:pk>/<str:name>", views.step_document, name="step_document"),
    path("strategia/uchwaly/<int:pk>/<str:name>", views.resolution_document, name="resolution_document"),
]
