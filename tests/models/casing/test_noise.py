from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from copydesk.models.casing.noise import CasingNoise, NoiseConfig
from copydesk.models.casing.units import Case, case_of, split_units, with_case

ONLY = dict.fromkeys(
    ("lower_initial", "shift_capital", "name_first_only", "name_word_lower", "capitalise_common"),
    0.0,
)


def noise(**probabilities) -> CasingNoise:
    config = NoiseConfig(clean_share=0.0, flip_rate=0.0, **{**ONLY, **probabilities})
    return CasingNoise(config, seed=1)


def test_units_and_cases():
    units = split_units("Russia's de-escalation iPhone NATO I")
    assert [u.text for u in units] == [
        "Russia",
        "'",
        "s",
        "de",
        "-",
        "escalation",
        "iPhone",
        "NATO",
        "I",
    ]
    assert [case_of(u.text) for u in units] == [
        Case.CAPITALISED,
        Case.NONE,
        Case.LOWER,
        Case.LOWER,
        Case.NONE,
        Case.LOWER,
        Case.MIXED,
        Case.UPPER,
        Case.CAPITALISED,
    ]
    assert [u.space_before for u in units][:3] == [True, False, False]
    assert with_case("mcdonald", Case.MIXED, "McDonald") == "McDonald"
    assert with_case("foreign", Case.CAPITALISED) == "Foreign"


def test_each_class_of_seed_error_is_made():
    text = (
        "The meeting at the Munich Security Conference was held by the Centre for Reconciliation."
    )
    assert noise(lower_initial=1.0).noise_text(text).startswith("the meeting")
    assert noise(shift_capital=1.0).noise_text(text).startswith("the Meeting")
    assert "Munich security conference" in noise(name_first_only=1.0).noise_text(text)
    assert "Centre for reconciliation" in noise(name_first_only=1.0).noise_text(text)
    lowered = noise(name_word_lower=1.0).noise_text(text)
    assert lowered != text and lowered.lower() == text.lower()
    capitalised = noise(capitalise_common=1.0).noise_text(text)
    assert any(w[0].isupper() for w in capitalised.split() if w in ("Meeting", "Held"))


def test_clean_share_is_kept_and_seeded():
    lines = [f"The talks in Geneva ended on day {i}." for i in range(400)]
    first = [CasingNoise(seed=5).noise_text(x) for x in lines]
    assert first == [CasingNoise(seed=5).noise_text(x) for x in lines]
    runner = CasingNoise(seed=5)
    untouched = sum(runner.noise_text(x) == x for x in lines) / len(lines)
    assert 0.4 < untouched < 0.65


@given(st.text(max_size=80))
def test_noise_changes_only_case(text):
    out = CasingNoise(NoiseConfig(clean_share=0.0, flip_rate=0.3), seed=3).noise_text(text)
    assert len(split_units(out)) == len(split_units(text))
    assert out.lower() == text.lower() or out.casefold() == text.casefold()
