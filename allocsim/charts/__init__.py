"""Altair charts of allocsim results: result objects and DataFrames in, ``alt.Chart`` out.

No file I/O and no scoring happen here; every chart reads results computed elsewhere (maps take
the boundaries as data, from :func:`allocsim.datasets.load_boundaries`). All charts share one
theme (:func:`styled`) with colour-blind-safe colours (Okabe & Ito, 2008) and carry a source
note as their subtitle, so they can be used as they are in a notebook::

    from allocsim import charts
    charts.transition_heatmap(comparison)
"""

from allocsim.charts.chain import chain_focus_groups, chain_focus_steps, chain_health
from allocsim.charts.comparison import hle_vs_deprivation, transition_heatmap
from allocsim.charts.explain import explanation_chart, movers_chart
from allocsim.charts.explorer import weights_explorer
from allocsim.charts.focus import focus_rank_change
from allocsim.charts.maps import boundaries_data, group_map, group_maps
from allocsim.charts.money import allocation_per_head, health_by_decile, health_difference_by_decile
from allocsim.charts.robustness import robustness_bands
from allocsim.charts.theme import group_scale, styled

__all__ = ["allocation_per_head", "boundaries_data", "chain_focus_groups", "chain_focus_steps", "chain_health",
           "explanation_chart", "focus_rank_change", "group_map", "group_maps", "group_scale", "health_by_decile",
           "health_difference_by_decile", "hle_vs_deprivation", "movers_chart", "robustness_bands", "styled",
           "transition_heatmap", "weights_explorer"]
