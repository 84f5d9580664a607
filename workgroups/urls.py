from django.urls import path

from . import views

app_name = "workgroups"

urlpatterns = [
    path("grupy/", views.group_list, name="group_list"),
    path("grupy/<slug:slug>/", views.group_detail, name="group_detail"),
    path("grupy/<slug:slug>/zgloszenie/", views.ApplyView.as_view(), name="apply"),
    path("grupy/<slug:slug>/przestrzen-robocza/", views.workspace, name="workspace"),
    path("panel/grupy/zgloszenia/", views.ApplicationListView.as_view(), name="applications"),
    path("panel/grupy/zgloszenia/<int:pk>/", views.ApplicationDecideView.as_view(), name="application_decide"),
    path("panel/grupy/import-czlonkow/", views.MemberImportView.as_view(), name="member_import"),
    path("panel/grupy/czlonkostwa/<int:pk>/usun/", views.membership_remove, name="membership_remove"),
]
