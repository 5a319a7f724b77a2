import numpy as np

from allocsim.robustness.kernel import empty_tally, simulate
from allocsim.robustness.model import build_model, plan
from allocsim.robustness.tally import ARRAYS, PackedTally
from allocsim.rules.load import load_rule


def test_a_packed_tally_adds_as_the_tally_itself(dataset):
    """Arrays of zeros are left out, whole numbers below 2**31 go as int32, the rest as they are."""
    model = build_model(load_rule("health-inclusive"), dataset, 0.2)[0]
    tally = simulate(model, plan(300, model.chunk_size, 3))
    tally.rank_sums[0, 0] += 2**31  # too large for int32
    tally.group1_sums[1, 1] += 0.5  # not a whole number
    tally.unscored = 7  # draws that left some area no weighted indicator: carried and added like the counts
    packed = PackedTally.of(tally)
    assert {name: a.dtype.str for name, a in packed.arrays.items()} == {
        "rank_hist": "<i4", "group_counts": "<i4", "bin_counts": "<i4", "ranked_bin_counts": "<i4",
        "rank_sums": "<f8", "group1_sums": "<f8"}
    unused = empty_tally(model)
    assert not PackedTally.of(unused).arrays
    by_packed, by_tally = empty_tally(model), empty_tally(model)
    by_packed += packed
    by_packed += PackedTally.of(unused)
    by_tally += tally
    for name in ARRAYS:
        assert getattr(by_packed, name).dtype == getattr(by_tally, name).dtype
        np.testing.assert_array_equal(getattr(by_packed, name), getattr(by_tally, name))
    assert (by_packed.draws, by_packed.ranked) == (by_tally.draws, by_tally.ranked) == (300, 300)
    assert by_packed.unscored == by_tally.unscored == 7


def test_a_packed_tally_pickles_compactly_and_keeps_large_negative_counts_whole(dataset):
    import pickle

    model = build_model(load_rule("health-inclusive"), dataset, 0.2)[0]
    tally = simulate(model, plan(100, model.chunk_size, 5))
    tally.group_counts[0, 0] = -(2**31) - 1  # below int32's reach: stays int64
    tally.bin_counts[0] = -(2**31)  # int32's least: int32
    packed = pickle.loads(pickle.dumps(PackedTally.of(tally)))
    assert packed.arrays["group_counts"].dtype == np.int64 and packed.arrays["bin_counts"].dtype == np.int32
    total = empty_tally(model)
    total += packed
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(total, name), getattr(tally, name))
