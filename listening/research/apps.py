from __future__ import annotations

from django.apps import AppConfig


class ResearchConfig(AppConfig):
    """No models: an app only so that its management commands are found."""

    name = "listening.research"
    label = "research"
    verbose_name = "Research"
