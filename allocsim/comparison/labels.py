"""How outputs name the rules compared: by name, by file when two share a name, or as the user says."""

from __future__ import annotations

from collections.abc import Sequence

from allocsim.arguments import check_list_of_text
from allocsim.errors import ParameterError
from allocsim.rules.schema import Rule


def rule_labels(rules: Sequence[Rule], given: Sequence[str] | None = None) -> list[str]:
    """One label per rule: ``given`` (``--label``, one per rule), else each rule's name, where two
    share a name each by its file and any ``--set`` (its ``source``), and where even those are the
    same by its position."""
    if given:
        check_list_of_text(given, "--label", "health first")
        if len(given) != len(rules):
            raise ParameterError(f"--label: give one label per rule ({len(rules)}), got {len(given)}")
        for label in given:
            if not label.strip() or any(c in label for c in "\r\n\t"):
                raise ParameterError(f"--label: a label must be one line of text, got {label!r}")
        if len(set(given)) != len(given):
            raise ParameterError(f"--label: the labels must differ, got {', '.join(given)}")
        return list(given)
    names = [r.name for r in rules]
    labels = [r.source if names.count(r.name) > 1 else r.name for r in rules]
    if len(set(labels)) == len(labels):
        return labels
    return [f"{label} ({position})" if labels.count(label) > 1 else label
            for position, label in enumerate(labels, start=1)]


def clash_warning(rules: Sequence[Rule], labels: Sequence[str]) -> str | None:
    """What to tell the user when rules share a name and were labelled for them."""
    names = [r.name for r in rules]
    shared = sorted({n for n in names if names.count(n) > 1})
    if not shared:
        return None
    listed = [f"'{label}'" for label, r in zip(labels, rules) if r.name in shared]
    shown = ", ".join(listed[:-1]) + f" and {listed[-1]}"
    return (f"warning: {len(names) - len(set(names)) + 1} rules are named '{shared[0]}'; they are labelled {shown} "
            f"(give your own with --label)")
