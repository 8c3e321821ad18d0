import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The proven fixes combined, one per slot, and measured together.
extension DiagnosisSession {
    /// The fixes that help (the problems' ablations), in the findings' order (causal chain, then gain), one per slot,
    /// combined and measured. The combination, the first-ranked fix alone and the highest-scoring fix alone compete on
    /// their median score; within one standard error of the best, the option that keeps the first-ranked fix wins.
    mutating func recommend(_ ablations: [Ablation], baseline: TrialSummary, ranked: [Finding],
                            regression: Bool) -> Recommendation {
        let order = ranked.map(\.id)
        let proven = Set(ranked.filter { $0.severity == .problem }.map(\.id))
        let helping = ablations.filter { proven.contains($0.candidate.id) && helps(baseline, $0.summary, $0.candidate) }.sorted { a, b in
            let ia = order.firstIndex(of: a.candidate.id) ?? order.count, ib = order.firstIndex(of: b.candidate.id) ?? order.count
            return ia != ib ? ia < ib : a.summary.score > b.summary.score
        }
        var chosen: [Ablation] = [], slots: Set<String> = []
        for ablation in helping where ablation.candidate.slots.isDisjoint(with: slots)
            && !chosen.contains(where: { $0.candidate.id == ablation.candidate.id }) {
            chosen.append(ablation)
            slots.formUnion(ablation.candidate.slots)
        }
        guard let first = chosen.first else {
            return Recommendation(flags: TrainFlags.render(baselineSetup, regression: regression),
                                  before: baseline.summary(), after: baseline.summary(), combines: [])
        }
        var options: [(setup: TrialSetup, summary: TrialSummary, ids: [FindingID])] = [
            (first.candidate.setup, first.summary, [first.candidate.id]),
        ]
        if let top = chosen.max(by: { $0.summary.score < $1.summary.score }), top.candidate.id != first.candidate.id {
            options.append((top.candidate.setup, top.summary, [top.candidate.id]))
        }
        if chosen.count > 1 {
            var combined = baselineSetup
            for ablation in chosen { apply(ablation.candidate.setup, to: &combined) }
            if elapsed + elapsed / Double(max(ablations.count + 1, 1)) <= input.timeBudget {
                let summary = trainer.run(combined)
                lossCurves.append(("recommended", summary.runs.first?.lossCurve ?? []))
                options.append((combined, summary, chosen.map(\.candidate.id)))
            } else {
                skipped.append("combined recommendation")
            }
        }
        // Within one standard error of the best score, measured where that score lies (the baseline's error can be
        // far wider: an R² of −900 would make every option a tie): first the options that keep the first-ranked
        // fix, then the one that combines more fixes, then the higher score.
        let top = options.max { $0.summary.score < $1.summary.score }!
        let tolerance = minimumGain(top.summary)
        let best = options.filter { !(top.summary.score - $0.summary.score > tolerance) }.max { a, b in
            let aKeeps = a.ids.contains(first.candidate.id), bKeeps = b.ids.contains(first.candidate.id)
            if aKeeps != bKeeps { return bKeeps }
            if a.ids.count != b.ids.count { return a.ids.count < b.ids.count }
            return a.summary.score < b.summary.score
        }!
        return Recommendation(flags: TrainFlags.render(best.setup, regression: regression), before: baseline.summary(),
                              after: best.summary.summary(), combines: best.ids)
    }

    /// Copies what `changed` changes relative to the user's configuration into `setup`.
    func apply(_ changed: TrialSetup, to setup: inout TrialSetup) {
        let base = baselineSetup
        if changed.scaling != base.scaling { setup.scaling = changed.scaling }
        if changed.scaleTarget != base.scaleTarget { setup.scaleTarget = changed.scaleTarget }
        var p = setup.parameters
        let c = changed.parameters, b = base.parameters
        if c.learningRateInit != b.learningRateInit { p.learningRateInit = c.learningRateInit }
        if c.solver != b.solver { p.solver = c.solver }
        if c.momentum != b.momentum { p.momentum = c.momentum }
        if c.activation != b.activation { p.activation = c.activation }
        if c.hiddenLayerSizes != b.hiddenLayerSizes { p.hiddenLayerSizes = c.hiddenLayerSizes }
        if c.classWeight != b.classWeight { p.classWeight = c.classWeight }
        if c.alpha != b.alpha { p.alpha = c.alpha }
        if c.earlyStopping != b.earlyStopping { p.earlyStopping = c.earlyStopping }
        setup.parameters = p
    }
}
