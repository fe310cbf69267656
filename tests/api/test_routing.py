from __future__ import annotations

import pytest
from rest_framework.generics import GenericAPIView
from rest_framework.viewsets import GenericViewSet

from listening.api.routing import TenantScopedViewSetMixin
from listening.models import Brand


def test_it_refuses_a_view_that_overrides_get_queryset():
    with pytest.raises(TypeError, match="safely_get_queryset"):

        class Sloppy(TenantScopedViewSetMixin, GenericViewSet):
            def get_queryset(self):
                return Brand.all_tenants.all()


def test_it_refuses_get_queryset_from_a_mixin_placed_before_it():
    class LoudMixin:
        def get_queryset(self):
            return Brand.all_tenants.all()

    with pytest.raises(TypeError):

        class Sneaky(LoudMixin, TenantScopedViewSetMixin, GenericAPIView):
            pass


def test_a_view_that_implements_safely_get_queryset_is_accepted():
    class Fine(TenantScopedViewSetMixin, GenericViewSet):
        def safely_get_queryset(self):
            return Brand.objects.all()

    assert Fine.get_queryset is TenantScopedViewSetMixin.get_queryset
