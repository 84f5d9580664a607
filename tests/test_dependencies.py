"""Dependencies between apps point one way (docs/architecture.md): a lower app never imports a higher one.

Templates may load a higher app's tags (the opinion trace, a group's recommendations); Python modules
may not. The project package's URLconf, API root and pages sit on top of everything; its other
modules (the guard, the queue, versions, the page cache) import no app.
"""

import re
from pathlib import Path

ORDER = [
    "lublin2030",
    "accounts",
    "stages",
    "participation",
    "workgroups",
    "recommendations",
    "reports",
    "strategy",
    "consultation",
    "implementation",
]
PROJECT_TOP = {"lublin2030/urls.py", "lublin2030/api.py", "lublin2030/views.py"}
IMPORT = re.compile(r"^\s*(?:from|import) (\w+)", re.MULTILINE)
ROOT = Path(__file__).resolve().parent.parent


def test_no_app_imports_an_app_above_it():
    rank = {app: position for position, app in enumerate(ORDER)}
    upward = []
    for app in ORDER:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in PROJECT_TOP or "/management/" in relative:
                continue
            for imported in IMPORT.findall(path.read_text(encoding="utf-8")):
                if imported in rank and rank[imported] > rank[app]:
                    upward.append(f"{relative} imports {imported}")
    assert upward == []
