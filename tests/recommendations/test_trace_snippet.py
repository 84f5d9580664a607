"""The "Where did my opinion go?" snippet the participation pages include, and its filter for lists."""

import pytest
from django.template import Context, Template

from recommendations.models import RecommendationStatus
from recommendations.selectors import recommendations_citing
from tests.recommendations.factories import RecommendationFactory, cite

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template(source).render(Context(context))


def test_snippet_lists_the_citing_recommendations(reference_data):
    recommendation = RecommendationFactory(status=RecommendationStatus.VERIFIED, title="Zielone podwórka")
    opinion = cite(recommendation)
    html = render(
        '{% include "recommendations/_opinion_trace.html" %}',
        trace_recommendations=recommendations_citing(opinion_ids=[opinion.pk]).get(opinion.pk, []),
    )
    assert "Gdzie trafiła moja opinia?" in html
    assert f'href="{recommendation.get_absolute_url()}"' in html
    assert "Zweryfikowana" in html
    assert "<h2" in html


def test_snippet_in_a_list_with_a_lower_heading_and_unique_ids(reference_data):
    recommendation = RecommendationFactory(status=RecommendationStatus.SUBMITTED)
    cited, uncited = cite(recommendation), cite(RecommendationFactory())  # the second only by a draft
    traces = recommendations_citing(opinion_ids=[cited.pk, uncited.pk])
    source = (
        "{% load recommendations %}{% for opinion in opinions %}"
        '{% include "recommendations/_opinion_trace.html" with trace_recommendations=traces|citing:opinion.pk '
        'trace_id=opinion.pk trace_heading="h3" %}{% endfor %}'
    )
    html = render(source, opinions=[cited, uncited], traces=traces)
    assert html.count("<h3") == 2
    assert f'id="opinion-trace-title{cited.pk}"' in html
    assert f'id="opinion-trace-title{uncited.pk}"' in html
    assert recommendation.title in html
    assert "Żadna opublikowana rekomendacja" in html


def test_template_tags_for_the_opinion_page_and_my_opinions(reference_data, django_assert_num_queries):
    recommendation = RecommendationFactory(status=RecommendationStatus.INCLUDED, title="Miasto rowerów")
    opinions = [cite(recommendation) for _ in range(3)]
    with django_assert_num_queries(1):
        html = render("{% load recommendations %}{% opinion_trace opinion %}", opinion=opinions[0])
    assert "Miasto rowerów" in html
    source = (
        "{% load recommendations %}{% traces_for opinions as traces %}{% for opinion in opinions %}"
        '{% include "recommendations/_opinion_trace.html" with trace_recommendations=traces|citing:opinion.pk '
        'trace_id=opinion.pk trace_heading="h3" %}{% endfor %}'
    )
    with django_assert_num_queries(1):
        html = render(source, opinions=opinions)
    assert html.count("Miasto rowerów") == 3
