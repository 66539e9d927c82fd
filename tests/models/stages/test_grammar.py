"""The grammar stage against a real LanguageTool server."""

from __future__ import annotations

import httpx
import pytest

from copydesk import models
from copydesk.models import Document, RepairContext, StageStatus, StageUnavailable
from copydesk.models.grammar.policy import Action
from copydesk.models.grammar.server import LanguageToolServer, default_lib_dir
from copydesk.models.stages import GrammarStage, SentenceCaseStage

pytestmark = pytest.mark.usefixtures("languagetool_url")


@pytest.fixture(scope="module")
def stage(languagetool_url):
    return GrammarStage(url=languagetool_url)


def test_agreement_is_applied_with_offsets_right_around_emoji(stage):
    text = "😀 He go home. 👩\u200d👩\u200d👧 She go too."
    result = models.Pipeline([stage]).repair(text)
    assert result.repaired == "😀 He goes home. 👩\u200d👩\u200d👧 She goes too."
    for edit in result.edits:
        assert text[edit.start : edit.end] == edit.original == "go"
        assert edit.kind == "grammar" and edit.rule and edit.message


def test_seed_matches_follow_the_policy(stage, seed_mt):
    result = models.Pipeline([SentenceCaseStage(), stage]).repair(seed_mt)
    grammar = [e for e in result.edits if e.stage == "grammar"]
    # Checked by hand: the conditional with "will" is an MT error an editor fixes without
    # rewriting (the full reference has "does not stop"), applied; LanguageTool's one match
    # is a missing comma after "Otherwise", which the full reference has, a suggestion only.
    assert [(e.original, e.replacement, e.kind.value, e.rule, e.applied) for e in grammar] == [
        ("will not stop", "does not stop", "grammar", "COPYDESK_IF_WILL", True),
        (
            "Otherwise",
            "Otherwise,",
            "punctuation",
            "SENT_START_CONJUNCTIVE_LINKING_ADVERB_COMMA",
            False,
        ),
    ]
    assert "If military action does not stop" in result.repaired


def test_policy_turns_rules_on_and_off(languagetool_url, tmp_path):
    strict = tmp_path / "policy.toml"
    strict.write_text('default = "off"\n[categories]\nPUNCTUATION = "apply"\n', encoding="utf-8")
    stage = GrammarStage(url=languagetool_url, policy=str(strict))
    text = "He go home. Otherwise Turkey will act."
    result = models.Pipeline([stage]).repair(text)
    assert result.repaired == "He go home. Otherwise, Turkey will act."
    off = tmp_path / "off.toml"
    off.write_text('default = "off"\n', encoding="utf-8")
    assert (
        GrammarStage(url=languagetool_url, policy=str(off)).propose(
            Document.from_text(text), RepairContext()
        )
        == []
    )


def test_unreachable_or_slow_server_is_skipped(languagetool_url):
    pipeline = models.load(
        {
            "stages": [
                {"name": "grammar", "settings": {"url": "http://127.0.0.1:9"}},
                {"name": "sentence_case"},
            ]
        }
    )
    result = pipeline.repair("he go home.")
    assert [s.status for s in result.stages] == [StageStatus.SKIPPED, StageStatus.OK]
    assert "does not answer" in result.stages[0].reason
    assert result.repaired == "He go home."
    slow = GrammarStage(url=languagetool_url, timeout=0.0001)
    with pytest.raises(StageUnavailable, match="took over"):
        slow.propose(Document.from_text("He go home. " * 200), RepairContext())


def test_manager_notices_a_dead_server_and_restarts_it_in_the_background(languagetool_url):
    server = LanguageToolServer(default_lib_dir())
    try:
        first = server.url(wait=120)
        assert server.starts == 1 and server.state == "ready"
        server._process.kill()
        server._process.wait()
        with pytest.raises(StageUnavailable, match="restarting"):
            server.url(wait=0)  # no waiting on a restart
        second = server.url(wait=120)
        assert server.starts == 2 and second != first
        stage = GrammarStage(url=second)
        assert stage.propose(Document.from_text("He go home."), RepairContext())
    finally:
        server.stop()


