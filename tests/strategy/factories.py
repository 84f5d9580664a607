"""Strategy test data, written straight to the models (the services are what the tests test)."""

from decimal import Decimal

from recommendations.models import RecommendationStatus
from strategy import markup
from strategy.models import (
    Block,
    BlockRevision,
    Chapter,
    ChecklistItem,
    ChecklistPhase,
    Citation,
    Direction,
    Indicator,
    Section,
    StrategicGoal,
    Strategy,
    StrategyVersion,
    TeamMembership,
    TeamRole,
    VersionState,
)
from strategy.reference import STRATEGY
from tests.accounts.factories import UserFactory
from tests.recommendations.factories import RecommendationFactory


def the_strategy() -> Strategy:
    strategy = Strategy.objects.filter(slug=STRATEGY["slug"]).first()
    return strategy or Strategy.objects.create(**STRATEGY)


def team_member(role=TeamRole.EDITOR, user=None, **kwargs):
    user = user or UserFactory(**kwargs)
    TeamMembership.objects.create(strategy=the_strategy(), user=user, role=role)
    return user


def editor(**kwargs):
    return team_member(TeamRole.EDITOR, **kwargs)


def expert(**kwargs):
    return team_member(TeamRole.EXPERT, **kwargs)


def reviewer(**kwargs):
    return team_member(TeamRole.DEPARTMENT, **kwargs)


def make_version(state=VersionState.WORKING, number=None, **kwargs) -> StrategyVersion:
    strategy = the_strategy()
    if number is None:
        number = StrategyVersion.objects.filter(strategy=strategy).count() + 1
    published = {"published_at": "2021-10-01T10:00:00+02:00"} if state in VersionState.values[2:] else {}
    return StrategyVersion.objects.create(strategy=strategy, number=number, state=state, **published, **kwargs)


def make_chapter(version, title="Wnioski z diagnozy", element="diagnosis", position=None) -> Chapter:
    position = position or Chapter.objects.filter(version=version).count() + 1
    return Chapter.objects.create(version=version, title=title, element=element, position=position)


def make_section(chapter, title="Sekcja", position=None) -> Section:
    position = position or Section.objects.filter(chapter=chapter).count() + 1
    return Section.objects.create(version=chapter.version, chapter=chapter, title=title, position=position)


def make_block(chapter, text="Lublin jest miastem **akademickim**.", section=None, position=None) -> Block:
    position = position or Block.objects.filter(chapter=chapter, section=section).count() + 1
    rendered = markup.render(text)
    block = Block.objects.create(
        version=chapter.version,
        chapter=chapter,
        section=section,
        text=text,
        html=rendered.html,
        plain=rendered.plain,
        kind=rendered.kind,
        position=position,
    )
    BlockRevision.objects.create(block=block, number=1, text=text)
    return block


def make_goal(version, title="Lublin miastem zielonym", dimension="spatial", position=None) -> StrategicGoal:
    position = position or StrategicGoal.objects.filter(version=version).count() + 1
    return StrategicGoal.objects.create(version=version, title=title, dimension=dimension, position=position)


def make_direction(goal, title="Więcej drzew przy ulicach", position=None) -> Direction:
    position = position or Direction.objects.filter(goal=goal).count() + 1
    return Direction.objects.create(version=goal.version, goal=goal, title=title, position=position)


def make_indicator(goal=None, direction=None, name="Powierzchnia terenów zieleni", **kwargs) -> Indicator:
    version = (goal or direction).version
    values = {
        "unit": "ha",
        "baseline_value": Decimal("1250.5"),
        "baseline_year": 2019,
        "target_value": Decimal("1400"),
        "target_year": 2030,
        "source": "GUS, Bank Danych Lokalnych",
        "frequency": "annual",
        "polarity": "more",
        **kwargs,
    }
    position = Indicator.objects.filter(version=version, goal=goal, direction=direction).count() + 1
    return Indicator.objects.create(
        version=version, goal=goal, direction=direction, name=name, position=position, **values
    )


def included(**kwargs):
    return RecommendationFactory(status=RecommendationStatus.INCLUDED, **kwargs)


def cite(target, recommendation):
    field = {StrategicGoal: "goal", Direction: "direction", Block: "block"}[type(target)]
    return Citation.objects.create(version=target.version, recommendation=recommendation, **{field: target})


def checklist_item(version, title="Opinia RDOŚ", mandatory=True, status="todo", **kwargs):
    position = ChecklistItem.objects.filter(version=version).count() + 1
    return ChecklistItem.objects.create(
        version=version,
        phase=ChecklistPhase.FORMAL,
        title=title,
        mandatory=mandatory,
        status=status,
        position=position,
        **kwargs,
    )
