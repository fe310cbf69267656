from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from dashboard.templatetags.dengar import language_label
from listening.models import Brand, BulkActionKind, Source, Tenant
from listening.models.mentions import ComplaintStatus, Sentiment
from listening.selectors.mentions import MENTION_ORDERS, MentionFilters
from listening.selectors.response import tenant_members
from listening.selectors.sources import brand_list, source_list

YES_NO = [("", _("Any")), ("yes", _("Complaints only")), ("no", _("Not complaints"))]
SPAM = [("", _("Hide spam")), ("only", _("Spam only")), ("all", _("Include spam"))]
STATUSES = [("", _("Any status"))] + [(v, label) for v, label in ComplaintStatus.choices if v]
SENTIMENTS = [("", _("Any sentiment"))] + list(Sentiment.choices)
ANSWERED = [("", _("Any")), ("no", _("Not answered")), ("overdue", _("Overdue")),
            ("yes", _("Answered"))]
SORTS = list(zip(MENTION_ORDERS, [_("Newest first"), _("Oldest first"), _("Waiting longest")],
                 strict=True))
DATE_INPUT = forms.DateInput(attrs={"type": "date"})

_Field = TypeVar("_Field", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """The form's own copy of the field declared as ``name``, as the kind it was declared."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


class MentionFilterForm(forms.Form):
    """Filters and sort for the mention list: every filter the API's mention list takes, parsed
    into the same MentionFilters. Brand, source and assignee choices come from the tenant's own
    (scoped) querysets, so another tenant's ids are simply invalid; build it inside the tenant
    scope. Dates are days in the tenant's time zone, both ends included."""

    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    status = forms.ChoiceField(choices=STATUSES, required=False, label=_("Status"))
    assigned_to = forms.ChoiceField(required=False, label=_("Assignee"))
    answered = forms.ChoiceField(choices=ANSWERED, required=False, label=_("Answered"))
    complaint = forms.ChoiceField(choices=YES_NO, required=False, label=_("Complaints"))
    sentiment = forms.ChoiceField(choices=SENTIMENTS, required=False, label=_("Sentiment"))
    spam = forms.ChoiceField(choices=SPAM, required=False, label=_("Spam"))
    lang = forms.ChoiceField(required=False, label=_("Language"))
    # Placeholders, never queried; the scoped querysets are set per instance in __init__.
    brand = forms.ModelChoiceField(queryset=Brand.all_tenants.none(), required=False,
                                   empty_label=_("All brands"), label=_("Brand"))
    source = forms.ModelChoiceField(queryset=Source.all_tenants.none(), required=False,
                                    empty_label=_("All sources"), label=_("Source"))
    platform = forms.ChoiceField(required=False, label=_("Platform"))
    since = forms.DateField(required=False, label=_("From"), widget=DATE_INPUT)
    until = forms.DateField(required=False, label=_("To"), widget=DATE_INPUT)
    sort = forms.ChoiceField(choices=SORTS, required=False, label=_("Sort"))

    def __init__(self, *args: Any, tenant: Tenant, user: AbstractBaseUser, languages: Sequence[str],
                 platforms: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant, self.user = tenant, user
        form_field(self, "brand", forms.ModelChoiceField).queryset = brand_list()
        form_field(self, "source", forms.ModelChoiceField).queryset = source_list()
        form_field(self, "lang", forms.ChoiceField).choices = (
            [("", _("Any language"))] + [(c, language_label(c)) for c in languages])
        form_field(self, "platform", forms.ChoiceField).choices = (
            [("", _("Any platform"))] + [(p, p) for p in platforms])
        members = [(str(u.pk), u.get_username()) for u in tenant_members(tenant=tenant)]
        form_field(self, "assigned_to", forms.ChoiceField).choices = [
            ("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody")), *members]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day comes on or after the first."))
        return data

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.tenant.timezone))

    def filters(self) -> MentionFilters | None:
        """What the form asks for, in the selector's terms (the API's parameters parse into the
        same), or None when a filter is wrong: it shows its error, not everything."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        assigned = data.get("assigned_to") or ""
        answered = data.get("answered") or ""
        return MentionFilters(
            q=data.get("q") or None,
            complaint={"yes": True, "no": False}.get(data.get("complaint", "")),
            spam={"": False, "only": True, "all": None}[data.get("spam", "")],
            lang=data.get("lang") or None,
            brand=data["brand"].pk if data.get("brand") else None,
            source=data["source"].pk if data.get("source") else None,
            platform=data.get("platform") or None,
            sentiment=data.get("sentiment") or None,
            status=data.get("status") or None,
            assigned_to=self.user.pk if assigned == "me" else (int(assigned) if assigned.isdigit() else None),
            unassigned=assigned == "none",
            answered={"yes": True, "no": False, "overdue": False}.get(answered),
            unanswered=True if answered == "overdue" else None,
            since=self._day_start(data["since"]) if data.get("since") else None,
            until=self._day_start(data["until"] + timedelta(days=1)) if data.get("until") else None,
        )

    def order(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else None) or "newest"

    def query(self) -> dict[str, str]:
        """The filters as given (what a saved view keeps), without the empty ones."""
        return {name: str(self.data[name]) for name in self.fields
                if self.data.get(name) not in (None, "")}


class IdsField(forms.Field):
    """Mention ids from checkboxes (one ``ids`` parameter each)."""

    widget = forms.SelectMultiple

    def __init__(self, *, max_ids: int, **kwargs: Any) -> None:
        self.max_ids = max_ids
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        values = [] if value in (None, "") else list(value)
        if len(values) > self.max_ids:
            raise forms.ValidationError(_("At most %(n)d at a time.") % {"n": self.max_ids})
        if not all(isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 18 for v in values):
            raise forms.ValidationError(_("Not a list of mentions."))
        return sorted({int(v) for v in values})


class BulkActionForm(forms.Form):
    """A bulk action: which, over what (the mentions ticked, or all the filters select), and for
    an assignment, to whom. ``expected`` is the number the person confirmed."""

    bulk = forms.ChoiceField(choices=BulkActionKind.choices, label=_("Action"))
    scope = forms.ChoiceField(choices=[("selected", _("The mentions ticked")),
                                       ("all", _("Every mention these filters select"))],
                              initial="selected")
    ids = IdsField(max_ids=1000, required=False)
    # Placeholder, never queried: the tenant's members are set per instance.
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False,
                                      empty_label=_("Nobody"), label=_("Assign to"))
    expected = forms.IntegerField(required=False, min_value=0)
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "assignee", forms.ModelChoiceField).queryset = tenant_members(tenant=tenant)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "selected" and not data.get("ids"):
            self.add_error("ids", _("Tick the mentions to act on, or choose every mention the filters select."))
        return data


class RelabelForm(forms.Form):
    """One correction: which field, which label, in one choice ("complaint:not_complaint")."""

    label = forms.ChoiceField(label="Relabel as", choices=[
        ("Complaint", [("complaint:complaint", "Complaint"),
                       ("complaint:not_complaint", "Not a complaint")]),
        ("Spam", [("spam:spam", "Spam"), ("spam:ham", "Not spam")]),
        ("Sentiment", [("sentiment:positive", "Positive"), ("sentiment:neutral", "Neutral"),
                       ("sentiment:negative", "Negative")]),
    ])

    def correction(self) -> tuple[str, str]:
        field, _, value = self.cleaned_data["label"].partition(":")
        return field, value


class ComplaintActionForm(forms.Form):
    """One lifecycle step on a complaint; which one is the button pressed."""

    complaint_action = forms.ChoiceField(choices=[
        ("answer", "Mark answered"), ("resolve", "Resolve"), ("dismiss", "Not a complaint"),
        ("reopen", "Reopen"), ("assign", "Assign"),
    ])
    # Placeholder, never queried: the tenant's members are set per instance.
    assigned_to = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False,
                                         empty_label="Nobody", label="Assigned to")
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "assigned_to", forms.ModelChoiceField).queryset = tenant_members(tenant=tenant)