def test_conditional_future_rule():
    from copydesk.models.grammar.mt_rules import conditional_future

    def fixes(text: str) -> list[tuple[str, str]]:
        return [(o, r) for _, _, o, r in conditional_future(Document.from_text(text))]

    assert fixes("If the talks will fail, we leave. When he will arrive, call.") == [
        ("will fail", "fail"),
        ("will arrive", "arrives"),
    ]
    assert fixes("“If the ministers won't agree, nothing happens.”") == [
        ("won't agree", "do not agree")
    ]
    assert fixes("If it will be late, go. Unless Russia will not act, wait.") == [
        ("will be", "is"),
        ("will not act", "does not act"),
    ]
    # Not at the start of a sentence it may be an indirect question: left alone.
    assert fixes("I asked when he will come, and if they will stay.") == []
    # A clause that has its own verb has ended: ``will`` is the main clause's, and right.
    assert fixes("If you are impatient you will not get it!") == []
    assert fixes("If there's a way it will be found.") == []


def test_all_caps_text_is_left_to_the_editor(stage):
    assert stage.check(Document.from_text("WELCOME, WAIT AND REPECT TO HAPPENED.")) == []


BULK_DOCS = [
    "😀 He go home.\r\n\r\nShe go too. 👩\u200d👩\u200d👧 They goes.",
    "One line.",
    "He go home.",
    "\r\n\r\nIt rain every day here.\n\n\n\nThe dogs is barking.\r\n",
    "",
]


def test_bulk_requests_give_each_document_exactly_its_own_matches(languagetool_url):
    docs = [Document.from_text(t) for t in BULK_DOCS]
    bulk = GrammarStage(url=languagetool_url)
    alone = GrammarStage(url=languagetool_url, bulk_chars=1)  # one paragraph per request
    together = bulk.check_many(docs)
    assert together == alone.check_many(docs) == [bulk.check(d) for d in docs]
    assert together[0] and together[3]
    for doc, matches in zip(docs, together, strict=True):
        for m in matches:
            assert doc.text[m.start : m.end] == m.original


def test_two_rules_on_one_phrase_never_make_a_text_neither_meant(stage, languagetool_url, tmp_path):
    # A policy that applies both agreement rules here (the shipped one suggests THIS_NNS).
    policy = tmp_path / "policy.toml"
    policy.write_text('[categories]\nGRAMMAR = "apply"\n', encoding="utf-8")
    both = GrammarStage(url=languagetool_url, policy=str(policy))
    result = models.Pipeline([SentenceCaseStage(), both]).repair("this are a problem in moscow.")
    assert result.repaired.startswith(("These are a problem", "This is a problem"))
    offered = [e for e in result.edits if not e.applied and e.stage == "grammar"]
    assert offered and "offered, not made" in offered[0].message
    # Edits a few words apart are independent: both made.
    apart = models.Pipeline([stage]).repair("He go home and she go too.")
    assert apart.repaired == "He goes home and she goes too."


def test_every_rule_the_policy_acts_on_by_name_runs_on_the_server(stage, languagetool_url):
    """A rule the policy applies or suggests by name is one LanguageTool has, and the
    request asks for it even where its category is one the policy drops: a rule mapped by
    the stage can never be skipped by the server in silence."""
    found = httpx.get(
        f"{languagetool_url}/v2/configinfo", params={"language": stage.language}, timeout=60
    )
    category = {r["ruleId"]: r["categoryId"] for r in found.json()["rules"]}
    client = stage.backend.client()
    for rule, action in stage.policy.rules.items():
        assert rule in category, f"{rule} is not a LanguageTool rule"
        if action is not Action.OFF:
            assert rule not in client.disabled_rules
            if category[rule] in client.disabled_categories:
                assert rule in client.enabled_rules
    # TYPOGRAPHY is dropped, its COMMA_PARENTHESIS_WHITESPACE suggested.
    edits = stage.propose(Document.from_text("He said , that it was fine."), RepairContext())
    assert [(e.rule, e.applied, e.confidence) for e in edits] == [
        ("COMMA_PARENTHESIS_WHITESPACE", True, stage.confidence[Action.SUGGEST])
    ]
