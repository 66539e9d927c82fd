"""Which language a text is in: English, or which other, by script and function words.

copydesk repairs English only; what it needs to know is whether a text is English, and
if not, which language to name (LanguageTool's ``language=auto`` answer, and skipping
other languages). Two cues, both cheap and deterministic:

- the script of most of the letters: Cyrillic, Greek, Arabic, Hebrew, Han, kana, Hangul…
  settle the language family at once (Cyrillic letters that only Ukrainian, Belarusian
  or Serbian have tell those apart from Russian);
- for Latin-script text, how many of its words are the function words of each language
  (articles, pronouns, prepositions, conjunctions): a few dozen per language tell
  English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Swedish,
  Danish, Czech, Turkish and Romanian apart on a sentence or two.

A text with too little evidence (a heading, a name, a number) is English: that is the
language copydesk was asked to repair, and a wrong "not English" would silently drop
its repairs. Trained detectors (fastText's lid.176, CLD3, lingua) are more accurate on
short and mixed texts, but weigh tens of megabytes for a question with one answer that
matters here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["Detected", "detect"]

SAMPLE_CHARS = 5000  # a text's first characters are evidence enough, and keep it fast
MIN_WORDS = 4  # fewer words than this: too little evidence for another Latin language
MIN_HITS = 3  # function words another Latin language needs, and twice English's
MIN_SHARE = 0.6  # a script other than Latin must hold this share of the letters


@dataclass(frozen=True)
class Detected:
    """A detected language: its code (LanguageTool's), its name, and the confidence."""

    code: str
    name: str
    confidence: float

    @property
    def english(self) -> bool:
        return self.code.split("-")[0] == "en"


ENGLISH = Detected("en-US", "English (US)", 1.0)

# Function words, lower case; a word that two languages share counts for both.
_STOPWORDS = {
    "en": "the a an and or but of to in on at for with from by is are was were be been has "
    "have had it its i do this that these those he she they we you not will would which who "
    "as said after",
    "de": "der die das den dem des und oder aber nicht ist sind war waren ein eine einen "
    "einem einer mit von zu im auf für sich auch es wir sie ich dass wie bei nach aus "
    "wird werden hat haben noch nur",
    "fr": "le la les un une des et ou mais de du au aux est sont était dans sur pour avec "
    "par pas ne que qui il elle nous vous ils ce cette ces se sa son leurs plus a été",
    "es": "el la los las un una unos y o pero de del al es son era en con por para que se "
    "no su sus lo le como más ha fue este esta están",
    "it": "il lo la gli le un una e o ma di del della dei che è sono era in con per non si "
    "ha da al alla nel nella questo questa anche più",
    "pt": "o a os as um uma e ou mas de do da dos das em no na nos que não se é são era "
    "com por para seu sua foi ao mais como",
    "nl": "de het een en of maar van in op met voor niet is zijn was waren dat die dit "
    "er ook aan door bij om naar als wordt werd hij zij",
    "pl": "i w na z że się nie jest to do od za po jak o co ale tak by był była są jego "
    "jej oraz przez dla przy",
    "sv": "och i att det som en på är av för med till den inte har de ett om var jag "
    "han hon men sig från",
    "da": "og i at det som en på er af for med til den ikke har de et om var jeg han hun "
    "men sig fra",
    "cs": "a v na se je že to s z do o jako ale by být jsou byl byla pro jeho jejich "
    "podle při také",
    "tr": "ve bir bu da de ile için ama çok daha gibi olan olarak ne ki mi en her",
    "ro": "și în de la cu pe că este sunt a fost un o nu din pentru care mai ce se",
}
_BULGARIAN = frozenset("които това са се от че ще също във със".split())
_RUSSIAN = frozenset("не что это как он она был была его которые также уже".split())
_WORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_NAMES = {
    "en": ("en-US", "English (US)"),
    "de": ("de-DE", "German (Germany)"),
    "fr": ("fr", "French"),
    "es": ("es", "Spanish"),
    "it": ("it", "Italian"),
    "pt": ("pt-PT", "Portuguese (Portugal)"),
    "nl": ("nl", "Dutch"),
    "pl": ("pl-PL", "Polish"),
    "sv": ("sv", "Swedish"),
    "da": ("da-DK", "Danish"),
    "cs": ("cs-CZ", "Czech"),
    "tr": ("tr", "Turkish"),
    "ro": ("ro-RO", "Romanian"),
    "ru": ("ru-RU", "Russian"),
    "uk": ("uk-UA", "Ukrainian"),
    "be": ("be-BY", "Belarusian"),
    "sr": ("sr", "Serbian"),
    "bg": ("bg", "Bulgarian"),
    "el": ("el-GR", "Greek"),
    "ar": ("ar", "Arabic"),
    "fa": ("fa", "Persian"),
    "he": ("he", "Hebrew"),
    "zh": ("zh-CN", "Chinese"),
    "ja": ("ja-JP", "Japanese"),
    "ko": ("ko", "Korean"),
    "hi": ("hi", "Hindi"),
    "th": ("th", "Thai"),
    "hy": ("hy", "Armenian"),
    "ka": ("ka", "Georgian"),
}
_SCRIPTS = (  # the first word of a letter's Unicode name, and the script it names
    ("LATIN", "latin"),
    ("CYRILLIC", "cyrillic"),
    ("GREEK", "el"),
    ("ARABIC", "arabic"),
    ("HEBREW", "he"),
    ("CJK", "han"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("DEVANAGARI", "hi"),
    ("THAI", "th"),
    ("ARMENIAN", "hy"),
    ("GEORGIAN", "ka"),
)
_ADDRESS = re.compile(r"\S*(?:://|www\.|@)\S*")  # web and e-mail addresses: no language
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def detect(text: str) -> Detected:
    """The language of ``text`` (English when the evidence is too thin to say)."""
    text = _ADDRESS.sub(" ", text[:SAMPLE_CHARS])
    scripts = _script_counts(text)
    letters = sum(scripts.values())
    if not letters:
        return Detected(ENGLISH.code, ENGLISH.name, 0.0)
    script, count = scripts.most_common(1)[0]
    share = count / letters
    if script != "latin" and share >= MIN_SHARE:
        if script == "cyrillic":
            return _cyrillic(text, share)
        if script == "han":
            script = "zh"
        if script == "arabic":  # the letters Persian adds to the Arabic alphabet
            script = "fa" if re.search("[پچژگ]", text) else "ar"
        return _named(script, share)
    return _latin(text)


def _script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        if ch.isascii():
            counts["latin"] += 1
            continue
        name = unicodedata.name(ch, "")
        for prefix, script in _SCRIPTS:
            if name.startswith(prefix):
                counts[script] += 1
                break
    if counts["ja"]:  # Japanese writes kanji beside its kana
        counts["ja"] += counts.pop("han", 0)
    return counts


def _cyrillic(text: str, share: float) -> Detected:
    lower = text.lower()
    if re.search("[іїєґ]", lower) and not re.search("[ыэё]", lower):
        return _named("uk", share)
    if "ў" in lower:
        return _named("be", share)
    if re.search("[ђћџљњј]", lower):
        return _named("sr", share)
    if not re.search("[ыэё]", lower):  # letters Bulgarian does not have
        # Bulgarian's ъ is a vowel before consonants; Russian's only comes before е, ё, ю, я.
        words = _WORD.findall(lower)
        bg = sum(w in _BULGARIAN for w in words)
        if re.search("ъ[^еёюя\\W]", lower) or (
            bg >= MIN_HITS and bg > 2 * sum(w in _RUSSIAN for w in words)
        ):
            return _named("bg", share)
    return _named("ru", share)


def _latin(text: str) -> Detected:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return ENGLISH
    hits = {lang: sum(w in stop for w in words) for lang, stop in _WORDS.items()}
    best = max(hits, key=lambda lang: (hits[lang], lang == "en"))
    if hits[best] < MIN_HITS or hits[best] < 2 * hits["en"]:
        return Detected(ENGLISH.code, ENGLISH.name, _confidence(hits, "en", len(words)))
    return _named(best, _confidence(hits, best, len(words)))


def _confidence(hits: dict[str, int], lang: str, words: int) -> float:
    """How far ``lang``'s share of function words stands above the runner-up's."""
    ordered = sorted(hits.values(), reverse=True)
    runner_up = ordered[1] if hits[lang] == ordered[0] else ordered[0]
    margin = (hits[lang] - runner_up) / max(1, hits[lang])
    coverage = min(1.0, hits[lang] / max(1.0, 0.25 * words))
    return round(max(0.0, min(1.0, 0.5 + 0.5 * margin * coverage)), 2)


def _named(lang: str, confidence: float) -> Detected:
    code, name = _NAMES[lang]
    return Detected(code, name, round(confidence, 2))
