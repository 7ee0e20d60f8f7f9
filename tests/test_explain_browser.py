"""The explain page in a real headless Chromium: what it shows, and its controls.

Needs Debian's ``chromium`` (and ``chromium-driver`` plus selenium for the
clicking tests). Skipped without them, except that ``DPTOOLKIT_REQUIRE_BROWSER=1``
(set by .ci/run) makes a missing browser a failure.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit._explain import _events

REQUIRED = os.environ.get("DPTOOLKIT_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _need(what: str, found: object) -> None:
    if not found:
        if REQUIRED:
            pytest.fail(f"{what} is missing and DPTOOLKIT_REQUIRE_BROWSER=1")
        pytest.skip(f"{what} is not installed")


def _dump_dom(page: pathlib.Path, step: int | None = None) -> str:
    _need("chromium", CHROMIUM)
    assert CHROMIUM is not None
    url = page.as_uri() + (f"#step={step}" if step is not None else "")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=90,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _text_of(dom: str, ident: str) -> str:
    import re

    found = re.search(rf'id="{ident}"[^>]*>(.*?)</', dom, re.S)
    assert found is not None, ident
    return found.group(1)


def test_rendered_page_shows_the_instance_value_and_counters(tmp_path: pathlib.Path) -> None:
    page = pathlib.Path(dp.explain("knapsack", path=tmp_path / "knapsack.html"))
    dom = _dump_dom(page)
    assert _text_of(dom, "instance") == "knapsack.solve([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15)"
    assert _text_of(dom, "value") == "15"
    assert _text_of(dom, "calls") == "0" and _text_of(dom, "step") == "step 0 of 75"
    assert dom.count('class="node off"') == 40  # the whole tree, hidden until called
    assert dom.count('class="cell empty"') == 6 * 16
    end = _dump_dom(page, step=75)
    assert _text_of(end, "calls") == "40" and _text_of(end, "hits") == "5"
    assert _text_of(end, "misses") == "35" and "[1, 2, 3, 4]" in end
    assert 'id="witness-path"' in end and 'visibility="visible"' in end


def test_rendered_page_midway_counts_what_has_happened(tmp_path: pathlib.Path) -> None:
    page = pathlib.Path(dp.explain("fibonacci", 6, path=tmp_path / "fib.html"))
    dom = _dump_dom(page, step=12)
    # fib(6): calls 6, 5, 4, 3, 2, 1, 0 (7 calls), then returns and the hit fib(1)
    assert _text_of(dom, "calls") == "8" and _text_of(dom, "hits") == "1"
    assert _text_of(dom, "step") == "step 12 of 18"
    assert "fib(3) = 2 from fib(2), fib(1); stored in the cache." in dom


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need("chromium", CHROMIUM)
    _need("chromedriver", CHROMEDRIVER)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need("selenium", None)
        raise
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1400,1200")
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _read(driver: Any, ident: str) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.ID, ident).text)


def _click(driver: Any, ident: str, times: int = 1) -> None:
    from selenium.webdriver.common.by import By

    button = driver.find_element(By.ID, ident)
    for _ in range(times):
        button.click()


def test_step_back_and_end_buttons_move_the_counters(browser: Any, tmp_path: pathlib.Path) -> None:
    page = pathlib.Path(dp.explain("edit_distance", "kitten", "sitting", path=tmp_path / "e.html"))
    rec, goal = dp.catalog("edit_distance").build("kitten", "sitting")
    events = _events(rec.trace(*goal))
    browser.get(page.as_uri())
    assert _read(browser, "instance") == "edit_distance.solve('kitten', 'sitting')"
    assert _read(browser, "value") == "3"
    _click(browser, "next", 10)
    # the first ten events: the calls down the left spine to distance(0, 1), its return, ...
    called = [i for kind, i in events[:10] if kind == 0]
    assert called == list(range(8))
    assert (_read(browser, "calls"), _read(browser, "misses"), _read(browser, "hits")) == (
        "8",
        "8",
        "0",
    )
    assert _read(browser, "step") == "step 10 of 183"
    _click(browser, "prev", 3)
    back = sum(1 for kind, _ in events[:7] if kind == 0)
    assert _read(browser, "step") == "step 7 of 183" and _read(browser, "calls") == str(back)
    _click(browser, "end")
    assert (_read(browser, "calls"), _read(browser, "misses"), _read(browser, "hits")) == (
        "127",
        "56",
        "71",
    )
    assert "operations" in _read(browser, "witness") and "'insert', 6, 6" in _read(
        browser, "witness"
    )
    assert browser.find_element("id", "next").get_attribute("disabled") == "true"
    _click(browser, "reset")
    assert _read(browser, "calls") == "0" and "Press play" in _read(browser, "status")


def test_play_advances_by_itself_and_pauses(browser: Any, tmp_path: pathlib.Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    page = pathlib.Path(dp.explain("fibonacci", 5, path=tmp_path / "fib.html"))
    browser.get(page.as_uri())
    browser.find_element("id", "speed").send_keys("fast")
    _click(browser, "play")
    WebDriverWait(browser, 30).until(lambda d: _read(d, "step") == "step 15 of 15")
    assert _read(browser, "calls") == "9" and _read(browser, "hits") == "3"
    assert "play" in _read(browser, "play")  # paused itself at the end


def test_bottom_up_mode_fills_the_table_in_its_order(browser: Any, tmp_path: pathlib.Path) -> None:
    page = pathlib.Path(dp.explain("edit_distance", "abc", "abd", path=tmp_path / "e.html"))
    rec, goal = dp.catalog("edit_distance").build("abc", "abd")
    stats = rec.solve(*goal, strategy="bottom_up").stats
    browser.get(page.as_uri())
    _click(browser, "mode-bottom_up")
    assert _read(browser, "step") == f"step 0 of {stats.states}"
    _click(browser, "next", 6)  # the first row: distance(0, 0) .. (0, 3), then (1, 0), (1, 1)
    assert (_read(browser, "misses"), _read(browser, "hits")) == ("6", "3")  # (1, 1) read three
    assert "distance(1, 1) = 0 from distance(0, 0)" in _read(browser, "status")
    _click(browser, "end")
    assert _read(browser, "calls") == str(stats.calls) and _read(browser, "hits") == str(stats.hits)
    _click(browser, "mode-top_down")
    assert _read(browser, "calls") == "0" and _read(browser, "step").startswith("step 0 of")


def test_table_axis_names_are_shown_apart(browser: Any, tmp_path: pathlib.Path) -> None:
    """tsp names both axes (sets of cities down, the last city across); neither hides the other."""
    D = [[0, 10, 15, 20], [5, 0, 9, 10], [6, 13, 0, 12], [8, 8, 9, 0]]
    page = pathlib.Path(dp.explain("tsp", D, path=tmp_path / "tsp.html"))
    browser.get(page.as_uri())
    boxes = browser.execute_script(
        "return Array.from(document.querySelectorAll('#table text.axis')).map(function (t) {"
        " var b = t.getBoundingClientRect();"
        " return [t.textContent, b.left, b.top, b.right, b.bottom]; });"
    )
    names = [box[0] for box in boxes]
    assert names == ["j: the last city →", "↓ S: cities visited after 0"]
    (_, l1, t1, r1, b1), (_, l2, t2, r2, b2) = boxes
    assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1  # the boxes do not overlap
    ticks = browser.execute_script(
        "return Array.from(document.querySelectorAll('#table text.tick'))"
        ".map(function (t) { return t.textContent; });"
    )
    assert "{1,2,3}" in ticks and "{}" in ticks
