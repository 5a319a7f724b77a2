import pandas as pd

from allocsim.text.tables import table


def wide_frame() -> pd.DataFrame:
    return pd.DataFrame({"HLE decile": [1, 2, 10], **{f"a long column heading {i}": [1.5, -2.25, 3.0]
                                                     for i in range(8)}})


def test_a_table_too_wide_for_the_terminal_repeats_its_first_column_in_every_block(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    blocks = table(wide_frame()).split("\n\n")
    assert len(blocks) > 1
    for block in blocks:
        lines = block.splitlines()
        assert lines[0].split()[:2] == ["HLE", "decile"]
        assert [line.split()[0] for line in lines[1:]] == ["1", "2", "10"]
        assert all(len(line) <= 80 and not line.endswith("\\") for line in lines)
    text = "\n".join(blocks)
    headings = list(wide_frame().columns[1:])
    assert all(text.count(heading) == 1 for heading in headings)  # every column, once ...
    assert sorted(headings, key=text.index) == headings  # ... in order


def test_an_indexed_table_repeats_its_index_and_one_that_fits_is_one_block(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    indexed = wide_frame().set_index("HLE decile")
    blocks = table(indexed, index=True).split("\n\n")
    assert len(blocks) > 1 and all(block.splitlines()[-1].split()[0] == "10" for block in blocks)
    monkeypatch.setenv("COLUMNS", "400")
    assert "\n\n" not in table(wide_frame())
