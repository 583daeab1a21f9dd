"""Pages of a list: bounded sizes, and counts the list computes once."""

from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from rest_framework import exceptions, pagination
from rest_framework.settings import api_settings

from cooperation.limits import API_MAX_PAGE_SIZE


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` and `page_size`; a page size above the cap gets the cap. The view hands over the
    count it already has, so a page costs one query."""

    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Results per page, 1 or more; above {API_MAX_PAGE_SIZE} gives {API_MAX_PAGE_SIZE}."
    )
    max_page_size = API_MAX_PAGE_SIZE
    known_count = None

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return api_settings.PAGE_SIZE
        try:
            size = int(value)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Enter a whole number of 1 or more."]}
            )
        return min(size, self.max_page_size)

    def check(self, request, count):
        """Refuse a bad page size (400) or page (404) before anything else is answered."""
        paginator = DjangoPaginator(range(count), self.get_page_size(request))
        try:
            paginator.validate_number(self.get_page_number(request, paginator))
        except InvalidPage as error:
            raise exceptions.NotFound(
                self.invalid_page_message.format(page_number="", message=str(error))
            ) from error

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound("Invalid page: name one, or leave page out.")
        return super().get_page_number(request, paginator)

    def paginate_queryset(self, queryset, request, view=None, count=None):
        self.known_count = count
        self.release = getattr(view, "pinned_release", None)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # Where the list comes from: a release's version, or the live atlas.
        response.data["release"] = self.release.version if self.release else "current"
        return response

    def django_paginator_class(self, object_list, per_page):
        paginator = DjangoPaginator(object_list, per_page)
        if self.known_count is not None:
            paginator.count = self.known_count  # Paginator.count is a cached property
        return paginator

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["release"] = {
            "type": "string",
            "example": "2027.1",
            "description": "The release the list comes from (`?release=`), or `current`.",
        }
        response["required"] = ["count", "next", "previous", "results", "release"]
        return response
