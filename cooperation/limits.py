"""The atlas's limits, each named once: what a slug may contain, how much of a search is read,
the years the filters take, and how many rows a page shows."""

import re

# A slug in a URL (and what reverse() puts into a URL unchanged).
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
SLUG = re.compile(SLUG_PATTERN)

# Of a search (on the site, in the API, in the admin), this many characters and words are read.
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10

# The years the year filters take: the range the atlas covers, with room on both sides.
YEAR_MIN = 1900
YEAR_MAX = 2100

# Rows per page: the API's default and its cap, the case-study list, the other entry lists.
API_PAGE_SIZE = 25
API_MAX_PAGE_SIZE = 100
CASE_STUDIES_PER_PAGE = 25
ENTRIES_PER_PAGE = 50

# Related records one API write may name in one field (the most any entry of the atlas has is a
# few dozen).
API_MAX_LINKS = 200

# A request body (form or JSON) is read up to this size: Django's default, named here so that the
# 413 answers can say it. An import file may be larger.
REQUEST_BODY_MAX_BYTES = 2_621_440
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# What a reviewer writes when sending an entry back (through the API; the admin's box is as long).
REVIEW_NOTE_MAX_LENGTH = 2000
