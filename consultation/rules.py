"""Who may do what in the consultation. Dates and states are checked in the services, which refuse with a
message (a comment after the deadline, a report while comments are unanswered), not with a 403.

The object, when given, is a Consultation or a Comment: both have a `version`, which is what the strategy
team's predicate reads to find the strategy.
"""

import rules

from accounts.rules import has_verified_email, is_city_coordinator, is_staff_member
from strategy.rules import is_editorial_member

from .models import Comment, Consultation


def _consultation(obj) -> Consultation | None:
    if isinstance(obj, Consultation):
        return obj
    if isinstance(obj, Comment):
        return obj.consultation
    return None


@rules.predicate
def is_announced(user, obj=None):
    consultation = _consultation(obj)
    return consultation is not None and consultation.announced_at is not None


@rules.predicate
def report_is_published(user, obj=None):
    consultation = _consultation(obj)
    return consultation is not None and consultation.report_published_at is not None


# The editorial team answers the comments beside the city's coordinators (DESIGN: "answers consultation
# comments"); moderators read the staff pages because they moderate and enter offline comments.
answering_team = is_city_coordinator | is_editorial_member
staff = is_staff_member | is_editorial_member

rules.add_perm("consultation.read_consultation", is_announced | staff)
rules.add_perm("consultation.manage_consultation", is_city_coordinator)
rules.add_perm("consultation.submit_comment", has_verified_email)
rules.add_perm("consultation.moderate_comment", is_staff_member)
rules.add_perm("consultation.enter_comments", is_staff_member)
rules.add_perm("consultation.read_triage", staff)
rules.add_perm("consultation.answer_comment", answering_team)
rules.add_perm("consultation.cite_comment", is_editorial_member)
rules.add_perm("consultation.generate_report", is_city_coordinator)
rules.add_perm("consultation.publish_report", is_city_coordinator)
rules.add_perm("consultation.read_report", report_is_published | staff)
