"""The money notice at the top of a report's page: what the money and the modelled health rest on."""

from __future__ import annotations

from allocsim.comparison import MoneyComparison
from allocsim.money.simulation import Simulation
from allocsim.text.money import unspent_text
from allocsim.text.tables import pounds


def money_notice(money: MoneyComparison, simulations: dict[str, Simulation] | None = None) -> dict:
    """The money notice at the top of the page; ``simulations`` (by label) are a chain's rules, whose
    spending it lists (else the two rules')."""
    s = money.summary
    spent = ([f"{r.rule}: allocated {pounds(r.allocated)}, {unspent_text(r)}." for r in (s.base, s.alt)]
             if simulations is None else
             [f"{label}: allocated {pounds(sim.summary.allocated)}, {unspent_text(sim.summary)}."
              for label, sim in simulations.items()])
    difference = s.difference_alt_minus_base.modelled_qalys
    return {
        "budget": f"{s.budget:,.0f}", "price_base": s.price_base,
        "basis": "" if s.budget_basis.startswith("as given") else s.budget_basis,
        "mechanism": s.mechanism, "draws": s.draws, "seed": s.seed,
        "health_params": s.parameter_files["health"],
        "line": f"{s.buys_more_health}; difference in modelled QALYs: central case {difference.central:,.0f}, "
                f"Monte Carlo median {difference.median:,.0f} (90% interval {difference.p05:,.0f} to "
                f"{difference.p95:,.0f}).",
        "spending": spent,
    }
