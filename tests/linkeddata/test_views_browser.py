"""The views of issue 14 in a real browser (Debian's Chromium, as test_browser.py drives it), at
1280 px and at 390 px: the interactive map, the network, the timeline and the query editor, the
drawn elements counted, a click through to a statement, screenshots kept in tests/artifacts/, and
every resource a page loads coming from our server."""

from __future__ import annotations

import pytest

from .test_browser import PHONE, open_browser, wait_for_editor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chrome(server):
    found = open_browser(server)
    yield found
    found.driver.quit()


def wait(chrome, condition, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(chrome.driver, timeout).until(lambda d: condition())


def loaded_from_elsewhere(chrome) -> list[str]:
    root = chrome.server.root.rstrip("/")
    names = chrome.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat([location.href])")
    return [n for n in names if not n.startswith(root) and not n.startswith("data:")]


def click_at(chrome, element, x: float, y: float):
    """A real mouse click at (x, y) within ``element`` (offsets from its top-left corner)."""
    from selenium.webdriver.common.action_chains import ActionChains
    size = element.size
    ActionChains(chrome.driver).move_to_element_with_offset(
        element, int(x - size["width"] / 2), int(y - size["height"] / 2)).click().perform()


def test_map_in_the_browser(chrome, artifacts):
    chrome.open("/map")
    wait(chrome, lambda: chrome.find_all("#map-interactive[data-ready='true']"))
    assert not chrome.find(".map-static").is_displayed()          # the SVG is the fallback
    markers = chrome.find_all("#map-interactive .leaflet-marker-icon")
    singles = chrome.find_all("#map-interactive .leaflet-marker-icon.place-marker")
    clusters = [m for m in markers if m not in singles]
    placed = len(chrome.find_all("table.places tbody tr"))
    assert markers and len(singles) + sum(int(c.text) for c in clusters) == placed
    lines = chrome.find_all("#map-interactive path.flow-line.executed")
    assert len(lines) == 1
    assert loaded_from_elsewhere(chrome) == []
    chrome.check_clean()
    chrome.shoot("map", artifacts)
    # A movement's line → its popup → its row in the table → a statement, with its quote.
    lines[0].click()
    wait(chrome, lambda: chrome.find_all(".leaflet-popup-content a"))
    chrome.find(".leaflet-popup-content a[href^='#flow-']").click()
    target = chrome.driver.execute_script("return location.hash")
    assert target.startswith("#flow-")
    statement = chrome.find(f"tr{target} a.factoid")
    expected = statement.get_attribute("href")
    chrome.click_and_load(statement)
    assert chrome.driver.current_url == expected and "/factoid/" in expected
    assert "deported" in chrome.find("main").text
    chrome.check_clean()

    chrome.open("/map", size=PHONE)
    wait(chrome, lambda: chrome.find_all("#map-interactive[data-ready='true']"))
    assert chrome.find("#map-interactive").is_displayed() and chrome.overflow() <= 0
    chrome.shoot("map-phone", artifacts)


def test_network_in_the_browser(chrome, artifacts):
    chrome.open("/network")
    wait(chrome, lambda: chrome.find_all("#network-graph[data-ready='true']"))
    listed = chrome.find_all("ol.relations > li")
    drawn = chrome.driver.execute_script("return window.archivekgNetwork.edges().length")
    nodes = chrome.driver.execute_script("return window.archivekgNetwork.nodes().length")
    assert drawn == len(listed) > 0 and nodes >= 2
    assert chrome.find("#network-graph canvas").is_displayed()
    assert loaded_from_elsewhere(chrome) == []
    chrome.check_clean()
    chrome.shoot("network", artifacts)
    # Click on the middle of a line: the panel lists its statements; follow one.
    middle = chrome.driver.execute_script(
        "const e = window.archivekgNetwork.edges()[0]; e.unselect(); return e.renderedMidpoint();")
    click_at(chrome, chrome.find("#network-graph"), middle["x"], middle["y"])
    wait(chrome, lambda: chrome.find("#network-panel").is_displayed())
    statement = chrome.find("#network-panel a.factoid")
    expected = statement.get_attribute("href")
    chrome.click_and_load(statement)
    assert chrome.driver.current_url == expected and "/factoid/" in expected
    chrome.check_clean()

    chrome.open("/network", size=PHONE)
    wait(chrome, lambda: chrome.find_all("#network-graph[data-ready='true']"))
    assert chrome.overflow() <= 0
    chrome.shoot("network-phone", artifacts)


def test_ego_network_and_events_in_time_on_a_person_page(chrome, artifacts):
    chrome.open("/page/ivanov")
    edges = chrome.find_all("svg.ego-network a.edge-link")
    assert edges and len(chrome.find_all("svg.ego-network line.edge")) == len(edges)
    assert chrome.find("svg.ego-network").is_displayed()
    assert chrome.find_all("section[aria-labelledby='in-time'] svg.timeline-chart.wide rect.bar")
    chrome.check_clean()
    chrome.shoot("person-network", artifacts)


def test_timeline_in_the_browser(chrome, artifacts):
    chrome.open("/timeline")
    items = chrome.find_all("ol.events > li")
    wide = [b for b in chrome.find_all("svg.timeline-chart.wide rect.bar") if b.is_displayed()]
    assert len(wide) == len(items) > 0
    assert not chrome.find("svg.timeline-chart.narrow").is_displayed()
    assert chrome.find_all("svg.timeline-chart.wide rect.bar.by-document")
    assert loaded_from_elsewhere(chrome) == []
    chrome.check_clean()
    chrome.shoot("timeline-all", artifacts)
    # Zoom to a month: its days on the axis.
    chrome.open("/timeline?from=1954-12&to=1954-12")
    assert chrome.find("svg.timeline-chart.wide").get_attribute("data-unit") == "day"
    chrome.shoot("timeline-month", artifacts)
    # Filter by a person with the form.
    from selenium.webdriver.support.ui import Select
    chrome.open("/timeline")
    Select(chrome.find("select[name=person]")).select_by_visible_text("V. I. Ivanov (2)")
    chrome.click_and_load(chrome.find("form.filters button"))
    assert len(chrome.find_all("ol.events > li")) == 2
    chrome.click_and_load(chrome.find("svg.timeline-chart.wide a.event-link text.label"))
    assert "/page/" in chrome.driver.current_url
    chrome.check_clean()

    chrome.open("/timeline", size=PHONE)
    narrow = [b for b in chrome.find_all("svg.timeline-chart.narrow rect.bar") if b.is_displayed()]
    assert len(narrow) == len(chrome.find_all("ol.events > li"))
    assert not chrome.find("svg.timeline-chart.wide").is_displayed()
    assert chrome.overflow() <= 0
    chrome.shoot("timeline-phone", artifacts)


def test_query_editor_in_the_browser(chrome, artifacts):
    from selenium.webdriver.common.keys import Keys
    chrome.open("/query")
    editor = wait_for_editor(chrome)
    assert chrome.find_all(".cm-content .tok-keyword")            # PREFIX, SELECT, WHERE ...
    assert chrome.find_all(".cm-content .tok-variableName")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys("PREFIX akg: <https://w3id.org/archivekg/ontology#>\n")
    editor.send_keys("SELECT ?who ?day WHERE { ?m a akg:Meet")
    wait(chrome, lambda: chrome.find_all(".cm-tooltip-autocomplete li"))
    offered = [li.text for li in chrome.find_all(".cm-tooltip-autocomplete li")]
    assert any(text.startswith("Meeting") for text in offered), offered
    editor.send_keys(Keys.ENTER)                                      # takes the first: Meeting
    editor.send_keys(" ; akg:participant ?who ; akg:earliestDate ?day")
    value = chrome.find("#query-text").get_attribute("value")
    assert "?m a akg:Meeting ; akg:participant ?who" in value
    chrome.shoot("editor-completion", artifacts)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(chrome, lambda: chrome.find_all("table.results tbody tr"))
    assert chrome.find_all("#view-timeline rect.bar")                  # dates: a timeline
    chrome.check_clean()
    # The examples: a map and a graph.
    chrome.open("/query")
    chrome.click_and_load(next(a for a in chrome.find_all("ul.examples a") if a.text.startswith("Places with their points")))
    assert chrome.find_all("#view-map circle.marker")
    chrome.shoot("query-map", artifacts)
    chrome.open("/query")
    chrome.click_and_load(next(a for a in chrome.find_all("ul.examples a") if a.text == "Who met whom"))
    assert chrome.find_all("#view-graph line.edge")
    assert loaded_from_elsewhere(chrome) == []
    chrome.check_clean()
    chrome.shoot("query-graph", artifacts)

    chrome.open("/query", size=PHONE)
    wait_for_editor(chrome)
    assert chrome.overflow() <= 0
    chrome.shoot("editor-phone", artifacts)


@pytest.mark.parametrize("path", ["/", "/map", "/network", "/timeline", "/query", "/page/ivanov", "/page/coast",
                                  "/page/doc-one", "/ontology"])
def test_every_resource_comes_from_our_server(chrome, path):
    chrome.open(path)
    chrome.driver.execute_script("return new Promise(r => setTimeout(r, 300))")
    assert loaded_from_elsewhere(chrome) == []
