"""Settings of the test suite: Dengar's own settings in the "test" environment (plain HTTP, a local
secret key, DEBUG off as in production)."""

import os

os.environ.setdefault("DENGAR_ENV", "test")

from listening.settings import *  # noqa: F403
