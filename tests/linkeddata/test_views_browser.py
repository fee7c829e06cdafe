"""The views of issue 14 in a real browser (Debian's Chromium, as test_browser.py drives it), at
1280 px and at 390 px: the interactive map, the network, the timeline and the query editor, the
drawn elements counted, a click through to a statement, screenshots kept in tests/artifacts/, and
every resource a page loads coming from our server."""

from __future__ import annotations

import pytest

from .test_browser import DESKTOP, PHONE, browser, wait_for_editor  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow


def wait(browser, condition, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser.driver, timeout).until(lambda d: condition())


def loaded_from_elsewhere(browser) -> list[str]:
    root = browser.server.root.rstrip("/")
    names = browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat([location.href])")
    return [n for n in names if not n.startswith(root) and not n.startswith("data:")]


def click_at(browser, element, x: float, y: float):
    """A real mouse click at (x, y) within ``element`` (offsets from its top-left corner)."""
    from selenium.webdriver.common.action_chains import ActionChains
    size = element.size
    ActionChains(browser.driver).move_to_element_with_offset(
        element, int(x - size["width"] / 2), int(y - size["height"] / 2)).click().perform()


def test_map_in_the_browser(browser, artifacts):
    browser.open("/map")
    wait(browser, lambda: browser.find_all("#map-interactive[data-ready='true']"))
    assert not browser.find(".map-static").is_displayed()          # the SVG is the fallback
    markers = browser.find_all("#map-interactive .leaflet-marker-icon")
    singles = browser.find_all("#map-interactive .leaflet-marker-icon.place-marker")
    clusters = [m for m in markers if m not in singles]
    placed = len(browser.find_all("table.places tbody tr"))
    assert markers and len(singles) + sum(int(c.text) for c in clusters) == placed
    lines = browser.find_all("#map-interactive path.flow-line.executed")
    assert len(lines) == 1
    assert loaded_from_elsewhere(browser) == []
    browser.check_clean()
    browser.shoot("map", artifacts)
    # A movement's line → its popup → its row in the table → a statement, with its quote.
    lines[0].click()
    wait(browser, lambda: browser.find_all(".leaflet-popup-content a"))
    browser.find(".leaflet-popup-content a[href^='#flow-']").click()
    target = browser.driver.execute_script("return location.hash")
    assert target.startswith("#flow-")
    statement = browser.find(f"tr{target} a.factoid")
    expected = statement.get_attribute("href")
    statement.click()
    browser.settle()
    assert browser.driver.current_url == expected and "/factoid/" in expected
    assert "deported" in browser.find("main").text
    browser.check_clean()

    browser.open("/map", size=PHONE)
    wait(browser, lambda: browser.find_all("#map-interactive[data-ready='true']"))
    assert browser.find("#map-interactive").is_displayed() and browser.overflow() <= 0
    browser.shoot("map-phone", artifacts)


def test_network_in_the_browser(browser, artifacts):
    browser.open("/network")
    wait(browser, lambda: browser.find_all("#network-graph[data-ready='true']"))
    listed = browser.find_all("ol.relations > li")
    drawn = browser.driver.execute_script("return window.archivekgNetwork.edges().length")
    nodes = browser.driver.execute_script("return window.archivekgNetwork.nodes().length")
    assert drawn == len(listed) > 0 and nodes >= 2
    assert browser.find("#network-graph canvas").is_displayed()
    assert loaded_from_elsewhere(browser) == []
    browser.check_clean()
    browser.shoot("network", artifacts)
    # Click on the middle of a line: the panel lists its statements; follow one.
    middle = browser.driver.execute_script(
        "const e = window.archivekgNetwork.edges()[0]; e.unselect(); return e.renderedMidpoint();")
    click_at(browser, browser.find("#network-graph"), middle["x"], middle["y"])
    wait(browser, lambda: browser.find("#network-panel").is_displayed())
    statement = browser.find("#network-panel a.factoid")
    expected = statement.get_attribute("href")
    statement.click()
    browser.settle()
    assert browser.driver.current_url == expected and "/factoid/" in expected
    browser.check_clean()

    browser.open("/network", size=PHONE)
    wait(browser, lambda: browser.find_all("#network-graph[data-ready='true']"))
    assert browser.overflow() <= 0
    browser.shoot("network-phone", artifacts)


