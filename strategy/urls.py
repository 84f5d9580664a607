from django.urls import path
from django.views.generic import RedirectView

from . import views
from . import workspace_views as ws

app_name = "strategy"

urlpatterns = [
    # Public
    path("strategia/", views.document_latest, name="document"),
    path("strategy/", RedirectView.as_view(pattern_name="strategy:document", permanent=True)),
    path("strategia/wersje/", views.version_list, name="versions"),
    path("strategia/wersje/<int:number>/", views.version_detail, name="version"),
    path("strategia/wersje/<int:number>/pdf/", views.version_pdf, name="pdf"),
    path("strategia/roznice/", views.compare, name="compare"),
    path("strategia/akapit/<slug:key>/", views.permalink, name="permalink"),
    path("strategia/zalaczniki/<int:pk>/<str:name>", views.attachment_download, name="attachment"),
    # The editorial workspace
    path("panel/strategia/", ws.home, name="ws_home"),
    path("panel/strategia/nowa-wersja/", ws.version_create, name="ws_version_create"),
    path("panel/strategia/zespol/", ws.team, name="ws_team"),
    path("panel/strategia/roznice/", ws.compare, name="ws_compare"),
    path("panel/strategia/wersje/<int:number>/", ws.version_page, name="ws_version"),
    path("panel/strategia/wersje/<int:number>/stan/", ws.version_state, name="ws_state"),
    path("panel/strategia/wersje/<int:number>/rozdzialy/", ws.chapter_create, name="ws_chapter_create"),
    path("panel/strategia/wersje/<int:number>/rozdzialy/<slug:key>/", ws.chapter_edit, name="ws_chapter"),
    path(
        "panel/strategia/wersje/<int:number>/rozdzialy/<slug:key>/sekcje/", ws.section_create, name="ws_section_create"
    ),
    path("panel/strategia/wersje/<int:number>/sekcje/<slug:key>/", ws.section_edit, name="ws_section"),
    path("panel/strategia/wersje/<int:number>/bloki/nowy/", ws.block_new, name="ws_block_new"),
    path("panel/strategia/wersje/<int:number>/bloki/<slug:key>/", ws.block_page, name="ws_block"),
    path("panel/strategia/wersje/<int:number>/bloki/<slug:key>/historia/", ws.block_history, name="ws_block_history"),
    path("panel/strategia/wersje/<int:number>/bloki/<slug:key>/uwagi/", ws.comment_add, name="ws_comment_add"),
    path("panel/strategia/wersje/<int:number>/przesun/", ws.element_move, name="ws_move"),
    path("panel/strategia/wersje/<int:number>/usun/<slug:kind>/<slug:key>/", ws.element_delete, name="ws_delete"),
    path("panel/strategia/wersje/<int:number>/cele/", ws.goals, name="ws_goals"),
    path("panel/strategia/wersje/<int:number>/cele/<slug:key>/", ws.goal_edit, name="ws_goal"),
    path("panel/strategia/wersje/<int:number>/kierunki/nowy/", ws.direction_edit, name="ws_direction_new"),
    path("panel/strategia/wersje/<int:number>/kierunki/<slug:key>/", ws.direction_edit, name="ws_direction"),
    path("panel/strategia/wersje/<int:number>/wskazniki/nowy/", ws.indicator_edit, name="ws_indicator_new"),
    path("panel/strategia/wersje/<int:number>/wskazniki/<slug:key>/", ws.indicator_edit, name="ws_indicator"),
    path("panel/strategia/wersje/<int:number>/cytowania/", ws.citation_add, name="ws_citation_add"),
    path("panel/strategia/wersje/<int:number>/cytowania/<int:pk>/usun/", ws.citation_remove, name="ws_citation_remove"),
    path("panel/strategia/wersje/<int:number>/pokrycie/", ws.coverage, name="ws_coverage"),
    path("panel/strategia/wersje/<int:number>/lista-kontrolna/", ws.checklist, name="ws_checklist"),
    path("panel/strategia/wersje/<int:number>/uwagi/", ws.comments, name="ws_comments"),
    path("panel/strategia/wersje/<int:number>/uwagi/<int:pk>/odpowiedz/", ws.comment_answer, name="ws_comment_answer"),
    path("panel/strategia/wersje/<int:number>/zalaczniki/", ws.attachments, name="ws_attachments"),
]
