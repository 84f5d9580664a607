from django.urls import path

from . import staff_views, views

app_name = "participation"

urlpatterns = [
    path("opinie/", views.opinion_list, name="opinion_list"),
    path("opinie/nowa/", views.opinion_create, name="opinion_create"),
    path("opinie/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinie/<int:pk>/wyslana/", views.opinion_submitted, name="opinion_submitted"),
    path("opinie/<int:pk>/zglos/", views.opinion_flag, name="opinion_flag"),
    path("moje-opinie/", views.my_opinions, name="my_opinions"),
    path("statystyki/", views.statistics, name="statistics"),
    path("wydarzenia/", views.event_list, name="event_list"),
    path("panel/moderacja/", staff_views.moderation_queue, name="moderation_queue"),
    path("panel/moderacja/opinie/<int:pk>/", staff_views.moderation_detail, name="moderation_detail"),
    path("panel/moderacja/dziennik/", staff_views.moderation_log, name="moderation_log"),
    path("panel/wydarzenia/", staff_views.event_manage, name="event_manage"),
    path("panel/wydarzenia/nowe/", staff_views.event_create, name="event_create"),
    path("panel/wydarzenia/<int:pk>/", staff_views.event_update, name="event_update"),
]
