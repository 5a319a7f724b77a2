"""Every kind of bad input, through the CLI as a user meets it.

Each case must end with exit status 2, exactly one ``Error: ...`` line on stderr that names the
culprit (file, field, option or value), no traceback, nothing on stdout, and nothing left where
the command was asked to write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_csv_injection import assert_safe
from toys import gva_rule_toml

import allocsim
from allocsim.cli import cli
from allocsim.errors import AllocsimError

INVALID = Path(__file__).parent / "rules" / "invalid"
GOOD_ROWS = "A1,Alpha,England,1000,60.5\nB2,Beta,England,2000,58.0\nC3,Gamma,Wales,3000,62.0\n"
HEADER = "code,name,country,population_2019,hle_male_2018_20\n"
HLE_HEADER = "code,name,country,hle_male_2018_20,hle_female_2018_20\n"
HLE_ROWS = "A1,Alpha,England,60.5,62\nB2,Beta,England,58,61\nC3,Gamma,Wales,62,63\n"
OUT_CSV = ["--out", "{out}.csv"]  # every case of a command that writes asks it to write here

# (case id, file to write as {data} or None, command with {data}/{out} placeholders, culprit named in the message)
DATA_CASES = [
    ("data-missing", None, ["rank", "hle-only", "--data", "{tmp}/absent.csv", *OUT_CSV], "absent.csv"),
    ("data-empty", b"", ["rank", "hle-only", "--data", "{data}", *OUT_CSV], "is empty"),
    ("data-not-utf8", b"code,name\nA1,Caf\xe9\n", ["data", "describe", "--data", "{data}"], "not UTF-8"),
    ("data-duplicate-code", HEADER + GOOD_ROWS + "A1,Again,England,10,60\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "duplicate code 'A1'"),
    ("data-text-in-numeric", HEADER + "A1,Alpha,England,1000,sixty\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "'sixty' is not a number"),
    ("data-hle-out-of-range", HEADER + "A1,Alpha,England,1000,160\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "column 'hle_male_2018_20': 160 is outside 40-90"),
    ("data-share-out-of-range", "code,name,country,unemployment_rate\nA1,Alpha,England,140\n",
     ["data", "describe", "--data", "{data}"],
     "column 'unemployment_rate': 140 is outside 0-100"),
    ("data-population-zero", HEADER + "A1,Alpha,England,0,60\n", ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "column 'population_2019': 0"),
    ("data-ragged-row", HEADER + "A1,Alpha,England,1000,60,extra\n", ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "line 2 has 6 fields"),
    ("data-no-name-column", "code,hle_male_2018_20\nA1,60\n", ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "column 'name': required column is missing"),
    ("data-header-only", HEADER, ["rank", "hle-only", "--data", "{data}", *OUT_CSV], "no rows"),
    ("data-duplicate-header", "code,name,name\nA1,a,b\n", ["data", "describe", "--data", "{data}"],
     "column 'name' appears more than once"),
    ("data-folder", None, ["data", "describe", "--data", "{tmp}"], "is a folder"),
    ("data-unknown-area", None, ["data", "show", "Atlantis"], "unknown area 'Atlantis'"),
    ("data-rule-column-absent", HEADER + GOOD_ROWS, ["rank", "lu-need-2022", "--data", "{data}", *OUT_CSV],
     "'nvq3_plus_share' is not a column of the dataset"),
    ("data-infinite-number", "code,name,country,gva_per_hour\nA1,Alpha,England,1e400\nB2,Beta,Wales,30\n",
     ["data", "describe", "--data", "{data}"], "'1e400' is not a finite number"),
    ("data-area-without-any-value", HLE_HEADER + HLE_ROWS + "D4,Delta,England,,\n",
     ["rank", "hle-only", "--set", 'missing="reweight"', "--data", "{data}", *OUT_CSV],
     "area D4 has no value for any of the rule's indicators"),
    ("data-country-values-unknown", HLE_HEADER + "A1,Alpha,england,60,61\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV], "'england'"),
    # numbers out of range: which file, column and line
    ("data-population-minus-infinity", HEADER + "A1,Alpha,England,-inf,60\n",
     ["simulate", "hle-only", "--budget", "1e6", "--data", "{data}", "--out", "{out}"],
     "areas.csv: line 2, column 'population_2019': '-inf' is not a finite number"),
    ("data-population-beyond-whole-numbers", HEADER + "A1,Alpha,England,1e19,60\n",
     ["simulate", "hle-only", "--budget", "1e6", "--data", "{data}", "--out", "{out}"],
     "areas.csv: line 2, column 'population_2019': '1e19' is too large"),
    ("data-count-beyond-int64", "code,name,country,luf_r2_bids\nA1,Alpha,England,99999999999999999999\n",
     ["data", "describe", "--data", "{data}"], "column 'luf_r2_bids': '99999999999999999999' is too large"),
    ("data-indicator-overflowing-sums", "code,name,country,gva_per_hour\nA1,Alpha,England,1e300\nB2,Beta,Wales,-1e300\n",
     ["rank", "{tmp}/gva.toml", "--data", "{data}", *OUT_CSV], "line 2, column 'gva_per_hour': '1e300' is too large"),
    ("data-hle-nan-text", HEADER + "A1,Alpha,England,1000,nan\n", ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "column 'hle_male_2018_20'"),
    # files that are not regular files: refused before reading
    ("data-fifo", None, ["rank", "hle-only", "--data", "{tmp}/fifo.csv", *OUT_CSV],
     "data file " + "{tmp}/fifo.csv is a named pipe (FIFO), not a regular file"),
    ("data-device", None, ["rank", "hle-only", "--data", "/dev/zero", *OUT_CSV],
     "data file /dev/zero is a device, not a regular file"),
    ("data-validate-device", None, ["data", "validate", "/dev/zero"], "data file /dev/zero is a device"),
]

CLI_CASES = [
    ("rule-unknown-name", ["rank", "hle-onyl", *OUT_CSV], "rule 'hle-onyl' not found"),
    ("rule-file-missing", ["rank", "{tmp}/nope.toml", *OUT_CSV], "rule file not found"),
    ("set-bad-value", ["rank", "hle-only", "--set", "normalisation=robust", *OUT_CSV],
     "normalisation: must be"),
    ("set-unknown-field", ["rank", "hle-only", "--set", "normalisaton=rank", *OUT_CSV], "normalisaton: unknown key"),
    ("set-without-equals", ["rank", "hle-only", "--set", "normalisation", *OUT_CSV],
     "--set normalisation: expected FIELD=VALUE"),
    ("set-negative-weight", ["compare", "luf-2021-published", "health-inclusive", "--set", "domains.health.weight=-1",
                             "--out", "{out}"], "domains.health.weight: must be greater than or equal to 0"),
    ("countries-unknown", ["rank", "hle-only", "--countries", "Ireland", *OUT_CSV], "unknown country 'Ireland'"),
    ("countries-empty", ["rank", "hle-only", "--countries", "", *OUT_CSV], "--countries: give at least one of"),
    ("set-rule-table-to-a-value", ["rank", "hle-only", "--set", "categories=3", *OUT_CSV],
     "categories: must be a table of fields (set one as categories.FIELD), not a single value (got 3)"),
    ("focus-unknown-column", ["compare", "luf-2021-published", "hle-only", "--focus", "hle", "--out", "{out}"],
     "--focus: 'hle' is not a column"),
    ("focus-share-zero", ["compare", "luf-2021-published", "hle-only", "--focus-share", "0", "--out", "{out}"],
     "--focus-share: must be in (0, 1], got 0"),
    ("compare-different-areas", ["compare", "luf-2021-published", "imd-2019", "--out", "{out}"],
     "cover different areas"),
    ("check-unknown-reference", ["rules", "check", "luf-2021", "--against", "luf-2022"], "rule 'luf-2022' not found"),
    ("budget-zero", ["simulate", "hle-only", "--budget", "0", "--out", "{out}"], "--budget"),
    ("budget-negative", ["simulate", "hle-only", "--budget", "-5e6", "--out", "{out}"], "--budget"),
    ("budget-not-a-number", ["simulate", "hle-only", "--budget", "lots", "--out", "{out}"], "lots"),
    ("budget-missing", ["simulate", "hle-only", "--out", "{out}"], "Missing option '--budget'"),
    ("mechanism-unknown", ["simulate", "hle-only", "--budget", "1e9", "--mechanism", "lottery", "--out", "{out}"],
     "'lottery' is not one of 'formula', 'competitive'"),
    ("draws-zero", ["simulate", "hle-only", "--budget", "1e9", "--mechanism", "competitive", "--draws", "0",
                    "--out", "{out}"], "--draws"),
    ("param-outside-its-range", ["simulate", "hle-only", "--budget", "1e9", "--param", "cost_per_qaly.central=99999",
                                 "--out", "{out}"], "cost_per_qaly.central: must be one of the specifications"),
    ("param-unknown", ["simulate", "hle-only", "--budget", "1e9", "--param", "cost_per_qualy.central=1",
                       "--out", "{out}"], "cost_per_qualy"),
    ("health-params-missing", ["simulate", "hle-only", "--budget", "1e9", "--health-params", "{tmp}/none.toml",
                               "--out", "{out}"], "parameter file not found"),
    ("money-option-without-budget", ["compare", "luf-2021-published", "hle-only", "--mechanism", "competitive",
                                     "--out", "{out}"], "--budget"),
    ("sensitivity-draws-zero", ["sensitivity", "hle-only", "--draws", "0", "--out", "{out}"], "--draws"),
    ("sensitivity-spread-too-big", ["sensitivity", "hle-only", "--spread", "1.5", "--out", "{out}"],
     "--spread: must be in [0, 1)"),
    ("param-more-group-weights-than-groups", ["simulate", "hle-only", "--budget", "1e9", "--param",
                                              "formula.group_weights.value=[1,1,1,1]", "--out", "{out}"],
     "--param formula.group_weights.value: gives 4 values but rules/hle-only.toml has 3 groups"),
    ("budget-misplaced-comma", ["simulate", "hle-only", "--budget", "4,8", "--out", "{out}"],
     "--budget: must be an amount in pounds such as 4.8e9, got '4,8'; commas go only between groups of three digits"),
    ("sensitivity-spread-too-small", ["sensitivity", "hle-only", "--draws", "50", "--spread", "1e-160", "--out", "{out}"],
     "--spread: must be 0 (the weights held fixed) or at least 1e-06, got 1e-160"),
    ("param-need-elasticity-overflowing", ["simulate", "hle-only", "--budget", "1e9", "--param",
                                           "need_elasticity.high=1e6", "--out", "{out}"],
     "need_elasticity.high: must be from 0 to 10 (the published high case is 3), got 1e+06"),
    ("param-horizon-overflowing", ["simulate", "hle-only", "--budget", "1e9", "--param", "horizon_years.high=1e300",
                                   "--out", "{out}"], "horizon_years.high: must be greater than 0 and at most 1000 years"),
    ("param-saturation-overflowing", ["simulate", "hle-only", "--budget", "1e9", "--param",
                                      "saturation_per_head.high=1e300", "--out", "{out}"],
     "saturation_per_head.high: must be greater than 0 and at most 1e+09 pounds, got 1e+300"),
    ("sensitivity-published-rule", ["sensitivity", "luf-2021-published", "--draws", "10", "--out", "{out}"],
     "needs an index rule"),
    ("sensitivity-unknown-normalisation", ["sensitivity", "hle-only", "--normalisations", "bogus", "--out", "{out}"],
     "unknown method 'bogus'"),
    ("search-bad-operator", ["search", "health-inclusive", "--vary", "health", "--target",
                             "focus_in_group1_share=>0.5", *OUT_CSV], "unknown operator '=>'"),
    ("search-unknown-domain", ["search", "health-inclusive", "--vary", "healthh", "--target",
                               "focus_in_group1_share>=0.5", *OUT_CSV], "unknown domain 'healthh'"),
    ("search-target-out-of-range", ["search", "health-inclusive", "--vary", "health", "--target",
                                    "focus_in_group1_share>=1.5", *OUT_CSV],
     "focus_in_group1_share lies from 0 to 1, so 1.5 is out of range"),
    ("sensitivity-no-normalisation", ["sensitivity", "hle-only", "--normalisations", "", "--out", "{out}"],
     "--normalisations: give at least one method"),
    ("report-output-exists", ["report", "luf-2021-published", "hle-only", "--out", "{tmp}"], "already exists"),
    ("unknown-command", ["frobnicate"], "No such command 'frobnicate'"),
    ("set-into-a-value", ["rank", "health-inclusive", "--set", "domains.health.weight.x=1", *OUT_CSV],
     "'domains.health.weight' is a value, not a table"),
    ("set-overflowing-weight", ["rank", "health-inclusive", "--set", "domains.health.weight=1e308", *OUT_CSV],
     "domains.health.weight: must be less than or equal to 1000000"),
    ("set-nan-threshold", ["rank", "hle-only", "--set", "categories={{thresholds=[nan]}}", *OUT_CSV],
     "categories.thresholds[0]"),
    ("countries-outside-the-rule", ["rank", "imd-2019", "--countries", "Wales", *OUT_CSV], "covers only England"),
    ("top-negative", ["rank", "hle-only", "--top", "-3", *OUT_CSV], "--top"),
    ("out-under-a-file", ["rank", "hle-only", "--out", "{tmp}/file.txt/ranked.csv"], "is not a folder"),
    ("report-force-on-other-files", ["report", "luf-2021-published", "hle-only", "--out", "{tmp}", "--force"],
     "holds files allocsim did not write (keep.txt)"),
    ("missing-argument", ["compare", "luf-2021-published", "--out", "{out}"], "give at least two rules"),
    ("chain-repeated-rule", ["compare", "luf-2021-published", "luf-2021", "luf-2021-published", "--out", "{out}"],
     "rule 'luf-2021-published' (rules/luf-2021-published.toml) is given twice in the chain (positions 1 and 3)"),
    ("envelopes-not-the-budget", ["compare", "luf-2021-published", "hle-only", "--budget", "4.8e9", "--envelopes",
                                  "England=4e9,Scotland=5e8,Wales=2e8", "--out", "{out}"],
     "--envelopes: they add up to £4,700,000,000.00, not the budget £4,800,000,000.00"),
    ("envelopes-unknown-nation", ["simulate", "hle-only", "--budget", "4.8e9", "--envelopes",
                                  "England=4e9,Scotland=5e8,Wales=2e8,Ulster=1e8", "--out", "{out}"],
     "--envelopes: unknown nation 'Ulster' (use England, Scotland, Wales)"),
    ("envelopes-negative", ["compare", "luf-2021", "hle-only", "--budget", "4.8e9", "--envelopes",
                            "England=5e9,Scotland=-1e8,Wales=-1e8", "--out", "{out}"],
     "--envelopes: Scotland's envelope must be 0 or more pounds, got -1e+08"),
    ("envelopes-missing-a-nation", ["simulate", "hle-only", "--budget", "4.8e9", "--envelopes", "England=4.8e9",
                                    "--out", "{out}"], "--envelopes: no envelope for Scotland, Wales"),
    ("envelopes-without-budget", ["compare", "luf-2021", "hle-only", "--envelopes", "England=1", "--out", "{out}"],
     "--envelopes needs --budget"),
    ("fairness-hle-not-hle", ["compare", "luf-2021", "hle-only", "--fairness-hle", "population_2019",
                              "--out", "{out}"], "--fairness-hle: column 'population_2019' does not hold healthy"),
]

# A user's own metadata (areas.meta.json beside areas.csv): what is missing or malformed, and where.
META_CASES = [
    ("meta-column-without-unit", {"columns": {"population_2019": {"period": "2019"}}},
     "areas.meta.json: columns.population_2019: 'unit' is missing"),
    ("meta-column-not-an-object", {"columns": {"population_2019": 5}},
     "columns.population_2019: must be an object with at least a 'unit', got 5"),
    ("meta-unit-not-text", {"columns": {"name": {"unit": ["text"]}}}, "columns.name.unit: must be text"),
    ("meta-range-reversed", {"columns": {"hle_male_2018_20": {"unit": "years", "range": [90, 40]}}},
     "columns.hle_male_2018_20.range: must be [low, high], two finite numbers with low <= high, got [90, 40]"),
    ("meta-range-not-numbers", {"columns": {"hle_male_2018_20": {"unit": "years", "range": ["40", "90"]}}},
     "columns.hle_male_2018_20.range: must be [low, high]"),
    ("meta-range-one-number", {"columns": {"hle_male_2018_20": {"unit": "years", "range": 90}}},
     "columns.hle_male_2018_20.range"),
    ("meta-flag-column-not-text", {"columns": {"hle_male_2018_20": {"unit": "years", "flag_column": 1}}},
     "columns.hle_male_2018_20.flag_column: must be text"),
    ("meta-rollup-name-a-path", {"columns": {}, "rollups": [{"name": "../../escape", "column": "country"}]},
     "rollups[0].name: must be lower-case letters, digits or '_'"),
    ("meta-rollup-without-column", {"columns": {}, "rollups": [{"name": "nation"}]}, "rollups[0]: 'column' is missing"),
    ("meta-rollup-view-unknown", {"columns": {}, "rollups": [{"name": "n", "column": "country", "views": ["wealth"]}]},
     "rollups[0].views: must be a list of 'money' and 'health'"),
    ("meta-rollups-not-a-list", {"columns": {}, "rollups": {"name": "n"}}, "rollups: must be a list of objects"),
    ("meta-rollup-name-twice", {"columns": {}, "rollups": [{"name": "nation", "column": "country"},
                                                         {"name": "nation", "column": "region"}]},
     "rollups[1].name: 'nation' is already declared (rollups[0])"),
    ("meta-rollup-name-built-in", {"columns": {}, "rollups": [{"name": "hle_decile", "column": "region"}]},
     "rollups[0].name: 'hle_decile' names a breakdown allocsim makes itself"),
    ("meta-rollup-unassigned-blank", {"columns": {}, "rollups": [{"name": "n", "column": "country", "unassigned": " "}]},
     "rollups[0].unassigned: must be text naming the row of areas in no group, got ' '"),
    ("meta-columns-a-list", {"columns": []}, "expected an object with a 'columns' object"),
    ("meta-not-json", "{", "cannot read metadata"),
    ("meta-nested-too-deeply", '{"columns": {}, "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
]

DEEP = "[" * 40 + "1" + "]" * 40
NESTING_CASES = [
    ("set-array-nested-too-deep", ["rank", "hle-only", "--set", f"categories.thresholds={DEEP}", *OUT_CSV],
     "--set categories.thresholds: the value nests arrays or tables more than 32 levels deep"),
    ("set-array-nested-beyond-recursion", ["rank", "hle-only", "--set", "sources=" + "[" * 5000 + "]" * 5000,
                                           *OUT_CSV], "--set sources: the value nests"),
    ("set-inline-table-nested-too-deep", ["rank", "hle-only", "--set", "categories=" + "{{a=" * 40 + "1" + "}}" * 40,
                                          *OUT_CSV], "--set categories: the value nests"),
    ("set-field-path-too-deep", ["rank", "hle-only", "--set", ".".join(["domains"] * 40) + "=1", *OUT_CSV],
     "a field path more than 32 levels deep"),
    ("param-nested-too-deep", ["simulate", "hle-only", "--budget", "1e6", "--param", f"cost_per_qaly.central={DEEP}",
                               "--out", "{out}"], "--param cost_per_qaly.central: the value nests"),
    ("rule-file-a-fifo", ["rank", "{tmp}/fifo.toml", *OUT_CSV], "is a named pipe (FIFO), not a regular file"),
    ("rule-file-a-device", ["rules", "validate", "/dev/zero"], "rule file /dev/zero is a device"),
    ("parameter-file-a-device", ["simulate", "hle-only", "--budget", "1e6", "--health-params", "/dev/zero",
                                 "--out", "{out}"], "parameter file /dev/zero is a device, not a regular file"),
    ("parameter-file-a-fifo", ["simulate", "hle-only", "--budget", "1e6", "--allocation-params", "{tmp}/fifo.toml",
                               "--out", "{out}"], "is a named pipe (FIFO)"),
    ("rule-chain-too-long", ["rank", "{tmp}/chain0.toml", *OUT_CSV], "a chain of more than 16 rules"),
]

HUGE_BIDS = ["--mechanism", "competitive", "--param", "competitive.rounds.value=50",
             "--param", "competitive.bid_slots_per_area.value=50"]
MEMORY_CASES = [
    ("simulate-beyond-memory", ["simulate", "hle-only", "--budget", "1e9", *HUGE_BIDS, "--out", "{out}"],
     "--draws: 1,000 draws on 368 areas need about 34.29 GiB for the simulation's arrays, more than the 1 GiB "
     "allowed; use --draws 14 or fewer"),
    ("compare-budget-beyond-memory", ["compare", "luf-2021-published", "hle-only", "--budget", "1e9", *HUGE_BIDS,
                                      "--out", "{out}"], "--draws: 1,000 draws on 368 areas"),
    ("report-budget-beyond-memory", ["report", "luf-2021-published", "hle-only", "--budget", "1e9", *HUGE_BIDS,
                                     "--out", "{out}"], "--draws: 1,000 draws on 368 areas"),
    ("simulate-many-areas-beyond-memory", ["simulate", "{tmp}/gva.toml", "--budget", "1e9", "--draws", "20000",
                                           "--data", "{tmp}/many.csv", "--out", "{out}"],
     "--draws: 20,000 draws on 3,000 areas need about 2.68 GiB"),
]

# Existing --out folders: refused, naming what allocsim did not write, and left as they were.
FOLDER_CASES = [
    ("out-holds-users-files-simulate", ["simulate", "hle-only", "--budget", "1e6", "--out", "{tmp}/mine"],
     "--out {tmp}/mine already exists and holds files allocsim did not write (NOTES.txt, book.xlsx)"),
    ("out-holds-users-files-compare", ["compare", "luf-2021-published", "hle-only", "--out", "{tmp}/mine"],
     "holds files allocsim did not write (NOTES.txt, book.xlsx)"),
    ("out-holds-users-files-sensitivity", ["sensitivity", "hle-only", "--draws", "10", "--out", "{tmp}/mine"],
     "holds files allocsim did not write (NOTES.txt, book.xlsx)"),
    ("out-is-a-file", ["simulate", "hle-only", "--budget", "1e6", "--out", "{tmp}/file.txt"],
     "Directory '{tmp}/file.txt' is a file"),
    ("out-summary-json-is-a-folder", ["compare", "luf-2021-published", "hle-only", "--out", "{tmp}/clash"],
     "holds files allocsim did not write (summary.json/keep.txt)"),
    ("out-another-commands-output", ["compare", "luf-2021-published", "hle-only", "--out", "{tmp}/earlier"],
     "holds the output of 'allocsim simulate'"),
    ("out-earlier-output-with-notes", ["simulate", "hle-only", "--budget", "1e6", "--out", "{tmp}/earlier"],
     "holds files the earlier 'allocsim simulate' did not write (NOTES.txt)"),
    ("report-force-keeps-notes-and-workbook", ["report", "luf-2021-published", "hle-only", "--force",
                                               "--out", "{tmp}/report"],
     "holds files the earlier 'allocsim report' did not write (NOTES.txt, tables/book.xlsx)"),
    ("report-force-over-a-compare-output", ["report", "luf-2021-published", "hle-only", "--force",
                                            "--out", "{tmp}/compared"], "holds the output of 'allocsim compare'"),
    ("out-list-damaged", ["sensitivity", "hle-only", "--draws", "10", "--out", "{tmp}/damaged"],
     "holds files allocsim did not write (.allocsim-files.json, robustness.csv)"),
    ("out-is-the-current-folder", ["sensitivity", "hle-only", "--draws", "10", "--out", "."],
     "refusing to replace the current folder"),
    ("out-above-the-current-folder", ["simulate", "hle-only", "--budget", "1e6", "--out", ".."],
     "refusing to replace the current folder or one that contains it"),
    ("xlsx-inside-out-simulate", ["simulate", "hle-only", "--budget", "1e6", "--out", "{tmp}/s",
                                  "--xlsx", "{tmp}/s/allocation.csv"],
     "--xlsx {tmp}/s/allocation.csv is inside --out {tmp}/s"),
    ("xlsx-inside-earlier-report", ["report", "luf-2021-published", "hle-only", "--force", "--out", "{tmp}/report",
                                    "--xlsx", "{tmp}/report/tables/comparison.csv"],
     "--xlsx {tmp}/report/tables/comparison.csv is inside --out {tmp}/report"),
    ("xlsx-is-out", ["compare", "luf-2021-published", "hle-only", "--out", "{tmp}/cx", "--xlsx", "{tmp}/cx"],
     "--xlsx {tmp}/cx is inside --out {tmp}/cx"),
    ("xlsx-under-a-file", ["compare", "luf-2021-published", "hle-only", "--out", "{tmp}/cy",
                           "--xlsx", "{tmp}/file.txt/x.xlsx"], "--xlsx {tmp}/file.txt/x.xlsx: {tmp}/file.txt is not a folder"),
    ("xlsx-unwritable-leaves-no-out", ["compare", "luf-2021-published", "hle-only", "--out", "{tmp}/cy",
                                       "--xlsx", "/proc/nope/x.xlsx"], "--xlsx /proc/nope/x.xlsx: cannot create folder"),
    ("xlsx-unwritable-leaves-earlier-out", ["simulate", "hle-only", "--budget", "1e6", "--out", "{tmp}/earlier2",
                                            "--xlsx", "/proc/nope/x.xlsx"], "cannot create folder /proc/nope"),
]

RULE_FILE_CASES = [(f"rule-file-{p.stem}", p.stem) for p in sorted(INVALID.glob("*.toml"))]

# The Python API refuses what the command line refuses, with the project's errors naming the argument.
API_CASES = [
    ("api-rank-multiindex", lambda d: allocsim.rank("hle-only", d.set_index("name", append=True)),
     "data: must be indexed by area code alone, not by a MultiIndex of 2 levels (code, name)"),
    ("api-rank-data-none", lambda d: allocsim.rank("hle-only", None), "data: must be a pandas DataFrame"),
    ("api-rank-data-a-dict", lambda d: allocsim.rank("hle-only", d.to_dict()), "data: must be a pandas DataFrame"),
    ("api-rank-rule-a-number", lambda d: allocsim.rank(5, d), "rule: must be a rule (allocsim.load_rule)"),
    ("api-rank-countries-a-string", lambda d: allocsim.rank("hle-only", d, "England"),
     "--countries: give a list of country names such as ['England'], not one string"),
    ("api-rank-countries-an-iterator", lambda d: allocsim.rank("hle-only", d, iter(["England"])),
     "--countries: give a list of text"),
    ("api-rank-duplicate-code", lambda d: allocsim.rank("hle-only", pd.concat([d, d.tail(1)])),
     "data: duplicate area code 'S12000040' in the index"),
    ("api-rank-missing-code", lambda d: allocsim.rank("hle-only", d.set_axis([None, *d.index[1:]])),
     "data: an area has no code"),
    ("api-rank-duplicate-column", lambda d: allocsim.rank("hle-only", pd.concat([d, d[["gva_per_hour"]]], axis=1)),
     "data: column 'gva_per_hour' appears more than once"),
    ("api-rank-infinite-value", lambda d: allocsim.rank("hle-only", d.assign(hle_male_2018_20=np.inf)),
     "data: column 'hle_male_2018_20': area E06000047 has inf, not a finite number"),
    ("api-rank-huge-value", lambda d: allocsim.rank("hle-only", d.assign(gva_per_hour=-1e300)),
     "data: column 'gva_per_hour': area E06000047 has -1e+300, too large"),
    ("api-simulate-duplicate-code", lambda d: allocsim.simulate("hle-only", pd.concat([d, d.head(1)]), 1e6),
     "data: duplicate area code 'E06000047'"),
    ("api-simulate-population-as-text",
     lambda d: allocsim.simulate("hle-only", d.assign(population_2019=d["population_2019"].astype(str)), 1e6),
     "data: column 'population_2019' holds numbers stored as text"),
    ("api-simulate-budget-true", lambda d: allocsim.simulate("hle-only", d, True),
     "--budget: must be an amount in pounds such as 4.8e9, got True"),
    ("api-simulate-budget-a-list", lambda d: allocsim.simulate("hle-only", d, [1e6]), "--budget: must be an amount"),
    ("api-simulate-param-a-string", lambda d: allocsim.simulate("hle-only", d, 1e6, param_overrides="x.y=1"),
     "--param: give a list of text"),
    ("api-simulate-parameters-a-number", lambda d: allocsim.simulate("hle-only", d, 1e6, health_params=3),
     "--health-params: must be the path of a parameter file or a HealthParameters"),
    ("api-simulate-draws-true", lambda d: allocsim.simulate("hle-only", d, 1e6, draws=True), "--draws"),
    ("api-compare-budget-true", lambda d: allocsim.compare("luf-2021-published", "hle-only", d, budget=True),
     "--budget: must be an amount in pounds"),
    ("api-compare-focus-share-true", lambda d: allocsim.compare("luf-2021-published", "hle-only", d, focus_share=True),
     "--focus-share: must be a number, got True"),
    ("api-compare-focus-share-nan", lambda d: allocsim.compare("luf-2021-published", "hle-only", d,
                                                               focus_share=float("nan")), "--focus-share"),
    ("api-compare-focus-a-number", lambda d: allocsim.compare("luf-2021-published", "hle-only", d, focus=3),
     "--focus: must be text"),
    ("api-compare-alt-none", lambda d: allocsim.compare("luf-2021-published", None, d), "alt: must be a rule"),
    ("api-sensitivity-spread-text", lambda d: allocsim.sensitivity("hle-only", d, 10, spread="0.2"),
     "--spread: must be a number, got '0.2'"),
    ("api-sensitivity-normalisations-a-string",
     lambda d: allocsim.sensitivity("hle-only", d, 10, normalisations="rank"), "--normalisations: give a list"),
    ("api-sensitivity-draws-true", lambda d: allocsim.sensitivity("hle-only", d, draws=True), "--draws"),
    ("api-search-vary-a-number", lambda d: allocsim.search("health-inclusive", d, 1, "kendall_tau>=0.5"),
     "--vary: must be text"),
    ("api-search-target-a-number", lambda d: allocsim.search("health-inclusive", d, "health", 0.5),
     "--target: must be text"),
]

HOSTILE_HEADER = "code,name,country,region,population_2019,hle_male_2011_13,hle_male_2018_20,hle_female_2018_20,=cmd\n"
HOSTILE_ROWS = "".join(f"{code},{name},{country},{region},{1000 + 7 * i},{55 + i % 9},{56 + i % 7},{57 + i % 5},{i - 4}\n"
                       for i, (code, name, country, region) in enumerate([
                           ("=A1", '"=HYPERLINK(""http://x"",""a"")"', "England", "+44"),
                           ("-B2", "+SUM(1)", "England", "-1+2"), ("@C3", "-1+2", "Wales", "@r"),
                           ("D4", "@cmd", "England", "North"), ("E5", "Plain", "Wales", "=1"),
                           ("F6", '"\t=1+1"', "England", "North"), ("G7", "Seven", "England", "-2"),
                           ("H8", "Eight", "Wales", "North")]))
# Hostile but valid: the command succeeds, and no CSV it writes hands a spreadsheet a formula.
INJECTION_CASES = [
    ("injection-rank", ["rank", "hle-only", "--data", "{data}", *OUT_CSV]),
    ("injection-compare-focus-header", ["compare", "hle-only", "hle-only", "--focus", "=cmd",
                                        "--data", "{data}", "--out", "{out}"]),
    ("injection-simulate-regions", ["simulate", "hle-only", "--budget", "1e6", "--data", "{data}", "--out", "{out}"]),
    ("injection-compare-budget", ["compare", "hle-only", "hle-only", "--budget", "1e6", "--data", "{data}",
                                  "--out", "{out}"]),
    ("injection-sensitivity", ["sensitivity", "hle-only", "--draws", "50", "--data", "{data}", "--out", "{out}"]),
]


WRITING_COMMANDS = {"rank", "compare", "simulate", "report", "sensitivity", "search"}  # those with --out


def _run(args: list[str], tmp_path: Path, data: Path | None):
    """Run the case; return its result and what it left in ``tmp_path`` that was not there before."""
    out = tmp_path / "out"
    filled = [a.format(tmp=tmp_path, out=out, data=data) for a in args]
    before = _tree(tmp_path)
    result = CliRunner().invoke(cli, filled, catch_exceptions=False)
    return result, sorted(_tree(tmp_path) - before)


def _tree(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def _assert_one_clean_error(result, culprit: str, leftovers: list[Path]) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert culprit in lines[0]
    assert "Traceback" not in result.output
    assert leftovers == [], f"left behind: {leftovers}"


@pytest.mark.parametrize(("case", "content", "args", "culprit"), DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_data(case, content, args, culprit, tmp_path):
    data = None
    if content is not None:
        data = tmp_path / "areas.csv"
        data.write_bytes(content if isinstance(content, bytes) else content.encode())
    _prepare(tmp_path)
    result, leftovers = _run(args, tmp_path, data)
    _assert_one_clean_error(result, culprit.format(tmp=tmp_path), leftovers)


@pytest.mark.parametrize(("case", "args", "culprit"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_bad_option(case, args, culprit, tmp_path):
    if case in {"report-output-exists", "report-force-on-other-files"}:
        (tmp_path / "keep.txt").write_text("mine")
    if case == "out-under-a-file":
        (tmp_path / "file.txt").write_text("a file, not a folder")
    result, leftovers = _run(args, tmp_path, None)
    _assert_one_clean_error(result, culprit, leftovers)
    if case in {"report-output-exists", "report-force-on-other-files"}:
        assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(("case", "metadata", "culprit"), META_CASES, ids=[c[0] for c in META_CASES])
def test_bad_metadata(case, metadata, culprit, tmp_path):
    data = tmp_path / "areas.csv"
    data.write_text(HLE_HEADER + HLE_ROWS)
    data.with_suffix(".meta.json").write_text(metadata if isinstance(metadata, str) else json.dumps(metadata))
    result, leftovers = _run(["rank", "hle-only", "--data", "{data}", *OUT_CSV], tmp_path, data)
    _assert_one_clean_error(result, culprit, leftovers)


@pytest.mark.parametrize(("case", "args", "culprit"), NESTING_CASES + MEMORY_CASES,
                         ids=[c[0] for c in NESTING_CASES + MEMORY_CASES])
def test_structure_nobody_expects(case, args, culprit, tmp_path):
    _prepare(tmp_path)
    result, leftovers = _run(args, tmp_path, None)
    _assert_one_clean_error(result, culprit, leftovers)


@pytest.mark.parametrize(("case", "args", "culprit"), FOLDER_CASES, ids=[c[0] for c in FOLDER_CASES])
def test_an_existing_out_folder_is_left_as_it_was(case, args, culprit, tmp_path, monkeypatch):
    _prepare_folders(tmp_path)
    monkeypatch.chdir(tmp_path / "here")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result, leftovers = _run(args, tmp_path, None)
    _assert_one_clean_error(result, culprit.format(tmp=tmp_path), leftovers)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def _prepare(tmp_path: Path) -> None:
    """Files some cases name: a rule on gva_per_hour, FIFOs, a long chain of rules, many areas."""
    (tmp_path / "gva.toml").write_text(gva_rule_toml("gva"))
    for name in ("fifo.csv", "fifo.toml"):
        os.mkfifo(tmp_path / name)
    for i in range(20):
        (tmp_path / f"chain{i}.toml").write_text(gva_rule_toml(f"c{i}", f"chain{i + 1}.toml"))
    rows = "".join(f"M{i:04d},Area {i},England,{1000 + i},{20 + i % 30},60\n" for i in range(3000))
    (tmp_path / "many.csv").write_text("code,name,country,population_2019,gva_per_hour,hle_male_2011_13\n" + rows)


def _prepare_folders(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()  # the current folder of the cases
    (tmp_path / "file.txt").write_text("a file")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "NOTES.txt").write_text("mine")
    (mine / "book.xlsx").write_bytes(b"PK")
    (tmp_path / "clash" / "summary.json").mkdir(parents=True)
    (tmp_path / "clash" / "summary.json" / "keep.txt").write_text("x")
    _earlier(tmp_path / "earlier", "simulate", {"allocation.csv": "a", "summary.json": "{}"})
    (tmp_path / "earlier" / "NOTES.txt").write_text("mine")
    _earlier(tmp_path / "compared", "compare", {"comparison.csv": "a", "summary.json": "{}"})
    _earlier(tmp_path / "report", "report", {"index.html": "x", "manifest.json": '{"allocsim": "0"}',
                                            "tables/comparison.csv": "a"})
    (tmp_path / "report" / "NOTES.txt").write_text("mine")
    (tmp_path / "report" / "tables" / "book.xlsx").write_bytes(b"PK")
    _earlier(tmp_path / "earlier2", "simulate", {"allocation.csv": "a", "summary.json": "{}"})
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / ".allocsim-files.json").write_text("{not json")
    (tmp_path / "damaged" / "robustness.csv").write_text("a")


def _earlier(folder: Path, command: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    listing = {"written_by": "allocsim", "command": command, "files": sorted(files)}
    (folder / ".allocsim-files.json").write_text(json.dumps(listing))


@pytest.mark.parametrize(("case", "name"), RULE_FILE_CASES, ids=[c[0] for c in RULE_FILE_CASES])
def test_bad_rule_file(case, name, tmp_path):
    path = INVALID / f"{name}.toml"
    result, leftovers = _run(["rank", str(path), "--out", "{out}.csv"], tmp_path, None)
    _assert_one_clean_error(result, str(path), leftovers)


@pytest.mark.parametrize(("case", "args"), [(c[0], c[2]) for c in DATA_CASES] + [(c[0], c[1]) for c in CLI_CASES])
def test_every_case_that_could_write_is_given_a_place_to_write(case, args):
    """Otherwise "nothing left behind" would look at an empty folder and could never fail."""
    if args[0] in WRITING_COMMANDS:
        assert "--out" in args, case
        assert args[args.index("--out") + 1].startswith(("{out}", "{tmp}")), case


def test_a_written_output_would_be_caught(tmp_path):
    """The check itself can fail: a successful run's output shows up as left behind."""
    result, leftovers = _run(["rank", "hle-only", *OUT_CSV], tmp_path, None)
    assert result.exit_code == 0 and leftovers == [tmp_path / "out.csv"]


