"""What goes into the reports' HTML: structure, language, contents, summary tables, escaping."""

import re

import pytest
from django.utils import translation

from participation.models import Area, District
from reports import rendering, selectors
from reports.models import ReportKind
from tests.reports.factories import ReportFactory, published_opinions

pytestmark = pytest.mark.django_db


def front_html(report, **kwargs):
    plan = selectors.opinion_plan(area_id=report.area_id)
    names = selectors.reference_names()
    with translation.override(report.language):
        return rendering.opinions_front_html(
            report, summary=plan.summary, groups=plan.groups, names=names, **kwargs
        ), plan


def test_single_pass_html_has_language_title_contents_summary_and_every_opinion(reference_data):
    published_opinions(3, text="Zażółć gęślą jaźń, opinia {n}")
    report = ReportFactory()
    plan = selectors.opinion_plan()
    names = selectors.reference_names()
    with translation.override("pl"):
        blocks = rendering.opinion_blocks(
            selectors.opinions_by_ids(plan.ids), None, names, rendering.group_counts(plan.groups)
        )
        html = rendering.opinions_front_html(
            report, summary=plan.summary, groups=plan.groups, names=names, single_pass=True, body=blocks
        )
    assert '<html lang="pl">' in html
    assert "<title>Raport tematyczny opinii: wszystkie obszary</title>" in html
    assert html.count('<article class="opinion">') == 3
    assert "Zażółć gęślą jaźń, opinia 2" in html
    # Contents point at the headings, numbered by WeasyPrint's target-counter in one pass.
    area = Area.objects.order_by("position").first()
    district = District.objects.order_by("position").first()
    assert f'data-href="#area-{area.pk}-district-{district.pk}"' in html
    assert f'<h3 class="district-title" id="area-{area.pk}-district-{district.pk}">' in html
    assert "target-counter(attr(data-href url), page)" in html
    # Footer in Polish, drawn by WeasyPrint itself in a single pass.
    assert 'content: "strona " counter(page) " z " counter(pages)' in html


def test_summary_tables_have_captions_and_header_scopes(reference_data):
    published_opinions(2)
    html, _plan = front_html(ReportFactory())
    tables = re.findall(r"<table class=\"data\">.*?</table>", html, re.S)
    assert len(tables) == 4  # by area, channel, month, district
    for table in tables:
        assert "<caption>" in table
        assert '<th scope="col"' in table
        assert '<th scope="row">' in table


def test_report_of_one_area_leaves_out_the_area_table_and_other_areas(reference_data):
    first, second = Area.objects.order_by("position")[:2]
    published_opinions(2, area=first, text="pierwszy obszar {n}")
    published_opinions(1, area=second, text="drugi obszar {n}")
    report = ReportFactory(area=first)
    html, plan = front_html(report)
    assert plan.total == 2
    assert "summary-areas" not in html
    assert second.name_pl not in html


def test_front_matter_for_parts_uses_fixed_page_numbers_and_targets_of_its_own(reference_data):
    published_opinions(1)
    html, plan = front_html(ReportFactory(), page_of=lambda anchor: "88")
    area_id = plan.groups[0]["area"]
    # The link target exists in this document (the merge points it at the body) and the number is fixed.
    assert f'<li id="area-{area_id}"><a href="#area-{area_id}"><span class="toc-page">88</span>' in html
    assert "counter(pages)" not in html  # footers are stamped by the merge


def test_english_report_is_english(reference_data):
    published_opinions(1)
    html, _plan = front_html(ReportFactory(language="en"))
    assert '<html lang="en">' in html
    assert "<title>Thematic report of opinions: all areas</title>" in html
    assert ">Contents<" in html


