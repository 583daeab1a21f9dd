"""axe-core in the browser tests: a page passes with no serious or critical violation."""

from axe_playwright_python.sync_playwright import Axe


def assert_accessible(page):
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in serious]
