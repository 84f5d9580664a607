from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("rekomendacje/", views.recommendation_list, name="list"),
    path("rekomendacje/<int:pk>/", views.recommendation_detail, name="detail"),
    path("rekomendacje/<int:pk>/komentarz/", views.comment_create, name="comment"),
    path("rekomendacje/<int:pk>/edycja/", views.RecommendationEditView.as_view(), name="edit"),
    path("rekomendacje/<int:pk>/dowody/", views.evidence, name="evidence"),
    path("rekomendacje/<int:pk>/dowody/szukaj/", views.evidence_search, name="evidence_search"),
    path("rekomendacje/<int:pk>/historia/", views.history, name="history"),
    path("rekomendacje/<int:pk>/zloz/", views.submit, name="submit"),
    path("rekomendacje/<int:pk>/uwagi-grupy/", views.internal_comment_create, name="internal_comment"),
    path("rekomendacje/<int:pk>/wlacz-do-strategii/", views.include, name="include"),
    path("rekomendacje/opinia/<int:opinion_pk>/", views.opinion_trace, name="opinion_trace"),
    path("grupy/<slug:group_slug>/nowa-rekomendacja/", views.RecommendationCreateView.as_view(), name="create"),
    path("panel/weryfikacja/", views.VerificationQueueView.as_view(), name="verification_queue"),
    path("panel/weryfikacja/<int:pk>/", views.VerifyView.as_view(), name="verify"),
    path("panel/komentarze-rekomendacji/", views.CommentModerationView.as_view(), name="comment_moderation"),
    path("panel/rekomendacje/eksport/", views.ExportView.as_view(), name="export"),
]
