"""A chain of rules: the steps add up to the total, each step says what it measures, bad chains refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
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


def test_a_chain_takes_its_focus_areas_from_the_end_asked_for_and_lists_them_from_it(dataset, monkeypatch):
    """--focus-end highest reaches every step of a chain, its lists (text, chart, report table) run from the
    highest value down, and a report's inputs carry it."""
    from conftest import report_inputs

    from allocsim.charts.chain import focus_groups_frame
    from allocsim.comparison.focus import focus_set
    from allocsim.report.html import focus_tables
    from allocsim.report.inputs import check_inputs
    from allocsim.text.chain import focus_moves_text

    rules = ["luf-2021-published", "luf-2021", "health-inclusive"]
    chain = compare_chain(rules, dataset, focus="smoking_prevalence", focus_end="highest")
    focus = set(focus_set(dataset["smoking_prevalence"], 0.3, "highest"))
    for step in [*chain.steps, chain.total]:
        assert step.focus_end == "highest" and set(step.table.index[step.table["in_focus"]]) == focus
    values = dataset["smoking_prevalence"]
    listed = focus_groups_frame(chain).drop_duplicates("code")["code"]
    assert values[listed].is_monotonic_decreasing
    monkeypatch.setenv("COLUMNS", "400")  # the text table in one block, a row a line
    shown = [line.split()[0] for line in focus_moves_text(chain, rows=100).splitlines()[2:]]
    assert values[shown].is_monotonic_decreasing and len(shown) == len(listed)
    for block in focus_tables(chain.total):
        assert pd.Series([float(row[3]["text"]) for row in block["rows"]]).is_monotonic_decreasing
    checked = check_inputs(report_inputs(dataset, "luf-2021-published", "health-inclusive",
                                         focus="smoking_prevalence", focus_end="highest"))
    assert checked.comparison.focus_end == "highest"