def test_ego_network_and_events_in_time_on_a_person_page(browser, artifacts):
    browser.open("/page/ivanov")
    edges = browser.find_all("svg.ego-network a.edge-link")
    assert edges and len(browser.find_all("svg.ego-network line.edge")) == len(edges)
    assert browser.find("svg.ego-network").is_displayed()
    assert browser.find_all("section[aria-labelledby='in-time'] svg.timeline-chart.wide rect.bar")
    browser.check_clean()
    browser.shoot("person-network", artifacts)


def test_timeline_in_the_browser(browser, artifacts):
    browser.open("/timeline")
    items = browser.find_all("ol.events > li")
    wide = [b for b in browser.find_all("svg.timeline-chart.wide rect.bar") if b.is_displayed()]
    assert len(wide) == len(items) > 0
    assert not browser.find("svg.timeline-chart.narrow").is_displayed()
    assert browser.find_all("svg.timeline-chart.wide rect.bar.by-document")
    assert loaded_from_elsewhere(browser) == []
    browser.check_clean()
    browser.shoot("timeline-all", artifacts)
    # Zoom to a month: its days on the axis.
    browser.open("/timeline?from=1954-12&to=1954-12")
    assert browser.find("svg.timeline-chart.wide").get_attribute("data-unit") == "day"
    browser.shoot("timeline-month", artifacts)
    # Filter by a person with the form.
    from selenium.webdriver.support.ui import Select
    browser.open("/timeline")
    Select(browser.find("select[name=person]")).select_by_visible_text("V. I. Ivanov (2)")
    browser.find("form.filters button").click()
    browser.settle()
    assert len(browser.find_all("ol.events > li")) == 2
    first = browser.find("svg.timeline-chart.wide a.event-link text.label")
    first.click()
    browser.settle()
    assert "/page/" in browser.driver.current_url
    browser.check_clean()

    browser.open("/timeline", size=PHONE)
    narrow = [b for b in browser.find_all("svg.timeline-chart.narrow rect.bar") if b.is_displayed()]
    assert len(narrow) == len(browser.find_all("ol.events > li"))
    assert not browser.find("svg.timeline-chart.wide").is_displayed()
    assert browser.overflow() <= 0
    browser.shoot("timeline-phone", artifacts)


def test_query_editor_in_the_browser(browser, artifacts):
    from selenium.webdriver.common.keys import Keys
    browser.open("/query")
    editor = wait_for_editor(browser)
    assert browser.find_all(".cm-content .tok-keyword")            # PREFIX, SELECT, WHERE ...
    assert browser.find_all(".cm-content .tok-variableName")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys("PREFIX akg: <https://w3id.org/archivekg/ontology#>\n")
    editor.send_keys("SELECT ?who ?day WHERE { ?m a akg:Meet")
    wait(browser, lambda: browser.find_all(".cm-tooltip-autocomplete li"))
    offered = [li.text for li in browser.find_all(".cm-tooltip-autocomplete li")]
    assert any(text.startswith("Meeting") for text in offered), offered
    editor.send_keys(Keys.ENTER)                                      # takes the first: Meeting
    editor.send_keys(" ; akg:participant ?who ; akg:earliestDate ?day")
    value = browser.find("#query-text").get_attribute("value")
    assert "?m a akg:Meeting ; akg:participant ?who" in value
    browser.shoot("editor-completion", artifacts)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda: browser.find_all("table.results tbody tr"))
    assert browser.find_all("#view-timeline rect.bar")                  # dates: a timeline
    browser.check_clean()
    # The examples: a map and a graph.
    browser.open("/query")
    next(a for a in browser.find_all("ul.examples a") if a.text.startswith("Places with their points")).click()
    browser.settle()
    assert browser.find_all("#view-map circle.marker")
    browser.shoot("query-map", artifacts)
    browser.open("/query")
    next(a for a in browser.find_all("ul.examples a") if a.text == "Who met whom").click()
    browser.settle()
    assert browser.find_all("#view-graph line.edge")
    assert loaded_from_elsewhere(browser) == []
    browser.check_clean()
    browser.shoot("query-graph", artifacts)

    browser.open("/query", size=PHONE)
    wait_for_editor(browser)
    assert browser.overflow() <= 0
    browser.shoot("editor-phone", artifacts)


@pytest.mark.parametrize("path", ["/", "/map", "/network", "/timeline", "/query", "/page/ivanov", "/page/coast",
                                  "/page/doc-one", "/ontology"])
def test_every_resource_comes_from_our_server(browser, path):
    browser.open(path)
    browser.driver.execute_script("return new Promise(r => setTimeout(r, 300))")
    assert loaded_from_elsewhere(browser) == []
