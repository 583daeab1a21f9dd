"""Hostile and malformed input through every way in: the search box, every list filter, order
and page number (site and API), slugs and ids in URLs, every API write, the admin's forms, the
admin import page and the import_atlas command.

Each value must get a clear 4xx or a form error naming what is wrong, never a 500; what is
echoed back must be escaped; and the database must be exactly as it was (row counts and a
checksum of every table the atlas writes)."""
