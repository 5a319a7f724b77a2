"""Altair charts of allocsim results: result objects in, ``alt.Chart`` out.

No file I/O and no scoring happen here; every chart reads results computed elsewhere (maps take
the boundaries as data, from :func:`allocsim.datasets.load_boundaries`). All charts share one
theme (:func:`styled`) with colour-blind-safe colours (Okabe & Ito, 2008) and carry a source
note as their subtitle, so they can be used as they are in a notebook::

    import allocsim
    from allocsim import charts
    data = allocsim.load_dataset()
    comparison = allocsim.compare("luf-2021-published", "health-inclusive", data, budget=4.8e9)
    charts.transition_heatmap(comparison)
    charts.allocation_per_head(comparison)                  # or {"mine": allocsim.simulate(...)}
    charts.one_way_chart(allocsim.simulate("health-inclusive", data, budget=4.8e9))

What each takes, as the public API gives it:

- a :class:`~allocsim.comparison.Comparison` (``allocsim.compare``): :func:`hle_vs_deprivation`
  (with the dataset), :func:`focus_rank_change`, :func:`transition_heatmap`, :func:`group_maps`
  (with the boundaries), :func:`fairness_chart`; made with a budget (or its ``money``):
  :func:`allocation_per_head`, :func:`health_by_decile`, :func:`health_difference_by_decile`,
  :func:`central_beside_median`, :func:`one_way_chart`, :func:`winners_losers`; made with
  ``budget="actual"``: :func:`actual_beside`;
- a :class:`~allocsim.money.simulation.Simulation` (``allocsim.simulate``), or a mapping of labels to
  simulations: :func:`allocation_per_head`, :func:`health_by_decile`, :func:`one_way_chart`;
- a :class:`~allocsim.ranking.RankResult` (``allocsim.rank``): :func:`group_map`,
  :func:`weights_explorer` (with the boundaries);
- a :class:`~allocsim.robustness.Sensitivity` (``allocsim.sensitivity``): :func:`robustness_bands`;
- a :class:`~allocsim.comparison.chain.Chain` (``compare_chain``): :func:`chain_focus_steps`,
  :func:`chain_focus_groups`, :func:`chain_health`, :func:`fairness_chart`, and the money charts;
- an :class:`~allocsim.explain.Explanation` (``allocsim.explain.explain``): :func:`explanation_chart`,
  :func:`movers_chart` (several);
- a :class:`~allocsim.reality.calibration.Calibration` (``calibrate``): :func:`calibration_chart`.
"""

from allocsim.charts.chain import chain_focus_groups, chain_focus_steps, chain_health
from allocsim.charts.comparison import hle_vs_deprivation, transition_heatmap
from allocsim.charts.evidence import calibration_chart, central_beside_median, one_way_chart
from allocsim.charts.explain import explanation_chart, movers_chart
from allocsim.charts.explorer import weights_explorer
from allocsim.charts.fairness import fairness_chart
from allocsim.charts.focus import focus_rank_change
from allocsim.charts.maps import boundaries_data, group_map, group_maps
from allocsim.charts.money import allocation_per_head, health_by_decile, health_difference_by_decile
from allocsim.charts.places import actual_beside, winners_losers
from allocsim.charts.robustness import robustness_bands
from allocsim.charts.spec import chart_spec
from allocsim.charts.theme import group_scale, styled

__all__ = ["actual_beside", "allocation_per_head", "boundaries_data", "calibration_chart", "central_beside_median",
           "chain_focus_groups", "chain_focus_steps", "chain_health", "chart_spec", "explanation_chart",
           "fairness_chart", "focus_rank_change", "group_map", "group_maps", "group_scale", "health_by_decile",
           "health_difference_by_decile", "hle_vs_deprivation", "movers_chart", "one_way_chart", "robustness_bands",
           "styled", "transition_heatmap", "weights_explorer", "winners_losers"]
