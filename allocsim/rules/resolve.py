"""The second stage of a rule: from validated data to what the engine runs.

:func:`resolve` looks up the rule's normaliser and aggregation in their registries and loads the
rule named by ``no_downgrade_from`` once, resolved in turn. A chain of references that comes
back to a rule already in it is refused; rules are told apart by their file and content, not
their name, so a user's edited copy of a shipped rule may keep its name and point at the
original, while a file that points at itself, however it names itself, is a loop. A chain is
followed to at most :data:`MAX_CHAIN` rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from allocsim.errors import RuleError
from allocsim.methods.aggregations import AGGREGATIONS, Aggregation
from allocsim.methods.normalisers import NORMALISERS, Normaliser
from allocsim.rules.load import load_reference
from allocsim.rules.schema import Rule

MAX_CHAIN = 16  # rules in a chain of no_downgrade_from references (the shipped ones use two)


@dataclass(frozen=True)
class ResolvedRule:
    """A rule with its methods looked up and its ``no_downgrade_from`` reference loaded."""

    rule: Rule
    reference: ResolvedRule | None = None

    @property
    def normaliser(self) -> Normaliser:
        """The rule's normalisation method, from the :data:`~allocsim.methods.normalisers.NORMALISERS`
        registry."""
        return NORMALISERS[self.rule.normalisation]

    @property
    def aggregation(self) -> Aggregation:
        """The rule's aggregation, from the :data:`~allocsim.methods.aggregations.AGGREGATIONS` registry."""
        return AGGREGATIONS[self.rule.aggregation]


def resolve(rule: Rule | ResolvedRule) -> ResolvedRule:
    """``rule`` resolved (a resolved rule is returned as it is)."""
    if isinstance(rule, ResolvedRule):
        return rule
    return _resolve(rule, ())


def _resolve(rule: Rule, chain: tuple[Rule, ...]) -> ResolvedRule:
    if not rule.no_downgrade_from:
        return ResolvedRule(rule)
    walked = (*chain, rule)
    if len(walked) >= MAX_CHAIN:
        names = " -> ".join(r.name for r in walked[:3])
        raise RuleError(f"{walked[0].source}: no_downgrade_from: a chain of more than {MAX_CHAIN} rules "
                        f"({names} -> ...); at most {MAX_CHAIN} are followed")
    reference = load_reference(rule)
    if any(_identity(reference) == _identity(r) for r in walked):
        names = " -> ".join(r.name for r in (*walked, reference))
        raise RuleError(f"{walked[0].source}: no_downgrade_from forms a loop: {names}")
    return ResolvedRule(rule, _resolve(reference, walked))


def _identity(rule: Rule) -> tuple[Path | None, str]:
    """Where a rule comes from and what it says: the same file edited by --set is another rule."""
    path = rule.path.resolve() if rule.path is not None else None
    return path, rule.model_dump_json()
