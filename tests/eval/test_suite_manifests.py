"""Suite manifests are checked against their schema: unknown keys refused, and every
error names the suite file, the key and what was expected."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from copydesk.eval.manifests import CasingNoise, NewsDocuments, SuiteManifest, parse_manifest
from copydesk.eval.suites import SUITES_DIR, load_suite, suite_names
from copydesk.models import ConfigError

FILES = 'mt = "mt.txt"\nreferences = ["mt.txt"]\n'


@pytest.mark.parametrize("name", suite_names())
def test_every_shipped_suite_fits_the_schema(name):
    path = SUITES_DIR / f"{name}.toml"
    spec = parse_manifest(tomllib.loads(path.read_text(encoding="utf-8")), path)
    assert (spec.generate is None) == (spec.mt is not None)
    assert spec.metrics and spec.name == name


def test_defaults_and_the_generate_kinds():
    spec = SuiteManifest.model_validate({"mt": "a", "references": ["b"]})
    assert (spec.unit, spec.metrics, spec.document_lines) == (
        "lines",
        ["bleu", "chrf", "chrf++", "ter", "errant"],
        None,
    )
    noise = SuiteManifest.model_validate({"generate": {"kind": "casing-noise", "clean": "c"}})
    assert isinstance(noise.generate, CasingNoise) and noise.generate.seed == 7
    docs = {"kind": "news-documents", "clean": "c", "provenance": "p", "documents": "800:3000"}
    news = SuiteManifest.model_validate({"generate": docs})
    assert isinstance(news.generate, NewsDocuments) and news.generate.size == 15


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            FILES + 'metrcs = ["ter"]\n',
            "s.toml: unknown key 'metrcs' (expected one of: name, description, unit,",
        ),
        (
            FILES + 'metrics = ["ter", "meteor"]\n',
            "s.toml: 'metrics[1]': input should be 'bleu', 'chrf', 'chrf++', 'ter', 'gleu' or "
            "'errant', not 'meteor'",
        ),
        (
            FILES + "document_lines = 0\n",
            "s.toml: 'document_lines': input should be greater than 0",
        ),
        (
            FILES + 'unit = "paragraphs"\ndocument_lines = 4\n',
            "s.toml: 'document_lines': only a suite of lines takes it (this one's unit is "
            "'paragraphs')",
        ),
        ('mt = "mt.txt"\n', "s.toml: 'references' is needed (or a [generate] table)"),
        (
            'mt = "mt.txt"\nreferences = "mt.txt"\n',
            "s.toml: 'references': input should be a valid list, not 'mt.txt'",
        ),
        (
            FILES + '[generate]\nkind = "casing-noise"\nclean = "mt.txt"\n',
            "s.toml: 'mt' or a [generate] table, not both",
        ),
        (
            '[generate]\nkind = "noise"\nclean = "mt.txt"\n',
            "s.toml: 'generate.kind' must be one of: casing-noise, news-documents",
        ),
        (
            '[generate]\nkind = "casing-noise"\nclean = "mt.txt"\nsize = 3\n',
            "s.toml: unknown key 'generate.size' (expected one of: kind, clean, provenance,",
        ),
        (
            '[generate]\nkind = "news-documents"\nclean = "a"\nprovenance = "b"\n'
            'documents = "1-3"\n',
            "s.toml: 'generate.documents': string should match pattern",
        ),
        ('[generate]\nkind = "casing-noise"\n', "s.toml: 'generate.clean' is needed"),
    ],
)
def test_a_bad_manifest_is_a_config_error_naming_file_key_and_expectation(
    tmp_path: Path, toml: str, message: str
):
    (tmp_path / "mt.txt").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_suite(str(tmp_path / "s.toml"), tmp_path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "s.toml"))


def test_several_problems_are_reported_together(tmp_path: Path):
    (tmp_path / "s.toml").write_text('unit = "words"\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_suite(str(tmp_path / "s.toml"), tmp_path)
    text = str(caught.value)
    assert "'unit': input should be 'lines', 'paragraphs' or 'documents', not 'words'" in text
    assert "unknown key 'colour'" in text
