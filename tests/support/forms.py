"""A page's form as a browser would send it back unchanged, for tests that edit what an editor
opened some time ago; and an admin change form edited and saved as an editor would."""

import html5lib

from tests.support.admin_urls import change_url

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


def change_form_data(client, entry):
    return submitted_fields(
        client.get(change_url(entry)).content.decode(), f"{entry._meta.model_name}_form"
    )


def add_inline_row(data, prefix, **fields):
    """Append a new row to the inline formset `prefix` (e.g. "participation_set")."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = [value]
    return data


def edit_in_admin(client, entry, change=None, **fields):
    """Open the change form, change `fields` (and whatever `change(data)` does), save it."""
    data = change_form_data(client, entry)
    data.update(fields)
    if change is not None:
        change(data)
    return client.post(change_url(entry), data)
