from django.urls import reverse_lazy

from casestudies.models import CaseStudy
from cooperation.feeds import PublishedEntriesFeed


class CaseStudyFeed(PublishedEntriesFeed):
    model = CaseStudy
    title = "Counterterrorism Cooperation Atlas: case studies"
    subtitle = "Case studies newly published or updated in the atlas."
    link = reverse_lazy("casestudies:list")
