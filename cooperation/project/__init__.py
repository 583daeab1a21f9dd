"""The project's own site-wide code: settings, the root URLconf, the API's URLs and router for
both apps, the site-wide pages (home, search, regions, eras, codebook), WSGI and ASGI. These are
the only modules of `cooperation` that import `casestudies` (tests/project/test_dependencies.py
lists them)."""
