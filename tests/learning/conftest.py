"""Tenant learning tests: acme's team corrects mentions in words the (fake) engine misreads."""

from __future__ import annotations

import random
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from listening.models import Correction, Mention
from listening.selectors import learning as learning_selectors
from listening.services.corrections import correction_create
from tests import factories
from workers.celery import app as celery_app

FILLERS = ["today", "again", "this morning", "at the mall", "since monday", "in bandung",
           "for my mum", "after lunch", "on the app", "last night", "near the office", "twice"]


def pulsa_texts(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """(text, label): complaints about "pulsa" vanishing, which the fake engine never calls a
    complaint (it knows only "broken"), and chatter."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        filler = rng.choice(FILLERS)
        if i % 2:
            rows.append((f"pulsa ilang {filler} {rng.choice(['lagi', 'terus', 'mulu'])} #{i}",
                         "complaint"))
        else:
            rows.append((f"watching the match {filler} {rng.choice(['haha', 'wow'])} #{i}",
                         "not_complaint"))
    return rows


def mention_in(source, text: str) -> Mention:
    factories.MentionFactory(source=source, brand=source.brand, text=text, is_complaint=False,
                             intent="other", sentiment="neutral")
    return Mention.all_tenants.get(source=source, text=text)


def teach(world, user, n: int = 40, *, source=None, seed: int = 0) -> list[Correction]:
    """A team relabelling ``n`` mentions of its tenant, one by one as the page does."""
    source = source or world.acme_source
    made = []
    for text, label in pulsa_texts(n, seed):
        made.append(correction_create(mention=mention_in(source, text), field="complaint",
                                      value=label, user=user))
    return made


@pytest.fixture(autouse=True)
def empty_model_cache() -> Iterator[None]:
    learning_selectors._cache.clear()
    yield
    learning_selectors._cache.clear()


@pytest.fixture
def eager() -> Iterator[None]:
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def taught(world, fake_classifier) -> SimpleNamespace:
    return SimpleNamespace(corrections=teach(world, world.owner))
