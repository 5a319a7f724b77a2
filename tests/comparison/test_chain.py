"""A chain of rules: the steps add up to the total, each step says what it measures, bad chains refused."""

from __future__ import annotations

import numpy as np
import pytest

from allocsim.comparison.chain import compare_chain
from allocsim.errors import ParameterError
from allocsim.rules.load import apply_overrides, load_rule

CHAIN = ["luf-2021-published", "luf-2021", "health-inclusive"]


@pytest.fixture(scope="module")
def chain(dataset):
    return compare_chain(CHAIN, dataset, budget=4.8e9, draws=60, mechanism="competitive", seed=4)


def test_the_steps_add_up_to_the_total(chain):
    total = chain.total
    # each area's change of group, and of money, telescopes exactly
    groups = sum(step.table["group_change"] for step in chain.steps)
    assert (groups == total.table["group_change"]).all()
    money = sum(step.money.table["allocation_change"] for step in chain.steps)
    np.testing.assert_allclose(money, total.money.table["allocation_change"], atol=1e-6)
    # the net change in focus areas in group 1
    net = sum(s.summary.focus.in_group1_alt - s.summary.focus.in_group1_base for s in chain.steps)
    assert net == total.summary.focus.in_group1_alt - total.summary.focus.in_group1_base
    # modelled QALYs: the central case, and every paired draw
    central = sum(s.money.summary.difference_alt_minus_base.modelled_qalys.central for s in chain.steps)
    assert central == pytest.approx(total.money.summary.difference_alt_minus_base.modelled_qalys.central, abs=1e-3)
    draws = sum(s.money.alt.health.qalys.sum(axis=1) - s.money.base.health.qalys.sum(axis=1) for s in chain.steps)
    np.testing.assert_allclose(draws, total.money.alt.health.qalys.sum(axis=1) - total.money.base.health.qalys.sum(axis=1))


def test_each_rule_is_simulated_once_so_steps_share_the_draws(chain):
    assert chain.steps[0].money.alt is chain.simulations[1] is chain.steps[1].money.base


def test_the_first_step_is_the_reconstruction_s_error_and_the_second_a_change_of_criteria(chain):
    kinds = [step.kind for step in chain.described]
    assert kinds == ["reconstruction", "criteria", "total"]
    assert "reconstruction's error" in chain.described[0].meaning
    assert chain.summary.to_json()["steps"][0]["step"]["kind"] == "reconstruction"


def test_the_published_list_against_its_reconstruction_already_moves_focus_areas(chain):
    """The audit's finding: 16 low-HLE areas gain priority and 11 lose it before health is added."""
    first = chain.steps[0].summary.focus
    assert (first.gain_priority, first.lose_priority) == (16, 11)


@pytest.mark.parametrize("rules, message", [
    (["luf-2021", "luf-2021"], "rule 'luf-2021' (rules/luf-2021.toml) is given twice in the chain (positions 1 and 2)"),
    (["luf-2021"], "give at least two rules"),
])
def test_a_bad_chain_is_refused(dataset, rules, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compare_chain(rules, dataset)


def test_a_variant_of_a_rule_is_another_rule_in_a_chain(dataset):
    variant = apply_overrides(load_rule("health-inclusive"), ["domains.health.weight=0.5"], "rules/health-inclusive.toml")
    chain = compare_chain(["luf-2021", "health-inclusive", variant], dataset)
    assert len(chain.steps) == 2
