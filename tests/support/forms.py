"""A page's form as a browser would send it back unchanged, for tests that edit what an editor
opened some time ago."""

import html5lib

XHTML = "{http://www.w3.org/1999/xhtml}"


def submitted_fields(html, form_id):
    """The fields of the form with `form_id` as a browser would submit them: {name: [values]}
    (checked boxes, selected options, text areas; no submit buttons)."""
    document = html5lib.parse(html)
    form = next(f for f in document.iter(f"{XHTML}form") if f.get("id") == form_id)
    data = {}
    for element in form.iter():
        name = element.get("name")
        if not name:
            continue
        tag = element.tag.removeprefix(XHTML)
        if tag == "input":
            kind = element.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                continue
            if kind in {"checkbox", "radio"} and element.get("checked") is None:
                continue
            data.setdefault(name, []).append(
                element.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "textarea":
            data.setdefault(name, []).append((element.text or "").removeprefix("\n"))
        elif tag == "select":
            chosen = [
                o.get("value", o.text or "")
                for o in element.iter(f"{XHTML}option")
                if o.get("selected") is not None
            ]
            data.setdefault(name, []).extend(chosen)
    return data
