"""Who may do what with reports.

Coordinators and admins ask for reports and publish them. Moderators read and download them too:
reports print only what is public or what staff already see (published opinions, submitted
recommendations, verdicts once verified), and moderators work with that material daily.
A published report is a public document: anyone may download it from the stage's page.
"""

import rules

from accounts.rules import is_city_coordinator, is_staff_member


@rules.predicate
def is_published_report(user, report):
    return report is not None and report.is_published


rules.add_perm("reports.read_report", is_staff_member)
rules.add_perm("reports.request_report", is_city_coordinator)
rules.add_perm("reports.publish_report", is_city_coordinator)
rules.add_perm("reports.download_published_report", is_published_report)
