"""The insight pages and the statistics API: a timeline, the cooperation network and statistics of
the case studies the shared filters select (the same query string as the list).

The aggregates (timeline.py, network.py, statistics.py, from selection.py) each take a filtered
case-study queryset (CaseStudyFilterSet's result) and the requesting user, count only what the
user may see (drafts never count for the public), and run a fixed number of queries whatever the
number of rows. Lists that grow with the data (case studies on the timeline, actors in the
network, mechanisms and challenges) are capped, and each result says how many it left out.

The pages (views/) draw each aggregate with casestudies.charts and give its numbers in a table
and as CSV; the same tables feed both, so the two always carry the same numbers."""
