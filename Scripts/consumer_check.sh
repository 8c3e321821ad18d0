#!/usr/bin/env bash
# A package that uses swift-mlp as a library, the way a user would: it depends on this package by path and on
# the `MLP` product only, fits an MLPClassifier (gelu, dropout), saves it, loads it and compares predictions.
# Passes when it builds with zero warnings, compiles nothing of swift-argument-parser (the tool's dependency),
# and the loaded model predicts the same bits. Then the documentation's Swift blocks (README, docs/, the DocC
# articles; Scripts/doc_snippets.py) are built against the library as a second target: they must compile.
#
#   Scripts/consumer_check.sh [PATH-TO-SWIFT-MLP]     (default: this script's repository)
set -euo pipefail
repo="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mlp-consumer-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/Consumer" "$work/Sources/DocSnippets"
python3 "$repo/Scripts/doc_snippets.py" "$repo" > "$work/Sources/DocSnippets/main.swift"
# A path dependency's identity is its directory's name.
identity="$(basename "$repo")"

cat > "$work/Package.swift" <<MANIFEST
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Consumer",
    dependencies: [.package(path: "$repo")],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [.product(name: "MLP", package: "$identity")]),
        .executableTarget(name: "DocSnippets", dependencies: [.product(name: "MLP", package: "$identity"),
                                                              .product(name: "MLPONNX", package: "$identity")]),
    ],
    swiftLanguageModes: [.v6]
)
MANIFEST

cat > "$work/Sources/Consumer/main.swift" <<'SWIFT'
import MLP

struct Mismatch: Error, CustomStringConvertible {
    var description: String
}

// Two noisy blobs in 3 features: class 0 around −1, class 1 around +1.
struct Uniform {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}
var uniform = Uniform(state: 42)
var rows: [[Double]] = []
var labels: [String] = []
for i in 0..<60 {
    let center = i % 2 == 0 ? -1.0 : 1.0
    rows.append((0..<3).map { _ in center + uniform.next() - 0.5 })
    labels.append(i % 2 == 0 ? "ham" : "spam")   // plain strings, as a user has them
}
let x = Matrix<Double>(rows)

let clf = MLPClassifier<Double>(hiddenLayerSizes: [5], activation: .gelu, maxIter: 50, randomState: 0, dropout: 0.2)
try clf.fit(x, labels)
let repr = "\(clf)"
guard repr.hasPrefix("MLPClassifier("), repr.contains("activation='gelu'"), repr.contains("dropout=0.2") else {
    throw Mismatch(description: "print(clf) shows \(repr), not scikit-learn's repr")
}
try clf.save(to: "m.mlp")
let loaded = try MLPClassifier<Double>.load(from: "m.mlp")

let before = try clf.predictProbabilities(x).storage.map(\.bitPattern)
let after = try loaded.predictProbabilities(x).storage.map(\.bitPattern)
guard before == after, try clf.predict(x) == loaded.predict(x) else {
    throw Mismatch(description: "the loaded classifier predicts differently")
}
guard loaded.parameters == clf.parameters, loaded.parameters.dropout == 0.2, loaded.parameters.activation == .gelu else {
    throw Mismatch(description: "the loaded classifier has other parameters")
}
print("consumer check: saved and loaded \(repr) predicts the same bits "
      + "on \(x.rows) rows; accuracy \(try loaded.score(x, labels))")
SWIFT

cd "$work"
swift build --product Consumer 2>&1 | tee build.log
if grep -q "warning:" build.log; then
    echo "consumer check FAILED: the build has warnings" >&2
    exit 1
fi
# SwiftPM resolves (fetches) every dependency of the graph and compiles the command plugins it declares
# (GenerateManual); what matters is that the ArgumentParser module itself is never compiled.
if grep -Eq "(Compiling|Emitting module) ArgumentParser" build.log \
    || find .build -name "ArgumentParser.swiftmodule" -o -name "ArgumentParser*.o" | grep -q .; then
    echo "consumer check FAILED: swift-argument-parser was compiled for a library user" >&2
    exit 1
fi
./.build/debug/Consumer
# Compiled, never run (they read files such as train.csv); their unused results warn, which is fine here.
if ! swift build --product DocSnippets > snippets.log 2>&1; then
    grep -E "error:" snippets.log >&2 || tail -20 snippets.log >&2
    echo "consumer check FAILED: a Swift block of the documentation does not compile (Scripts/doc_snippets.py)" >&2
    exit 1
fi
echo "consumer check passed: zero warnings, no swift-argument-parser; the documentation's Swift blocks compile"