def test_opinion_text_is_escaped(reference_data):
    opinion = published_opinions(1, text='<script>alert("x")</script><img src="file:///etc/passwd"> {n}')[0]
    names = selectors.reference_names()
    with translation.override("pl"):
        blocks = rendering.opinion_blocks([opinion], None, names, {})
        html = rendering.opinions_part_html(ReportFactory(), blocks=blocks)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_a_part_starting_inside_a_district_repeats_its_name_without_a_heading(reference_data):
    opinions = published_opinions(3)
    names = selectors.reference_names()
    key = (opinions[0].area_id, opinions[0].district_id)
    with translation.override("pl"):
        continuing = rendering.opinion_blocks(opinions[1:], key, names, {})
        starting = rendering.opinion_blocks(opinions, None, names, {})
    assert [b["type"] for b in continuing] == ["continued", "opinion", "opinion"]
    assert "(ciąg dalszy)" in continuing[0]["text"]
    assert [b["type"] for b in starting] == ["area", "district", "opinion", "opinion", "opinion"]


def test_footer_css_follows_the_language():
    with translation.override("en"):
        assert rendering.footer_css() == '"page " counter(page) " of " counter(pages)'
        assert rendering.footer_text(3, 12) == "page 3 of 12"
    with translation.override("pl"):
        assert rendering.footer_text(3, 12) == "strona 3 z 12"


def test_the_renderer_loads_only_the_shipped_fonts():
    fetcher = rendering._fetcher()
    assert fetcher.fetch(rendering.FONT_REGULAR.as_uri()) is not None
    for url in ("file:///etc/passwd", "http://127.0.0.1:8000/", "https://example.org/x.png"):
        with pytest.raises(ValueError, match="nothing but their own fonts"):
            fetcher.fetch(url)


def test_working_groups_and_verification_reports_render(reference_data):
    """The two reports of the recommendations app print their fixed structure (one pass)."""
    from tests.reports import recommendations_data

    data = recommendations_data.make()
    with translation.override("pl"):
        workgroups = rendering.workgroups_html(ReportFactory(kind=ReportKind.WORKGROUPS))
        verification = rendering.verification_html(ReportFactory(kind=ReportKind.VERIFICATION))
    recommendation = data["verified"]
    assert recommendation.title in workgroups
    for heading in ("Wizja", "Diagnoza", "Cele", "Kierunki działań"):
        assert f"<h4>{heading}</h4>" in workgroups
    assert data["draft"].title not in workgroups  # drafts are the group's own
    assert "na podstawie 2 opublikowanych opinii" in workgroups
    assert "Pozytywna" in verification
    assert data["in_verification_justification"] not in verification  # verdicts only once verified
    assert recommendation.title in verification


def test_the_page_references_patch_writes_the_same_pdf_as_pristine_pydyf(tmp_path, monkeypatch):
    """A tagged document of many pages (every structure element refers to its page) rendered with the
    patch and with pydyf's own property: the files are identical, byte for byte."""
    import pydyf

    html = (
        "<html lang='pl'><head><title>Strony</title></head><body>"
        + "".join(f"<h2>Rozdział {n}</h2><p>{'Zieleń i ławki przy ulicy. ' * 60}</p>" for n in range(30))
        + "</body></html>"
    )
    patched = rendering.render_html(html, tmp_path / "patched.pdf")
    monkeypatch.setattr(pydyf.PDF, "page_references", pydyf.PDF._lublin_original_page_references)
    pristine = rendering.render_html(html, tmp_path / "pristine.pdf")
    assert patched.pages == pristine.pages > 10
    assert (tmp_path / "patched.pdf").read_bytes() == (tmp_path / "pristine.pdf").read_bytes()


def test_the_cached_page_references_follow_new_pages_as_pydyf_does():
    import pydyf

    pristine = pydyf.PDF._lublin_original_page_references.fget
    pdf = pydyf.PDF()
    for _ in range(4):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == pristine(pdf)


def test_the_patched_libraries_are_the_pinned_versions():
    assert rendering.installed_versions() == rendering.PATCHED_VERSIONS


def test_another_pydyf_version_stops_the_start(monkeypatch):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setattr(rendering, "installed_versions", lambda: {"pydyf": "0.14.0", "weasyprint": "70.0"})
    with pytest.raises(ImproperlyConfigured, match="pydyf"):
        apps.get_app_config("reports").ready()
