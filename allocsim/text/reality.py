"""The money actually awarded and the model's check against it, for the terminal."""

from __future__ import annotations

import pandas as pd

from allocsim.reality.actual import Actual, per_head, views
from allocsim.reality.calibration import Calibration
from allocsim.text.tables import table


def awards_text(calibration: Calibration, actual: Actual, data: pd.DataFrame) -> str:
    """What ``allocsim awards`` prints: the money awarded per round (cash, and in the price base), per
    resident by category, and the competitive model against it (shares by group, Brier score, AUC, rank
    correlation, reliability)."""
    c = calibration
    lines = ["The Levelling Up Fund money actually awarded to GB areas (Northern Ireland's bids are outside the "
             "table; see allocsim data describe):"]
    rows = [{"round": r.round.replace("_", " "), "areas with money": r.areas_with_money,
             "cash £m (as announced)": f"{r.cash_gbp / 1e6:,.1f}",
             f"£m in {c.price_base}": f"{r.in_price_base_gbp / 1e6:,.1f}",
             "deflator": f"x{r.deflator_factor:.4f} ({r.financial_year} to {c.price_base})"} for r in actual.rounds]
    lines += [table(pd.DataFrame(rows)), ""]
    data_views = views(data)
    for name in ("luf_category", "hle_decile_upper_tier", "nation"):
        if name in data_views:
            view = data_views[name]
            frame = per_head(actual.table["total"], data["population_2019"], view)
            shown = pd.DataFrame({view.title: frame["category"], "areas": frame["areas"],
                                  "£ per resident": frame["per_head"].map("{:,.2f}".format)})
            lines += [table(shown)]
    lines += ["", f"The competitive model against it (published categories, the two rounds held, their total "
                  f"£{c.budget / 1e6:,.1f}m in {c.price_base}; {c.draws:,} draws, seed {c.seed}):",
              table(pd.DataFrame([{"group": g.group, "areas": g.areas,
                                   "predicted share of money": f"{g.predicted_share_of_money:.1%}",
                                   "actual share": f"{g.actual_share_of_money:.1%}",
                                   "predicted chance of money": f"{g.predicted_funded_probability:.1%}",
                                   "actually funded": f"{g.actually_funded_share:.1%}"} for g in c.by_group])),
              f"  Funded or not, area by area ({c.areas_actually_funded} of {c.areas} got money): Brier score "
              f"{c.brier_score} against {c.brier_score_of_the_base_rate} for predicting the overall rate everywhere "
              f"(skill {_defined(c.brier_skill)}); AUC {_defined(c.auc)}.",
              f"  Spearman correlation of expected and actual money per area: "
              f"{_defined(c.spearman_expected_vs_actual_money)}.",
              f"  Reliability (areas in {_bins(len(c.reliability))} of predicted chance): "
              + "; ".join(f"predicted {r['mean_predicted']:.2f}, observed {r['observed_rate']:.2f}"
                          for r in c.reliability) + "."]
    return "\n".join(lines)


NUMBERS = ("no", "one", "two", "three", "four", "five")  # reliability bins in words; more in digits


def _bins(count: int) -> str:
    return f"{NUMBERS[count] if count < len(NUMBERS) else count} bin{'' if count == 1 else 's'}"


def _defined(value) -> str:
    """A statistic, or why there is none (too few areas, or all alike)."""
    return "not defined for these areas" if value is None else str(value)
