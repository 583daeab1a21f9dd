"""The insight pages and their CSVs, one module per page, on views/base.py."""
