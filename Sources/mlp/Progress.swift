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

/// Training progress on stderr (stdout stays free for --json): one line redrawn in place on a terminal, cut to
/// its width; plain lines otherwise; scikit-learn's "Iteration N, loss = L" lines with --verbose; nothing with
/// --quiet. The last epoch is always shown.
final class ProgressReporter {
    enum Mode { case quiet, lines, bar, verbose }

    let mode: Mode
    /// "epoch" (sgd, adam) or "iteration" (L-BFGS, whose steps are not passes over shuffled batches).
    let iterationWord: String
    private var barShown = false
    private var lastEvent: EpochEvent?
    private var lastPrinted = 0
    private var lastDrawn = 0.0
    private var pendingRedraw = false

    init(mode: Mode, iterationWord: String = "epoch") {
        self.mode = mode
        self.iterationWord = iterationWord
    }

    convenience init(quiet: Bool, verbose: Bool, iterationWord: String = "epoch") {
        self.init(mode: quiet ? .quiet : verbose ? .verbose : isatty(STDERR_FILENO) != 0 ? .bar : .lines,
                  iterationWord: iterationWord)
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
            // At most ten redraws a second (fast epochs would otherwise flood the terminal); finish() draws the last.
            guard e.elapsed - lastDrawn >= 0.1 || !barShown else { pendingRedraw = true; return }
            draw(e)
        }
    }

    private func draw(_ e: EpochEvent) {
        write("\r\u{1B}[K" + barLine(e, width: Self.terminalColumns()))
        barShown = true
        pendingRedraw = false
        lastDrawn = e.elapsed
        lastPrinted = e.epoch
    }

    /// The redrawn line: the text first, then a bar in what is left of the width; never longer than `width`
    /// characters, so the terminal never wraps it onto a second line.
    func barLine(_ e: EpochEvent, width: Int) -> String {
        let left = e.epoch > 0 ? e.elapsed / Double(e.epoch) * Double(max(0, e.maxEpochs - e.epoch)) : 0
        var text = line(e) + "  \(duration(left)) left"
        let room = width - 1  // the last column would make some terminals wrap
        if text.count > room { text = String(text.prefix(max(0, room))) }
        let barWidth = min(24, room - text.count - 1)
        guard barWidth >= 6 else { return text }
        let done = min(barWidth, barWidth * e.epoch / max(1, e.maxEpochs))
        return String(repeating: "█", count: done) + String(repeating: "░", count: barWidth - done) + " " + text
    }

    /// Ends the bar's line; call once after training, whatever happened. The last epoch always ends up printed.
    func finish() {
        if barShown {
            if pendingRedraw, let e = lastEvent { draw(e) }
            write("\n")
            barShown = false
        }
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
        write(Output.terminalLine(message) + "\n")
    }

    private func line(_ e: EpochEvent) -> String {
        var s = "\(iterationWord) \(e.epoch)/\(e.maxEpochs)  loss \(Output.fixed(e.loss, 6))"
        if let v = e.validationScore { s += "  validation \(Output.fixed(v))" }
        return s + "  \(duration(e.elapsed))"
    }

    private func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds.rounded())
        return s < 3600 ? String(format: "%d:%02d", s / 60, s % 60) : String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    /// The terminal's width (TIOCGWINSZ on stderr), else $COLUMNS, else 80.
    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    private func write(_ s: String) { Output.diagnostic(s) }
}
