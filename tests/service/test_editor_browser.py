"""The editor page in a real browser: Debian's Chromium driven by Playwright, headless."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from copydesk.models import Edit, apply_edits
from copydesk.models.grammar.server import free_port
from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]


@pytest.fixture(scope="module")
def server(languagetool_url):
    port = free_port()
    env = {**os.environ, "COPYDESK_PORT": str(port),
           "COPYDESK_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/state.db"}  # fmt: skip
    proc = subprocess.Popen(
        copydesk_command("serve"), cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
        if proc.poll() is not None:
            pytest.fail(f"server exited: {proc.stdout.read().decode()}")
    else:
        proc.kill()
        pytest.fail("server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto(server)
        yield page
        browser.close()


def visible(edits: list[dict]) -> list[dict]:
    """The page's rule: applied edits, then suggestions that overlap none already shown."""
    shown: list[dict] = []
    for e in sorted(edits, key=lambda e: (not e["applied"], e["start"])):
        if not any(e["start"] < s["end"] and s["start"] < e["end"] for s in shown):
            shown.append(e)
    return shown


def repair_in_page(page, text: str) -> None:
    page.fill("#mt", text)
    page.click("#repair")
    page.wait_for_selector(".result:not([hidden])")


def test_seed_article_reject_one_accept_the_rest_and_copy(page, server, seed_mt):
    repair_in_page(page, seed_mt)
    page.wait_for_selector("#text .edit")
    [result] = httpx.post(server + "/v1/repair", json={"text": seed_mt}, timeout=60).json()[
        "results"
    ]
    shown = visible(result["edits"])
    assert page.locator("#text .edit").count() == len(shown)
    for kind in {e["kind"] for e in shown}:
        page.click(f"#accept-{kind}")
    page.locator("#text .edit", has=page.locator("del", has_text="Iglinskiy")).click()
    page.click("#copy")
    final = page.input_value("#final")
    page.wait_for_function("() => document.getElementById('status').textContent === 'Copied.'")
    stats = {(s["stage"], s["kind"]): s for s in httpx.get(server + "/v1/stats").json()}
    assert stats[("entities", "entity")]["rejected"] == 1
    keep = [e for e in shown if e["original"] != "Iglinskiy"]
    fields = ("start", "end", "original", "replacement", "kind", "stage", "confidence")
    expected = apply_edits(seed_mt, [Edit(**{k: e[k] for k in fields}) for e in keep])
    assert final == expected
    assert "Iglinskiy" in final and "Foreign Minister of Russia" in final
    assert "the Meeting" not in final
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "editor.png"), full_page=True)


def test_glossary_picker(page, server):
    body = {"name": "desk", "terms": [{"term": "Munich Security Conference"}]}
    created = httpx.post(server + "/v1/glossaries", json=body)
    page.reload()
    page.wait_for_selector("#glossary-id option:nth-child(2)", state="attached")
    page.click("summary")
    page.select_option("#glossary-id", str(created.json()["id"]))
    repair_in_page(page, "They met at the munich security conference.")
    page.wait_for_selector("#text .edit")
    assert page.input_value("#final") == "They met at the Munich Security Conference."


def test_keyboard_navigation_and_tooltips(page, seed_mt):
    repair_in_page(page, "the talks ended. it rained.")
    page.wait_for_selector("#text .edit")
    page.locator("#text .edit").first.focus()
    assert "casing" in page.text_content("#tip")
    page.keyboard.press("r")
    assert page.input_value("#final") == "the talks ended. It rained."
    page.keyboard.press("j")
    page.keyboard.press("r")
    assert page.input_value("#final") == "the talks ended. it rained."
    page.keyboard.press("a")
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    assert page.input_value("#final") == "The talks ended. It rained."


def test_emoji_offsets_and_no_html_injection(page):
    text = (
        '😀 👩\u200d👩\u200d👧 the <img src=x onerror="window.__xss=1"> end. '
        "<script>window.__xss=2</script>"
    )
    repair_in_page(page, text)
    page.wait_for_selector("#text .edit")
    final = page.input_value("#final")
    assert final.startswith("😀 👩\u200d👩\u200d👧 The <img src=x onerror=")
    assert final.endswith("<script>window.__xss=2</script>")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#text img, #text script").count() == 0
    assert "<img src=x" in page.text_content("#text")
