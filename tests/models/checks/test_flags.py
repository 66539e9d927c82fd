from __future__ import annotations

import pytest

from copydesk.models import ConfigError, EditError
from copydesk.models.checks import DEFAULT_CHECKS, builtin_checks, run_checks
from copydesk.models.flags import Check, CheckRegistry, Flag, FlagKind, Severity, check_flags


def test_a_flag_checks_its_span_kind_and_confidence():
    flag = Flag(3, 5, "25", "number", "numbers", "25 is not in the source", confidence=0.9)
    assert flag.kind is FlagKind.NUMBER and flag.severity is Severity.WARNING
    assert flag.is_meaning
    assert Flag.from_dict(flag.to_dict()) == flag
    with pytest.raises(EditError):
        Flag(3, 5, "2", "number", "numbers", "m")
    with pytest.raises(EditError):
        Flag(0, 1, "x", "spelling", "numbers", "m")
    with pytest.raises(EditError):
        Flag(0, 1, "x", "number", "numbers", "m", confidence=1.5)
    with pytest.raises(EditError):
        Flag(0, 1, "x", "number", "numbers", "m", source_start=2)
    with pytest.raises(EditError):
        Flag.from_dict({**flag.to_dict(), "replacement": "3"})
    assert not Flag(0, 1, "x", "doubled-word", "doubled-word", "m").is_meaning


def test_flags_fit_their_text_and_source():
    text, source = "He saw 35 people.", "Он видел 25 человек."
    flags = run_checks(text, source)
    check_flags(text, flags, source)
    [flag] = flags
    assert (flag.original, flag.kind, flag.candidates) == ("35", FlagKind.NUMBER, ("25",))
    assert source[flag.source_start : flag.source_end] == "25"
    with pytest.raises(EditError):
        check_flags("He saw", flags)


def test_the_registry_holds_every_check_once():
    registry = builtin_checks()
    assert list(DEFAULT_CHECKS) == registry.names()
    with pytest.raises(ConfigError):
        registry.register("numbers", lambda: None)
    with pytest.raises(ConfigError):
        registry.create("spelling")
    assert isinstance(CheckRegistry(), CheckRegistry)


def test_a_check_must_define_check():
    with pytest.raises(TypeError):

        class Empty(Check):
            name = "empty"


def test_without_a_source_only_the_english_checks_run():
    text = "The the minister said 35 people (were hurt."
    kinds = {f.kind for f in run_checks(text)}
    # The doubled word and the stray bracket also read as garbled to the fluency check.
    assert kinds - {FlagKind.FLUENCY} == {FlagKind.DOUBLED_WORD, FlagKind.UNPAIRED}
    assert run_checks("Clean text, nothing wrong.") == []


def test_a_source_with_no_translation_is_an_omission():
    [flag] = run_checks("", "Он пришёл домой.")
    assert (flag.kind, flag.start, flag.end) == (FlagKind.OMISSION, 0, 0)


def test_checks_are_deterministic_and_offsets_are_into_the_document():
    text = "Lavrov arrived.\n\nHe saw 35 people on Tuesday."
    source = "Лавров приехал.\n\nОн видел 25 человек в понедельник."
    first, second = run_checks(text, source), run_checks(text, source)
    assert first == second
    assert {(text[f.start : f.end], f.kind) for f in first} == {
        ("35", FlagKind.NUMBER),
        ("Tuesday", FlagKind.DATE),
    }
