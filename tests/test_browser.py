"""The corpus report in a real browser: Debian's headless Chromium, driven by Selenium.

These tests need `chromium` and `chromium-driver` from the system's packages. Without them they
are skipped, unless CLAIMX_BROWSER_TESTS=required (as CI sets it), when they fail. A screenshot
of the report is kept in the test's temporary folder.
"""

import json
import os
import shutil

import pytest

import claimx

TEXTS = [
    ("Mayor Ana Ruiz accused the harbour board of hiding the dredging costs on Monday.\n\n"
     "“The board has misled this city for years,” Ruiz said. Board chairman Tom Hale denied that the costs "
     "were hidden. “Ana Ruiz knows the figures,” Hale said.", "harbour.txt"),
    ("Senator Paul Orme warned that Ana Ruiz would raise the port fees.\n\n"
     "“She will double them by spring,” Orme told reporters. Ruiz denied the claim. "
     "Tom Hale said the board had not decided anything.", "fees.txt"),
    ("Tom Hale praised Paul Orme on Tuesday. “Orme understands the harbour,” Hale said.", "praise.txt"),
]


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        message = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        if os.environ.get("CLAIMX_BROWSER_TESTS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    return chromium, driver


@pytest.fixture(scope="module")
def report(tmp_path_factory, nlp):
    results = list(claimx.extract_many(TEXTS, nlp=nlp))
    path = tmp_path_factory.mktemp("report") / "report.html"
    claimx.write_html(results, path)
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver_path = _browser_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def _open(browser, path):
    browser.get(path.as_uri())
    browser.get_log("performance")  # start each test's request log afresh
    browser.refresh()


def _click_on_line(browser, edge):
    """Click the middle of an edge's curve (Selenium clicks the centre of its box, which a
    curve misses)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", edge)
    x, y = browser.execute_script(
        "const p = arguments[0].querySelector('.line'), m = p.getScreenCTM(),"
        " q = p.getPointAtLength(p.getTotalLength() / 2);"
        " return [q.x * m.a + q.y * m.c + m.e, q.x * m.b + q.y * m.d + m.f];", edge)
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(round(x), round(y))
    actions.pointer_action.click()
    actions.perform()


def _visible_rows(browser):
    return [row for row in browser.find_elements("css selector", "#claims-table tbody tr") if row.is_displayed()]


def test_browser_network_renders_and_no_request_leaves_the_page(browser, report, tmp_path):
    _open(browser, report)
    actors = browser.find_elements("css selector", "#network .actor")
    edges = browser.find_elements("css selector", "#network .edge")
    assert len(actors) >= 3 and len(edges) >= 2
    assert all(actor.is_displayed() for actor in actors)
    names = {actor.find_element("css selector", "text").text for actor in actors}
    assert {"Ana Ruiz", "Tom Hale"} <= names
    # every request the page made is the page itself: no script, style, font or image elsewhere
    requests = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    urls = {m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"}
    assert urls <= {report.as_uri()}, urls
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    print("screenshot:", shot)


def test_browser_a_click_on_a_person_or_an_arrow_filters_the_table(browser, report):
    _open(browser, report)
    total = len(browser.find_elements("css selector", "#claims-table tbody tr"))
    assert len(_visible_rows(browser)) == total
    actor = next(a for a in browser.find_elements("css selector", "#network .actor")
                 if a.find_element("css selector", "text").text == "Paul Orme")
    key = actor.get_attribute("data-e")
    actor.find_element("css selector", "circle").click()
    shown = _visible_rows(browser)
    assert 0 < len(shown) < total
    assert all(key in (row.get_attribute("data-s").split() + row.get_attribute("data-t").split()) for row in shown)
    assert browser.find_element("id", "claim-count").text == f"{len(shown)} of {total} claims"

    edge = browser.find_elements("css selector", "#network .edge")[0]
    _click_on_line(browser, edge)
    source, target, act = (edge.get_attribute(a) for a in ("data-s", "data-t", "data-act"))
    shown = _visible_rows(browser)
    assert shown and all(source in r.get_attribute("data-s").split() and target in r.get_attribute("data-t").split()
                         and r.get_attribute("data-act") == act for r in shown)

    browser.find_element("id", "f-clear").click()
    assert len(_visible_rows(browser)) == total


def test_browser_a_claim_links_to_its_place_in_the_article(browser, report):
    _open(browser, report)
    link = browser.find_element("css selector", "#claims-table tbody tr td:last-child a")
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()
    marked = browser.find_elements("css selector", ".claim.focus")
    assert marked and all(anchor in piece.get_attribute("data-c").split() for piece in marked)
    assert browser.execute_script("return location.hash") == "#" + anchor
