"""The case studies in the API: serializers, filters and viewsets of case studies and their
three kinds of claim (participations, mechanisms used, challenges met), and the statistics
endpoints (stats.py). They build on cooperation.api; the router is cooperation.project.api_urls."""
