"""The review page in a real browser (Debian's Chromium through chromedriver, as the pages'
browser tests): log in, see the proposals in their passages, accept one, reject one; the data
records both with the reviewer's name.  Screenshots go to tests/artifacts/."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time

import pytest
from linkeddata.conftest import ARTIFACTS, PUBLIC_BASE, build_corpus, start_server
from linkeddata.test_browser import CHROMEDRIVER, CHROMIUM, DESKTOP, PHONE, Browser, ensure_chromium
from selenium.common.exceptions import StaleElementReferenceException

from archivekg.curation.importer import import_file
from archivekg.curation.proposals import annotate
from archivekg.pipeline.yamlload import load_yaml

from .conftest import MAX_BYTES, PAGE, PAGE_ID, ROOT

TOKEN = "browser-test-token"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reviewing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review-browser")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    import_file(PAGE, data, max_bytes=MAX_BYTES, today=dt.date(2026, 1, 2))
    annotate(data, PAGE_ID)
    values = build_corpus(folder, PUBLIC_BASE)
    values.update({"DATA_DIR": str(data), "UPDATE_TOKEN": TOKEN})
    server = start_server(folder, values)
    ensure_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='archivekg-chromium-')}",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield Browser(driver, server), data
    driver.quit()
    server.stop()


def test_review_page_walkthrough(reviewing):
    browser, data = reviewing
    browser.open("/review")
    browser.find("#reviewer").send_keys("A. Curator")
    browser.find("#token").send_keys("not the token")
    browser.click_and_load(browser.find("form.review-login button"))
    assert "not the update token" in browser.find("p.error").text
    browser.shoot("review-login-refused", ARTIFACTS)
    # The refused login is a 403 the console reports; nothing else may be.
    assert [e["message"] for e in browser.driver.get_log("browser")] == \
        [f"{browser.server.root}review/login - Failed to load resource: the server responded with a status "
         f"of 403 (FORBIDDEN)"]
    browser.find("#reviewer").send_keys("A. Curator")
    browser.find("#token").send_keys(TOKEN)
    browser.click_and_load(browser.find("form.review-login button"))
    assert browser.find("strong.reviewer").text == "A. Curator"
    browser.click_and_load(browser.find(f"a[href='/review/{PAGE_ID}']"))
    sections = browser.find_all("section.proposal")
    assert len(sections) == 15
    marks = [m.text for m in browser.find_all("section.proposal mark")]
    assert "Ri Chol-ho" in marks and "No. 17-сс" in marks
    browser.check_clean()
    browser.shoot("review-document", ARTIFACTS)

    def section_with(words):
        # After a decision the page replaces its sections: read them again until they stand.
        deadline = time.monotonic() + 10
        while True:
            try:
                return next(s for s in browser.find_all("section.proposal")
                            if s.find_element("css selector", "h2 q").text == words)
            except StaleElementReferenceException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    browser.click_and_load(section_with("Ri Chol-ho").find_element("css selector", "button.accept"))
    rejected = section_with("2,000 tons")
    rejected.find_element("css selector", "input[name=reason]").send_keys("a delivery target")
    browser.click_and_load(rejected.find_element("css selector", "button.reject"))
    assert len(browser.find_all("section.proposal")) == 13
    browser.check_clean()
    browser.shoot("review-after-decisions", ARTIFACTS)
    browser.open(f"/review/{PAGE_ID}", size=PHONE)
    assert browser.overflow() <= 0
    browser.shoot("review-document-phone", ARTIFACTS)

    persons = load_yaml(data / "entities" / "persons.yaml")
    assert any(e["id"] == "ri-chol-ho" and "Accepted by A. Curator" in e["note"] for e in persons)
    remembered = load_yaml(data / "annotations" / f"{PAGE_ID}.rejected.yaml")
    assert remembered[0]["words"] == "2,000 tons" and remembered[0]["reason"] == "a delivery target"
    assert remembered[0]["by"] == "A. Curator"
