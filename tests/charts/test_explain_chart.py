"""Charting why one area moves, from what ``allocsim.explain.explain`` returns."""

from __future__ import annotations

import json

import pytest

from allocsim import charts
from allocsim.charts.explain import edges_frame, places_frame
from allocsim.explain import explain


@pytest.fixture(scope="module")
def barnsley(dataset):
    return explain("Barnsley", "luf-2021-published", "health-inclusive", dataset)


def test_a_published_group_is_drawn_as_the_ranks_it_spans(barnsley):
    places = places_frame(barnsley).set_index("rule")
    assert places.loc["luf-2021-published", ["first", "last", "group"]].tolist() == [124, 246, 2]
    assert places.loc["health-inclusive", "rank"] == barnsley.views[1].rank
    assert sorted(edges_frame(barnsley)["line"].unique()) == [123.5, 246.5]


def test_one_areas_chart_from_the_public_api(barnsley):
    spec = charts.styled(charts.explanation_chart(barnsley)).to_dict()  # validated
    text = json.dumps(spec)
    assert "Barnsley (E08000016): group 2 under luf-2021-published, group 1 under health-inclusive" in text
    assert "Contribution to the score by domain" in text and '"domain": "health"' in text


def test_two_index_rules_each_give_contributions(dataset):
    explained = explain("Fylde", "luf-2021", "health-inclusive", dataset)
    spec = charts.styled(charts.movers_chart([explained])).to_dict()
    domains = next(d for d in spec["datasets"].values() if d and "contribution" in d[0])
    assert {row["rule"] for row in domains} == {"luf-2021", "health-inclusive"}


def test_no_areas_is_refused():
    with pytest.raises(ValueError, match="no areas"):
        charts.movers_chart([])
