"""Apply a rule to areas: select them, build the need matrix, and rank, group and explain them."""

from allocsim.ranking.apply import RankResult, rank
from allocsim.ranking.areas import select_areas
from allocsim.ranking.need import need_matrix

__all__ = ["RankResult", "need_matrix", "rank", "select_areas"]
