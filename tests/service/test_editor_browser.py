"""The editor's page in a real browser: Debian's Chromium driven by Playwright, headless.
Screenshots of each view land in test-output/ (docs/images/ holds reviewed copies)."""

from __future__ import annotations

import contextlib
import json
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
def seed_source() -> str:
    """The seed article's Russian original, paragraph by paragraph as the translation."""
    return (ROOT / "tests" / "service" / "fixtures" / "idlib-source-ru.txt").read_text("utf-8")


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


def shot(page, name: str, *, full: bool = True) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"editor-{name}.png"), full_page=full)


def repair_in_page(page, text: str, source: str = "") -> None:
    page.fill("#mt", text)
    page.fill("#source", source)
    page.evaluate("() => { window.copydeskTimings = undefined; }")
    page.click("#repair")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    page.wait_for_function("() => window.copydeskTimings !== undefined")


def final(page) -> str:
    return page.evaluate("finalText()")


def key(page, original: str, kind: str = "edit") -> str:
    found = page.evaluate(
        "([o, t]) => view.items.find((i) => i.original === o && i.type === t)?.key",
        [original, kind],
    )
    assert found, f"no {kind} of {original!r}"
    return found


def mark(page, original: str, kind: str = "edit"):
    return page.locator(f'#pairs .item[data-item="{key(page, original, kind)}"]')


def card(page, original: str, kind: str = "edit"):
    return page.locator(f"#card-{key(page, original, kind)}")


def state(page, original: str, kind: str = "edit") -> str:
    return mark(page, original, kind).get_attribute("data-state")


def look(page, original: str, kind: str = "edit") -> tuple[str, str]:
    """A mark's underline style and its icon: states differ by both, not by colour alone."""
    return tuple(
        mark(page, original, kind).evaluate(
            "(el) => [getComputedStyle(el).textDecorationStyle,"
            " getComputedStyle(el, '::after').content]"
        )
    )


def test_each_state_has_its_own_mark_and_the_text_reads_as_repaired(page, seed_mt):
    repair_in_page(page, seed_mt)
    assert mark(page, "Iglinskiy").inner_text() == "Idlib"  # calm: the new text only
    assert mark(page, "Iglinskiy").locator("del").count() == 0
    looks = {"applied": look(page, "Iglinskiy")}
    suggested = page.locator("#pairs .item[data-state=suggested]").first
    suggested_key = suggested.get_attribute("data-item")
    old = page.evaluate("(k) => view.byKey.get(k).original", suggested_key)
    looks["suggested"] = look(page, old)
    assert suggested.inner_text() == old  # a suggestion leaves the old text until accepted
    card(page, old).locator("button.accept").click()
    looks["accepted"] = look(page, old)
    assert mark(page, old).inner_text() == page.evaluate(
        "(k) => view.byKey.get(k).replacement", suggested_key
    )
    card(page, "Iglinskiy").locator("button.reject").click()
    looks["rejected"] = look(page, "Iglinskiy")
    assert mark(page, "Iglinskiy").inner_text() == "Iglinskiy"
    assert "Iglinskiy" in final(page)
    repair_in_page(page, "The army lost 5 tanks.", "Армия потеряла 7 танков.")
    assert state(page, "5", "flag") == "flagged"
    looks["flagged"] = look(page, "5", "flag")
    assert looks == {
        "applied": ("solid", "none"),
        "suggested": ("dashed", '"?"'),
        "accepted": ("double", '"✔"'),
        "rejected": ("dotted", '"✗"'),
        "flagged": ("wavy", '"!"'),
    }
    assert card(page, "5", "flag").locator("h4").inner_text().startswith("Number flag")
    shot(page, "flag")


