"""Reports the tests of tests/report share: a chain of three rules."""

from __future__ import annotations

import pytest
from conftest import report_inputs, write_files

CHAIN = ("luf-2021-published", "luf-2021", "health-inclusive")


def chain_inputs(data, rules=CHAIN, **options):
    """What ``allocsim report A B C ...`` makes from ``data``."""
    from dataclasses import replace

    from allocsim.rules.load import load_rule, rule_path

    inputs = report_inputs(data, base=rules[0], alt=rules[-1], **options)
    return replace(inputs, middle=tuple(load_rule(r) for r in rules[1:-1]),
                   middle_paths=tuple(rule_path(r) for r in rules[1:-1]))


def computed(inputs):
    """The report model of ``inputs`` (computed, not drawn)."""
    from allocsim.report import build

    return build(inputs)


def page_and_tables(model) -> dict[str, bytes]:
    """``model``'s page and tables, without the static chart images."""
    from allocsim.report import render

    return render(model, images=False)


@pytest.fixture(scope="session")
def report_chain_model(dataset):
    """``allocsim report luf-2021-published luf-2021 health-inclusive --budget 4.8e9`` (200 draws, no
    robustness draws), computed but not drawn."""
    return computed(chain_inputs(dataset, robustness_draws=0, budget="4.8e9", money_options={"draws": 200}))


@pytest.fixture(scope="session")
def report_chain_files(report_chain_model):
    return page_and_tables(report_chain_model)


@pytest.fixture(scope="session")
def report_chain_dir(tmp_path_factory, report_chain_files):
    return write_files(report_chain_files, tmp_path_factory.mktemp("chain"))


@pytest.fixture(scope="session")
def report_money_model(dataset):
    """``allocsim report luf-2021-published health-inclusive --budget 4.8e9`` (200 draws, no robustness
    draws), computed but not drawn."""
    return computed(report_inputs(dataset, robustness_draws=0, budget="4.8e9", money_options={"draws": 200}))


@pytest.fixture(scope="session")
def report_money_files(report_money_model):
    return page_and_tables(report_money_model)


@pytest.fixture(scope="session")
def report_actual_model(dataset):
    """``allocsim report luf-2021-published health-inclusive --budget actual`` (100 draws)."""
    return computed(report_inputs(dataset, robustness_draws=0, budget="actual", money_options={"draws": 100}))


@pytest.fixture(scope="session")
def report_actual_files(report_actual_model):
    return page_and_tables(report_actual_model)


@pytest.fixture(scope="session")
def report_money_dir(tmp_path_factory, report_money_files):
    return write_files(report_money_files, tmp_path_factory.mktemp("money"))


@pytest.fixture(scope="session")
def report_actual_dir(tmp_path_factory, report_actual_files):
    return write_files(report_actual_files, tmp_path_factory.mktemp("actual"))
