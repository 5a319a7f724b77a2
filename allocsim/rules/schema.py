"""The rule file format: frozen pydantic models that only hold data.

A rule either builds an index from indicators (``kind = "index"``) or reads an official
category from a column (``kind = "published"``). Weights are relative: at each level (domains,
then indicators within a domain) they are divided by their sum, and the effective weight of an
indicator is its domain's share times its share within the domain.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from allocsim.countries import COUNTRIES
from allocsim.methods.aggregations import AGGREGATIONS
from allocsim.methods.normalisers import NORMALISERS
from allocsim.models import FieldProblem, Number, Strict, every_problem

NORMALISATIONS = tuple(NORMALISERS)
# Fields that only shape an index; a published rule that gave one would silently ignore it.
INDEX_ONLY = ("indicators", "domains", "normalisation", "normalisation_scope", "aggregation", "missing", "categories")
# Weights are relative; the cap keeps their sums finite (1e308 + 1e308 would overflow to inf).
Weight = Annotated[Number, Field(ge=0, le=1e6, allow_inf_nan=False)]
Share = Annotated[Number, Field(gt=0, le=1, allow_inf_nan=False)]


BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")  # a TOML bare key: letters, digits, "_" and "-"


class Indicator(Strict):
    """One indicator of an index rule: the dataset ``column``, which direction means more need, its relative
    weight within its domain, the domain, an optional transform (``log``, or ``winsorise`` at two percentiles,
    ``0 <= low < high <= 100``) and a title."""

    column: str = Field(min_length=1)
    direction: Literal["higher_is_more_need", "lower_is_more_need"]
    weight: Weight = 1.0
    domain: str | None = None
    transform: Literal["none", "log", "winsorise"] = "none"
    winsorise_percentiles: tuple[Number, Number] = (5.0, 95.0)
    title: str = ""

    @field_validator("winsorise_percentiles")
    @classmethod
    def _percentiles_in_order(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 0 <= low < high <= 100:
            raise ValueError(f"must be two percentiles with 0 <= low < high <= 100, got {list(value)}")
        return value


class Domain(Strict):
    """One domain of an index rule: its relative weight (divided by the sum of the domains' weights) and a
    title."""

    weight: Weight
    title: str = ""


class Categories(Strict):
    """Groups 1 (highest need) to n, by shares of areas from the top or by score thresholds."""

    shares: tuple[Share, ...] | None = None
    thresholds: tuple[Annotated[Number, Field(allow_inf_nan=False)], ...] | None = None
    scope: Literal["pooled", "per_country"] = "pooled"

    @model_validator(mode="after")
    def _one_way_to_cut(self) -> Categories:
        if (self.shares is None) == (self.thresholds is None):
            raise FieldProblem("", "give exactly one of 'shares' or 'thresholds'")
        if self.shares is not None:
            if len(self.shares) < 2:
                raise FieldProblem("shares", "needs at least two groups")
            if not math.isclose(sum(self.shares), 1.0, abs_tol=1e-6):
                raise FieldProblem("shares", f"must sum to 1, got {sum(self.shares):g}")
        if self.thresholds is not None:
            if not self.thresholds or any(a <= b for a, b in zip(self.thresholds, self.thresholds[1:])):
                raise FieldProblem("thresholds", "must be score cut-offs in descending order, no two equal "
                                                 "(an equal pair would leave a group empty)")
        return self

    @property
    def n_groups(self) -> int:
        """How many groups the categories make: one per share, or one more than the thresholds."""
        return len(self.shares) if self.shares is not None else len(self.thresholds) + 1


class Rule(Strict):
    """A rule file: its name (a lower-case slug), title, description, sources and countries; either an index
    of ``indicators`` (with domains, normalisation, aggregation, missing values and categories) or, when
    ``kind`` is ``published``, the ``column`` holding the official groups; optionally ``no_downgrade_from``
    and ``reconstructs``."""

    name: str
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    kind: Literal["index", "published"] = "index"
    countries: tuple[Literal["England", "Scotland", "Wales"], ...] = COUNTRIES
    # kind = "published"
    column: str | None = None
    # kind = "index"
    indicators: tuple[Indicator, ...] = ()
    domains: dict[str, Domain] = Field(default_factory=dict)
    normalisation: Literal[NORMALISATIONS] = "zscore"
    normalisation_scope: Literal["pooled", "per_country"] = "pooled"
    aggregation: Literal[tuple(AGGREGATIONS)] = "arithmetic"
    missing: Literal["error", "impute_median", "reweight"] = "reweight"
    categories: Categories | None = None
    no_downgrade_from: str | None = Field(default=None, min_length=1)
    # The published rule this one reconstructs (a name): comparing the two measures the
    # reconstruction's error, not the effect of a criterion, and outputs say so.
    reconstructs: str | None = None
    _source: str = PrivateAttr(default="")  # where the rule was read from, for messages
    _path: Path | None = PrivateAttr(default=None)  # the file it was read from, if any
    _effective: dict[str, float] | None = PrivateAttr(default=None)  # effective_weights(), once

    @property
    def source(self) -> str:
        """How messages name this rule: its file (with any --set), or its name."""
        return self._source or f"rule '{self.name}'"

    @property
    def path(self) -> Path | None:
        """The file the rule was read from (None for a rule built in Python)."""
        return self._path

    @field_validator("name")
    @classmethod
    def _name_is_a_slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value):
            raise ValueError(f"must be lower-case letters, digits, '.', '_' or '-' (got {value!r})")
        return value

    @field_validator("domains")
    @classmethod
    def _domain_names_are_plain(cls, value: dict[str, Domain]) -> dict[str, Domain]:
        # A domain is named in --set (domains.<name>.weight=...) and in search --vary, where '.'
        # and '=' separate the parts; any other character would need quoting in a shell.
        for name in value:
            if not BARE_KEY.fullmatch(name):
                raise ValueError(f"domain name {name!r} must be letters, digits, '_' or '-'")
        return value

    @field_validator("countries")
    @classmethod
    def _countries_unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("list at least one country")
        if len(set(value)) != len(value):
            raise ValueError(f"a country is listed twice: {list(value)}")
        return value

    @model_validator(mode="before")
    @classmethod
    def _published_has_no_index_fields(cls, raw: object) -> object:
        """Refuse an index-only field given to a published rule (in the file or by --set).

        Checked before the fields are validated, so that ``--set indicators.x.weight=1`` on a
        published rule is refused for what it is, not for the shape of the table it created.
        """
        if isinstance(raw, dict) and raw.get("kind") == "published":
            given = [name for name in INDEX_ONLY if name in raw]
            if given:
                column = raw.get("column")
                source = f"column '{column}'" if isinstance(column, str) and column else "its 'column'"
                raise FieldProblem(given[0], f"only for kind = 'index'; a published rule reads its groups "
                                             f"from {source}")
        return raw

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.kind == "published":
            return self._published_checks()
        return self._index_checks()

    def _published_checks(self) -> Rule:
        if not self.column:
            raise FieldProblem("column", "a published rule needs the column holding the official group")
        return self

    def _index_checks(self) -> Rule:
        if self.column is not None:
            raise FieldProblem("column", "only for kind = 'published'")
        if not self.indicators:
            raise FieldProblem("indicators", "an index rule needs at least one indicator")
        if self.categories is None:
            raise FieldProblem("categories", "an index rule needs categories (shares or thresholds)")
        columns = [i.column for i in self.indicators]
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise FieldProblem(f"indicators[{columns.index(repeated[0], columns.index(repeated[0]) + 1)}].column",
                               f"'{repeated[0]}' is listed more than once")
        if AGGREGATIONS[self.aggregation].needs_nonnegative and not NORMALISERS[self.normalisation].nonnegative:
            usable = [n.name for n in NORMALISERS.values() if n.nonnegative]
            raise FieldProblem("aggregation", f"'{self.aggregation}' needs non-negative normalised values; "
                               f"use normalisation {', '.join(usable[:-1])} or {usable[-1]}")
        self._domain_checks()
        return self

    def _domain_checks(self) -> None:
        problems = []  # every indicator's domain and every domain's indicators, reported together
        for index, indicator in enumerate(self.indicators):
            if not self.domains and indicator.domain is not None:
                problems.append(FieldProblem(f"indicators[{index}].domain",
                                             f"'{indicator.domain}' given but the rule has no 'domains' table"))
            elif self.domains and indicator.domain not in self.domains:
                problems.append(FieldProblem(f"indicators[{index}].domain", f"{indicator.domain!r} is not one of "
                                                                            f"the domains ({', '.join(self.domains)})"))
        used = [d for d in self.domains if any(i.domain == d for i in self.indicators)]
        problems += [FieldProblem(f"domains.{name}", f"has no indicators (the domains that have some: "
                                                     f"{', '.join(used) or 'none'}; is the name misspelt?)")
                     for name in self.domains if name not in used]
        if problems:
            raise every_problem("Rule", problems)
        if self.domains and sum(d.weight for d in self.domains.values()) <= 0:
            raise FieldProblem("domains", "domain weights sum to zero")
        for domain in {i.domain for i in self.indicators}:
            if sum(i.weight for i in self.indicators if i.domain == domain) <= 0:
                where = f" in domain '{domain}'" if domain else ""
                raise FieldProblem("indicators", f"indicator weights{where} sum to zero")

    def effective_weights(self) -> dict[str, float]:
        """Each indicator's share of the index: domain share x share within its domain.

        Worked out once per rule (the rule is frozen) and handed out as a copy: callers look one
        weight up per indicator, which was quadratic in the indicators when each call summed again.
        """
        if self._effective is None:
            self._effective = self._weights()
        return dict(self._effective)

    def _weights(self) -> dict[str, float]:
        domain_total = sum(d.weight for d in self.domains.values())
        within_total: dict[str | None, float] = {}
        for indicator in self.indicators:  # summed in file order, once per domain
            within_total[indicator.domain] = within_total.get(indicator.domain, 0) + indicator.weight
        weights = {}
        for indicator in self.indicators:
            within = indicator.weight / within_total[indicator.domain]
            outer = self.domains[indicator.domain].weight / domain_total if self.domains else 1.0
            weights[indicator.column] = outer * within
        return weights