def test_cards_beside_the_text_and_one_key_per_decision(page, seed_mt, seed_source):
    repair_in_page(page, seed_mt, seed_source)
    items = page.evaluate("view.items.length")
    assert page.locator(".card").count() == items > 10
    text_box = page.locator("#pairs").bounding_box()
    cards_box = page.locator(".cards-column").bounding_box()
    assert cards_box["x"] >= text_box["x"] + text_box["width"]  # beside, on a wide screen
    title = page.locator(".card h4").first.inner_text()
    assert "(" not in title and title.split()[0] == "Casing"  # not "casing (casing)"
    keys = 1
    page.keyboard.press("j")  # to the first card
    for i in range(items):
        page.keyboard.press("a" if i % 2 else "r")
        keys += 1
    states = page.evaluate("[...view.items].map((i) => shownState(i.key))")
    assert all(s in ("accepted", "rejected", "confirmed", "dismissed") for s in states), states
    assert keys <= items + 1
    # The text does not move while the cards do: the list scrolls on its own.
    top = page.locator("#pairs .row").first.bounding_box()["y"]
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert page.locator("#pairs .row").first.bounding_box()["y"] == top
    assert page.locator(".card.selected").count() == 1
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")
    assert page.evaluate("shownState(view.items[view.items.length - 1].key)") in ("applied",)
    # Flags too: one key to reach the first card, one per decision.
    repair_in_page(
        page,
        "Meeting in Iglinskiy areas of de-escalation was held. The army lost 5 tanks.",
        "Встреча в идлибской зоне деэскалации прошла. Армия потеряла 7 танков.",
    )
    for press in ("j", "a", "r"):
        page.keyboard.press(press)
    assert (state(page, "Iglinskiy"), state(page, "5", "flag")) == ("accepted", "dismissed")
    assert look(page, "5", "flag") == ("dotted", '"✗"')


def test_filters_and_jumps_take_you_to_the_suggestions_and_the_riskiest(page, seed_mt):
    repair_in_page(page, seed_mt)
    suggested = page.locator("#pairs .item[data-state=suggested]").count()
    assert suggested >= 1
    page.click(".filters-box summary")
    page.select_option("#filter-state", "suggested")
    assert page.locator(".card:not([hidden])").count() == suggested
    assert page.locator(".card.selected").get_attribute("data-state") == "suggested"  # taken there
    assert page.locator("#pairs .item.selected").is_visible()
    page.locator("#cards-heading").click()
    page.keyboard.press("j")
    assert page.locator(".card.selected").get_attribute("data-state") == "suggested"
    page.click("#accept-shown")
    assert page.locator("#pairs .item[data-state=accepted]").count() == suggested
    page.select_option("#filter-state", "all")
    page.locator("#cards-heading").click()
    page.keyboard.press("s")  # the riskiest sentence first
    hters = page.evaluate(
        "[...document.querySelectorAll('.card')].map((c) => risk(view.byKey.get(c.dataset.item)))"
    )
    assert hters == sorted(hters, reverse=True) and hters[0] > hters[-1]
    undecided = page.locator(".card:is([data-state=applied], [data-state=suggested])")
    first = undecided.first.get_attribute("data-item")
    assert page.locator(".card.selected").get_attribute("data-item") == first
    page.fill("#filter-hter", str(hters[0]))
    assert page.locator(".card:not([hidden])").count() == hters.count(hters[0])
    page.click("#undo")
    assert page.locator("#pairs .item[data-state=accepted]").count() == 0
    shot(page, "filters")


def test_undo_and_redo_of_decisions_leave_the_input_alone(page):
    text = "the talks ended. it rained."
    repair_in_page(page, text)
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.keyboard.press("r")
    assert final(page) == text
    page.keyboard.press("Control+z")
    assert final(page) == "the talks ended. It rained."
    page.keyboard.press("Control+z")
    assert final(page) == "The talks ended. It rained."
    assert page.input_value("#mt") == text  # the browser's own undo never ran
    page.keyboard.press("Control+Shift+z")
    assert final(page) == "the talks ended. It rained."
    page.click("#undo")
    page.click("#redo")
    assert final(page) == "the talks ended. It rained."
    page.fill("#mt", text + " more")
    assert page.locator("#stale").is_visible()


