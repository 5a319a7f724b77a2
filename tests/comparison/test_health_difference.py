"""What a difference in modelled health between two rules rests on, said in numbers and words."""

from __future__ import annotations

import pytest

import allocsim


def money(dataset, *params, mechanism="formula"):
    return allocsim.compare("luf-2021-published", "health-inclusive", dataset, budget=4.8e9, draws=80, seed=2,
                            mechanism=mechanism, param_overrides=list(params)).money.summary


def test_with_no_need_gradient_the_difference_is_zero_and_the_words_say_why(dataset):
    summary = money(dataset, "need_elasticity.high=0")
    d = summary.difference_alt_minus_base
    assert d.modelled_qalys.is_zero and d.without_need_gradient.is_zero
    assert d.probability_alt_buys_more_health is None
    assert summary.buys_more_health.startswith("no difference")
    assert d.explanation.startswith("No difference: both rules buy the same modelled health from the same budget")


def test_a_difference_from_the_gradient_alone_is_said_to_be_and_no_share_of_draws_is_claimed(dataset):
    d = money(dataset).difference_alt_minus_base  # shipped: gradient central 0, high 3
    assert d.modelled_qalys.central == 0 and d.modelled_qalys.median > 0
    assert d.without_need_gradient.is_zero and d.from_need_gradient.median == d.modelled_qalys.median
    assert d.rests_on_need_gradient and d.probability_alt_buys_more_health is None
    assert d.explanation.startswith("With no need gradient the difference is 0 QALYs")
    assert f"The {d.modelled_qalys.median:+,.0f} QALYs (Monte Carlo median; central case +0) come from assuming a need " \
           "gradient" in d.explanation
    assert "an analogy from NHS revenue spending" in d.explanation


def test_the_parts_add_up_to_the_difference(dataset):
    d = money(dataset, "need_elasticity.central=1").difference_alt_minus_base
    assert d.without_need_gradient.central + d.from_need_gradient.central == pytest.approx(d.modelled_qalys.central)
    assert d.modelled_qalys.central > 0  # with a central gradient the central case differs too


def test_the_central_case_stands_beside_the_median(dataset):
    summary = money(dataset)
    base = summary.base
    assert base.central.modelled_qalys < base.totals.modelled_qalys.median  # the skewed ranges lift the median
    assert summary.to_json()["base"]["central"]["modelled_bcr"] == base.central.modelled_bcr


def test_the_one_way_difference_moves_only_with_the_gradient(dataset):
    rows = {r["parameter"]: r for r in money(dataset).one_way_difference}
    assert rows["need_elasticity"]["difference_at_high"] > 0 == rows["need_elasticity"]["difference_at_low"]
    assert rows["cost_per_qaly"]["difference_at_low"] == rows["cost_per_qaly"]["difference_at_high"] == 0


def test_noise_below_the_model_s_resolution_is_printed_as_no_difference(dataset):
    """With no need gradient the difference once printed "+0 (-0 to +0); more under ... in 19% of draws"."""
    from allocsim.text.money import money_comparison_text

    comparison = allocsim.compare("luf-2021-published", "health-inclusive", dataset, budget=4.8e9, draws=80,
                                  mechanism="competitive", param_overrides=["need_elasticity.high=0"])
    text = money_comparison_text(comparison.money)
    assert ("  QALYs, 'health-inclusive' minus 'luf-2021-published': no difference (0 in the central case and in "
            "every draw)") in text.splitlines()
    assert "% of draws" not in text


def test_the_words_give_the_gradient_in_force_and_what_the_file_says_of_its_own(dataset):
    """The explanation quoted the parameter file's "central 0; the high case, 3" after --param had set them
    otherwise."""
    d = money(dataset, "need_elasticity.central=1", "need_elasticity.high=5").difference_alt_minus_base
    assert "need_elasticity drawn from 0 to 5, central 1; the parameter file's central case, 0, assumes no " \
           "gradient; its high case, 3, is an analogy" in d.explanation


def test_an_immaterial_difference_without_the_gradient_is_not_called_none(dataset):
    """By competition, unspent money leaves a difference without the gradient, immaterial beside the whole: the
    verdict said "with none, the two are the same" above a line giving it as -1."""
    summary = money(dataset, mechanism="competitive")
    without = summary.difference_alt_minus_base.without_need_gradient
    assert summary.difference_alt_minus_base.rests_on_need_gradient and not without.is_zero
    assert summary.buys_more_health.endswith(
        f"with none, the difference is {without.central:+,.0f} QALYs (central case), immaterial beside it")
