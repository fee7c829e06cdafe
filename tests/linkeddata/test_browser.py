"""The pages in a real browser: headless Chromium from Debian's packages, driven through
chromedriver (the same package version as the browser) with Selenium.

Nothing is downloaded at test time except, on a fresh machine and as root, the two Debian
packages (apt-get).  Each test asserts what the page shows, that no script ran from the
data (no alert dialog) and that the console has no error; screenshots go to
tests/artifacts/.
"""

from __future__ import annotations

import os
import subprocess
import tempfile

import pytest

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PACKAGES = ("chromium", "chromium-driver")
DESKTOP, PHONE = (1280, 900), (390, 844)


def ensure_chromium() -> None:
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return
    if os.geteuid() != 0:
        pytest.fail(f"the browser tests need Debian's {' and '.join(PACKAGES)} "
                    f"({CHROMIUM}, {CHROMEDRIVER}); run the tests as root, which installs them, "
                    f"or run: apt-get install -y {' '.join(PACKAGES)}", pytrace=False)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update"],
                    ["apt-get", "install", "-y", *PACKAGES]):
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}", pytrace=False)


@pytest.fixture(scope="session")
def browser(server):
    found = open_browser(server)
    yield found
    found.driver.quit()


def open_browser(server) -> Browser:
    """Headless Chromium driven through Debian's chromedriver, on the test server."""
    return Browser(make_driver(), server)


def make_driver():
    """Headless Chromium driven by Debian's chromedriver (also used by tests/search)."""
    ensure_chromium()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the browser tests need Selenium: pip install -e '.[test]'", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="archivekg-chromium-")
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # A driver path given to Service means Selenium Manager is never run (nothing downloaded).
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


class Browser:
    def __init__(self, driver, server):
        self.driver, self.server = driver, server

    def open(self, path: str, size=DESKTOP):
        self.driver.set_window_size(*size)
        self.driver.get(self.server.root.rstrip("/") + path)
        self.settle()

    def settle(self):
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(self.driver, 30).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def click_and_load(self, element):
        """Click what loads another page, and wait for that page: the old page's readyState is
        "complete" too, so ``settle`` alone may read the page that is being left."""
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait
        leaving = self.find("html")
        element.click()
        WebDriverWait(self.driver, 30).until(expected_conditions.staleness_of(leaving))
        self.settle()

    def find(self, css: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def check_clean(self):
        """No dialog opened by a script, and nothing logged as an error."""
        from selenium.common.exceptions import NoAlertPresentException
        try:
            text = self.driver.switch_to.alert.text
            pytest.fail(f"a script opened a dialog: {text!r}")
        except NoAlertPresentException:
            pass
        errors = [e for e in self.driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert not errors, errors

    def overflow(self) -> int:
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")

    def shoot(self, name: str, artifacts):
        width = self.driver.get_window_size()["width"]
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(max(height, 600), 6000))
        self.driver.save_screenshot(str(artifacts / f"{name}.png"))


def wait_for_editor(browser):
    """The query editor (CodeMirror) that replaces the textarea once its script has run."""
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser.driver, 30).until(lambda d: browser.find_all(".cm-editor .cm-content"))
    return browser.find(".cm-editor .cm-content")


def test_landing(browser, artifacts):
    browser.open("/")
    assert browser.find("h1").text == "Archival documents as a knowledge graph"
    assert len(browser.find_all("ul.examples a")) >= 10
    assert browser.find("a[href='/download/']").is_displayed()
    browser.check_clean()
    browser.shoot("landing", artifacts)
    browser.open("/", size=PHONE)
    assert browser.overflow() <= 0
    browser.shoot("landing-phone", artifacts)


def test_person(browser, artifacts):
    browser.open("/page/ivanov")
    assert browser.find("h1").text == "V. I. Ivanov"
    marks = [m.text for m in browser.find_all("#documents ~ article mark, .document-passages mark")]
    assert "Cde. Ivanov" in marks and "Cde. V. Ivanov" in marks
    assert browser.find("a[href='https://www.wikidata.org/wiki/Q4115189']").is_displayed()
    browser.check_clean()
    browser.shoot("person", artifacts)
    browser.open("/page/ivanov", size=PHONE)
    assert browser.overflow() <= 0
    browser.shoot("person-phone", artifacts)