def test_typing_keeps_edits_in_place_and_marks_typed_over_ones_stale(page):
    repair_in_page(page, "Today the talks ended. it rained.\n\nthe end came.")
    assert final(page) == "Today the talks ended. It rained.\n\nThe end came."
    para = page.locator("#pairs .para").first
    para.click()
    page.keyboard.press("Home")
    page.keyboard.type("Late ")  # before the edits: they move with the text
    page.keyboard.press("End")
    page.keyboard.type(" Then snow.")
    assert final(page) == "Late Today the talks ended. It rained. Then snow.\n\nThe end came."
    assert state(page, "it") == "applied"
    page.keyboard.press("Escape")
    card(page, "it").locator("button.reject").click()  # still a decision after the typing
    assert final(page) == "Late Today the talks ended. it rained. Then snow.\n\nThe end came."
    mark(page, "it").evaluate(  # the caret at the end of a mark: typing goes beside it
        "(el) => { el.closest('.para').focus();"
        " getSelection().collapse(el.firstChild, el.firstChild.length); }"
    )
    page.keyboard.type("!")
    assert state(page, "it") == "rejected"
    assert final(page) == "Late Today the talks ended. it! rained. Then snow.\n\nThe end came."
    mark(page, "the").evaluate(  # select the mark's text and type over it
        "(el) => { const r = document.createRange(); r.selectNodeContents(el);"
        " el.closest('.para').focus(); getSelection().removeAllRanges();"
        " getSelection().addRange(r); }"
    )
    page.keyboard.type("An")
    assert state(page, "the") == "stale"
    assert card(page, "the").get_attribute("data-state") == "stale"
    assert card(page, "the").locator("button.accept").is_disabled()
    assert final(page) == "Late Today the talks ended. it! rained. Then snow.\n\nAn end came."
    assert page.locator("#pairs .para").count() == 2  # on screen is the text exported
    shot(page, "typed")


def test_source_beside_the_translation_with_evidence_and_flags_marked(page, seed_mt, seed_source):
    repair_in_page(page, seed_mt, seed_source)
    rows = page.locator("#pairs .row")
    assert rows.count() == 8  # paragraph by paragraph
    for i in range(rows.count()):  # aligned: each paragraph starts level with its source
        src, mt = rows.nth(i).locator(".src"), rows.nth(i).locator(".para")
        assert abs(src.bounding_box()["y"] - mt.bounding_box()["y"]) < 8
    card(page, "Iglinskiy").click()
    evidence = page.locator("#pairs mark.evidence-src.selected")
    assert evidence.count() >= 1
    assert all(w.lower().startswith("идлиб") for w in evidence.all_inner_texts())
    shot(page, "source", full=False)
    page.uncheck("#show-source")  # the source side collapses
    assert not rows.first.locator(".src").is_visible()
    page.check("#show-source")
    repair_in_page(
        page,
        "Meeting in Iglinskiy areas of de-escalation was held. The army lost 5 tanks on Monday.",
        "Встреча в идлибской зоне деэскалации прошла. Армия потеряла 7 танков в понедельник.",
    )
    card(page, "Iglinskiy").click()
    assert page.inner_text("#pairs mark.evidence-src.selected") == "идлибской"
    card(page, "5", "flag").click()
    assert page.inner_text("#pairs mark.flag-src.selected") == "7"
    assert "7" in card(page, "5", "flag").inner_text()
    shot(page, "evidence")


def test_audit_view_shows_old_and_new_inline(page, seed_mt):
    repair_in_page(page, seed_mt)
    page.check("#audit")
    audit = mark(page, "Iglinskiy")
    assert (audit.locator("del").inner_text(), audit.locator("ins").inner_text()) == (
        "Iglinskiy",
        "Idlib",
    )
    assert page.locator("#pairs .para[contenteditable]").count() == 0
    assert "Idlib" in final(page)
    page.locator("#cards-heading").click()
    page.keyboard.press("v")
    assert mark(page, "Iglinskiy").inner_text() == "Idlib"


