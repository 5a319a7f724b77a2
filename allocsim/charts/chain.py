"""Charts of a chain of rules (``compare A B C``): what each step does, and the whole chain.

Every chart takes the :class:`~allocsim.comparison.chain.Chain` that
:func:`allocsim.comparison.chain.compare_chain` returns. A step is named by its number, what it
measures (``reconstruction``: the rule rebuilt from public data against the list it reconstructs,
as its rule file's ``reconstructs`` says; ``criteria``: a change of criteria) and its two rules.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from allocsim.charts.theme import (
    CHANGE_COLOURS,
    DATA_NOTE,
    GUIDE,
    INK,
    MODELLED_NOTE,
    PAGE_WIDTH,
    group_colour,
    rule_scale,
    title,
)
from allocsim.comparison.chain import Chain
from allocsim.comparison.focus import focus_areas

TOTAL = "total"
MOVES = {"gain priority": CHANGE_COLOURS["gains priority"], "lose priority": CHANGE_COLOURS["loses priority"]}


def step_names(chain: Chain) -> list[str]:
    """"Step 1: reconstruction" ... and "Total", in order (each step, then the whole chain)."""
    return [*(f"Step {i}: {d.kind}" for i, d in enumerate(chain.described[:len(chain.steps)], start=1)), "Total"]


def step_legend(chain: Chain) -> list[str]:
    """One line per step and the total: its name, its two rules and what it measures."""
    names = step_names(chain)
    lines = [f"{name}: {d.base_rule} → {d.alt_rule} ({d.meaning})."
             for name, d in zip(names, chain.described[:len(chain.steps)])]
    first, last = chain.labels[0], chain.labels[-1]
    return [*lines, f"Total: {first} → {last}, every step together."]


def _comparisons(chain: Chain) -> list:
    return [*chain.steps, chain.total]


def focus_moves_frame(chain: Chain) -> pd.DataFrame:
    """Per step and the total: focus areas gaining and losing priority (one row each)."""
    rows = []
    for name, comparison in zip(step_names(chain), _comparisons(chain)):
        focus = comparison.summary.focus
        rows += [{"step": name, "move": "gain priority", "areas": focus.gain_priority},
                 {"step": name, "move": "lose priority", "areas": focus.lose_priority}]
    return pd.DataFrame(rows)


def chain_focus_steps(chain: Chain) -> alt.HConcatChart:
    """The lowest-HLE (focus) areas at each step of a chain: how many gain and lose priority in each
    step and over the whole chain, and how many are in group 1 under each rule."""
    names, labels = step_names(chain), chain.labels
    moves = focus_moves_frame(chain)
    y = alt.Y("step:N", sort=names, title=None, axis=alt.Axis(labelFontWeight=alt.expr(
        "datum.label == 'Total' ? 'bold' : 'normal'")))
    bars = alt.Chart(moves).mark_bar().encode(
        y=y, yOffset=alt.YOffset("move:N", sort=list(MOVES)), x=alt.X("areas:Q", title="Focus areas"),
        color=alt.Color("move:N", title=None, scale=alt.Scale(domain=list(MOVES), range=list(MOVES.values()))),
        tooltip=[alt.Tooltip("step:N"), alt.Tooltip("move:N"), alt.Tooltip("areas:Q")])
    counts = bars.mark_text(align="left", dx=4, color=INK, fontSize=11).encode(text="areas:Q", color=alt.value(INK))
    left = alt.layer(bars, counts, width=(PAGE_WIDTH - 260) // 2, height=alt.Step(16),
                     title="Focus areas that gain and lose priority")
    focus = chain.total.summary.focus
    in_group1 = pd.DataFrame({"rule": labels, "areas": [chain.steps[0].summary.focus.in_group1_base,
                                                         *(c.summary.focus.in_group1_alt for c in chain.steps)]})
    rules = alt.Chart(in_group1).mark_bar().encode(
        y=alt.Y("rule:N", sort=labels, title=None),
        x=alt.X("areas:Q", title=f"Focus areas in group 1 (of {focus.areas})"),
        color=alt.Color("rule:N", sort=labels, scale=rule_scale(labels), legend=None),
        tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("areas:Q", title="focus areas in group 1")])
    right = alt.layer(rules, rules.mark_text(align="left", dx=4, color=INK, fontSize=11).encode(
        text="areas:Q", color=alt.value(INK)), width=(PAGE_WIDTH - 260) // 2, height=alt.Step(26),
        title="Focus areas in group 1 under each rule")
    return alt.hconcat(left, right, spacing=40, resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent")),
                       title=title(
        f"The {focus_areas(chain.total.focus, focus.areas, chain.total.focus_end)}, step by step",
        f"Focus: {focus.selection.describe(chain.total.focus)}.", *step_legend(chain), DATA_NOTE))


def focus_groups_frame(chain: Chain) -> pd.DataFrame:
    """The focus areas whose group differs between any two rules of the chain, from the focus end's value
    inwards (lowest first by default): one row per area and rule with its ``group``, and ``moved_in``
    naming the steps that move it."""
    moved, labels, names = chain.moved_focus(), chain.labels, step_names(chain)[:-1]
    rows = []
    for code in moved.index:
        steps = [names[i] for i in range(len(labels) - 1) if moved.at[code, labels[i]] != moved.at[code, labels[i + 1]]]
        for position, label in enumerate(labels):
            rows.append({"code": code, "name": moved.at[code, "name"], "rule": label, "position": position,
                         "group": int(moved.at[code, label]), "focus_value": float(moved.at[code, chain.total.focus]),
                         "moved_in": ", ".join(steps)})
    return pd.DataFrame(rows, columns=["code", "name", "rule", "position", "group", "focus_value", "moved_in"])


def chain_focus_groups(chain: Chain) -> alt.LayerChart:
    """Each focus area whose group changes along the chain, by name (the focus end's value at the top):
    its priority group under each rule, so the step that moves it can be read off."""
    frame = focus_groups_frame(chain)
    labels = chain.labels
    n_groups = int(max(r.table["group"].max() for r in chain.rules))
    names = list(dict.fromkeys(frame["name"]))
    x = alt.X("rule:N", sort=labels, title=None, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=300))
    y = alt.Y("name:N", sort=names, title=None, axis=alt.Axis(labelFontSize=10, ticks=False))
    tooltip = [alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"), alt.Tooltip("rule:N"),
               alt.Tooltip("group:O", title="group"),
               alt.Tooltip("focus_value:Q", title=chain.total.focus, format=".1f"),
               alt.Tooltip("moved_in:N", title="moved in")]
    cells = alt.Chart(frame).mark_rect(stroke="white", strokeWidth=1).encode(
        x=x, y=y, color=group_colour("group", n_groups), tooltip=tooltip)
    text = alt.Chart(frame).mark_text(fontSize=10).encode(
        x=x, y=y, text="group:O", color=alt.condition("datum.group == 1", alt.value("white"), alt.value(INK)))
    return alt.layer(cells, text, width=PAGE_WIDTH - 200, height=alt.Step(14), title=title(
        f"The {len(names)} focus areas whose group changes along the chain",
        f"Each area's priority group under each rule, {chain.total.focus_end} {chain.total.focus} at the top; the "
        "step where the colour changes is the step that moves it.", *step_legend(chain)[:-1], DATA_NOTE))


def health_steps_frame(chain: Chain) -> pd.DataFrame:
    """Per step and the total: the paired difference in modelled QALYs (central case, median,
    90% interval) and the median of its two parts (without the need gradient, and from it)."""
    rows = []
    for name, comparison in zip(step_names(chain), _comparisons(chain)):
        d = comparison.money.summary.difference_alt_minus_base
        q = d.modelled_qalys
        rows.append({"step": name, "central": q.central, "median": q.median, "p05": q.p05, "p95": q.p95,
                     "without_need_gradient": d.without_need_gradient.median,
                     "from_need_gradient": d.from_need_gradient.median, "explanation": d.explanation})
    return pd.DataFrame(rows)


def chain_health(chain: Chain) -> alt.LayerChart:
    """The difference in modelled health return at each step of a chain and over the whole chain
    (later rule minus earlier, paired draws): median and 90% interval, and the central case.
    Needs a chain compared with a budget."""
    if chain.total.money is None:
        raise ValueError("the chain was compared without a budget: there is no modelled health return")
    frame = health_steps_frame(chain)
    names = step_names(chain)
    x = alt.X("step:N", sort=names, title=None, axis=alt.Axis(labelAngle=0, labelFontWeight=alt.expr(
        "datum.label == 'Total' ? 'bold' : 'normal'")))
    y_title = "Modelled QALYs: difference"
    tooltip = [alt.Tooltip("step:N"), alt.Tooltip("central:Q", title="central case", format=",.1f"),
               alt.Tooltip("median:Q", format=",.1f"), alt.Tooltip("p05:Q", title="5th percentile", format=",.1f"),
               alt.Tooltip("p95:Q", title="95th percentile", format=",.1f"),
               alt.Tooltip("without_need_gradient:Q", title="median without a need gradient", format=",.1f"),
               alt.Tooltip("from_need_gradient:Q", title="median from the need gradient", format=",.1f")]
    chart = alt.Chart(frame)
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=GUIDE, strokeWidth=1.5).encode(y="zero:Q")
    interval = chart.mark_rule(color=INK, strokeWidth=2.5).encode(x=x, y=alt.Y("p05:Q", title=y_title), y2="p95:Q")
    median = chart.mark_point(filled=True, color=INK, size=90, opacity=1).encode(x=x, y="median:Q", tooltip=tooltip)
    central = chart.mark_point(shape="diamond", filled=False, color=INK, size=140, strokeWidth=1.5).encode(
        x=x, y="central:Q", tooltip=tooltip)
    summary = chain.total.money.summary
    return alt.layer(zero, interval, median, central, width=PAGE_WIDTH - 90, height=280, title=title(
        "Difference in modelled health return at each step (QALYs, later rule minus earlier)",
        MODELLED_NOTE.format(params=summary.parameter_files["health"]),
        "Dot: Monte Carlo median; bar: 90% interval, on paired draws (every rule in each draw shares the same "
        "parameters and bids);",
        "open diamond: the central case (every parameter at its central value). Money in "
        f"{summary.price_base}.", DATA_NOTE))
