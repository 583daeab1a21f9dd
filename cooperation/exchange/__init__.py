"""Records in and out: the validating importer (the fixtures, JSON and CSV), exports, backups,
and the one CSV writer and JSON encoder they share."""
