from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("moje-dane/", views.personal_data_download, name="personal_data"),
    path("usun/", views.account_delete, name="delete"),
]
