"""A small, realistic demo: staff accounts, events, opinions, groups, recommendations.

Each app that has demo data exposes `<app>.demo.seed(stdout=..., **options)`; this command calls
them in the order of the data flow. Run `load_reference_data` first (make run does).
"""

import importlib

from django.core.management.base import BaseCommand

DEMO_MODULES = [
    "accounts.demo",
    "stages.demo",
    "participation.demo",
    "workgroups.demo",
    "recommendations.demo",
    "reports.demo",
    "strategy.demo",
    "consultation.demo",
    "implementation.demo_changes",
    "strategy.adoption.demo",
    "implementation.demo",
]


class Command(BaseCommand):
    help = "Create demo data (idempotent: existing demo data is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--opinions", type=int, default=600, help="How many demo opinions (default 600).")
        parser.add_argument("--seed", type=int, default=2030, help="Random seed, for repeatable data.")

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue  # this app has no demo data yet
            module.seed(stdout=self.stdout, opinions=options["opinions"], seed=options["seed"])