def test_a_review_is_saved_and_reopened_with_its_decisions(page, server):
    repair_in_page(page, "the talks ended. it rained. the end came.")
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.locator("#pairs .para").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Fin.")
    expected = final(page)
    assert expected == "the talks ended. It rained. The end came. Fin."
    page.keyboard.press("Escape")
    page.click("#save-review")
    page.wait_for_function("() => view.savedId")
    page.reload()
    page.click("#reviews-open")
    page.locator("#reviews-list button.open-review").first.click()
    page.wait_for_selector("#result:not([hidden])")
    assert final(page) == expected
    assert state(page, "the") == "rejected"
    assert page.input_value("#mt") == "the talks ended. it rained. the end came."
    page.keyboard.press("Control+z")  # decisions go on from where they were
    page.locator("#cards-heading").click()
    page.keyboard.press("j")
    page.keyboard.press("a")
    assert state(page, "the") == "accepted"
    page.click("#save-review")
    page.wait_for_function("() => $('status').textContent.startsWith('Saved')")
    listed = httpx.get(server + "/v1/reviews").json()
    saved = httpx.get(f"{server}/v1/reviews/{listed[0]['id']}").json()
    assert saved["state"]["decisions"][key(page, "the")] == "accepted"


def test_pasted_markdown_and_html_keep_their_markup(page):
    article = "# the talks\n\nthe talks **ended** in [Ankara](https://example.org)."
    page.locator("#mt").focus()
    page.evaluate(
        "(t) => { const d = new DataTransfer(); d.setData('text/plain', t);"
        " document.getElementById('mt').dispatchEvent("
        "new ClipboardEvent('paste', {clipboardData: d, bubbles: true, cancelable: true})); }",
        article,
    )
    assert page.input_value("#format") == "markdown"
    repair_in_page(page, article)
    out = final(page)
    assert out.startswith("# The talks") and "**ended**" in out
    assert "[Ankara](https://example.org)" in out
    page.fill("#mt", "")
    page.click(".inputs details summary")
    page.select_option("#format", "html")
    page.locator("#mt").focus()
    page.evaluate(
        "() => { const d = new DataTransfer(); d.setData('text/plain', 'the talks ended.');"
        " d.setData('text/html', '<p>the talks <em>ended</em>.</p>');"
        " document.getElementById('mt').dispatchEvent("
        "new ClipboardEvent('paste', {clipboardData: d, bubbles: true, cancelable: true})); }"
    )
    assert page.input_value("#mt") == "<p>the talks <em>ended</em>.</p>"
    repair_in_page(page, page.input_value("#mt"))
    assert final(page) == "<p>The talks <em>ended</em>.</p>"


def test_first_result_paint_after_repair(page, seed_mt, seed_source):
    repair_in_page(page, "the warm-up.")  # LanguageTool warm
    repair_in_page(page, seed_mt, seed_source)
    timings = page.evaluate("window.copydeskTimings")
    print(
        f"\nfirst result paint after Repair (seed article with source, LanguageTool warm): "
        f"{timings['paint_ms']:.0f} ms (server answer {timings['answer_ms']:.0f} ms)"
    )
    assert timings["paint_ms"] >= timings["answer_ms"] > 0


def test_feedback_is_sent_as_decided_and_unreviewed_edits_stay_apart(page, server):
    def counts() -> dict:
        return {(s["stage"], s["kind"]): s for s in httpx.get(server + "/v1/stats").json()}

    before = counts().get(("sentence_case", "casing"), {"rejected": 0, "not_reviewed": 0})
    repair_in_page(page, "the talks ended. it rained. the end came.")
    page.keyboard.press("j")
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
        assert final(page) == "The talks ended."
        assert page.evaluate("sessionStorage.getItem('copydesk-api-key')") == "sesame"
        assert "sesame" not in page.url
        page.close()


