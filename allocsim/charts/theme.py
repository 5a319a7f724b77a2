"""One theme for every chart: colour-blind-safe colours (Okabe & Ito, 2008), fonts, source notes."""

from __future__ import annotations

import altair as alt

from allocsim.comparison import Comparison

# Okabe & Ito (2008) palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#D55E00", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#CC79A7", "#000000"]
RULE_COLOURS = ["#0072B2", "#D55E00"]
CHANGE_COLOURS = {"gains priority": "#009E73", "loses priority": "#D55E00", "same group": "#999999"}
DATA_NOTE = "Source: allocsim on ONS, MHCLG, DfT and HM Treasury data (OGL v3.0)."
MODELLED_NOTE = "MODELLED, not observed: allocsim health-return model, parameters in {params}."
FONT = "Helvetica Neue, Arial, sans-serif"


def styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The allocsim theme on a finished (top-level) chart: a shallow copy with its config set, since
    each of Altair's ``configure_*`` steps deep-copies the chart, inline map data included."""
    themed = chart.copy(deep=False)
    themed.config = alt.Config(
        font=FONT, background="white",
        title=alt.TitleConfig(anchor="start", fontSize=15, subtitleFontSize=11, subtitleColor="#555555"),
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=12, gridColor="#e6e6e6"),
        legend=alt.LegendConfig(labelFontSize=11, titleFontSize=12, orient="bottom"),
        view=alt.ViewConfig(stroke=None),
    )
    return themed


def title(text: str, *notes: str) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=list(notes) or [DATA_NOTE])


def group_scale(n_groups: int = 3) -> alt.Scale:
    groups = list(range(1, n_groups + 1))
    return alt.Scale(domain=groups, range=OKABE_ITO[:n_groups])


def rule_labels(comparison: Comparison) -> tuple[str, str]:
    base, alt_ = comparison.summary.base_label, comparison.summary.alt_label
    return (base, alt_) if base != alt_ else (f"{base} (base)", f"{alt_} (alternative)")


def n_groups(comparison: Comparison) -> int:
    return int(max(comparison.table["base_group"].max(), comparison.table["alt_group"].max()))
