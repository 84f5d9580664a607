"""axe-core, injected into the page, checks WCAG 2.1 A/AA; serious or critical findings fail."""

from tests.services import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page, extra_tags=()) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> tag, so our strict
        # Content-Security-Policy stays on during the tests.
        page.evaluate("() => {\n" + AXE_SCRIPT.read_text(encoding="utf-8") + "\n}")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [*WCAG_TAGS, *extra_tags],
    )
    return [violation for violation in result["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def assert_no_axe_violations(page, extra_tags=()) -> None:
    """`extra_tags=("wcag22aa",)` adds WCAG 2.2 AA, whose "target size" (24 px) the phone test needs."""
    violations = axe_violations(page, extra_tags)
    if violations:
        lines = [f"axe-core found serious WCAG 2.1 A/AA violations on {page.url}:"]
        for violation in violations:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({targets})")
        raise AssertionError("\n".join(lines))
