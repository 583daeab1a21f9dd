"""A page of case studies cut from the facet index's ordered result: Django's and DRF's
paginators slice it like a queryset, and only the page's rows are read, by primary key."""

from collections.abc import Sequence


class PagedByKey(Sequence):
    """The primary keys `pks` (in order) as the records `queryset` holds for them."""

    def __init__(self, pks, queryset):
        self.pks = pks
        self.queryset = queryset

    def __len__(self):
        return len(self.pks)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        pks = self.pks[index].tolist()
        found = self.queryset.filter(pk__in=pks).in_bulk()
        return [found[pk] for pk in pks]
