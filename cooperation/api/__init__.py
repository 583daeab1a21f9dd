"""The REST API's machinery and the core domain's resources, by DRF concept: `viewsets/` (one
module per subject, on `viewsets/base.py`), `serializers/` (output and input per subject, with
shared fields and references), `filters.py`, `permissions.py`, `throttling.py`,
`pagination.py`, `conditional.py` (ETags, 304, If-Match), `read_cache.py` (anonymous reads from
the cache), `formats.py` (strict JSON, CSV), `errors.py` (the one error shape) and `schema.py`
(OpenAPI). The URLs and router live in cooperation.project.api_urls."""
