"""Dependencies point one way: `casestudies` builds on `cooperation`. Of `cooperation`, only the
project's site-wide modules listed here import `casestudies` (the root URLs, the API's router,
the site-wide pages, which show both apps' records, and the web server's settings, which warm
the case-study facet index as a worker starts), and no `cooperation` migration depends on a
`casestudies` one. A new import of `casestudies` elsewhere in `cooperation` fails here: move the
code that needs both apps into cooperation/project/, or into `casestudies`."""

import ast
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

SITE_WIDE = {
    "cooperation/project/api_urls.py",
    "cooperation/project/gunicorn.py",
    "cooperation/project/urls.py",
    "cooperation/project/views.py",
}


def imported(source):
    """Every module a Python source imports, at the top or inside a function."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def forbidden_imports(root):
    """(module path, imported module) for each import of casestudies from cooperation outside
    the site-wide modules and the migrations."""
    found = []
    for path in sorted((root / "cooperation").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name in SITE_WIDE or "/migrations/" in name:
            continue
        for module in imported(path.read_text(encoding="utf-8")):
            if module == "casestudies" or module.startswith("casestudies."):
                found.append((name, module))
    return sorted(set(found))


def test_only_the_site_wide_modules_import_casestudies():
    root = Path(settings.BASE_DIR)
    assert forbidden_imports(root) == []
    # The list is kept honest: each site-wide module exists and does import casestudies.
    for name in SITE_WIDE:
        modules = set(imported((root / name).read_text(encoding="utf-8")))
        assert any(module.startswith("casestudies") for module in modules), name


def test_the_check_finds_a_forbidden_import_wherever_it_stands(tmp_path):
    package = tmp_path / "cooperation" / "caching"
    package.mkdir(parents=True)
    (package / "pages.py").write_text(
        "import json\nfrom casestudies.models import CaseStudy\n\n"
        "def count():\n    import casestudies.filters\n    return CaseStudy\n"
    )
    (tmp_path / "cooperation" / "project").mkdir()
    (tmp_path / "cooperation" / "project" / "urls.py").write_text("from casestudies import urls\n")
    assert forbidden_imports(tmp_path) == [
        ("cooperation/caching/pages.py", "casestudies.filters"),
        ("cooperation/caching/pages.py", "casestudies.models"),
        ("cooperation/caching/pages.py", "casestudies.models.CaseStudy"),
    ]


def test_no_cooperation_migration_depends_on_a_casestudies_one():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    crossing = [
        (key, parent.key)
        for key, node in loader.graph.node_map.items()
        if key[0] == "cooperation"
        for parent in node.parents
        if parent.key[0] == "casestudies"
    ]
    assert crossing == []
