"""HTTP as the fault test speaks it: one request per connection, a signed-in browser, forms."""

import http.client
import json
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode

REQUEST_TIMEOUT_S = 30
OUTAGE_PAGE_TEXT = "The atlas is briefly unavailable"  # templates/503.html


@dataclass
class Answer:
    started: float
    ended: float
    method: str
    path: str
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    retry_after: str | None
    content_type: str
    body: str
    error: str | None = None


def request(port, method, path, body=None, headers=None):
    """One request on a fresh connection, so any transport failure is the server's."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        return (
            Answer(
                started,
                time.monotonic(),
                method,
                path,
                response.status,
                response.getheader("Retry-After"),
                response.getheader("Content-Type", ""),
                content,
            ),
            response,
        )
    except (OSError, http.client.HTTPException) as error:
        answer = Answer(started, time.monotonic(), method, path, None, None, "", "", repr(error))
        return answer, None
    finally:
        connection.close()


def proper_outage_answer(answer):
    """A 503 as promised: Retry-After, and the outage page or the API's JSON error."""
    if answer.status != 503 or not answer.retry_after or "Traceback" in answer.body:
        return False
    if answer.path.startswith("/api/"):
        try:
            error = json.loads(answer.body)["error"]
        except (ValueError, KeyError, TypeError):
            return False
        return error.get("status") == 503 and error.get("code") == "service_unavailable"
    return answer.content_type.startswith("text/html") and OUTAGE_PAGE_TEXT in answer.body


def succeeded(answer):
    return answer.status is not None and 200 <= answer.status < 400


class Browser:
    """Cookies and CSRF for the admin, as a browser would keep them."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def send(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode([tuple(field) for field in form])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer, response = request(self.port, method, path, body, headers)
        if response is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        location = response.getheader("Location") if response is not None else None
        return answer, location

    def log_in(self, username, password):
        answer, _ = self.send("GET", "/admin/login/")
        fields = form_fields(answer.body, form_id="login-form")
        fields.update(username=username, password=password, next="/admin/")
        answer, _ = self.send("POST", "/admin/login/", fields)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"admin sign-in failed ({answer.status})")


class FormFields(HTMLParser):
    """What a browser would submit from one form: inputs, checked boxes, selected options and
    text areas (disabled controls and submit buttons left out)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.select["options"] if selected]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = [self.select["options"][0][0]]  # a browser sends the first option
            self.fields.extend([self.select["name"], value] for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append([name, text.removeprefix("\r\n").removeprefix("\n")])
            self.textarea = None


def form_fields(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    return FieldList(parser.fields)


class FieldList(list):
    def update(self, **values):
        for name, value in values.items():
            self[:] = [field for field in self if field[0] != name]
            self.append([name, value])
