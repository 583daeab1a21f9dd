"""What the API reads and writes besides DRF's own: strict JSON, and CSV for lists."""

from rest_framework import exceptions, parsers, renderers


class JSONParser(parsers.JSONParser):
    """DRF's, but JSON nested too deep for Python's parser is a 400 like any other bad JSON,
    not a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from error


class CSVRenderer(renderers.BaseRenderer):
    """Chosen with `?format=csv` or `Accept: text/csv` on list endpoints; the view streams the
    rows itself, so this only renders what never reaches it (nothing)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else str(data).encode(self.charset)
