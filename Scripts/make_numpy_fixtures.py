#!/usr/bin/env python3
"""Reference draws from numpy.random.RandomState for NumPyRandomState's tests.

Writes Tests/MLPTests/Fixtures/numpy_random.json. Every double is stored twice: as a JSON number (for
reading) and as its IEEE-754 bit pattern, 16 hex digits (for the exact comparison the tests make, so
no JSON parser's rounding can hide or fake a difference).

Each case starts from a fresh numpy.random.RandomState(seed) unless it says otherwise.

Usage: python3 Scripts/make_numpy_fixtures.py
"""
import json
import os
import struct

import numpy as np
import sklearn
from sklearn.model_selection import train_test_split

SEEDS = [0, 1, 42, 12345, 2**32 - 1]
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "MLPTests", "Fixtures", "numpy_random.json")


def bits(x):
    return struct.pack(">d", float(x)).hex()


def doubles(a):
    a = [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]
    return {"values": a, "bits": [bits(v) for v in a]}


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def per_seed(seed):
    case = {"seed": seed}
    rs = np.random.RandomState(seed)
    case["uint32"] = ints(rs.randint(0, 2**32, size=1300, dtype=np.uint32))  # crosses two regenerations
    case["random_sample"] = doubles(np.random.RandomState(seed).random_sample(700))
    case["uniform"] = []
    for low, high, n in [(0.0, 1.0, 20), (-1.0, 1.0, 20), (-0.5773502691896258, 0.5773502691896258, 50),
                         (3.5, -2.25, 20), (-1e-3, 1e300, 5)]:
        case["uniform"].append({"low": low, "high": high,
                                "values": doubles(np.random.RandomState(seed).uniform(low, high, n))})
    case["randint"] = []
    for low, high, n in [(0, 10, 50), (-5, 5, 50), (0, 1, 3), (0, 2**31, 20), (0, 2**32 + 5, 20),
                         (-(2**40), 2**40, 20), (7, 1000, 50)]:
        case["randint"].append({"low": low, "high": high,
                                "values": ints(np.random.RandomState(seed).randint(low, high, size=n))})
    case["shuffle"] = {}
    for n in [1, 2, 3, 10, 100, 1797]:
        a = np.arange(n)
        np.random.RandomState(seed).shuffle(a)
        case["shuffle"][str(n)] = ints(a)
    case["permutation"] = {str(n): ints(np.random.RandomState(seed).permutation(n)) for n in [0, 1, 2, 10, 1797]}
    return case


def mixed_sequence(seed):
    """One RandomState used for a sequence of mixed calls, as a training run would."""
    rs = np.random.RandomState(seed)
    steps = []
    steps.append({"op": "uniform", "low": -0.1, "high": 0.1, "count": 7, "out": doubles(rs.uniform(-0.1, 0.1, 7))})
    steps.append({"op": "permutation", "n": 13, "out": ints(rs.permutation(13))})
    steps.append({"op": "random_sample", "count": 3, "out": doubles(rs.random_sample(3))})
    steps.append({"op": "randint", "low": 0, "high": 100, "count": 5, "out": ints(rs.randint(0, 100, size=5))})
    a = np.arange(50)
    rs.shuffle(a)
    steps.append({"op": "shuffle", "n": 50, "out": ints(a)})
    steps.append({"op": "uint32", "count": 4, "out": ints(rs.randint(0, 2**32, size=4, dtype=np.uint32))})
    steps.append({"op": "random_sample", "count": 1000, "out": doubles(rs.random_sample(1000))})
    steps.append({"op": "uniform", "low": 2.0, "high": 5.0, "count": 3, "out": doubles(rs.uniform(2.0, 5.0, 3))})
    steps.append({"op": "permutation", "n": 700, "out": ints(rs.permutation(700))})
    state = rs.get_state()
    return {"seed": seed, "steps": steps, "final_position": int(state[2]),
            "final_key_head": ints(state[1][:8])}


def splits():
    labels = {
        "balanced_2": [0, 1] * 10,
        "imbalanced_2": [0] * 17 + [1] * 3,
        "three_classes": [2, 0, 1, 1, 0, 2, 2, 2, 1, 0, 0, 0, 1, 2, 1, 0, 2, 1, 0, 2, 2, 1],
        "imbalanced_4": [3] * 2 + [0] * 30 + [1] * 5 + [7] * 11,
        "ties": [0, 1, 2, 3] * 5,
        "singleton_class": [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6],
        "seed_targets": [0, 1, 0, 1, 1, 0, 0, 1, 0, 1],
    }
    digits_like = [i % 10 for i in range(1797)]
    rng = np.random.RandomState(3)
    labels["digits_like_shuffled"] = [int(v) for v in rng.permutation(digits_like)]
    out = []
    for n, fraction in [(10, 0.2), (10, 0.25), (100, 0.1), (1797, 0.2), (150, 0.33), (7, 0.5)]:
        for seed in [0, 1, 42]:
            train, test = train_test_split(np.arange(n), test_size=fraction, random_state=seed)
            out.append({"count": n, "test_fraction": fraction, "seed": seed, "stratify": None,
                        "train": ints(train), "test": ints(test)})
    for name, y in labels.items():
        for fraction in [0.2, 0.3, 0.5]:
            for seed in [0, 1, 42, 2**32 - 1]:
                try:
                    train, test = train_test_split(np.arange(len(y)), test_size=fraction, random_state=seed,
                                                   stratify=np.array(y))
                except ValueError as e:
                    out.append({"name": name, "count": len(y), "test_fraction": fraction, "seed": seed,
                                "stratify": y, "error": str(e)})
                    continue
                out.append({"name": name, "count": len(y), "test_fraction": fraction, "seed": seed,
                            "stratify": y, "train": ints(train), "test": ints(test)})
    return out


def main():
    data = {
        "generator": "Scripts/make_numpy_fixtures.py",
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        "note": "doubles: 'values' for reading, 'bits' = IEEE-754 big-endian hex for exact comparison",
        "seed_array": {"seed": [1, 2, 3], "random_sample": doubles(np.random.RandomState([1, 2, 3]).random_sample(10)),
                       "key_head": ints(np.random.RandomState([1, 2, 3]).get_state()[1][:8])},
        "key_head_seed_1": ints(np.random.RandomState(1).get_state()[1][:8]),
        "seeds": [per_seed(s) for s in SEEDS],
        "mixed": [mixed_sequence(s) for s in [0, 42]],
        "train_test_split": splits(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
