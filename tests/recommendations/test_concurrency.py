"""Real concurrent transactions on PostgreSQL: two editors, two acceptances into the last place."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from recommendations import services
from recommendations.models import Recommendation
from tests.accounts.factories import coordinator
from tests.recommendations.factories import RecommendationFactory
from tests.recommendations.test_services import structure
from tests.workgroups.factories import ApplicationFactory, MembershipFactory, WorkingGroupFactory, member
from workgroups import services as workgroup_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    from workgroups import tasks

    monkeypatch.setattr(tasks.send_application_decision, "delay", lambda *args: None)


def race(*calls):
    """Run the calls at the same moment in their own threads (own connections); return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_editors_saving_the_same_version_at_once(reference_data, open_window):
    open_window("drafting")
    group = WorkingGroupFactory()
    recommendation = RecommendationFactory(group=group)
    alice, bob = member(group), member(group)

    def save(actor, vision):
        return lambda: services.recommendation_update(
            actor=actor, recommendation=recommendation, expected_version=1, structure=structure(vision=vision)
        )

    results = race(save(alice, "Wizja Alicji"), save(bob, "Wizja Boba"))
    conflicts = [r for r in results if isinstance(r, services.EditConflict)]
    saved = [r for r in results if isinstance(r, Recommendation)]
    assert len(conflicts) == 1, results
    assert len(saved) == 1, results
    recommendation.refresh_from_db()
    assert recommendation.version == 2
    assert recommendation.vision == saved[0].vision
    assert recommendation.versions.count() == 2


def test_two_acceptances_for_the_last_place(reference_data):
    group = WorkingGroupFactory()
    for _ in range(9):
        MembershipFactory(group=group)
    first, second = ApplicationFactory(group=group), ApplicationFactory(group=group)
    city_a, city_b = coordinator(), coordinator()

    def accept(actor, application):
        return lambda: workgroup_services.application_decide(actor=actor, application=application, accept=True)

    results = race(accept(city_a, first), accept(city_b, second))
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert group.memberships.count() == 10
