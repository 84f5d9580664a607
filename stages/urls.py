from django.urls import path

from . import views

app_name = "stages"

urlpatterns = [
    path("zarzadzanie/", views.ManageProcessView.as_view(), name="manage"),
    path("<slug:slug>/", views.stage_detail, name="detail"),
]
