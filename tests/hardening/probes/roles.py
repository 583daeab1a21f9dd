"""The roles, what each may do (stated here, independently of the data migration that grants it),
and the probe: one request and the status each role must get."""

from dataclasses import dataclass, field

ROLES = ("anonymous", "editor", "reviewer", "admin")
STAFF = ROLES[1:]

# What the Editors and Reviewers groups may do, model by model. Nobody but a superuser deletes
# content or reference data (it is archived instead); links may be deleted, since removing one
# is an edit of its case study. Reviewers may also publish, send back and archive content.
CONTENT = ["cooperation.actor", "cooperation.mechanism", "cooperation.challenge"]
CONTENT += ["casestudies.casestudy", "cooperation.topic"]
REFERENCE = ["cooperation.source", "cooperation.region", "cooperation.era"]
LINKS = ["cooperation.membership", "casestudies.participation", "casestudies.mechanismuse"]
LINKS += ["casestudies.challengeencounter"]
# The vocabulary (regions, eras) goes public when saved, so only reviewers change it.
VOCABULARY = ["cooperation.region", "cooperation.era"]
EDITOR_RIGHTS = {label: {"view", "add", "change"} for label in CONTENT + REFERENCE}
EDITOR_RIGHTS |= {label: {"view", "add", "change", "delete"} for label in LINKS}
POLICY = {
    "editor": EDITOR_RIGHTS | {label: {"view"} for label in VOCABULARY},
    "reviewer": {
        label: rights | ({"review"} if label in CONTENT else set())
        for label, rights in EDITOR_RIGHTS.items()
    },
}
# Releases: staff read them, reviewers cut them; nobody changes or deletes one.
POLICY["editor"]["cooperation.release"] = {"view"}
POLICY["reviewer"]["cooperation.release"] = {"view", "add"}
# Admins that refuse an action even to a superuser (django-axes' logs are written by sign-ins).
NO_ADD = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def rights(role, label):
    if role == "admin":
        return {"view", "add", "change", "delete", "review"} - (
            {"add"} if label in NO_ADD else set()
        )
    return POLICY.get(role, {}).get(label, set())


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    expect: dict  # role -> status
    body: object = None
    auth: str = "session"  # or "token" (API clients; session writes need a CSRF token)
    as_json: bool | None = None  # the body as JSON (default: for token clients) or a form
    csrf_checks: bool = False  # as a browser would be held to them (the test client is not)
    if_match: bool | str = False  # send the ETag the same role reads at `path` (or at this)
    effect: tuple = ()  # (callable, {role: value it must return after the request})
    name: str = field(default="", compare=False)

    @property
    def id(self):
        return self.name or f"{self.method} {self.path}"


def same(status):
    return dict.fromkeys(ROLES, status)


def staff(status, anonymous):
    return {"anonymous": anonymous, **dict.fromkeys(STAFF, status)}
