"""Every page of the walk-through on a 320 px phone: nothing scrolls sideways, and axe-core passes.

The pages come from the URLconf: every named URL of ours is either visited here, by the role that sees
its fullest form, or listed in NOT_PAGES with the reason (a POST action, a file, an htmx fragment), so a
new page cannot be forgotten. The data is the demo's (`seed_demo`): long Polish titles, full groups,
recommendations in every state with the city's assessment, plus a report and moderation decisions, and the
strategy taken on to two public versions and a working draft (strategy_versions).
Touch targets are checked too (WCAG 2.2 "target size", 24 px), which the 2.1 tags leave out.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser import session
from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 740}
DATA = Path(__file__).resolve().parent.parent / "participation" / "data_files"

ANONYMOUS = None
RESIDENT = "mieszkanka@example.org"  # a member of group 1 in the demo
LEADER = "lider1@example.org"
MODERATOR = "moderator@example.org"
COORDINATOR = "koordynatorka@example.org"
EDITOR = "redakcja@example.org"  # the strategy's editorial team (strategy/demo.py)
DEPARTMENT = "wydzial@example.org"  # a department's reviewer in the strategy's internal consultation

# Who opens each page: the role that sees its fullest form (staff see e-mails and action buttons).
PAGES = {
    "home": [ANONYMOUS, COORDINATOR],
    "privacy": [ANONYMOUS],
    "accessibility": [ANONYMOUS],
    "open_data": [ANONYMOUS],
    "stages:detail": [ANONYMOUS],
    "stages:manage": [COORDINATOR],
    "staff_home": [MODERATOR, COORDINATOR],
    "participation:opinion_list": [ANONYMOUS, RESIDENT],
    "participation:opinion_detail": [ANONYMOUS, MODERATOR],
    "participation:opinion_create": [RESIDENT],
    "participation:opinion_submitted": [RESIDENT],
    "participation:opinion_flag": [RESIDENT],
    "participation:my_opinions": [RESIDENT],
    "participation:statistics": [ANONYMOUS],
    "participation:event_list": [ANONYMOUS],
    "participation:moderation_queue": [MODERATOR],
    "participation:moderation_detail": [MODERATOR],
    "participation:moderation_log": [MODERATOR],
    "participation:event_manage": [COORDINATOR],
    "participation:event_create": [COORDINATOR],
    "participation:event_update": [COORDINATOR],
    "participation_data:import": [MODERATOR],
    "participation_data:export": [MODERATOR],
    "workgroups:group_list": [ANONYMOUS, COORDINATOR],
    "workgroups:group_detail": [ANONYMOUS, COORDINATOR],
    "workgroups:apply": [MODERATOR],  # any verified account that is not a member; the demo's staff are not
    "workgroups:workspace": [RESIDENT],
    "workgroups:applications": [COORDINATOR],
    "workgroups:application_decide": [COORDINATOR],
    "workgroups:member_import": [COORDINATOR],
    "recommendations:list": [ANONYMOUS],
    "recommendations:detail": [ANONYMOUS, RESIDENT, COORDINATOR],
    "recommendations:edit": [RESIDENT],
    "recommendations:create": [RESIDENT],
    "recommendations:evidence": [RESIDENT],
    "recommendations:history": [RESIDENT],
    "recommendations:submit": [LEADER],
    "recommendations:opinion_trace": [ANONYMOUS],
    "recommendations:verification_queue": [COORDINATOR],
    "recommendations:verify": [COORDINATOR],
    "recommendations:comment_moderation": [MODERATOR],
    "recommendations:export": [COORDINATOR],
    "reports:list": [COORDINATOR],
    "strategy:document": [ANONYMOUS],
    "strategy:versions": [ANONYMOUS],
    "strategy:version": [ANONYMOUS],  # an earlier public version
    "strategy:compare": [ANONYMOUS],
    "strategy:ws_home": [COORDINATOR],
    "strategy:ws_team": [COORDINATOR],
    "strategy:ws_compare": [EDITOR],
    "strategy:ws_version": [EDITOR, COORDINATOR],  # the working draft; a public version with its PDF
    "strategy:ws_chapter": [EDITOR],
    "strategy:ws_section": [EDITOR],
    "strategy:ws_block_new": [EDITOR],
    "strategy:ws_block": [EDITOR],
    "strategy:ws_block_history": [EDITOR],
    "strategy:ws_delete": [EDITOR],
    "strategy:ws_goals": [EDITOR],
    "strategy:ws_goal": [EDITOR],
    "strategy:ws_direction_new": [EDITOR],
    "strategy:ws_direction": [EDITOR],
    "strategy:ws_indicator_new": [EDITOR],
    "strategy:ws_indicator": [EDITOR],
    "strategy:ws_coverage": [EDITOR],
    "strategy:ws_checklist": [COORDINATOR],
    "strategy:ws_comments": [EDITOR],
    "strategy:ws_attachments": [EDITOR],
    "consultation:current": [ANONYMOUS],
    "consultation:detail": [ANONYMOUS, RESIDENT],
    "consultation:comment_create": [RESIDENT],
    "consultation:comments": [ANONYMOUS],
    "consultation:comment": [ANONYMOUS, COORDINATOR],
    "consultation:my_comments": [RESIDENT],
    "consultation:report": [COORDINATOR],
    "consultation:staff_list": [COORDINATOR],
    "consultation:staff_dashboard": [COORDINATOR],
    "consultation:staff_edit": [COORDINATOR],
    "consultation:staff_meetings": [COORDINATOR],
    "consultation:meeting_edit": [COORDINATOR],
    "consultation:triage": [COORDINATOR],
    "consultation:staff_comment": [COORDINATOR],
    "consultation:moderation": [MODERATOR],
    "consultation:groups": [COORDINATOR],
    "consultation:enter": [MODERATOR],
    "consultation:import": [MODERATOR],
    "consultation:changes": [COORDINATOR],
    "consultation:staff_report": [COORDINATOR],
    "accounts:home": [RESIDENT],
    "accounts:delete": [RESIDENT],
    "account_login": [ANONYMOUS],
    "account_signup": [ANONYMOUS],
    "account_reset_password": [ANONYMOUS],
    "account_email": [RESIDENT],
    "account_change_password": [RESIDENT],
    "account_logout": [RESIDENT],
}

# Reached by a journey below, not by a plain visit: the import's preview and its job page.
BY_JOURNEY = {"participation_data:import_preview", "participation_data:import_job"}

# The adoption and the monitoring walk their own pages at 320 px with their own data (the demo's adopted strategy
# would do too, but it needs the keys and ids of that data): tests/browser/test_monitoring_journey.py.
WALKED_BY_MONITORING = "walked at 320 px with axe by tests/browser/test_monitoring_journey.py"

NOT_PAGES = {
    "healthz": "machine endpoint (JSON)",
    "favicon": "a redirect to the site's icon",
    "set_language": "POST action of the language switch",
    "participation_data:import_confirm": "POST action",
    "participation_data:import_cancel": "POST action",
    "participation_data:import_template": "a CSV file",
    "participation_data:export_download": "a CSV or XLSX file",
    "workgroups:membership_remove": "POST action",
    "recommendations:comment": "POST action",
    "recommendations:evidence_search": "htmx fragment of the evidence page",
    "recommendations:internal_comment": "POST action",
    "recommendations:include": "POST action",
    "reports:status": "htmx fragment of the reports list",
    "reports:download": "a PDF file",
    "reports:retry": "POST action",
    "reports:publish": "POST action",
    "reports:unpublish": "POST action",
    "reports:public_download": "a PDF file",
    "accounts:personal_data": "a JSON file",
    "strategy:pdf": "a PDF file",
    "strategy:attachment": "a file (always a download)",
    "strategy:permalink": "a redirect to the paragraph's anchor on strategy:document or strategy:version",
    "strategy:ws_version_create": "POST action",
    "strategy:ws_state": "POST action",
    "strategy:ws_chapter_create": "POST action",
    "strategy:ws_section_create": "POST action",
    "strategy:ws_comment_add": "POST action",
    "strategy:ws_comment_answer": "POST action",
    "strategy:ws_move": "POST action",
    "strategy:ws_citation_add": "POST action",
    "strategy:ws_citation_remove": "POST action",
    "consultation:report_pdf": "a PDF file",
    "consultation:report_export": "a CSV, XLSX or JSON file",
    "consultation:staff_announce": "POST action",
    "consultation:import_confirm": "POST action",
    "consultation:import_cancel": "POST action",
    "consultation:import_template": "a CSV file",
    "consultation:import_preview": "reached after an upload: tests/browser/test_consultation_journey.py",
    "consultation:staff_create": "only for a consultation draft without a consultation (none in the demo): the journey",
    "consultation:change_block": "needs a version after the consultation (none in the demo): tests/consultation",
    "adoption:ws": WALKED_BY_MONITORING,
    "implementation:monitoring": WALKED_BY_MONITORING,
    "implementation:action": WALKED_BY_MONITORING,
    "implementation:sector_strategy": WALKED_BY_MONITORING,
    "implementation:indicator": WALKED_BY_MONITORING,
    "implementation:basis": WALKED_BY_MONITORING,
    "implementation:changes": WALKED_BY_MONITORING,
    "implementation:coverage": WALKED_BY_MONITORING,
    "implementation:chain": WALKED_BY_MONITORING,
    "implementation:my_follows": WALKED_BY_MONITORING,
    "implementation:coverage_staff": WALKED_BY_MONITORING,
    "implementation:staff_home": WALKED_BY_MONITORING,
    "implementation:staff_sector_strategy": WALKED_BY_MONITORING,
    "implementation:staff_action_new": WALKED_BY_MONITORING,
    "implementation:staff_indicator": WALKED_BY_MONITORING,
    "implementation:staff_import": WALKED_BY_MONITORING,
    "implementation:staff_sector_strategy_new": "the form of staff_sector_strategy, empty",
    "implementation:staff_action": "the form of staff_action_new, filled",
    "implementation:staff_measurement": "the form of staff_indicator, filled",
    "implementation:unsubscribe": "a page reached by a signed link from an e-mail (tests/implementation/test_following.py)",
    "adoption:publish_final": "POST action",
    "adoption:record_step": "POST action",
    "adoption:record_resolution": "POST action",
    "adoption:correct_resolution": "POST action",
    "implementation:follow": "POST action",
    "implementation:staff_delete": "POST action",
    "implementation:staff_education": "POST action",
    "implementation:staff_measurement_delete": "POST action",
    "implementation:staff_report": "POST action",
    "adoption:step_document": "a document file",
    "adoption:resolution_document": "a document file",
}
# The open-data API (JSON and its documentation page), allauth's own flows that need a token from an
# e-mail, and the Django admin (its own stylesheet) are outside the walk-through.
OUTSIDE = re.compile(r"^(api-[\d.]+:|admin:|account_|mfa_|socialaccount_|openapi)")


def named_urls() -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_page_of_ours_is_in_the_walk_through_or_said_why_not():
    ours = {name for name in named_urls() if not OUTSIDE.match(name)}
    unclassified = ours - set(PAGES) - BY_JOURNEY - set(NOT_PAGES)
    assert not unclassified, f"Add these pages to PAGES (with a role) or NOT_PAGES (with a reason): {unclassified}"
    assert not (set(PAGES) | BY_JOURNEY | set(NOT_PAGES)) - named_urls() - {"account_logout"}


@pytest.fixture
def demo(reference_data, settings, tmp_path):
    """The demo's data, and what the demo lacks: a report, moderation decisions, a resident's own opinion,
    public versions of the strategy."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import STAFF_ROLES
    from consultation.models import Consultation
    from participation import services as participation_services
    from participation.models import Event, ModerationStatus, Opinion
    from recommendations.models import Comment, Recommendation, RecommendationStatus
    from recommendations.services import comment_moderate
    from reports.models import Report, ReportStatus
    from tests.participation.factories import OpinionFactory
    from workgroups.models import Application, ApplicationStatus, WorkingGroup

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    for name in STAFF_ROLES:  # a transactional test starts without the groups the migration made
        Group.objects.get_or_create(name=name)
    call_command("seed_demo", opinions=150, stdout=io.StringIO())
    resident = User.objects.get(email=RESIDENT)
    moderator = User.objects.get(email=MODERATOR)
    for opinion in Opinion.objects.filter(status=ModerationStatus.PENDING)[:3]:
        participation_services.opinion_publish(actor=moderator, opinion=opinion)
    rejected = Opinion.objects.filter(status=ModerationStatus.PENDING).first()
    participation_services.opinion_reject(actor=moderator, opinion=rejected, reason="Treść nie dotyczy Lublina.")
    for comment in Comment.objects.filter(status=ModerationStatus.PENDING):
        comment_moderate(actor=moderator, comment=comment, publish=False, reason="Dane osobowe innej osoby.")
    group = WorkingGroup.objects.order_by("area__position", "area__name_pl").first()
    own = OpinionFactory(
        author=resident,
        area=group.area,
        text="Potrzebujemy bezpiecznych przejść dla pieszych przy szkołach na Czechowie, zwłaszcza rano.",
    )
    report = Report.objects.create(
        kind="opinions",
        language="pl",
        status=ReportStatus.DONE,
        progress=100,
        page_count=12,
        file_size=48_000,
        finished_at=timezone.now(),
        requested_by=User.objects.get(email=COORDINATOR),
    )
    report.file = f"reports/{report.pk}.pdf"
    report.save(update_fields=["file"])
    report.path.parent.mkdir(parents=True, exist_ok=True)
    report.path.write_bytes(b"%PDF-1.7 test")
    Report.objects.create(
        kind="opinions",
        language="pl",
        status=ReportStatus.RUNNING,
        progress=40,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    # The strategy's demo includes the verified recommendation: both included ones now say where they landed.
    included = Recommendation.objects.filter(status=RecommendationStatus.INCLUDED).order_by("id").first()
    consultation = Consultation.objects.get()
    Consultation.objects.filter(pk=consultation.pk).update(report_generated_at=timezone.now())  # a staff preview
    return {
        "strategy": strategy_versions(),
        "consultation": consultation,
        "consultation_comment": consultation.comments.filter(status=ModerationStatus.PUBLISHED).first(),
        "stage": "rozmawiamy-o-przyszlosci",
        "published": Opinion.objects.filter(status=ModerationStatus.PUBLISHED).exclude(author=resident).first(),
        "pending": Opinion.objects.filter(status=ModerationStatus.PENDING).first(),
        "own": own,
        "cited": included.evidence.first().opinion,
        "event": Event.objects.first(),
        "group": group,
        "application": Application.objects.filter(status=ApplicationStatus.PENDING).first(),
        "included": included,
        "draft": Recommendation.objects.filter(group=group, status=RecommendationStatus.DRAFT).first(),
        "submitted": Recommendation.objects.filter(status=RecommendationStatus.SUBMITTED).first(),
    }


def strategy_versions() -> dict:
    """The demo's strategy (version 1 consulted, version 2 adopted) taken further the way the city would:
    version 3, a working draft of an amendment, with a changed block, an open comment, attachments and a
    checklist item. So there are two public versions to compare and a working draft whose pages show every
    form. Returns the version numbers and the keys the workspace's addresses need."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from strategy import services
    from strategy.models import (
        AttachmentKind,
        Block,
        Direction,
        Indicator,
        StrategicGoal,
        StrategyVersion,
    )

    city, editor = User.objects.get(email=COORDINATOR), User.objects.get(email=EDITOR)
    reviewer = User.objects.get(email=DEPARTMENT)
    # The demo has taken its draft through the consultation (version 1) to the adopted text (version 2).
    first, second = StrategyVersion.objects.public().order_by("number")[:2]

    def changed(version, text: str) -> Block:
        block = Block.objects.filter(version=version, section__isnull=False).order_by("id").first()
        return services.block_update(actor=editor, block=block, expected_revision=block.revision, text=text)

    third = services.version_create(actor=editor, strategy=first.strategy, based_on=second, note="Zmiana strategii")
    block = changed(third, "Udział osób w wieku 65+ wzrósł z 15,1% w 2010 r. do **21,4%** w 2019 r.")
    services.internal_comment_add(actor=reviewer, block=block, text="Proszę podać źródło danych z 2019 roku.")
    png = SimpleUploadedFile("model.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    services.attachment_add(
        actor=editor, version=third, upload=png, title="Model struktury funkcjonalno-przestrzennej", kind="map"
    )
    item = services.checklist_item_add(
        actor=city, version=third, title="Uchwała Rady Miasta w sprawie przyjęcia strategii", mandatory=True
    )
    opinion = SimpleUploadedFile("opinia.pdf", b"%PDF-1.7 opinia prawna")
    services.attachment_add(
        actor=city,
        version=third,
        checklist_item=item,
        upload=opinion,
        title="Opinia radcy prawnego",
        kind=AttachmentKind.OPINION,
        listed_publicly=False,
    )
    return {
        "earlier": first.number,
        "public": second.number,
        "working": third.number,
        "chapter": block.chapter.key,
        "section": block.section.key,
        "block": block.key,
        "goal": StrategicGoal.objects.filter(version=third).order_by("-position").first().key,
        "direction": Direction.objects.filter(version=third).order_by("id").first().key,
        "indicator": Indicator.objects.filter(version=third).order_by("id").first().key,
    }


STRATEGY_ELEMENTS = {
    "strategy:ws_chapter": "chapter",
    "strategy:ws_section": "section",
    "strategy:ws_block": "block",
    "strategy:ws_block_history": "block",
    "strategy:ws_goal": "goal",
    "strategy:ws_direction": "direction",
    "strategy:ws_indicator": "indicator",
}


def strategy_urls(name, role, data) -> list[str]:
    """The strategy's pages: public ones by version number, the workspace's by number and stable key."""
    numbers = data["strategy"]
    working = {"number": numbers["working"]}
    if name == "strategy:version":
        return [reverse(name, kwargs={"number": numbers["earlier"]})]
    if name in ("strategy:compare", "strategy:ws_compare"):
        old, new = ("earlier", "public") if name == "strategy:compare" else ("public", "working")
        return [reverse(name) + f"?od={numbers[old]}&do={numbers[new]}"]
    if name in ("strategy:document", "strategy:versions", "strategy:ws_home", "strategy:ws_team"):
        return [reverse(name)]
    if name == "strategy:ws_version" and role == COORDINATOR:
        return [reverse(name, kwargs={"number": numbers["public"]})]
    if name == "strategy:ws_checklist":  # the working draft's, with its forms; the published one's, settled
        return [reverse(name, kwargs={"number": numbers[which]}) for which in ("working", "earlier")]
    if name in STRATEGY_ELEMENTS:
        return [reverse(name, kwargs={**working, "key": numbers[STRATEGY_ELEMENTS[name]]})]
    if name == "strategy:ws_delete":
        return [reverse(name, kwargs={**working, "kind": "block", "key": numbers["block"]})]
    if name == "strategy:ws_block_new":
        return [reverse(name, kwargs=working) + f"?rozdzial={numbers['chapter']}&sekcja={numbers['section']}"]
    return [reverse(name, kwargs=working)]


def urls_for(name, role, data) -> list[str]:
    """The page's address(es) with the demo's objects in place of its arguments."""
    pk_of = {
        "participation:opinion_detail": data["published"].pk,
        "participation:opinion_submitted": data["own"].pk,
        "participation:opinion_flag": data["published"].pk,
        "participation:moderation_detail": data["pending"].pk,
        "participation:event_update": data["event"].pk,
        "workgroups:application_decide": data["application"].pk,
        "recommendations:edit": data["draft"].pk,
        "recommendations:evidence": data["draft"].pk,
        "recommendations:history": data["draft"].pk,
        "recommendations:submit": data["draft"].pk,
        "recommendations:verify": data["submitted"].pk,
    }
    if name in pk_of:
        return [reverse(name, kwargs={"pk": pk_of[name]})]
    if name == "recommendations:detail":
        targets = {ANONYMOUS: [data["included"]], RESIDENT: [data["draft"]], COORDINATOR: [data["included"]]}
        return [recommendation.get_absolute_url() for recommendation in targets[role]]
    if name == "recommendations:opinion_trace":
        return [reverse(name, kwargs={"opinion_pk": data["cited"].pk})]
    if name == "recommendations:create":
        return [reverse(name, kwargs={"group_slug": data["group"].slug})]
    if name in ("workgroups:group_detail", "workgroups:workspace", "workgroups:apply"):
        return [reverse(name, kwargs={"slug": data["group"].slug})]
    if name.startswith("consultation:") and name not in (
        "consultation:current",
        "consultation:my_comments",
        "consultation:staff_list",
    ):
        kwargs = {"pk": data["consultation"].pk}
        if name in ("consultation:comment", "consultation:staff_comment"):
            kwargs["number"] = data["consultation_comment"].number
        if name == "consultation:meeting_edit":
            kwargs["meeting_pk"] = data["consultation"].meetings.first().pk
        return [reverse(name, kwargs=kwargs)]
    if name == "stages:detail":
        return [reverse(name, kwargs={"slug": data["stage"]})]
    if name.startswith("strategy:"):
        return strategy_urls(name, role, data)
    return [reverse(name)]


def log_in(page, base, email):
    session.log_in(page, base, email, password=DEMO_PASSWORD)


def log_out(page):
    page.context.clear_cookies()


def check_phone_page(page, url, problems: list[str]) -> None:
    """No sideways scrolling, no serious axe finding, targets of at least 24 px; problems are collected."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.evaluate("() => window.innerWidth")
    if width > viewport:
        wide = page.evaluate(
            """(viewport) => Array.from(document.querySelectorAll('main *, header *, footer *'))
                .filter((el) => el.getBoundingClientRect().right > viewport + 1)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                     + ' ' + Math.round(el.getBoundingClientRect().right) + 'px')""",
            viewport,
        )
        problems.append(f"{url} scrolls sideways at {viewport} px: {width} px wide; widest: {wide}")
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('input[type=checkbox], input[type=radio]'))
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.name || el.id, el.getBoundingClientRect()])
            .filter(([, box]) => box.width < 24 || box.height < 24)
            .map(([name, box]) => name + ' ' + Math.round(box.width) + 'x' + Math.round(box.height))"""
    )
    if small:
        problems.append(f"{url}: checkboxes or radio buttons under 24 px: {small[:5]}")
    try:
        assert_no_axe_violations(page, extra_tags=("wcag22aa",))
    except AssertionError as error:
        problems.append(str(error))


def test_every_page_fits_a_320_px_phone_and_passes_axe(browser_context, live_server, demo):
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    base = live_server.url
    by_role = {}
    for name, roles in PAGES.items():
        for role in roles:
            by_role.setdefault(role, []).append(name)
    visited, problems = [], []
    for role in (ANONYMOUS, RESIDENT, LEADER, MODERATOR, COORDINATOR, EDITOR):
        log_out(page)
        if role:
            log_in(page, base, role)
        for name in by_role.get(role, []):
            for url in urls_for(name, role, demo):
                response = page.goto(base + url)
                assert response.status == 200, f"{url} as {role or 'anonymous'}: {response.status}"
                check_phone_page(page, url, problems)
                visited.append(url)
        if role == MODERATOR:
            # The import's preview and its job page, reached the way staff reach them.
            page.goto(base + reverse("participation_data:import"))
            page.locator("input[type=file]").set_input_files(str(DATA / "polish_excel_cp1250.csv"))
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            expect(page).to_have_url(re.compile("/podglad/"))
            check_phone_page(page, page.url, problems)
            page.locator("main form button[type=submit]", has_text=re.compile("^Importuj")).first.click()
            page.wait_for_load_state()
            expect(page).to_have_url(re.compile("/zadanie/"))
            check_phone_page(page, page.url, problems)
    assert len(visited) >= len(PAGES)
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_menu_folds_and_the_first_opinion_is_near_the_top(browser_context, live_server, demo):
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, COORDINATOR)  # the longest menu: staff panel, my opinions, account
    page.goto(live_server.url + "/opinie/")
    nav = page.get_by_role("navigation", name="Menu główne")
    assert nav.bounding_box()["height"] < 80  # one row: the "Menu" button, not three rows of links
    toggle = nav.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Rekomendacje")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Rekomendacje")).to_be_visible()
    page.keyboard.press("Escape")
    expect(toggle).to_be_focused()
    expect(nav.get_by_role("link", name="Rekomendacje")).to_be_hidden()
    # The filters fold too: the first opinion's title is on the first screen, not 1,100 px down.
    first = page.locator(".opinion-list > li h3").first
    assert first.bounding_box()["y"] + 24 < PHONE["height"]
    summary = page.locator(".filter-panel > summary")
    summary.click()
    expect(page.get_by_label("Obszar strategiczny")).to_be_visible()
    # "Pamiętaj mnie" on the login page: a 24 px target, not the browser's 13 px box.
    page.context.clear_cookies()
    page.goto(live_server.url + "/konto/login/")
    box = page.get_by_label("Pamiętaj mnie").bounding_box()
    assert box["width"] >= 24
    assert box["height"] >= 24


def test_on_a_laptop_the_menu_is_one_row_and_log_out_does_not_wrap(browser_context, live_server, demo):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url, COORDINATOR)
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Menu główne")
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    tops = {round(item.bounding_box()["y"]) for item in nav.locator("#main-menu > li").all()}
    assert len(tops) == 1, f"the menu takes {len(tops)} rows at 1366 px"
    log_out_button = nav.get_by_role("button", name="Wyloguj się")
    line = page.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)", log_out_button.element_handle())
    assert log_out_button.bounding_box()["height"] < 2 * line
    # Opinions' filters sit open beside the results on a wide screen.
    page.goto(live_server.url + "/opinie/")
    expect(page.get_by_label("Obszar strategiczny")).to_be_visible()
