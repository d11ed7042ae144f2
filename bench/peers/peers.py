"""The Python side of the peer benchmark: one peer per process, on the CSV that bench/peers.ts writes.

    python bench/peers/peers.py {nannyml|evidently|scipy} FILE

Reads the file with pandas (column `window`: 0 is the reference, 1..10 the windows), runs the peer's drift
computation on every window against the reference, and prints one JSON line: the seconds spent reading
(`load`) and computing (`compute`, statistics only), CPU and wall, and each window's statistics per column
and method. Installed by bench/peers/install.sh into a venv of its own (bench/peers/requirements.txt).
"""

import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

# Neither peer may try to send usage statistics from a benchmark (it would also cost time offline).
os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")


class Timer:
    """Adds the CPU (every thread) and wall seconds of a `with` block to a dict."""

    def __init__(self, into):
        self.into = into

    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def __exit__(self, *_):
        self.into["cpu"] += time.process_time() - self.cpu
        self.into["wall"] += time.perf_counter() - self.wall


def columns_of(frame):
    features = [c for c in frame.columns if c != "window"]
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(frame[c])]
    categorical = [c for c in features if c not in numeric]
    return numeric, categorical


def run_nannyml(reference, windows, numeric, categorical):
    """UnivariateDriftCalculator, one chunk per window: KS and Jensen-Shannon on numeric columns, chi2
    (contingency table) and Jensen-Shannon on categorical ones."""
    from nannyml.drift.univariate import UnivariateDriftCalculator

    analysis = pd.concat(windows, ignore_index=True)
    calc = UnivariateDriftCalculator(
        column_names=numeric + categorical,
        continuous_methods=["kolmogorov_smirnov", "jensen_shannon"],
        categorical_methods=["chi2", "jensen_shannon"],
        chunk_size=len(windows[0]),
    )
    calc.fit(reference)
    frame = calc.calculate(analysis).filter(period="analysis").to_df()
    names = {"kolmogorov_smirnov": "ks", "jensen_shannon": "jensen_shannon", "chi2": "chi2"}
    out = [{} for _ in windows]
    for column in numeric + categorical:
        for method in frame[column].columns.get_level_values(0).unique():
            values = frame[(column, method, "value")].tolist()
            for w, value in enumerate(values):
                out[w].setdefault(column, {})[names[method]] = [value, None]
    return out


def run_evidently(reference, windows, numeric, categorical):
    """Evidently's DataDriftPreset with its defaults, one report per window."""
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    names = {"Wasserstein distance (normed)": "wasserstein", "Jensen-Shannon distance": "jensen_shannon"}
    ref = Dataset.from_pandas(reference[numeric + categorical], data_definition=definition)
    out = []
    for window in windows:
        cur = Dataset.from_pandas(window[numeric + categorical], data_definition=definition)
        snapshot = Report([DataDriftPreset()]).run(cur, ref).dict()
        columns = {}
        for metric in snapshot["metrics"]:
            config = metric["config"]
            if "column" in config:
                method = names.get(config["method"], config["method"])
                columns[config["column"]] = {method: [metric["value"], None]}
        out.append(columns)
    return out


def run_scipy(reference, windows, numeric, categorical):
    """scipy per column: ks_2samp on numeric columns; chisquare of the window's counts against the
    reference's shares on categorical ones (Evidently's chi-square, the one the drift monitor computes)."""
    from scipy import stats

    out = []
    for window in windows:
        columns = {}
        for c in numeric:
            r = stats.ks_2samp(reference[c].to_numpy(), window[c].to_numpy())
            columns[c] = {"ks": [float(r.statistic), float(r.pvalue)]}
        for c in categorical:
            ref_counts = reference[c].value_counts()
            cur_counts = window[c].value_counts()
            keys = sorted(set(ref_counts.index) | set(cur_counts.index))
            observed = cur_counts.reindex(keys, fill_value=0).to_numpy(dtype=float)
            shares = ref_counts.reindex(keys, fill_value=0).to_numpy(dtype=float) / ref_counts.sum()
            r = stats.chisquare(observed, shares * observed.sum())
            columns[c] = {"chi2": [float(r.statistic), float(r.pvalue)]}
        out.append(columns)
    return out


def finite(value):
    """Floats as JSON numbers, NaN as null (JSON has no NaN)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(value)


PEERS = {"nannyml": run_nannyml, "evidently": run_evidently, "scipy": run_scipy}


def main():
    peer, path = sys.argv[1], sys.argv[2]
    load, compute = {"cpu": 0.0, "wall": 0.0}, {"cpu": 0.0, "wall": 0.0}
    with Timer(load):
        frame = pd.read_csv(path)
        parts = [part.drop(columns="window").reset_index(drop=True) for _, part in frame.groupby("window")]
    reference, windows = parts[0], parts[1:]
    numeric, categorical = columns_of(reference)
    with Timer(compute):
        statistics = PEERS[peer](reference, windows, numeric, categorical)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "side": peer,
                "rows": {"reference": len(reference), "windows": [len(w) for w in windows]},
                "load": load,
                "compute": compute,
                "process": {"cpu": usage.ru_utime + usage.ru_stime},
                "windows": [
                    {"columns": {c: {"rows": {m: [finite(x) for x in pair] for m, pair in rows.items()}}
                                 for c, rows in w.items()}}
                    for w in statistics
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