def test_decisions_on_long_lines_of_wide_characters_go_under_the_body_limit(browser):
    """Two hundred decisions each with a line of 2,000 three-byte characters are over a
    megabyte: the page sends them in smaller requests, and every one is recorded; a page
    going away sends as many as its 64 KB hold rather than none."""
    with serve(COPYDESK_PIPELINE=RULES_ONLY) as url:
        page = browser.new_page()
        page.goto(url)
        page.evaluate(
            """() => {
              const line = "漢".repeat(1000) + "the end" + "漢".repeat(1000);
              for (let i = 0; i < 200; i++) outbox.set(`wide:${i}`, {
                kind: "casing", stage: "sentence_case", rule: "", confidence: 0.9,
                accepted: false, original: "the", replacement: "The", review: "wide", edit: i,
                context: line, start: 1000 });
              flushFeedback();
            }"""
        )
        deadline, rejected = time.monotonic() + 30, 0
        while time.monotonic() < deadline and rejected < 200:
            stats = httpx.get(url + "/v1/stats").json()
            rejected = sum(s["rejected"] for s in stats)
            time.sleep(0.3)
        assert rejected == 200
        assert page.evaluate("outbox.size") == 0
        left = page.evaluate(  # a page going away sends what fits in 64 KB, without text
            """async () => {
              for (let i = 0; i < 1000; i++) outbox.set(`gone:${i}`, {
                kind: "casing", stage: "sentence_case", rule: "", confidence: 0.9,
                accepted: null, original: "the", replacement: "The", review: "gone", edit: i,
                context: "the end", start: 0 });
              await flushFeedback({ keepalive: true });
              return outbox.size;
            }"""
        )
        assert 0 < left < 1000
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


def axe_findings(page) -> list:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        (v["id"], v["impact"], [n["html"][:80] for n in v["nodes"][:3]])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_problems_and_a_narrow_screen(page, seed_mt, seed_source):
    repair_in_page(page, seed_mt, seed_source)
    page.keyboard.press("j")
    assert axe_findings(page) == []
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "wide", full=False)
    page.check("#audit")
    page.uncheck("#show-source")
    page.keyboard.press("j")
    assert axe_findings(page) == []
    shot(page, "audit", full=False)
    page.uncheck("#audit")
    page.click(".filters-box summary")
    page.click(".segments-box summary")
    page.locator("#pairs .para").first.focus()
    assert axe_findings(page) == []
    page.set_viewport_size({"width": 400, "height": 900})
    page.check("#show-source")
    page.locator("#cards-heading").click()
    page.keyboard.press("j")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    cards = page.locator(".cards-column").bounding_box()
    text = page.locator("#pairs").bounding_box()
    assert cards["y"] >= text["y"] + text["height"]  # below the text when narrow
    page.evaluate("() => $('result-heading').scrollIntoView()")
    shot(page, "narrow", full=False)


def test_glossary_picker(page, server):
    body = {"name": "desk", "terms": [{"term": "Munich Security Conference"}]}
    created = httpx.post(server + "/v1/glossaries", json=body)
    page.reload()
    page.wait_for_selector("#glossary-id option:nth-child(2)", state="attached")
    page.click("summary")
    page.select_option("#glossary-id", str(created.json()["id"]))
    repair_in_page(page, "They met at the munich security conference.")
    assert final(page) == "They met at the Munich Security Conference."


def test_emoji_offsets_and_no_html_injection(page):
    text = (
        '😀 👩\u200d👩\u200d👧 the <img src=x onerror="window.__xss=1"> end. '
        "<script>window.__xss=2</script>"
    )
    repair_in_page(page, text)
    out = final(page)
    assert out.startswith("😀 👩\u200d👩\u200d👧 The <img src=x onerror=")
    assert out.endswith("<script>window.__xss=2</script>")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#pairs img, #pairs script").count() == 0
    assert "<img src=x" in page.text_content("#pairs")


def select_text(page, words: str) -> None:
    """Select the first occurrence of words in the text's plain runs (outside the marks)
    and put the focus in its paragraph, as a double-click and drag would."""
    found = page.evaluate(
        """(words) => {
          for (const para of document.querySelectorAll('#pairs .para')) {
            for (const node of para.childNodes) {
              if (node.nodeType !== Node.TEXT_NODE) continue;
              const at = node.data.indexOf(words);
              if (at < 0) continue;
              para.focus();
              const r = document.createRange();
              r.setStart(node, at); r.setEnd(node, at + words.length);
              getSelection().removeAllRanges(); getSelection().addRange(r);
              return true;
            }
          }
          return false;
        }""",
        words,
    )
    assert found, f"{words!r} is not in the plain text"


