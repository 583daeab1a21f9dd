"""Reads pinned to a release: every read endpoint takes `?release=<version>` and answers from that
release's frozen data with the same filters, pagination and formats (cooperation.releases.frozen);
`current`, or no parameter, is the live atlas. Every answer names where it comes from in its
`Atlas-Release` header, and a list says so in its body too."""

from rest_framework import exceptions

from cooperation.models import Release
from cooperation.releases.frozen import pinned

RELEASE_PARAMETER = "release"
RELEASE_HEADER = "Atlas-Release"
CURRENT = "current"


def pinned_stream(release, chunks):
    """A streamed body (CSV) read from `release` while it is sent, after the view returned."""
    with pinned(release):
        yield from chunks


class ReleasePinnedMixin:
    """For API views: `?release=` pins the request's reads to a release."""

    query_parameters = (RELEASE_PARAMETER,)
    pinned_release = None

    def dispatch(self, request, *args, **kwargs):
        asked = request.GET.get(RELEASE_PARAMETER, "")
        self.release_asked = asked
        if asked and asked != CURRENT:
            self.pinned_release = Release.objects.filter(version=asked).first()
        with pinned(self.pinned_release):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.release_asked or self.release_asked == CURRENT:
            return
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            raise exceptions.ValidationError(
                {
                    RELEASE_PARAMETER: [
                        "A release never changes: write to the current atlas, without `release`."
                    ]
                }
            )
        if self.pinned_release is None:
            raise exceptions.NotFound(
                f"No release “{self.release_asked}”: /api/v1/releases/ lists them."
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        release = self.pinned_release
        response[RELEASE_HEADER] = release.version if release is not None else CURRENT
        if release is not None and getattr(response, "streaming", False):
            response.streaming_content = pinned_stream(release, response.streaming_content)
        return response
