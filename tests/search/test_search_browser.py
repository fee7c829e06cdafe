"""A newcomer's first minute, in a real browser (headless Chromium, as for the other pages):
type a name into the search box and take a suggestion, search, narrow by a facet, page through
an index and download its CSV, open /sparql and a wrong address; at 1280 px and at 390 px,
with screenshots in tests/artifacts/."""

from __future__ import annotations

import csv
import io
import time

import pytest

from tests.linkeddata.test_browser import DESKTOP, PHONE, Browser, make_driver

SIZES = {"desktop": DESKTOP, "phone": PHONE}
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def artifacts():
    from tests.linkeddata.conftest import ARTIFACTS
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser(shipped_server, tmp_path_factory):
    driver = make_driver()
    downloads = tmp_path_factory.mktemp("downloads")
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    found = Browser(driver, shipped_server)
    found.downloads = downloads
    yield found
    driver.quit()


def wait(browser, condition, what: str, seconds: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser.driver, seconds).until(lambda d: condition(), message=what)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_typing_a_name_in_the_search_box(browser, artifacts, size):
    from selenium.webdriver.common.keys import Keys
    browser.open("/", size=SIZES[size])
    box = browser.find("header #site-search")
    assert box.is_displayed()
    box.send_keys("Kim Il")
    wait(browser, lambda: [li for li in browser.find_all("header ul.suggestions li") if li.is_displayed()],
         "suggestions under the box")
    suggestions = [li.text for li in browser.find_all("header ul.suggestions li")]
    assert any(s.startswith("Kim Il Sung") for s in suggestions), suggestions
    browser.shoot(f"search-suggestions-{size}", artifacts)
    # The keyboard picks a suggestion: down to the first, Enter opens its page.
    box.send_keys(Keys.ARROW_DOWN)
    first = browser.find("header ul.suggestions li[aria-selected='true'] a").get_attribute("href")
    box.send_keys(Keys.ENTER)
    wait(browser, lambda: browser.driver.current_url == first, "the suggestion's page")
    browser.settle()
    browser.check_clean()
    # Without taking a suggestion, Enter sends the form: any spelling finds him first.
    box = browser.find("header #site-search")
    box.clear()
    box.send_keys("Ким Ир Сен", Keys.ENTER)
    wait(browser, lambda: "/search?" in browser.driver.current_url, "the search page")
    browser.settle()
    first_hit = browser.find("ol.hits li.hit .hit-title")
    assert first_hit.text == "Kim Il Sung"
    assert browser.find("ol.hits li.hit .badge").text == "Person"
    assert browser.overflow() <= 0
    browser.check_clean()
    browser.shoot(f"search-results-{size}", artifacts)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_narrowing_a_search_by_a_facet(browser, artifacts, size):
    browser.open("/search?q=Kim", size=SIZES[size])
    total = browser.find("#results-title").text
    facet = next(a for a in browser.find_all("section.facet-type a") if a.text.startswith("Statement"))
    count = int(facet.find_element("xpath", "..").find_element("css selector", "small").text)
    browser.click_and_load(facet)
    assert "type=Statement" in browser.driver.current_url
    assert browser.find("#results-title").text.startswith(f"{count} result")
    assert browser.find("#results-title").text != total
    assert {b.text for b in browser.find_all("ol.hits .badge")} == {"Statement"}
    assert browser.find("section.facet-type a.selected").text.startswith("✓ Statement")
    assert browser.find_all("ol.hits mark"), "the matching words are highlighted"
    assert browser.overflow() <= 0
    browser.check_clean()
    browser.shoot(f"search-facet-{size}", artifacts)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_paging_an_index_and_downloading_its_csv(browser, artifacts, size):
    browser.open("/browse", size=SIZES[size])
    browser.click_and_load(browser.find("ul.indexes a[href='/browse/persons']"))
    heading = browser.find("#results-title").text
    total = int(heading.split()[0])
    first_page = [a.text for a in browser.find_all("table.index tbody tr td:first-child > a")]
    assert len(first_page) == min(total, 50)
    browser.open("/browse/persons?per_page=10", size=SIZES[size])
    seen = []
    while True:
        seen += [a.get_attribute("href") for a in browser.find_all("table.index tbody tr td:first-child > a")]
        following = browser.find_all("nav.pager a[rel=next]")
        if not following:
            break
        browser.click_and_load(following[0])
    assert len(seen) == len(set(seen)) == total
    assert browser.overflow() <= 0
    browser.shoot(f"browse-last-page-{size}", artifacts)
    for old in browser.downloads.glob("*"):
        old.unlink()
    browser.open("/browse/persons?per_page=10", size=SIZES[size])
    next(a for a in browser.find_all("a.download") if a.text == "CSV").click()
    target = browser.downloads / "archivekg-persons.csv"
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert sorted(r["id"].rsplit("/", 1)[1] for r in rows) == sorted(h.rsplit("/", 1)[1] for h in seen)
    browser.check_clean()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_endpoint_and_a_wrong_address_are_pages(browser, artifacts, size):
    browser.open("/sparql", size=SIZES[size])
    assert browser.find("h1").text == "SPARQL endpoint"
    assert browser.find("form.query textarea").is_displayed()
    assert browser.overflow() <= 0
    browser.check_clean()
    browser.shoot(f"sparql-page-{size}", artifacts)
    browser.open("/persons/kim-il-sung", size=SIZES[size])
    assert browser.find("h1").text.startswith("404")
    box = browser.find("main input[type=search]")
    assert box.get_attribute("value") == "kim il sung"
    assert browser.find("header #site-search").is_displayed()
    assert browser.overflow() <= 0
    # The console reports the 404 itself, and nothing else.
    logged = [e for e in browser.driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert [e["source"] for e in logged] == ["network"] and "404" in logged[0]["message"], logged
    browser.shoot(f"not-found-{size}", artifacts)
    box.submit()
    browser.settle()
    assert browser.find("ol.hits li.hit .hit-title").text == "Kim Il Sung"
