"""Rules and rankings for the terminal: weights, overrides, a rule's description, a ranking, a check."""

from __future__ import annotations

import pandas as pd

from allocsim.ranking import RankResult
from allocsim.rules.schema import Rule
from allocsim.text.tables import table


def weights_text(rule: Rule) -> str:
    """A table of ``rule``'s effective weights (indicator, domain where the rule has domains, direction,
    weight to 4 decimals); for a published rule, the column its groups are read from."""
    if rule.kind != "index":
        return f"groups read from column '{rule.column}'"
    indicators = {i.column: i for i in rule.indicators}
    frame = pd.DataFrame(
        [{"indicator": c, "domain": indicators[c].domain or "", "direction": indicators[c].direction,
          "weight": w} for c, w in rule.effective_weights().items()]
    )
    return table(frame if rule.domains else frame.drop(columns="domain"), floatfmt="{:.4f}")


def overrides_line(overrides: tuple[str, ...]) -> list[str]:
    """The ``--set`` overrides a run applied, as one line (none when there are none)."""
    return [f"Overrides applied: --set {' --set '.join(overrides)}"] if overrides else []


def override_text(rule: Rule, overrides: tuple[str, ...]) -> str:
    """What a run with ``--set`` prints first: the overrides and the effective weights after them
    (a published rule has none: it still reads its groups from its column)."""
    if not overrides:
        return ""
    if rule.kind == "index":
        after = [f"Effective weights of '{rule.name}' after them:", weights_text(rule)]
    else:
        after = [f"'{rule.name}' has no weights: it reads its groups from column '{rule.column}'."]
    return "\n".join([*overrides_line(overrides), *after, "", ""])


def rule_text(rule: Rule, overrides: tuple[str, ...] = ()) -> str:
    """What ``allocsim rules show`` prints: name and title, any ``--set`` applied, description, sources,
    countries, method and groups (index rules), the no-downgrade rule and the effective weights."""
    lines = [f"{rule.name}: {rule.title}", *overrides_line(overrides), "", rule.description.strip(), "",
             "Sources:"]
    lines += [f"  - {s}" for s in rule.sources]
    lines += ["", f"Countries: {', '.join(rule.countries)}"]
    if rule.kind == "index":
        cut = rule.categories
        how = (f"shares {list(cut.shares)}" if cut.shares is not None else f"thresholds {list(cut.thresholds)}")
        lines += [
            f"Normalisation: {rule.normalisation} ({rule.normalisation_scope}); aggregation: "
            f"{rule.aggregation}; missing values: {rule.missing}",
            f"Groups: {cut.n_groups} by {how} ({cut.scope})",
        ]
    if rule.no_downgrade_from:  # applies to either kind
        lines.append(f"No area is placed lower than under '{rule.no_downgrade_from}'.")
    if rule.kind == "index":
        heading = ("Effective weights (domain share x share within domain):" if rule.domains
                   else "Effective weights (each indicator's share of the total):")
        lines += ["", heading, weights_text(rule)]
    else:  # a published rule has no weights
        lines += ["", f"Groups read from column '{rule.column}' (a published rule has no weights)."]
    return "\n".join(lines)


def rank_text(result: RankResult, top: int, overrides: tuple[str, ...] = ()) -> str:
    """What ``allocsim rank`` prints: the areas ranked, any ``--set`` applied and notes, the effective weights
    (index rules), areas per group by country, and the ``top`` areas by rank."""
    t = result.table
    counts = t.groupby(["country", "group"]).size().unstack(fill_value=0) if "country" in t else None
    shown = result.ordered()[["rank", "code", "name", "country", "score", "group"]].head(top)  # as rank --out
    shown["rank"] = shown["rank"].map("{:g}".format)  # a published category's mean rank, 307.5, as the CSV has it
    lines = [f"{result.rule.name}: {len(t)} areas ranked (rank 1 = most need, group 1 = highest priority)"]
    lines += overrides_line(overrides)
    lines += [f"note: {n}" for n in result.notes]
    if result.rule.kind == "index":
        lines += ["", "Effective weights:", weights_text(result.rule)]
    if counts is not None:
        lines += ["", "Areas per group:", table(counts, index=True)]
    lines += ["", f"Top {min(top, len(t))}:", table(shown)]
    return "\n".join(lines)


def check_text(result: dict, rule: str, reference: str) -> str:
    """What ``allocsim rules check`` prints from :func:`~allocsim.comparison.agreement.check_agreement`'s
    ``result``: agreement and kappa, the confusion matrix (rows: ``reference``) and the areas that differ
    most."""
    a = result["agreement"]
    lines = [
        f"'{rule}' against '{reference}':",
        f"  exact group agreement {result['exact_share']:.1%}; Cohen's kappa {a.cohen_kappa}; "
        f"{result['n_disagree']} areas differ",
        "",
        f"Confusion matrix (rows: {reference}, columns: {rule}):",
        table(result["confusion"], index=True),
    ]
    if len(result["disagreements"]) or not result["n_disagree"]:  # none listed with --top 0
        lines += ["", "Areas that disagree most:", table(result["disagreements"].reset_index())]
    return "\n".join(lines)
