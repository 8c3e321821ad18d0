import Foundation

/// One epoch's news from the estimator (sklearn: one iteration of `_fit_stochastic` / one lbfgs callback).
struct EpochEvent {
    /// 1-based epoch number (sklearn `n_iter_`).
    var epoch: Int
    var maxEpochs: Int
    var loss: Double
    /// Validation score of this epoch with early stopping (sklearn `validation_scores_[-1]`).
    var validationScore: Double?
    /// Seconds since fit started.
    var elapsed: Double
}

/// Training progress on stderr (stdout stays free for --json): a bar on a terminal, plain lines otherwise,
/// scikit-learn's "Iteration N, loss = L" lines with --verbose, nothing with --quiet.
final class ProgressReporter {
    enum Mode { case quiet, lines, bar, verbose }

    let mode: Mode
    private var barShown = false
    private var lastEvent: EpochEvent?
    private var lastPrinted = 0

    init(mode: Mode) { self.mode = mode }

    convenience init(quiet: Bool, verbose: Bool) {
        self.init(mode: quiet ? .quiet : verbose ? .verbose : isatty(STDERR_FILENO) != 0 ? .bar : .lines)
    }

    func epoch(_ e: EpochEvent) {
        lastEvent = e
        switch mode {
        case .quiet:
            return
        case .verbose:
            write(String(format: "Iteration %d, loss = %.8f\n", e.epoch, e.loss))
            if let v = e.validationScore { write(String(format: "Validation score: %f\n", v)) }
        case .lines:
            // About ten lines per run, always the first epoch.
            let every = max(1, e.maxEpochs / 10)
            guard e.epoch == 1 || e.epoch % every == 0 else { return }
            write(line(e) + "\n")
            lastPrinted = e.epoch
        case .bar:
            let width = 24
            let done = min(width, width * e.epoch / max(1, e.maxEpochs))
            let bar = String(repeating: "█", count: done) + String(repeating: "░", count: width - done)
            let left = e.epoch > 0 ? e.elapsed / Double(e.epoch) * Double(max(0, e.maxEpochs - e.epoch)) : 0
            write("\r\u{1B}[K\(bar) \(line(e))  \(duration(left)) left")
            barShown = true
        }
    }

    /// Ends the bar's line; call once after training, whatever happened.
    func finish() {
        if barShown { write("\n"); barShown = false }
        // Plain lines end with the last epoch, also when training stopped early.
        if mode == .lines, let e = lastEvent, e.epoch != lastPrinted {
            write(line(e) + "\n")
            lastPrinted = e.epoch
        }
    }

    /// A warning stays visible unless --quiet.
    func warn(_ message: String) {
        guard mode != .quiet else { return }
        finish()
        Output.warning(message)
    }

    /// A note for people (not with --quiet).
    func note(_ message: String) {
        guard mode != .quiet else { return }
        finish()
        write(Output.terminalSafe(message) + "\n")
    }

    private func line(_ e: EpochEvent) -> String {
        var s = "epoch \(e.epoch)/\(e.maxEpochs)  loss \(String(format: "%.6f", e.loss))"
        if let v = e.validationScore { s += "  validation \(String(format: "%.4f", v))" }
        return s + "  \(duration(e.elapsed))"
    }

    private func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds.rounded())
        return s < 3600 ? String(format: "%d:%02d", s / 60, s % 60) : String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    private func write(_ s: String) { Output.diagnostic(s) }
}
