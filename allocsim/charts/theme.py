"""One theme for every chart: colours that each mean one thing, fonts, widths, source notes.

Colours (all distinguishable with the common colour-vision deficiencies; Okabe & Ito, 2008, and
ColorBrewer's single-hue ramps, which differ in lightness):

- **priority groups**, ordered: one orange ramp, darkest for group 1 (highest priority)
  (:func:`group_colours`). Maps, the scatter, the robustness bands and the explorer use it.
- **rules**: two blues, light for the base rule and dark for the alternative (:data:`RULE_COLOURS`);
  a chain of more rules takes a blue ramp, light to dark in the chain's order (:data:`RULE_RAMP`).
  Money per head and the health return by decile use them.
- **change of group** from the base rule to the alternative: bluish green for gains priority,
  reddish purple for loses priority, light grey for the same group (:data:`CHANGE_COLOURS`).
  The change map, the lowest-HLE chart, the transitions and the explorer's counts use it.
- **everything else** (intervals, zero lines, cut-offs, differences between rules) is black or grey.

No colour appears in two of these families.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from allocsim.comparison import Comparison

# Okabe & Ito (2008) palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
# ColorBrewer "Oranges", darkest first, without its palest steps (they vanish on white).
GROUP_RAMP = ["#7F2704", "#A63603", "#D94801", "#F16913", "#FD8D3C", "#FDAE6B"]
RULE_COLOURS = ["#56B4E9", "#0072B2"]  # base, alternative
# ColorBrewer "Blues" without its palest steps, lightest first: the rules of a chain, in order.
RULE_RAMP = ["#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B"]
CHANGE_COLOURS = {"gains priority": "#009E73", "loses priority": "#CC79A7", "same group": "#D9D9D9"}
INK = "#222222"  # marks that are no group, rule or change: differences, medians, labels
GUIDE = "#666666"  # cut-off and zero lines
UNCERTAINTY = "#9E9E9E"  # interval rules and bands
DATA_NOTE = "Source: allocsim on ONS, MHCLG, DfT and HM Treasury data (OGL v3.0)."
MODELLED_NOTE = "MODELLED, not observed: allocsim health-return model, parameters in {params}."
BOUNDARY_NOTE = "Boundaries: ONS, LAD 2020, simplified; contains OS data © Crown copyright and database right."
FONT = "Helvetica Neue, Arial, sans-serif"
# The report page is 1,100 px wide; a chart (plot, axes and padding) fills about this much of it.
PAGE_WIDTH = 1050


def theme() -> alt.Config:
    """The allocsim theme: fonts, sizes, colours of guides, legend placement."""
    return alt.Config(
        font=FONT, background="white",
        title=alt.TitleConfig(anchor="start", fontSize=15, subtitleFontSize=11, subtitleColor="#555555"),
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=12, gridColor="#e6e6e6", labelLimit=360),
        legend=alt.LegendConfig(labelFontSize=11, titleFontSize=12, orient="bottom", labelLimit=360, titleLimit=600),
        header=alt.HeaderConfig(labelFontSize=12, titleFontSize=12, labelLimit=360),
        view=alt.ViewConfig(stroke=None),
    )


def styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The allocsim theme on a finished (top-level) chart: a shallow copy with its config set, since
    each of Altair's ``configure_*`` steps deep-copies the chart, inline map data included."""
    themed = chart.copy(deep=False)
    themed.config = theme()
    return themed


def title(text: str, *notes: str) -> alt.TitleParams:
    """A chart's title with ``notes`` as subtitle lines (the source note when none are given)."""
    return alt.TitleParams(text, subtitle=list(notes) or [DATA_NOTE])


def group_colours(n_groups: int = 3) -> list[str]:
    """``n_groups`` colours from the group ramp, evenly spaced, darkest (group 1) first (up to six;
    more groups take Vega's "oranges" scheme in :func:`group_scale`)."""
    steps = np.linspace(0, len(GROUP_RAMP) - 1, max(1, min(n_groups, len(GROUP_RAMP))))
    return [GROUP_RAMP[int(np.floor(s + 0.5))] for s in steps]


GROUP_LEGEND = "Priority group"
GROUP_LABELS = "datum.label == '1' ? '1 = highest priority' : datum.label"


def group_scale(n_groups: int = 3) -> alt.Scale:
    """The colour scale of ``n_groups`` priority groups: the orange ramp, darkest for group 1."""
    groups = list(range(1, n_groups + 1))
    if n_groups > len(GROUP_RAMP):
        return alt.Scale(domain=groups, scheme=alt.SchemeParams("oranges", extent=[1.0, 0.3]))
    return alt.Scale(domain=groups, range=group_colours(n_groups))


def group_colour(field: str, n_groups: int, legend_title: str = GROUP_LEGEND, **legend) -> alt.Color:
    """A priority group field coloured by the group ramp, its legend saying that 1 is the highest."""
    return alt.Color(f"{field}:O", title=legend_title, scale=group_scale(n_groups),
                     legend=alt.Legend(labelExpr=GROUP_LABELS, **legend))


def change_scale() -> alt.Scale:
    """The colour scale of a change of group: gains priority, loses priority, same group."""
    return alt.Scale(domain=list(CHANGE_COLOURS), range=list(CHANGE_COLOURS.values()))


def rule_colours(n_rules: int) -> list[str]:
    """The colours of ``n_rules`` rules in order: :data:`RULE_COLOURS` for one or two, else evenly
    spaced steps of :data:`RULE_RAMP` (Vega's "blues" scheme beyond six rules, in :func:`rule_scale`)."""
    if n_rules <= len(RULE_COLOURS):
        return RULE_COLOURS[:n_rules]
    steps = np.linspace(0, len(RULE_RAMP) - 1, min(n_rules, len(RULE_RAMP)))
    return [RULE_RAMP[int(np.floor(s + 0.5))] for s in steps]


def rule_scale(labels: list[str]) -> alt.Scale:
    """The rules' colours, base (or the chain's first rule) first; ``labels`` as the chart names the rules."""
    if len(labels) > len(RULE_RAMP):
        return alt.Scale(domain=list(labels), scheme=alt.SchemeParams("blues", extent=[0.35, 1.0]))
    return alt.Scale(domain=list(labels), range=rule_colours(len(labels)))


def rule_labels(comparison: Comparison) -> tuple[str, str]:
    """How charts name a comparison's two rules: its labels, marked base and alternative when equal."""
    base, alt_ = comparison.summary.base_label, comparison.summary.alt_label
    return (base, alt_) if base != alt_ else (f"{base} (base)", f"{alt_} (alternative)")


def n_groups(comparison: Comparison) -> int:
    """The number of priority groups under either of a comparison's rules."""
    return int(max(comparison.table["base_group"].max(), comparison.table["alt_group"].max()))


def change_labels(group_change) -> np.ndarray:
    """"gains priority", "loses priority" or "same group" for each ``group_change`` (base minus
    alternative group: positive when the area gains priority)."""
    return np.select([np.asarray(group_change) > 0, np.asarray(group_change) < 0],
                     ["gains priority", "loses priority"], "same group")
