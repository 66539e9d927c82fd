"""The editor's page in a real browser: Debian's Chromium driven by Playwright, headless.
Screenshots of each state land in test-output/."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from copydesk.models.grammar.server import free_port
from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / ".node" / "node_modules" / "axe-core" / "axe.min.js"
RULES_ONLY = str(ROOT / "tests" / "service" / "fixtures" / "sentence-case-only.toml")
EDITS = ":is(#text, #pairs) .edit"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]


@contextlib.contextmanager
def serve(**env: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "COPYDESK_PORT": str(port),
        "COPYDESK_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/state.db",
        **env,
    }
    proc = subprocess.Popen(
        copydesk_command("serve"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stdout.read().decode()}")
        else:
            pytest.fail("server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(languagetool_url):
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # playwright: only where a browser runs

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 1400})
    page = context.new_page()
    page.goto(server)
    yield page
    context.close()


def shot(page, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"editor-{name}.png"), full_page=True)


def repair_in_page(page, text: str, source: str = "") -> None:
    page.fill("#mt", text)
    if source:
        page.fill("#source", source)
    page.click("#repair")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)


def edit(page, old: str):
    return page.locator(EDITS, has=page.locator("del", has_text=old)).first


def state(page, old: str) -> str:
    return edit(page, old).get_attribute("data-state")


def test_every_edit_shows_old_and_new_whatever_its_state(page, seed_mt):
    repair_in_page(page, seed_mt)
    applied = edit(page, "Iglinskiy")
    assert applied.get_attribute("data-state") == "applied"
    assert applied.locator("del").is_visible() and applied.locator("ins").is_visible()
    assert applied.locator("ins").inner_text() == "Idlib"
    suggestion = page.locator(f"{EDITS}[data-state=suggested]").first
    assert suggestion.locator("ins").is_visible()  # what it would change, before any decision
    assert suggestion.locator("del").is_visible()
    assert suggestion.locator(".mark").inner_text() == "?"
    assert "Idlib" in page.input_value("#final")
    shot(page, "seed")


def test_a_card_per_edit_and_decisions_that_move_on(page, seed_mt):
    repair_in_page(page, seed_mt)
    first = page.locator(EDITS).first
    first.focus()
    assert page.locator("#card").is_visible()
    assert page.inner_text("#card-old") == "foreign" and page.inner_text("#card-new") == "Foreign"
    assert page.inner_text("#card-level") in ("high", "medium", "low")
    assert page.inner_text("#card-kind").startswith("casing")
    page.keyboard.press("r")
    assert first.get_attribute("data-state") == "rejected"
    second = page.locator(EDITS).nth(1)
    assert "selected" in second.get_attribute("class")  # moved to the next edit
    page.keyboard.press("a")
    assert second.get_attribute("data-state") == "accepted"
    assert "selected" in page.locator(EDITS).nth(2).get_attribute("class")
    page.keyboard.press("k")
    assert "selected" in second.get_attribute("class")
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    shot(page, "shortcuts")
    page.keyboard.press("Escape")
    assert not page.locator("#shortcuts").is_visible()
    assert page.input_value("#final").startswith(
        "Idlib has become a stumbling block in Syria\n\nforeign"
    )
    shot(page, "card")


def test_undo_and_redo_of_decisions_leave_the_input_alone(page):
    text = "the talks ended. it rained."
    repair_in_page(page, text)
    page.locator(EDITS).first.focus()
    page.keyboard.press("r")
    page.keyboard.press("r")
    assert page.input_value("#final") == text
    page.keyboard.press("Control+z")
    assert page.input_value("#final") == "the talks ended. It rained."
    page.keyboard.press("Control+z")
    assert page.input_value("#final") == "The talks ended. It rained."
    assert page.input_value("#mt") == text  # the browser's own undo never ran
    page.keyboard.press("Control+Shift+z")
    assert page.input_value("#final") == "the talks ended. It rained."
    page.click("#undo")
    page.click("#redo")
    assert page.input_value("#final") == "the talks ended. It rained."
    page.fill("#mt", text + " more")
    assert page.locator("#stale").is_visible()
    shot(page, "stale")


def test_source_beside_the_translation(page):
    mt = "sergei Lavrov arrived in Ankara. Sergey Lavrov spoke.\n\nthe talks ended on Monday."
    source = (
        "Сергей Лавров прибыл в Анкару. Сергей Лавров выступил.\n\n"
        "Переговоры завершились в понедельник."
    )
    repair_in_page(page, mt, source)
    rows = page.locator("#pairs .pair")
    assert rows.count() == 2
    assert rows.nth(0).locator(".src").inner_text().startswith("Сергей Лавров")
    first = rows.nth(1).locator(".edit").first  # old and new, beside the source
    assert (first.locator("del").inner_text(), first.locator("ins").inner_text()) == ("the", "The")
    shot(page, "source")
    # A name repair's evidence in the source is marked, and picked out with its card.
    repair_in_page(
        page,
        "Meeting in Iglinskiy areas of de-escalation was held.",
        "Встреча в идлибской зоне деэскалации прошла.",
    )
    page.locator(EDITS, has=page.locator("del", has_text="Iglinskiy")).focus()
    assert page.inner_text("#pairs mark.evidence") == "идлибской"
    shot(page, "evidence")


def test_filters_counts_and_bulk_decisions(page, seed_mt):
    repair_in_page(page, seed_mt)
    total = page.locator(EDITS).count()
    assert page.locator("#overview tfoot td").last.inner_text() == str(total)
    suggested = page.locator(f"{EDITS}[data-state=suggested]").count()
    page.select_option("#filter-state", "suggested")
    assert page.locator(f"{EDITS}:not(.filtered-out)").count() == suggested
    page.click("#accept-shown")
    assert page.locator(f"{EDITS}[data-state=accepted]").count() == suggested
    page.select_option("#filter-state", "all")
    page.select_option("#filter-kind", "entity")
    page.click("#reject-shown")
    assert state(page, "Iglinskiy") == "rejected"
    page.select_option("#filter-kind", "all")
    page.fill("#filter-below", "0.5")
    low = [
        float(c)
        for c in page.evaluate(
            "() => view.edits.filter(e => e.confidence < 0.5).map(e => e.confidence)"
        )
    ]
    assert page.locator(f"{EDITS}:not(.filtered-out)").count() == len(low)
    page.click("#undo")
    assert state(page, "Iglinskiy") == "applied"
    shot(page, "filters")


def test_feedback_is_sent_as_decided_and_unreviewed_edits_stay_apart(page, server):
    def counts() -> dict:
        return {(s["stage"], s["kind"]): s for s in httpx.get(server + "/v1/stats").json()}

    before = counts().get(("sentence_case", "casing"), {"rejected": 0, "not_reviewed": 0})
    repair_in_page(page, "the talks ended. it rained. the end came.")
    page.locator(EDITS).first.focus()
    page.keyboard.press("r")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # sent on its own, soon after the decision
        now = counts().get(("sentence_case", "casing"), {"rejected": 0})
        if now["rejected"] == before["rejected"] + 1:
            break
        time.sleep(0.3)
    assert now["rejected"] == before["rejected"] + 1
    page.click("#copy")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        now = counts()[("sentence_case", "casing")]
        if now["not_reviewed"] >= before["not_reviewed"] + 2:
            break
        time.sleep(0.3)
    assert now["not_reviewed"] == before["not_reviewed"] + 2
    assert now["rejected"] == before["rejected"] + 1  # untouched ones are not rejections


def test_the_page_works_behind_api_keys(browser):
    with serve(COPYDESK_API_KEYS='["sesame"]', COPYDESK_PIPELINE=RULES_ONLY) as url:
        page = browser.new_page()
        page.goto(url)
        page.fill("#mt", "the talks ended.")
        page.click("#repair")
        page.wait_for_selector("#key-form:not([hidden])")
        assert "needs an API key" in page.inner_text("#key-message")
        page.fill("#api-key", "wrong")
        page.click("#key-save")
        page.wait_for_function(
            "() => document.getElementById('key-message').textContent.includes('refused')"
        )
        shot(page, "key-refused")
        page.fill("#api-key", "sesame")
        page.click("#key-save")
        page.wait_for_selector("#result:not([hidden])")
        assert page.input_value("#final") == "The talks ended."
        assert page.evaluate("sessionStorage.getItem('copydesk-api-key')") == "sesame"
        assert "sesame" not in page.url
        page.close()


def test_docs_load_with_the_network_blocked(browser, server):
    context = browser.new_context()
    refused = []

    def only_loopback(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "copydesk" in page.inner_text(".swagger-ui .info .title")
    page.goto(server + "/redoc")
    page.wait_for_selector("redoc h1, [role=main] h1, h1", timeout=30_000)
    assert refused == []
    context.close()


def test_no_serious_accessibility_problems_and_a_narrow_screen(page, seed_mt):
    repair_in_page(page, seed_mt)
    page.locator(EDITS).first.focus()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    serious = [
        (v["id"], v["impact"], [n["html"][:80] for n in v["nodes"][:3]])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(map(str, serious))
    page.set_viewport_size({"width": 400, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    shot(page, "narrow")


def test_glossary_picker(page, server):
    body = {"name": "desk", "terms": [{"term": "Munich Security Conference"}]}
    created = httpx.post(server + "/v1/glossaries", json=body)
    page.reload()
    page.wait_for_selector("#glossary-id option:nth-child(2)", state="attached")
    page.click("summary")
    page.select_option("#glossary-id", str(created.json()["id"]))
    repair_in_page(page, "They met at the munich security conference.")
    assert page.input_value("#final") == "They met at the Munich Security Conference."


def test_emoji_offsets_and_no_html_injection(page):
    text = (
        '😀 👩\u200d👩\u200d👧 the <img src=x onerror="window.__xss=1"> end. '
        "<script>window.__xss=2</script>"
    )
    repair_in_page(page, text)
    final = page.input_value("#final")
    assert final.startswith("😀 👩\u200d👩\u200d👧 The <img src=x onerror=")
    assert final.endswith("<script>window.__xss=2</script>")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#text img, #text script").count() == 0
    assert "<img src=x" in page.text_content("#text")
