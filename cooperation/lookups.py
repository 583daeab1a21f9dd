"""`field__any_of=[...]`: the rows whose field holds one of many values, for reading a chunk's
links by the chunk's ids. On PostgreSQL it is `= ANY(%s)` with the values as one array
parameter; an IN list of 500 placeholders took psycopg longer to write out and parse than the
database took to answer it (a third of an export's time). Elsewhere it is Django's IN list.
CooperationConfig.ready() registers it on every field."""

from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any_of"

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return In(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]
