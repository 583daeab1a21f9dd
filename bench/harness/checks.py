"""The fault test's checks, in order (see bench/faults.py)."""

import html
import json
import threading
import time
from urllib.parse import urlsplit

import psycopg

from harness.atlas import api_json, patch_summary, stored_summaries
from harness.http import REQUEST_TIMEOUT_S, form_fields, proper_outage_answer, request, succeeded
from harness.load import describe, latency_summary
from harness.processes import log

RECOVERY_LIMIT_S = 10.0
ADMIN_CONFLICT_TEXT = "Someone else saved this entry after you opened it"  # admin conflicts


class Run:
    def __init__(self, args):
        self.args = args
        self.failures = []
        self.report = {"settings": {k: str(v) for k, v in vars(args).items()}}

    def fail(self, message):
        self.failures.append(message)
        log(f"  FAIL {message}")

    def edits(self, port, token, slugs, run_id):
        """(b) Edits through the API; returns the acknowledged ones."""
        acknowledged = {}
        for index, slug in enumerate(slugs, 1):
            _, etag = api_json(port, f"/api/v1/case-studies/{slug}/", token)
            summary = f"Fault run {run_id}: acknowledged edit {index} of {len(slugs)}."
            answer = patch_summary(port, token, slug, summary, etag)
            if answer.status == 200 and json.loads(answer.body)["summary"] == summary:
                acknowledged[slug] = summary
            else:
                self.fail(f"edit {index} not acknowledged: {describe(answer)}")
        return acknowledged

    def outage(self, cluster, port, token, write_slugs):
        """(c) and (d): stop PostgreSQL under load, start it again, measure the recovery."""
        marks = {"stop_requested": time.monotonic()}
        cluster.stop("fast")
        marks["stopped"] = time.monotonic()
        writes = []
        deadline = marks["stopped"] + self.args.outage
        while time.monotonic() < deadline:
            for slug in write_slugs:
                writes.append(patch_summary(port, token, slug, "Written while down.", "*"))
            time.sleep(0.5)
        marks["start_requested"] = time.monotonic()
        cluster.start()
        marks["started"] = time.monotonic()
        recovered = None
        while time.monotonic() - marks["started"] < RECOVERY_LIMIT_S * 3:
            page, _ = request(port, "GET", "/case-studies/")
            api, _ = request(port, "GET", "/api/v1/case-studies/")
            if page.status == 200 and api.status == 200:
                recovered = max(page.ended, api.ended)
                break
            time.sleep(0.05)
        marks["recovered"] = recovered
        return marks, writes

    def check_load(self, answers, marks):
        """Before the outage: no errors. While down: only proper 503s. Around it: success or a
        proper 503. After recovery: success again. Never a dropped connection."""
        before, down, around, after = [], [], [], []
        for answer in answers:
            if answer.ended < marks["stop_requested"]:
                before.append(answer)
            elif marks["recovered"] and answer.started > marks["recovered"]:
                after.append(answer)
            elif answer.started >= marks["stopped"] and answer.ended <= marks["start_requested"]:
                down.append(answer)
            else:
                around.append(answer)
        bad_before = [a for a in before if not succeeded(a)]
        bad_down = [a for a in down if not proper_outage_answer(a)]
        bad_around = [a for a in around if not (succeeded(a) or proper_outage_answer(a))]
        bad_after = [a for a in after if not succeeded(a)]
        for label, bad in [
            ("before the outage", bad_before),
            ("while the database was down", bad_down),
            ("during stop or restart", bad_around),
            ("after recovery", bad_after),
        ]:
            for answer in bad[:5]:
                self.fail(f"{label}: {describe(answer)}")
            if len(bad) > 5:
                self.fail(f"{label}: {len(bad) - 5} more bad answers")
        if len(down) < 10:
            self.fail(f"only {len(down)} requests were answered while the database was down")
        return {
            "before_outage": latency_summary(before),
            "while_down": {
                "requests": len(down),
                "proper_503": sum(proper_outage_answer(a) for a in down),
                "bad": len(bad_down),
            },
            "around_stop_and_restart": {
                "requests": len(around),
                "proper_503": sum(proper_outage_answer(a) for a in around),
                "bad": len(bad_around),
            },
            "after_recovery": latency_summary(after),
            "dropped_connections": sum(a.status is None for a in answers),
            "server_errors_500": sum(a.status == 500 for a in answers),
        }

    def race(self, port, cluster, token, browser, slug, rounds):
        """(f) An admin save and an API PATCH of one entry, both from the same version. The
        first round starts them together; later rounds hold the PATCH back by a growing share
        of the admin save's time, so each side gets its chance to be first."""
        with psycopg.connect(cluster.url("atlas")) as connection:
            pk = connection.execute(
                "SELECT id FROM casestudies_casestudy WHERE slug = %s", [slug]
            ).fetchone()[0]
        change_path = f"/admin/casestudies/casestudy/{pk}/change/"
        details, admin_seconds = [], 0.0
        for number in range(1, rounds + 1):
            page, _ = browser.send("GET", change_path)
            form = form_fields(page.body, form_id="casestudy_form")
            _, etag = api_json(port, f"/api/v1/case-studies/{slug}/", token)
            texts = {
                "admin": f"Race {number}: the admin's summary.",
                "api": f"Race {number}: the API's summary.",
            }
            form.update(summary=texts["admin"], _save="Save")
            delay = admin_seconds * 1.5 * (number - 1) / max(rounds - 1, 1)
            results = {}
            barrier = threading.Barrier(2)

            def admin_save(form=form, barrier=barrier, results=results):
                barrier.wait()
                results["admin"] = browser.send("POST", change_path, form)

            def api_save(
                text=texts["api"], etag=etag, barrier=barrier, results=results, delay=delay
            ):
                barrier.wait()
                time.sleep(delay)
                results["api"] = patch_summary(port, token, slug, text, etag)

            threads = [threading.Thread(target=admin_save), threading.Thread(target=api_save)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT_S * 2)
            if "admin" in results:
                admin_seconds = results["admin"][0].ended - results["admin"][0].started
            outcome = self.race_outcome(browser, change_path, results)
            stored = stored_summaries(cluster, [slug])[slug]
            winners = [side for side, (won, _) in outcome.items() if won]
            details.append(
                {
                    "api_delay_ms": round(delay * 1000),
                    "winner": winners[0] if len(winners) == 1 else None,
                    "loser_told": {side: how for side, (won, how) in outcome.items() if not won},
                }
            )
            if len(winners) != 1:
                self.fail(f"race {number}: {len(winners)} winners ({outcome})")
            elif stored != texts[winners[0]]:
                self.fail(f"race {number}: the {winners[0]} won but the row holds {stored!r}")
        return {
            "rounds": rounds,
            "admin_won": sum(d["winner"] == "admin" for d in details),
            "api_won": sum(d["winner"] == "api" for d in details),
            "details": details,
        }

    def race_outcome(self, browser, change_path, results):
        """For each side: (won, how the loser was told). A side that neither won nor was told
        is a failure."""
        outcome = {}
        admin, location = results.get("admin", (None, None))
        if admin is not None and admin.status == 302 and location:
            if urlsplit(location).path != change_path:  # saved: on to the list
                outcome["admin"] = (True, None)
            else:  # refused at save time: the message is on the page it returns to
                page, _ = browser.send("GET", change_path)
                told = ADMIN_CONFLICT_TEXT in html.unescape(page.body)
                outcome["admin"] = (False, "message after save" if told else None)
        elif admin is not None and admin.status == 200:
            told = ADMIN_CONFLICT_TEXT in html.unescape(admin.body)
            outcome["admin"] = (False, "form error" if told else None)
        else:
            outcome["admin"] = (False, None)
        api = results.get("api")
        if api is not None and api.status == 200:
            outcome["api"] = (True, None)
        elif api is not None and api.status == 412 and '"precondition_failed"' in api.body:
            outcome["api"] = (False, "412")
        else:
            outcome["api"] = (False, None)
        for side, (won, how) in outcome.items():
            if not won and how is None:
                answer = admin if side == "admin" else api
                self.fail(f"race: the {side} save got {describe(answer) if answer else 'nothing'}")
        return outcome
