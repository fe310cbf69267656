from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The .mo files `make install` builds, built here too when missing or older than their .po."""
    for po in (ROOT / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        # A file of this process's own, then renamed: test processes running side by side never
        # read a half-written catalogue.
        partial = mo.with_suffix(f".{os.getpid()}.tmp")
        msgfmt = shutil.which("msgfmt")
        if msgfmt is not None:
            subprocess.run([msgfmt, "--check", "-o", str(partial), str(po)], check=True)
        else:  # no GNU gettext on this machine: Babel, as `make install` falls back to
            with po.open("rb") as source:
                catalog = read_po(source)
            with partial.open("wb") as target:
                write_mo(target, catalog)
        partial.replace(mo)
    # Catalogues loaded before this are loaded again, with the new ones.
    trans_real._translations = {}  # type: ignore[attr-defined]
