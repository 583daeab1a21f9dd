"""Every request of the access matrix (test_access_matrix.py): the route, and the exact status
each role must get."""

from tests.hardening.probes.admin import admin_model_probes, admin_site_probes
from tests.hardening.probes.api import api_probes, release_probes
from tests.hardening.probes.site import site_probes


def all_probes(world):
    return (
        site_probes()
        + admin_site_probes(world)
        + admin_model_probes(world)
        + api_probes(world)
        + release_probes(world)
    )
