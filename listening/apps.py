from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "listening"
    verbose_name = "Listening"

    def ready(self) -> None:
        from listening import signals

        signals.connect()
