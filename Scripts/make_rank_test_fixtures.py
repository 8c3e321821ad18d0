#!/usr/bin/env python3
"""scipy's one-sided Wilcoxon signed-rank p-values, for the diagnosis's RankTest.

Writes Tests/MLPDiagnosisTests/Fixtures/signed_rank_scipy.json: for each case, the differences (fix minus baseline,
as the diagnosis forms them) and scipy's probability of a positive rank sum at least as large as observed:
  - up to 20 nonzero differences: the exact distribution over every sign assignment,
    scipy.stats.permutation_test(..., permutation_type="samples", n_resamples=inf) on W+ (ties share mean ranks);
  - more: scipy.stats.wilcoxon(d, alternative="greater", method="approx", correction=True), whose variance
    takes off sum(t^3 - t) / 48 for each group of t tied |differences|.
Zeros are dropped first (zero_method="wilcox"). Usage: python3 Scripts/make_rank_test_fixtures.py
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "MLPDiagnosisTests", "Fixtures", "signed_rank_scipy.json")


def positive_rank_sum(d):
    nonzero = d[d != 0]
    ranks = stats.rankdata(np.abs(nonzero))
    return ranks[nonzero > 0].sum()


def exact(d):
    d = np.asarray(d, dtype=float)
    result = stats.permutation_test((d,), positive_rank_sum, permutation_type="samples", n_resamples=np.inf,
                                    alternative="greater")
    return float(result.pvalue)


def approximate(d):
    return float(stats.wilcoxon(d, alternative="greater", method="approx", correction=True,
                                zero_method="wilcox").pvalue)


def main():
    rng = np.random.default_rng(20261206)
    cases = []

    def add(name, d):
        d = [float(v) for v in d]
        n = sum(1 for v in d if v != 0)
        p = exact(d) if n <= 20 else approximate(d)
        cases.append({"name": name, "differences": d, "pvalue": p, "method": "exact" if n <= 20 else "approx"})

    add("five positive", [1, 2, 3, 4, 5])
    add("ties and a zero", [1, 2, 2, 3, -1, 4, 0, 5])
    add("all tied", [0.5, -0.5, 0.5, 0.5, 0.5, -0.5])
    add("twelve with ties", np.round(rng.normal(0.2, 1, 12), 1))
    add("twenty", rng.normal(0.4, 1, 20))
    add("thirty distinct", rng.normal(0.3, 1, 30))
    add("thirty with ties", np.round(rng.normal(0.3, 1, 30), 1))
    add("fifty with ties and zeros", np.round(rng.normal(0.1, 1, 50), 0))
    add("forty against", np.round(rng.normal(-0.5, 1, 40), 1))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"scipy": scipy.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
