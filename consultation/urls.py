from django.urls import path

from . import change_views, entry_views, report_views, staff_views, triage_views, views

app_name = "consultation"

urlpatterns = [
    # Public
    path("konsultacje/", views.current, name="current"),
    path("konsultacje/moje-uwagi/", views.my_comments, name="my_comments"),
    path("konsultacje/<int:pk>/", views.detail, name="detail"),
    path("konsultacje/<int:pk>/nowa-uwaga/", views.comment_create, name="comment_create"),
    path("konsultacje/<int:pk>/uwagi/", views.comment_list, name="comments"),
    path("konsultacje/<int:pk>/uwagi/<int:number>/", views.comment_detail, name="comment"),
    path("konsultacje/<int:pk>/sprawozdanie/", report_views.report, name="report"),
    path("konsultacje/<int:pk>/sprawozdanie/pdf/", report_views.report_pdf, name="report_pdf"),
    path("konsultacje/<int:pk>/sprawozdanie/uwagi.<str:fmt>", report_views.report_export, name="report_export"),
    # Staff
    path("panel/konsultacje/", staff_views.staff_list, name="staff_list"),
    path("panel/konsultacje/nowa/<int:number>/", staff_views.staff_create, name="staff_create"),
    path("panel/konsultacje/<int:pk>/", staff_views.staff_dashboard, name="staff_dashboard"),
    path("panel/konsultacje/<int:pk>/edycja/", staff_views.staff_edit, name="staff_edit"),
    path("panel/konsultacje/<int:pk>/ogloszenie/", staff_views.staff_announce, name="staff_announce"),
    path("panel/konsultacje/<int:pk>/spotkania/", staff_views.staff_meetings, name="staff_meetings"),
    path("panel/konsultacje/<int:pk>/spotkania/<int:meeting_pk>/", staff_views.staff_meeting_edit, name="meeting_edit"),
    path("panel/konsultacje/<int:pk>/uwagi/", triage_views.triage, name="triage"),
    path("panel/konsultacje/<int:pk>/uwagi/<int:number>/", triage_views.staff_comment, name="staff_comment"),
    path("panel/konsultacje/<int:pk>/moderacja/", triage_views.moderation, name="moderation"),
    path("panel/konsultacje/<int:pk>/grupy/", triage_views.groups, name="groups"),
    path("panel/konsultacje/<int:pk>/nowa-uwaga/", entry_views.enter, name="enter"),
    path("panel/konsultacje/<int:pk>/import/", entry_views.import_upload, name="import"),
    path("panel/konsultacje/<int:pk>/import/podglad/", entry_views.import_preview, name="import_preview"),
    path("panel/konsultacje/<int:pk>/import/zatwierdz/", entry_views.import_confirm, name="import_confirm"),
    path("panel/konsultacje/<int:pk>/import/anuluj/", entry_views.import_cancel, name="import_cancel"),
    path("panel/konsultacje/<int:pk>/import/wzor.csv", entry_views.import_template, name="import_template"),
    path("panel/konsultacje/<int:pk>/zmiany/", change_views.changes, name="changes"),
    path("panel/konsultacje/<int:pk>/zmiany/<int:number>/<slug:key>/", change_views.change_block, name="change_block"),
    path("panel/konsultacje/<int:pk>/sprawozdanie/", report_views.staff_report, name="staff_report"),
]
