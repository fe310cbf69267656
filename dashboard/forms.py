from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from listening.models import Brand, Source, Tenant
from listening.selectors.mentions import MentionFilters
from listening.selectors.response import tenant_members
from listening.selectors.sources import brand_list, source_list

YES_NO = [("", "Any"), ("yes", "Complaints only"), ("no", "Not complaints")]
SPAM = [("", "Hide spam"), ("only", "Spam only"), ("all", "Include spam")]


class MentionFilterForm(forms.Form):
    """Filters for the mention list. Brand and source choices come from the scoped managers, so
    another tenant's ids are simply invalid; the form must be built inside the tenant scope."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    complaint = forms.ChoiceField(choices=YES_NO, required=False)
    spam = forms.ChoiceField(choices=SPAM, required=False)
    lang = forms.ChoiceField(required=False, label="Language")
    # Placeholders, never queried; the scoped querysets are set per instance in __init__.
    brand = forms.ModelChoiceField(queryset=Brand.all_tenants.none(), required=False,
                                   empty_label="All brands")
    source = forms.ModelChoiceField(queryset=Source.all_tenants.none(), required=False,
                                    empty_label="All sources")

    def __init__(self, *args: object, languages: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["brand"].queryset = brand_list()  # type: ignore[attr-defined]
        self.fields["source"].queryset = source_list()  # type: ignore[attr-defined]
        self.fields["lang"].choices = [("", "Any language")] + [(c, c) for c in languages]  # type: ignore[attr-defined]

    def filters(self) -> MentionFilters | None:
        """What the form asks for, in the selector's terms (the API's parameters parse into the
        same), or None when a filter is wrong: it shows its error, not everything."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return MentionFilters(
            q=data.get("q") or None,
            complaint={"yes": True, "no": False}.get(data.get("complaint", "")),
            spam={"": False, "only": True, "all": None}[data.get("spam", "")],
            lang=data.get("lang") or None,
            brand=data["brand"].pk if data.get("brand") else None,
            source=data["source"].pk if data.get("source") else None,
        )


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

    def __init__(self, *args: object, tenant: Tenant, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assigned_to"].queryset = tenant_members(tenant=tenant)  # type: ignore[attr-defined]
