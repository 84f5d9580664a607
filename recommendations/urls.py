from django.urls import path

from . import staff_views, views, workspace_views

app_name = "recommendations"

urlpatterns = [
    path("rekomendacje/", views.recommendation_list, name="list"),
    path("rekomendacje/<int:pk>/", views.recommendation_detail, name="detail"),
    path("rekomendacje/<int:pk>/komentarz/", views.comment_create, name="comment"),
    path("rekomendacje/<int:pk>/edycja/", workspace_views.RecommendationEditView.as_view(), name="edit"),
    path("rekomendacje/<int:pk>/dowody/", workspace_views.evidence, name="evidence"),
    path("rekomendacje/<int:pk>/dowody/szukaj/", workspace_views.evidence_search, name="evidence_search"),
    path("rekomendacje/<int:pk>/historia/", workspace_views.history, name="history"),
    path("rekomendacje/<int:pk>/zloz/", workspace_views.submit, name="submit"),
    path("rekomendacje/<int:pk>/uwagi-grupy/", workspace_views.internal_comment_create, name="internal_comment"),
    path("rekomendacje/<int:pk>/wlacz-do-strategii/", staff_views.include, name="include"),
    path("rekomendacje/opinia/<int:opinion_pk>/", views.opinion_trace, name="opinion_trace"),
    path(
        "grupy/<slug:group_slug>/nowa-rekomendacja/", workspace_views.RecommendationCreateView.as_view(), name="create"
    ),
    path("panel/weryfikacja/", staff_views.VerificationQueueView.as_view(), name="verification_queue"),
    path("panel/weryfikacja/<int:pk>/", staff_views.VerifyView.as_view(), name="verify"),
    path("panel/komentarze-rekomendacji/", staff_views.CommentModerationView.as_view(), name="comment_moderation"),
    path("panel/rekomendacje/eksport/", staff_views.ExportView.as_view(), name="export"),
]
