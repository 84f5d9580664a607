"""Working-group test data. Use with `reference_data` (areas) or let AreaFactory make an area."""

import factory

from tests.accounts.factories import UserFactory
from tests.participation.factories import AreaFactory
from workgroups.models import Application, MemberCategory, Membership, WorkingGroup


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ["area"]

    area = factory.SubFactory(AreaFactory)
    slug = factory.LazyAttribute(lambda group: group.area.slug)
    description_pl = "Grupa pracuje nad rekomendacjami dla swojego obszaru."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)
    category = MemberCategory.RESIDENT


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    group = factory.SubFactory(WorkingGroupFactory)
    applicant = factory.SubFactory(UserFactory)
    category = MemberCategory.RESIDENT
    motivation = "Mieszkam w Lublinie od dwudziestu lat i chcę pomóc."


def member(group, category=MemberCategory.RESIDENT, **kwargs):
    """A user who is a member of `group`."""
    return MembershipFactory(group=group, category=category, **kwargs).user


def leader(group, **kwargs):
    return member(group, MemberCategory.LEADER, **kwargs)
