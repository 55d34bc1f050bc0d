"""Assessment pages: the sectioned form with per-section autosave, versions, custom questions.

Each section is its own small form. HTMX posts it on every change; the server saves the valid
fields, keeps what did not validate (raw) in `draft_values`, and answers with the feedback of
each field, the section's completeness badge and the readiness summary as out-of-band swaps, so
the inputs themselves (and the focus) are never replaced. Without JavaScript the same form posts
normally and the page reloads at the section.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.views import View

from apps.clients.selectors import client_get
from apps.core.api import int_or_none
from apps.core.errors import ApplicationError
from apps.tenancy.permissions import AdminRequiredMixin, MemberRequiredMixin

from . import schema
from .forms import CustomQuestionForm
from .models import Assessment, AssessmentStatus, CustomQuestion
from .selectors import (
    assessment_get,
    assessment_list,
    assessment_missing_for_completion,
    assessment_version_list,
    custom_question_get,
    custom_question_list,
    custom_questions_by_section,
)
from .services import (
    assessment_create,
    assessment_mark_complete,
    assessment_reopen,
    assessment_save_meta,
    assessment_save_section,
    custom_question_archive,
    custom_question_create,
    custom_question_update,
    custom_value_clean,
)

PAGE_SIZE = 25
RELATED_TEMPLATES = ["assessments/_related_analyses.html"]


def _assessment_or_404(assessment_id: int) -> Assessment:
    assessment = assessment_get(assessment_id=assessment_id)
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def _display(value: Any) -> Any:
    if value is None:
        return ""
    return value


def _field_rows(
    section: schema.Section,
    assessment: Assessment,
    questions: list[CustomQuestion],
    warnings: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """What the template needs per input: value shown (raw when invalid), error, warnings."""
    answers = (assessment.answers or {}).get(section.key) or {}
    drafts = (assessment.draft_values or {}).get(section.key) or {}
    rows = []
    for f in section.fields:
        error = None
        if f.key in drafts:
            value = drafts[f.key]
            _, error = schema.clean_value(f, value)
        else:
            value = answers.get(f.key)
        rows.append(
            {
                "name": f.key,
                "id": f"f-{section.key}-{f.key}",
                "label": f.label,
                "type": f.type,
                "value": _display(value),
                "values": value if isinstance(value, list) else [],
                "error": error,
                "warnings": warnings.get(f.path(section.key), []),
                "help": f.help,
                "choices": f.choices,
                "required": f.required_for_analysis,
                "min": f.min,
                "max": f.max,
                "long": f.type == schema.TEXT and f.max_length > 200,
                "placeholder": "" if f.default is None else f.default,
            }
        )
    custom_answers = (assessment.answers or {}).get(schema.CUSTOM) or {}
    custom_drafts = (assessment.draft_values or {}).get(schema.CUSTOM) or {}
    kinds = {"number": schema.DECIMAL, "bool": schema.BOOL, "choice": schema.CHOICE}
    for question in questions:
        key = str(question.id)
        error = None
        if key in custom_drafts:
            value = custom_drafts[key]
            _, error = custom_value_clean(question, value)
        else:
            value = custom_answers.get(key)
        rows.append(
            {
                "name": f"custom_{question.id}",
                "id": f"f-{section.key}-custom_{question.id}",
                "label": question.label,
                "type": kinds.get(question.kind, schema.TEXT),
                "value": _display(value),
                "values": [],
                "error": error,
                "warnings": [],
                "help": question.help_text,
                "choices": tuple((c, c) for c in question.choices or []),
                "required": question.required,
                "custom": True,
                "long": question.kind == "text",
                "placeholder": "",
            }
        )
    return rows


def _progress(section: schema.Section, assessment: Assessment, questions: list) -> dict:
    progress = schema.section_progress(section, assessment.answers)
    custom_answers = (assessment.answers or {}).get(schema.CUSTOM) or {}
    for question in questions:
        progress["total"] += 1
        if not schema.is_empty(custom_answers.get(str(question.id))):
            progress["answered"] += 1
        elif question.required:
            progress["required_missing"].append(question.label)
            progress["ready"] = False
    drafts = (assessment.draft_values or {}).get(section.key) or {}
    custom_drafts = (assessment.draft_values or {}).get(schema.CUSTOM) or {}
    ids = {str(q.id) for q in questions}
    progress["invalid"] = len(drafts) + len(ids & set(custom_drafts))
    return progress


def _sections(assessment: Assessment) -> list[dict[str, Any]]:
    by_section = custom_questions_by_section()
    warnings = schema.warnings(assessment.answers)
    out = []
    for section in schema.SECTIONS:
        questions = by_section.get(section.key, [])
        out.append(
            {
                "section": section,
                "fields": _field_rows(section, assessment, questions, warnings),
                "progress": _progress(section, assessment, questions),
            }
        )
    return out


def _analysis_url(assessment: Assessment) -> str | None:
    try:
        return reverse("tco:analysis_new") + f"?assessment={assessment.id}"
    except NoReverseMatch:
        return None


def _readiness(assessment: Assessment) -> dict[str, Any]:
    missing = assessment_missing_for_completion(assessment)
    analysis_missing = schema.missing_for_analysis(assessment.answers)
    return {
        "missing": missing,
        "analysis_missing": analysis_missing,
        "analysis_ready": not analysis_missing,
        "analysis_url": _analysis_url(assessment),
    }


def _existing(names: list[str]) -> list[str]:
    found = []
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


class AssessmentListView(MemberRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        if status not in AssessmentStatus.values:
            status = ""
        client = request.GET.get("client", "")
        client_id = int_or_none(client)
        page = Paginator(
            assessment_list(client_id=client_id, status=status or None), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "assessments/assessment_list.html",
            {
                "page": page,
                "assessments": page.object_list,
                "status": status,
                "status_choices": AssessmentStatus.choices,
                "query_string": params.urlencode(),
            },
        )


class AssessmentCreateView(MemberRequiredMixin, View):
    def post(self, request: HttpRequest, client_id: int) -> HttpResponse:
        client = client_get(client_id=client_id)
        if client is None:
            raise Http404("No such client.")
        try:
            assessment = assessment_create(client=client, user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("clients:detail", client_id=client.id)
        return redirect("assessments:detail", assessment_id=assessment.id)


class AssessmentDetailView(MemberRequiredMixin, View):
    def get(self, request: HttpRequest, assessment_id: int) -> HttpResponse:
        assessment = _assessment_or_404(assessment_id)
        return render(
            request,
            "assessments/assessment_detail.html",
            {
                "assessment": assessment,
                "client": assessment.client,
                "sections": _sections(assessment),
                "readiness": _readiness(assessment),
                "versions": list(assessment_version_list(assessment_id=assessment.id)),
                "related_templates": _existing(RELATED_TEMPLATES),
            },
        )


class AssessmentSectionView(MemberRequiredMixin, View):
    """Autosave of one section (HTMX), or a plain form post that returns to the page."""

    def post(self, request: HttpRequest, assessment_id: int, section: str) -> HttpResponse:
        assessment = _assessment_or_404(assessment_id)
        spec = schema.section_get(section)
        if spec is None:
            raise Http404("No such section.")
        values: dict[str, Any] = {}
        for f in spec.fields:
            if f.type == schema.MULTICHOICE:
                if f.key in request.POST:
                    values[f.key] = [v for v in request.POST.getlist(f.key) if v]
            elif f.key in request.POST:
                values[f.key] = request.POST.get(f.key, "")
        custom = {
            name.removeprefix("custom_"): request.POST.get(name, "")
            for name in request.POST
            if name.startswith("custom_")
        }
        outcome = assessment_save_section(
            assessment=assessment, section=section, values=values, custom=custom, user=request.user
        )
        assessment = outcome.assessment
        if not request.headers.get("HX-Request"):
            if outcome.errors:
                messages.error(request, "Some values need a fix; everything else was saved.")
            return redirect(reverse("assessments:detail", args=[assessment.id]) + f"#s-{section}")
        sections = {s["section"].key: s for s in _sections(assessment)}
        response = render(
            request,
            "assessments/_section_feedback.html",
            {
                "assessment": assessment,
                "s": sections[section],
                "readiness": _readiness(assessment),
                "saved": outcome.saved,
                "errors": outcome.errors,
            },
            status=200,
        )
        # Sections save concurrently, so a response's readiness may predate another
        # section's save; the readiness box refetches itself after every save (the last
        # fetch starts after the last save answered, so it ends right).
        response["HX-Trigger-After-Settle"] = "assessment-saved"
        return response


class AssessmentReadinessView(MemberRequiredMixin, View):
    """The readiness box alone (what is still needed before an analysis can run)."""

    def get(self, request: HttpRequest, assessment_id: int) -> HttpResponse:
        assessment = _assessment_or_404(assessment_id)
        return render(
            request,
            "assessments/_readiness.html",
            {"assessment": assessment, "readiness": _readiness(assessment)},
        )


class AssessmentMetaView(MemberRequiredMixin, View):
    """Autosave of the title and the date."""

    def post(self, request: HttpRequest, assessment_id: int) -> HttpResponse:
        assessment = _assessment_or_404(assessment_id)
        errors = assessment_save_meta(
            assessment=assessment,
            user=request.user,
            title=request.POST.get("title"),
            assessed_on=request.POST.get("assessed_on"),
        )
        if not request.headers.get("HX-Request"):
            for field_errors in errors.values():
                for error in field_errors:
                    messages.error(request, error)
            return redirect("assessments:detail", assessment_id=assessment.id)
        return render(request, "assessments/_meta_feedback.html", {"errors": errors}, status=200)


class AssessmentCompleteView(MemberRequiredMixin, View):
    def post(self, request: HttpRequest, assessment_id: int) -> HttpResponse:
        assessment = _assessment_or_404(assessment_id)
        try:
            version = assessment_mark_complete(assessment=assessment, user=request.user)
        except ApplicationError as exc:
            missing = exc.extra.get("missing", [])
            messages.error(request, f"{exc.message} Still needed: {'; '.join(missing)}.")
        else:
            messages.success(request, f"Assessment complete: version {version.number} saved.")
        return redirect("assessments:detail", assessment_id=assessment.id)


class AssessmentReopenView(MemberRequiredMixin, View):
    def post(self, request: HttpRequest, assessment_id: int) -> HttpResponse:
        assessment = _assessment_or_404(assessment_id)
        assessment_reopen(assessment=assessment, user=request.user)
        messages.success(request, "Back to draft. Saved versions are kept.")
        return redirect("assessments:detail", assessment_id=assessment.id)


class AssessmentVersionView(MemberRequiredMixin, View):
    """The answers of one frozen version, read-only."""

    def get(
        self, request: HttpRequest, assessment_id: int, assessment_version_id: int
    ) -> HttpResponse:
        assessment = _assessment_or_404(assessment_id)
        version = assessment.versions.filter(id=assessment_version_id).first()
        if version is None:
            raise Http404("No such version.")
        sections = []
        for section in schema.SECTIONS:
            rows = []
            for f in section.fields:
                value = schema.answer(version.answers, f.path(section.key))
                rows.append({"label": f.label, "value": _format(f, value)})
            sections.append({"section": section, "rows": rows})
        from .selectors import custom_answers_for_appendix

        return render(
            request,
            "assessments/assessment_version.html",
            {
                "assessment": assessment,
                "version": version,
                "sections": sections,
                "custom": custom_answers_for_appendix(version),
            },
        )


def _format(f: schema.Field, value: Any) -> str:
    if value is None:
        return "—"
    if f.type == schema.BOOL:
        return "Yes" if value else "No"
    if f.type == schema.CHOICE:
        return dict(f.choices).get(value, str(value))
    if f.type == schema.MULTICHOICE:
        labels = dict(f.choices)
        return ", ".join(labels.get(v, v) for v in value)
    return str(value)


# --- Custom questions (admins) -------------------------------------------------------------------


class CustomQuestionListView(AdminRequiredMixin, View):
    template = "assessments/custom_questions.html"

    def _render(self, request: HttpRequest, form: CustomQuestionForm, status: int = 200):
        titles = {s.key: s.title for s in schema.SECTIONS}
        questions = list(custom_question_list(include_archived=True))
        for question in questions:
            question.section_title = titles.get(question.section, question.section)
        context = {"questions": questions, "form": form}
        return render(request, self.template, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, CustomQuestionForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CustomQuestionForm(request.POST)
        if form.is_valid():
            try:
                custom_question_create(user=request.user, **form.service_data())
            except ApplicationError as exc:
                form.apply(exc)
            else:
                messages.success(request, "Question added to every assessment.")
                return redirect("assessments:questions")
        return self._render(request, form, status=400)


def _question_or_404(custom_question_id: int) -> CustomQuestion:
    question = custom_question_get(question_id=custom_question_id)
    if question is None:
        raise Http404("No such question.")
    return question


class CustomQuestionEditView(AdminRequiredMixin, View):
    template = "assessments/custom_question_form.html"

    def get(self, request: HttpRequest, custom_question_id: int) -> HttpResponse:
        question = _question_or_404(custom_question_id)
        form = CustomQuestionForm(initial=CustomQuestionForm.initial_for(question))
        return render(request, self.template, {"form": form, "question": question})

    def post(self, request: HttpRequest, custom_question_id: int) -> HttpResponse:
        question = _question_or_404(custom_question_id)
        form = CustomQuestionForm(request.POST)
        if form.is_valid():
            try:
                custom_question_update(question=question, user=request.user, **form.service_data())
            except ApplicationError as exc:
                form.apply(exc)
            else:
                messages.success(request, "Question saved.")
                return redirect("assessments:questions")
        context = {"form": form, "question": question}
        return render(request, self.template, context, status=400)


class CustomQuestionArchiveView(AdminRequiredMixin, View):
    def post(self, request: HttpRequest, custom_question_id: int) -> HttpResponse:
        question = _question_or_404(custom_question_id)
        custom_question_archive(question=question, user=request.user)
        messages.success(request, "Question archived; answers already given are kept.")
        return redirect("assessments:questions")
