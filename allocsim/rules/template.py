"""A new rule to edit, copied from an existing one (``allocsim rules new NAME --from RULE``): the
copy's TOML (:mod:`allocsim.rules.dump`) with a comment before each field saying what it does
and what it may be. It reads back as a valid rule that ranks exactly as the original does.
"""

from __future__ import annotations

import re
import textwrap

from allocsim.countries import COUNTRIES
from allocsim.methods.aggregations import AGGREGATIONS
from allocsim.methods.normalisers import NORMALISERS
from allocsim.rules.dump import rule_toml, toml_value
from allocsim.rules.schema import Rule

HEADER = """\
# A prioritisation rule for allocsim, copied from '{original}' ({source}).
# Edit it, then check it:   allocsim rules validate {file}
# and try it:               allocsim compare {original} {file}
# Weights are relative: at each level (domains, then indicators within a domain) they are divided
# by their sum. A field left out takes its default ('allocsim rules show {file}' shows the result).
"""

# Top-level fields shown (commented out) when the copy leaves them at their defaults.
DEFAULTED = ("countries", "normalisation", "normalisation_scope", "aggregation", "missing")

COMMENTS = {
    "name": "# The rule's name: lower-case letters, digits, '.', '_' or '-'; outputs are labelled with it.",
    "title": "# A one-line title.",
    "description": "# What the rule does and why: say what you changed from the original and on what evidence.",
    "sources": "# Where the method and the data come from.",
    "kind": '# "index" builds a score from indicators; "published" reads a group from a column.',
    "column": "# kind = \"published\": the dataset column holding each area's group (1 = highest priority).",
    "countries": f"# The nations the rule ranks: any of {', '.join(COUNTRIES)}.",
    "normalisation": "# How each indicator is put on a common scale: "
                     + "; ".join(f'"{n.name}" {n.description}' for n in NORMALISERS.values()) + ".",
    "normalisation_scope": '# "pooled" normalises over every area; "per_country" within each nation.',
    "aggregation": f"# How weighted indicators are combined: {', '.join(repr(a) for a in AGGREGATIONS)}.",
    "missing": '# An area lacking an indicator: "reweight" shares its weight among the others; '
               '"impute_median" uses the median; "error" refuses.',
    "no_downgrade_from": "# The name of a rule no area may fall below (its group under that rule is a floor).",
    "[domains.": "# Domains: one table each, with a relative weight; an indicator names its domain.",
    "[categories]": '# The cut into groups: "shares" of areas from the top (group 1 first, summing to 1), or score '
                    '"thresholds" in descending order; "scope" is "pooled" or "per_country".',
    "[[indicators]]": '# Each indicator: a dataset "column" (allocsim data describe), its "direction" '
                      '("higher_is_more_need" or "lower_is_more_need"), a relative "weight" within its domain '
                      '(default 1), its "domain"; optional "transform" ("none", "log", "winsorise").',
}


def new_rule(original: Rule, name: str) -> Rule:
    """A copy of ``original`` named ``name``, saying what it was copied from. It reconstructs
    nothing (a variant is a change of criteria)."""
    description = (f"A variant of '{original.name}' ({original.title}). Say here what this rule changes and why.\n\n"
                   f"The description of '{original.name}':\n{original.description.strip()}\n")
    changes = {"name": name, "title": f"Variant of: {original.title}", "description": description,
               "reconstructs": None}
    return original.model_validate({**original.model_dump(exclude_defaults=True), **changes})


def rule_template(original: Rule, name: str, file: str) -> str:
    """The commented TOML text of :func:`new_rule` (``file``: where it will be written, for the
    header's commands)."""
    text = rule_toml(new_rule(original, name))
    lines, seen, in_table = [HEADER.format(original=original.name, source=original.source, file=file)], set(), False
    for line in text.splitlines():
        if line.startswith("[") and not in_table:
            in_table = True
            lines += _defaults_left_out(original, seen)
        key = _key(line, in_table)
        if key in COMMENTS and key not in seen:
            seen.add(key)
            lines += _comment(COMMENTS[key])
        lines.append(line)
    if not in_table:
        lines += _defaults_left_out(original, seen)
    return "\n".join(lines) + "\n"


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent="", subsequent_indent="# ")


def _defaults_left_out(rule: Rule, written: set[str]) -> list[str]:
    """The top-level fields the copy leaves at their defaults, shown commented out with their value."""
    lines = []
    fields = DEFAULTED if rule.kind == "index" else ("countries",)
    for key in fields:
        if key not in written:
            lines += ["", *_comment(COMMENTS[key]), f"# {key} = {toml_value(getattr(rule, key))}  (the default)"]
    return lines + [""] if lines else lines


def _key(line: str, in_table: bool) -> str | None:
    """The comment a line takes: a table's header, or a top-level key (keys inside tables are
    explained by their table's comment)."""
    if line.startswith("[domains."):
        return "[domains."
    if line.startswith("["):
        return line.strip()
    match = None if in_table else re.match(r"^([A-Za-z_]+) = ", line)
    return match.group(1) if match else None
