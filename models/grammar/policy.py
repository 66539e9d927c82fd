"""The rule policy: which LanguageTool matches are applied, suggested, or dropped."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from copydesk.models.errors import ConfigError

DEFAULT_POLICY = Path(__file__).resolve().parent / "policy.toml"


class Action(StrEnum):
    APPLY = "apply"
    SUGGEST = "suggest"
    OFF = "off"


@dataclass(frozen=True)
class RulePolicy:
    default: Action = Action.SUGGEST
    categories: dict[str, Action] = field(default_factory=dict)
    rules: dict[str, Action] = field(default_factory=dict)
    version: int = 1

    def action(self, rule_id: str, category: str) -> Action:
        """A rule's own entry, else its category's, else the default."""
        return self.rules.get(rule_id) or self.categories.get(category) or self.default

    def off_categories(self) -> set[str]:
        """Categories the policy drops, for the server to skip."""
        return {c for c, a in self.categories.items() if a is Action.OFF}

    def on_rules(self) -> set[str]:
        """Rules with an entry of their own that applies or suggests them: the server is
        asked for them by name, so that one in a category the policy drops still runs
        (LanguageTool's ``enabledRules`` wins over its ``disabledCategories``)."""
        return {r for r, a in self.rules.items() if a is not Action.OFF}

    def off_rules(self) -> set[str]:
        return {r for r, a in self.rules.items() if a is Action.OFF}

    @classmethod
    def load(cls, path: str | Path | None = None) -> RulePolicy:
        path = Path(path) if path else DEFAULT_POLICY
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read grammar policy {str(path)!r}: {exc}") from exc
        try:
            return cls(
                default=Action(data.get("default", "suggest")),
                categories={k: Action(v) for k, v in data.get("categories", {}).items()},
                rules={k: Action(v) for k, v in data.get("rules", {}).items()},
                version=int(data.get("version", 1)),
            )
        except ValueError as exc:
            raise ConfigError(f"grammar policy {str(path)!r}: {exc}") from exc