@pytest.mark.parametrize(("case", "call", "culprit"), API_CASES, ids=[c[0] for c in API_CASES])
def test_the_python_api_refuses_what_the_command_line_refuses(case, call, culprit, dataset):
    with pytest.raises(AllocsimError) as refused:
        call(dataset.copy())
    assert culprit in str(refused.value)


@pytest.mark.parametrize(("case", "args"), INJECTION_CASES, ids=[c[0] for c in INJECTION_CASES])
def test_hostile_text_reaches_no_spreadsheet_as_a_formula(case, args, tmp_path):
    data = tmp_path / "areas.csv"
    data.write_text(HOSTILE_HEADER + HOSTILE_ROWS)
    result, written = _run(args, tmp_path, data)
    assert result.exit_code == 0, result.output
    tables = [p for p in written if p.suffix == ".csv"]
    assert tables
    for path in tables:
        assert_safe(path.read_text(encoding="utf-8"), f"{case}: {path.name}")
    assert any("'=A1" in p.read_text(encoding="utf-8") for p in tables)


def test_the_corpus_has_at_least_forty_distinct_cases():
    cases = [c[0] for group in (DATA_CASES, CLI_CASES, META_CASES, NESTING_CASES, MEMORY_CASES, FOLDER_CASES,
                                RULE_FILE_CASES, API_CASES, INJECTION_CASES) for c in group]
    assert len(set(cases)) == len(cases) >= 40
