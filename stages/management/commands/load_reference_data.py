from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# Each app that owns reference data adds its loader here; every loader is idempotent.
LOADERS = [
    "stages.reference.load.load_stages",
    "participation.reference.load_reference",
    "strategy.reference.load_reference",
    "strategy.adoption.reference.load_reference",
]


class Command(BaseCommand):
    help = "Load the process's reference data (stages, areas, districts, channels). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite texts and dates edited since the last load with the reference values.",
        )

    def handle(self, *args, reset=False, **options):
        for path in LOADERS:
            loader = import_string(path)
            result = loader(reset=reset)
            summary = ", ".join(f"{key}={value}" for key, value in result.items())
            self.stdout.write(f"{path.split('.')[0]}: {summary}")
