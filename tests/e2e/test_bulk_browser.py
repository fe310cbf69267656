"""A real browser works the complaint queue: tick two open complaints on the mention list,
choose "Resolve", read the confirmation's count, confirm, and see the result and the message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from listening.models import Mention
from listening.models.mentions import ComplaintStatus
from tests import factories
from tests.e2e.test_browser import browser, require_browser  # noqa: F401  (a fixture)

pytestmark = pytest.mark.e2e


def test_an_analyst_resolves_two_complaints_in_bulk_after_confirming(
    live_server, transactional_db, world, request, tmp_path: Path
):
    require_browser()  # in the test body, so that CI reports a FAILED test, not a fixture error
    driver = request.getfixturevalue("browser")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    now = timezone.now()
    texts = ["My parcel never came, third week now", "Refund still not in my account",
             "App logs me out every hour"]
    complaints = [
        factories.MentionFactory.create(
            source=world.acme_source, brand=world.acme_brand, is_complaint=True, lang="en",
            sentiment="negative", complaint_status=ComplaintStatus.OPEN, text=text,
            published_at=now - timedelta(hours=5 + i),
        )
        for i, text in enumerate(texts)
    ]

    driver.get(f"{live_server.url}/login/")
    driver.find_element(By.NAME, "username").send_keys(world.agency_user.username)
    driver.find_element(By.NAME, "password").send_keys(factories.PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    driver.find_element(By.CSS_SELECTOR, "table.portfolio")  # signed in

    driver.get(f"{live_server.url}/t/acme/mentions/?status=open&sort=oldest")
    for mention in complaints[:2]:
        driver.find_element(By.CSS_SELECTOR, f"input[data-pick][value='{mention.pk}']").click()
    assert driver.find_element(By.CSS_SELECTOR, "[data-picked-count]").text == "2 mentions ticked"
    Select(driver.find_element(By.NAME, "bulk")).select_by_value("resolve")
    driver.find_element(By.CSS_SELECTOR, "#bulk-form button[type=submit]").click()

    confirm = driver.find_element(By.CSS_SELECTOR, "[data-confirm]")
    assert "Resolve 2 complaints?" in confirm.text
    driver.save_screenshot(str(tmp_path / "confirm.png"))
    # Nothing changes before the confirmation.
    assert set(Mention.all_tenants.values_list("complaint_status", flat=True)) == {ComplaintStatus.OPEN}
    driver.find_element(By.CSS_SELECTOR, "[data-confirm-button]").click()

    notice = driver.find_element(By.CSS_SELECTOR, ".notice-success")
    assert notice.text == "Resolved 2 complaints."
    statuses = dict(Mention.all_tenants.values_list("pk", "complaint_status"))
    assert statuses == {complaints[0].pk: ComplaintStatus.RESOLVED, complaints[1].pk: ComplaintStatus.RESOLVED,
                        complaints[2].pk: ComplaintStatus.OPEN}
    # Back on the same filtered list: only the complaint left open, and the offer to undo.
    listed = driver.find_element(By.CSS_SELECTOR, "ul.mentions").text
    assert texts[2] in listed
    assert texts[0] not in listed
    assert "Your last bulk action: Resolve, 2 mentions changed." in driver.find_element(
        By.CSS_SELECTOR, "[data-undo]").text
    shot = tmp_path / "after.png"
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    for marker in ("Server Error", "Traceback", "TemplateSyntaxError"):
        assert marker not in driver.page_source
