"""Writing a person's saved views of a tenant's mention list."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from listening.models import SavedView, Tenant
from listening.scoping import scope_of

# A person keeps at most this many views per tenant.
SAVED_VIEWS_PER_USER = 50


class SavedViewError(Exception):
    """A saved view refused; the message says why, for people."""


def saved_view_create(
    *, tenant: Tenant, user: User, name: str, query: Mapping[str, str]
) -> SavedView:
    """Save ``query`` (the list's parameters, checked by the caller) as ``user``'s view ``name``;
    a view of the same name is replaced, as saving over a file is. Runs in ``tenant``'s scope."""
    scope_of(tenant)
    name = name.strip()
    if not name:
        raise SavedViewError(_("Give the view a name."))
    with transaction.atomic():
        existing = SavedView.objects.select_for_update().filter(
            user_id=user.pk, name=name).first()
        if existing is not None:
            existing.query = dict(query)
            existing.save(update_fields=["query"])
            return existing
        if SavedView.objects.filter(user_id=user.pk).count() >= SAVED_VIEWS_PER_USER:
            raise SavedViewError(_("You have %(n)d saved views already: delete one first.")
                                 % {"n": SAVED_VIEWS_PER_USER})
        try:
            with transaction.atomic():
                return SavedView.objects.create(user=user, name=name,
                                                query=dict(query))
        except IntegrityError:  # saved at the same moment by another request: take that one
            view = SavedView.objects.get(user_id=user.pk, name=name)
            view.query = dict(query)
            view.save(update_fields=["query"])
            return view


def saved_view_delete(*, saved_view: SavedView) -> None:
    saved_view.delete()