def record_feedback(page) -> list[dict]:
    """The decisions the page sends to /v1/feedback, as they are sent."""
    sent: list[dict] = []

    def on_request(request) -> None:
        if request.method == "POST" and urlsplit(request.url).path == "/v1/feedback":
            sent.extend(request.post_data_json["decisions"])

    page.on("request", on_request)
    return sent


def manual(sent: list[dict]) -> list[tuple[str, str]]:
    return [(d["original"], d["replacement"]) for d in sent if d["kind"] == "manual"]


def test_a_hand_correction_is_sent_once_when_the_editor_leaves_the_paragraph(page, seed_mt):
    sent = record_feedback(page)
    repair_in_page(page, seed_mt)
    select_text(page, "Cavusoglu")
    page.keyboard.type("Çavuş")
    page.keyboard.type("oğlu")  # a word typed in two goes: one correction, sent later
    page.wait_for_timeout(1200)
    assert manual(sent) == []
    page.keyboard.press("Escape")  # leaves the paragraph
    page.wait_for_function(
        "() => view.manual.length === 1 && !document.querySelector('.para:focus')"
    )
    page.wait_for_timeout(300)
    assert manual(sent) == [("Cavusoglu", "Çavuşoğlu")]
    decision = next(d for d in sent if d["kind"] == "manual")
    assert decision["accepted"] is True and decision["review"]
    assert "Mevlut Çavuşoğlu smile" in final(page)
    with page.expect_download() as got:
        page.click("#download-decisions")
    exported = json.loads(Path(got.value.path()).read_text("utf-8"))
    assert [d for d in exported["decisions"] if d["kind"] == "manual"] == [decision]
    page.click("#copy")  # exporting again sends nothing new
    page.wait_for_timeout(1200)
    assert manual(sent) == [("Cavusoglu", "Çavuşoğlu")]


def test_typing_inside_a_proposed_edit_is_no_hand_correction(page):
    sent = record_feedback(page)
    repair_in_page(page, "Today the talks ended. it rained.\n\nthe end came.")
    mark(page, "the").evaluate(
        "(el) => { const r = document.createRange(); r.selectNodeContents(el);"
        " el.closest('.para').focus(); getSelection().removeAllRanges();"
        " getSelection().addRange(r); }"
    )
    page.keyboard.type("An")
    assert state(page, "the") == "stale"
    page.keyboard.press("Escape")
    page.click("#copy")
    page.wait_for_timeout(1500)
    assert any(d["kind"] != "manual" for d in sent)  # the copy sent the edits' decisions
    for d in sent:  # each with the line its edit was proposed on: what a judge reads
        assert d["context"][d["start"] :].startswith(d["original"])
    assert {d["context"] for d in sent if d["original"] == "it"} == {
        "Today the talks ended. it rained."
    }
    assert manual(sent) == []
    assert page.evaluate("view.manual") == []


def test_hand_corrections_made_twice_become_a_glossary_candidate(page, server):
    def candidates() -> list[str]:
        return [c["key"] for c in httpx.get(server + "/v1/learn/candidates").json()]

    assert "Gorodok -> Horodok" not in candidates()
    for _ in range(2):  # two reviews, each correcting the same name by hand
        repair_in_page(page, "The mayor of Gorodok spoke on Monday.")
        select_text(page, "Gorodok")
        page.keyboard.type("Horodok")
        page.keyboard.press("Escape")
        page.wait_for_function("() => view.manual.length === 1")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        learned = httpx.post(server + "/v1/learn", timeout=60).json()
        if "Gorodok -> Horodok" in candidates():
            break
        time.sleep(0.5)
    assert any(change.startswith("?") and "Horodok" in change for change in learned["changes"])
    assert "Gorodok -> Horodok" in candidates()
