"""What a report on a chain of rules adds (``allocsim report A B C``): a section per step chart, the
steps side by side as a table, the focus areas each step moves, and the chain's tables.

A step whose later rule declares ``reconstructs = "<earlier rule>"`` measures the reconstruction's
error; any other step a change of criteria (:func:`allocsim.comparison.chain.describe_step`).
"""

from __future__ import annotations

import pandas as pd

import allocsim.charts.chain as chain_charts
from allocsim.comparison.chain import Chain
from allocsim.comparison.focus import focus_areas
from allocsim.outputs import chain_files, csv_text, money_comparison_files, rank_frame, simulation_files
from allocsim.report.sections import ReportChart
from allocsim.text.chain import step_figures


def chain_sections(chain: Chain) -> list[ReportChart]:
    """The sections a chain report begins with: the focus areas step by step, the areas each step
    moves, and (with a budget) the modelled health return of each step."""
    labels = chain.labels
    sections = [
        ReportChart("chain_focus_steps", f"The {focus_areas(chain.total.focus, end=chain.total.focus_end)}, step by "
                    "step",
                    f"How many of the focus areas each step moves into and out of priority, and how many are in "
                    f"group 1 under each of the {len(labels)} rules. The table above gives every step's figures.",
                    chain_charts.chain_focus_steps(chain)),
        ReportChart("chain_focus_groups", "Which step moves which area",
                    "Every focus area whose group differs between any two rules of the chain, with its group under "
                    "each rule: the step where its colour changes is the step that moves it.",
                    chain_charts.chain_focus_groups(chain)),
    ]
    if chain.total.money is not None:
        sections.append(ReportChart(
            "chain_health", "Modelled health return, step by step",
            "MODELLED, not observed. The difference in modelled QALYs at each step and over the whole chain, on "
            "paired draws; what each rests on is said below the chart.",
            chain_charts.chain_health(chain)))
    return sections


def steps_table(chain: Chain) -> dict:
    """The steps and the total side by side, as rows of text for the page: a column per step (its
    name and its two rules) and a row per figure, as the terminal shows them."""
    names = chain_charts.step_names(chain)
    comparisons = [*chain.steps, chain.total]
    figures = [step_figures(c) for c in comparisons]
    rows = [[label, *(f.get(label, "") for f in figures)] for label in dict.fromkeys(k for f in figures for k in f)]
    heads = [{"name": name, "rules": f"{c.summary.base_label} → {c.summary.alt_label}"}
             for name, c in zip(names, comparisons)]
    meanings = [f"{name}, {d.base_rule} → {d.alt_rule}: {d.meaning}."
                for name, d in zip(names, chain.described[:len(chain.steps)])]
    if chain.total.money is not None:
        s = chain.total.money.summary
        meanings.append(f"Money: expected allocations by the {s.mechanism} mechanism, £m in {s.price_base}. "
                        f"QALYs: MODELLED, not observed (parameters in {s.parameter_files['health']}).")
    health = []
    if chain.total.money is not None:
        health = [f"{name}: {text}" for name, text in
                  zip(names, chain_charts.health_steps_frame(chain)["explanation"])]
    return {"heads": heads, "rows": rows, "meanings": meanings, "health": health}


def focus_moves_table(chain: Chain) -> dict:
    """The focus areas whose group changes along the chain (the focus end's value first), each with its
    group under every rule and the steps that move it, as rows of text for the page."""
    frame = chain_charts.focus_groups_frame(chain)
    labels = chain.labels
    wide = frame.pivot_table(index=["code", "name", "focus_value", "moved_in"], columns="rule", values="group",
                             sort=False).reset_index()
    columns = ["code", "name", chain.total.focus, *labels, "moved in"]
    rows = [[r["code"], r["name"], f"{r['focus_value']:.1f}", *(str(int(r[label])) for label in labels),
             r["moved_in"]] for _, r in wide.iterrows()]
    focus = chain.total.table["in_focus"].sum()
    return {"title": f"Focus areas whose group changes along the chain ({len(rows)} of {focus})",
            "columns": columns, "rows": rows}


def chain_tables(chain: Chain) -> dict[str, str]:
    """The chain's files as ``compare A B C --out`` writes them (``comparison.csv`` of the first rule
    against the last with every rule's group, ``steps.csv``, ``summary.json`` and with a budget the
    total's money files and ``allocation_by_rule.csv``), each rule's ranking (``rule<i>_rank.csv``)
    and, with a budget, each rule's money (``rule<i>_*.csv``) and each step's (``step<i>_*.csv``)."""
    tables = dict(chain_files(chain))
    tables["transitions.csv"] = csv_text(chain.total.transitions.reset_index())
    for i, result in enumerate(chain.rules, start=1):
        tables[f"rule{i}_rank.csv"] = csv_text(rank_frame(result))
    for i, simulation in enumerate(chain.simulations or [], start=1):
        tables |= {f"rule{i}_{name}": text for name, text in simulation_files(simulation).items()
                   if name != "summary.json"}
    if chain.total.money is not None:
        for i, step in enumerate(chain.steps, start=1):
            tables |= {f"step{i}_{name}": text for name, text in money_comparison_files(step.money).items()}
    return tables


def chain_allocations(chain: Chain) -> dict[str, pd.DataFrame]:
    """Each rule's allocation table, by its label, in the chain's order."""
    return dict(zip(chain.labels, (s.allocation for s in chain.simulations or [])))
