"""A real browser against a live server: sign in, read the portfolio, open a tenant.

Needs Chromium and its driver (Debian: ``apt-get install chromium chromium-driver``). Without them
the test is skipped with a loud reason, except under CI=true, where it fails instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories
from tests.dashboard.conftest import add_hourly_volume

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("DENGAR_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DENGAR_CHROMEDRIVER", "/usr/bin/chromedriver")


def _missing_browser() -> str | None:
    missing = [
        p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(p) and os.access(p, os.X_OK))
    ]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return None
    return (
        f"BROWSER TEST NOT RUN: {', '.join(missing)} missing. Install them with "
        "`apt-get install chromium chromium-driver` (and `pip install -e .[dev]`), or set "
        "DENGAR_CHROMIUM / DENGAR_CHROMEDRIVER."
    )


def require_browser() -> None:
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " CI=true: a missing browser fails the build.")
        pytest.skip(reason)


@pytest.fixture
def browser() -> Iterator[object]:
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="dengar-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--window-size=1366,1000",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("_fast_password_hashing")
def test_an_agency_user_signs_in_and_finds_an_unanswered_complaint(
    live_server, transactional_db, world, request, tmp_path: Path
):
    require_browser()  # in the test body, so that CI reports a FAILED test, not a fixture error
    browser = request.getfixturevalue("browser")
    from selenium.webdriver.common.by import By

    now = timezone.now()
    factories.MentionFactory(
        source=world.acme_source, brand=world.acme_brand, is_complaint=True, lang="en",
        sentiment="negative", text="My order has not arrived after two weeks, refund please",
        author_handle="ani_w", published_at=now - timedelta(hours=3, minutes=20),
    )
    add_hourly_volume(tenant=world.acme, source=world.acme_source, days_ago=range(0, 35),
                      per_day=12, complaints=2)

    browser.get(f"{live_server.url}/")
    assert "/login/" in browser.current_url
    browser.find_element(By.NAME, "username").send_keys(world.agency_user.username)
    browser.find_element(By.NAME, "password").send_keys(factories.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()

    table = browser.find_element(By.CSS_SELECTOR, "table.portfolio")
    assert "Acme" in table.text
    assert "Globex" in table.text
    assert "Initech" not in browser.page_source
    browser.save_screenshot(str(tmp_path / "portfolio.png"))

    browser.find_element(By.CSS_SELECTOR, ".switcher summary").click()
    browser.find_element(By.CSS_SELECTOR, ".switcher-menu a[data-tenant='acme']").click()
    assert browser.current_url.endswith("/t/acme/")
    overdue = browser.find_element(By.CSS_SELECTOR, "ul.overdue")
    assert "My order has not arrived" in overdue.text
    assert "3 h 20 min" in overdue.text
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart-svg")
    assert chart.get_attribute("role") == "img"
    assert chart.size["width"] > 300
    assert chart.size["height"] > 80
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart-svg .bar-mentions")) == 35

    shot = tmp_path / "tenant.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    assert browser.title == "Acme · Dengar"
    for marker in ("Server Error", "Traceback", "TemplateSyntaxError", "Page not found"):
        assert marker not in browser.page_source
    # The stylesheet was served and applied: the top bar is dark, not the browser default.
    topbar = browser.find_element(By.CSS_SELECTOR, ".topbar")
    assert topbar.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
