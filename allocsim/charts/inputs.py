"""What the chart functions accept: the public results a Python user has, unpacked in one place.

``allocsim.compare(..., budget=...)`` gives a :class:`~allocsim.comparison.Comparison` whose
``money`` is a :class:`~allocsim.comparison.MoneyComparison`; ``allocsim.simulate`` a
:class:`~allocsim.money.simulation.Simulation`; :func:`allocsim.comparison.chain.compare_chain` a
:class:`~allocsim.comparison.chain.Chain`. A chart of money takes any of them, or a mapping of
labels to simulations.
"""

from __future__ import annotations

from collections.abc import Mapping

from allocsim.comparison import Comparison, MoneyComparison
from allocsim.comparison.chain import Chain
from allocsim.money.simulation import Simulation

MoneyResult = Comparison | MoneyComparison | Chain | Simulation | Mapping[str, Simulation]


def money_of(result: Comparison | MoneyComparison | Chain) -> MoneyComparison:
    """The two rules' money of a comparison made with a budget (a chain's first rule against its last)."""
    if isinstance(result, Chain):
        result = result.total
    if isinstance(result, Comparison):
        if result.money is None:
            raise ValueError("the comparison was made without a budget: pass budget=... to allocsim.compare")
        return result.money
    if isinstance(result, MoneyComparison):
        return result
    raise TypeError(f"expected a Comparison made with a budget, or its MoneyComparison, got {type(result).__name__}")


def simulations_of(result: MoneyResult) -> dict[str, Simulation]:
    """Each rule's simulation by the label outputs give it, in order: a comparison's two rules, every
    rule of a chain, one simulation by its rule's name, or a mapping of labels to simulations as given."""
    if isinstance(result, Simulation):
        return {result.rule.name: result}
    if isinstance(result, Chain):
        if result.simulations is None:
            raise ValueError("the chain was compared without a budget: pass budget=... to compare_chain")
        labels = [result.steps[0].summary.base_label, *(c.summary.alt_label for c in result.steps)]
        return dict(zip(labels, result.simulations))
    if isinstance(result, Mapping):
        return dict(result)
    money = money_of(result)
    base, alt = money.summary.base.label, money.summary.alt.label
    if base == alt:
        base, alt = f"{base} (base)", f"{alt} (alternative)"
    return {base: money.base, alt: money.alt}


def is_simulations(value) -> bool:
    """Whether ``value`` is a result (or a mapping of labels to simulations) rather than prepared tables."""
    if isinstance(value, (Comparison, MoneyComparison, Chain, Simulation)):
        return True
    return isinstance(value, Mapping) and bool(value) and all(isinstance(v, Simulation) for v in value.values())
