"""Admin pages that span every model: bulk import and export, and the reviewers' audit of recent
changes. Served inside the admin (its login, its look) under /admin/atlas/."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from cooperation.editorial.workflow import reviews_anything
from cooperation.exchange.exporting import (
    export_records,
    exported_models,
    records_to_csv,
    records_to_json,
)
from cooperation.exchange.importing import FixtureError, import_records, read_csv, read_json
from cooperation.limits import UPLOAD_MAX_BYTES
from cooperation.models import StagedImport, Status

AUDIT_LIMIT = 100


def model_choices():
    return [
        (model._meta.label_lower, model._meta.verbose_name_plural) for model in exported_models()
    ]


class ImportForm(forms.Form):
    file = forms.FileField(help_text="JSON in the fixture format, or CSV with one model's rows.")
    model = forms.ChoiceField(
        choices=[("", "— JSON: given in each record —")], required=False, label="Model (CSV only)"
    )
    dry_run = forms.BooleanField(
        initial=True, required=False, help_text="Report what would happen; write nothing."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices += model_choices()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; import it in parts.")
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file is not UTF-8 text.") from error
        try:
            if upload.name.lower().endswith(".csv"):
                if not cleaned.get("model"):
                    raise forms.ValidationError("Choose the model the CSV rows belong to.")
                cleaned["records"] = read_csv(text, upload.name, cleaned["model"])
            else:
                cleaned["records"] = read_json(text, upload.name)
        except FixtureError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


class ExportForm(forms.Form):
    model = forms.ChoiceField(choices=[("", "Everything (JSON only)")], required=False)
    format = forms.ChoiceField(choices=[("json", "JSON (fixture format)"), ("csv", "CSV")])
    status = forms.ChoiceField(choices=[("", "Any"), *Status.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices += model_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") == "csv" and not cleaned.get("model"):
            raise forms.ValidationError("CSV holds one model at a time: choose a model.")
        return cleaned


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, template, **context):
        context = {**admin.site.each_context(request), **context}
        return TemplateResponse(request, template, context)


class ExchangeView(StaffOnlyMixin, View):
    """Import (with a dry run that reports every record) and export, from the admin."""

    template = "admin/atlas/exchange.html"

    def allowed(self, user):
        return user.is_active and user.is_staff

    def get(self, request):
        if "format" in request.GET:
            export_form = ExportForm(request.GET)
            if export_form.is_valid():
                return self.export(request, export_form.cleaned_data)
        else:
            export_form = ExportForm()
        return self.render(
            request,
            self.template,
            title="Import and export",
            import_form=ImportForm(),
            export_form=export_form,
        )

    def post(self, request):
        if "staged" in request.POST:
            return self.import_staged(request)
        import_form = ImportForm(request.POST, request.FILES)
        report, staged = None, None
        if import_form.is_valid():
            name, records = (
                import_form.cleaned_data["file"].name,
                import_form.cleaned_data["records"],
            )
            report = import_records(
                [(name, records)], dry_run=import_form.cleaned_data["dry_run"], user=request.user
            )
            if report.dry_run and not report.rejected:
                # Kept for the real run, so the file need not be chosen again.
                StagedImport.objects.expired().delete()
                staged = StagedImport.objects.create(user=request.user, name=name, records=records)
        return self.render(
            request,
            self.template,
            title="Import and export",
            import_form=import_form,
            export_form=ExportForm(),
            report=report,
            staged=staged,
        )

    def import_staged(self, request):
        """The real run of a file whose dry run passed: that user's, within the hour."""
        staged = (
            StagedImport.objects.current()
            .filter(user=request.user, pk=request.POST["staged"])
            .first()
            if request.POST["staged"].isdigit()
            else None
        )
        if staged is None:
            messages.error(
                request, "That dry run's file is no longer kept (after an hour): choose it again."
            )
            return HttpResponseRedirect(reverse("atlas-exchange"))
        report = import_records([(staged.name, staged.records)], user=request.user)
        staged.delete()
        return self.render(
            request,
            self.template,
            title="Import and export",
            import_form=ImportForm(),
            export_form=ExportForm(),
            report=report,
        )

    def export(self, request, options):
        models = exported_models()
        if options["model"]:
            models = [apps.get_model(options["model"])]
        models = [
            model
            for model in models
            if request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        ]
        records = export_records(models, status=options["status"] or None)
        if options["format"] == "csv":
            body, content_type, extension = records_to_csv(records), "text/csv", "csv"
        else:
            body, content_type, extension = records_to_json(records), "application/json", "json"
        response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        name = options["model"] or "atlas"
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response


def entry_label(record, model):
    """A name for a historical record from its own columns (its __str__ may query links)."""
    for name in ("title", "name", "slug"):
        if getattr(record, name, ""):
            return getattr(record, name)
    return f"{model._meta.verbose_name} #{record.id}"


class AuditView(StaffOnlyMixin, View):
    """Recent changes across the whole database, for reviewers: who, what, when."""

    template = "admin/atlas/audit.html"

    def allowed(self, user):
        return reviews_anything(user)

    def get(self, request):
        models = {model._meta.label_lower: model for model in exported_models()}
        chosen_model = request.GET.get("model", "")
        chosen_user = request.GET.get("user", "")
        changes = []
        for label, model in models.items():
            if chosen_model and label != chosen_model:
                continue
            records = model.history.select_related("history_user").order_by("-history_date")
            if chosen_user:
                records = records.filter(history_user__username=chosen_user)
            for record in records[:AUDIT_LIMIT]:
                changes.append((record, model))
        changes.sort(key=lambda change: change[0].history_date, reverse=True)
        rows = [
            {
                "when": record.history_date,
                "who": record.history_user,
                "action": record.get_history_type_display(),
                "kind": model._meta.verbose_name,
                "entry": entry_label(record, model),
                "reason": record.history_change_reason or "",
                "history_url": reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_history",
                    args=[record.id],
                ),
            }
            for record, model in changes[:AUDIT_LIMIT]
        ]
        editors = get_user_model().objects.filter(is_staff=True).order_by("username")
        return self.render(
            request,
            self.template,
            title="Recent changes",
            rows=rows,
            model_choices=model_choices(),
            users=editors.values_list("username", flat=True),
            chosen_model=chosen_model,
            chosen_user=chosen_user,
        )