def test_document(browser, artifacts):
    browser.open("/page/doc-one")
    assert "<script>alert('title')</script>" in browser.find("h1").text
    body = browser.find(".segment-body .body")
    assert 'To Cde. <script>alert("addressee")</script>' in browser.find(".text").text
    marks = browser.find_all(".text mark")
    notes = browser.find_all("ol.notes > li")
    assert marks and len(notes) >= 8
    reference = body.find_element("css selector", "sup.ref a")
    target = reference.get_attribute("href").split("#", 1)[1]
    reference.click()
    assert browser.driver.execute_script("return location.hash") == "#" + target
    assert browser.driver.execute_script(
        "return document.querySelector(':target').id") == target
    browser.check_clean()
    browser.shoot("document", artifacts)
    browser.open("/page/doc-one", size=PHONE)
    assert browser.overflow() <= 0
    browser.shoot("document-phone", artifacts)


def test_timeline(browser, artifacts):
    browser.open("/timeline")
    bars = browser.find_all("svg.timeline-chart.wide rect.bar")     # a narrow chart is drawn for phones
    items = browser.find_all("ol.events > li")
    assert bars and len(bars) == len(items)
    assert browser.find_all("svg rect.bar.planned")
    browser.check_clean()
    browser.shoot("timeline", artifacts)
    first = browser.find("ol.events > li a")
    expected = first.get_attribute("href")
    browser.click_and_load(first)
    assert browser.driver.current_url == expected
    browser.check_clean()


def test_chart(browser, artifacts):
    browser.open("/charts/resettlement")
    assert len(browser.find_all("svg rect.bar.families")) == 2
    assert "Total 15 61" in browser.find("table.figures tfoot").text
    browser.check_clean()
    browser.shoot("chart", artifacts)


def test_query_page_runs_an_example(browser, artifacts):
    browser.open("/query")
    example = next(a for a in browser.find_all("ul.examples a") if a.text == "Documents by date")
    browser.click_and_load(example)
    rows = browser.find_all("table.results tbody tr")
    assert len(rows) == 2
    assert "Deportation of settlers" in browser.find("table.results").text
    assert "SELECT ?document ?title ?type ?date" in browser.find("#query-text").get_attribute("value")
    assert [a.text for a in browser.find_all("p.downloads a")] == [
        "SPARQL Results JSON", "SPARQL Results XML", "SPARQL Results CSV", "SPARQL Results TSV"]
    browser.check_clean()
    browser.shoot("query-example", artifacts)


def test_query_page_runs_with_ctrl_enter(browser, artifacts):
    from selenium.webdriver.common.keys import Keys
    browser.open("/query")
    assert "PREFIX akg: <https://w3id.org/archivekg/ontology#>" in browser.find("#query-text").get_attribute("value")
    editor = wait_for_editor(browser)
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    # The editor closes brackets itself: the query is typed without its closing brace.
    editor.send_keys("PREFIX akg: <https://w3id.org/archivekg/ontology#>\n"
                     "SELECT ?name WHERE { ?p a akg:Person ; akg:name ?name")
    editor.send_keys(Keys.ESCAPE, Keys.CONTROL, Keys.END)
    editor.send_keys(" ORDER BY ?name")
    assert browser.find("#query-text").get_attribute("value").endswith("akg:name ?name} ORDER BY ?name")
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    browser.settle()
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser.driver, 30).until(lambda d: browser.find_all("table.results tbody tr"))
    cells = [row.text for row in browser.find_all("table.results tbody tr")]
    assert cells == ['<script>alert("name")</script> Smith en', "V. I. Ivanov en"]   # names are @en
    browser.check_clean()
    browser.shoot("query-typed", artifacts)


def test_query_page_posts_a_query_too_long_for_a_link(browser):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    browser.open("/query")
    area = browser.find("#query-text")
    editor = wait_for_editor(browser)
    long_query = ("# " + "padding " * 1200 + "\n"
                  "SELECT ?place WHERE { ?place a <https://w3id.org/archivekg/ontology#Island> }")
    browser.driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", area, long_query)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(browser.driver, 30).until(lambda d: browser.find_all("table.results tbody tr"))
    assert len(browser.find_all("table.results tbody tr")) == 2
    assert "?" not in browser.driver.current_url
    browser.check_clean()


def test_hostile_names_do_not_run(browser, artifacts):
    for path in ("/page/hostile", "/page/meeting-one", "/ontology", "/shapes", "/download/"):
        browser.open(path)
        browser.check_clean()
    browser.open("/page/meeting-one")
    assert 'Meeting "><img src=x onerror=alert(2)> of Ivanov' == browser.find("h1").text
    assert not browser.find_all("main img")
    browser.check_clean()
    browser.shoot("hostile", artifacts)
