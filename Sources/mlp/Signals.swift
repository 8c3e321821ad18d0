import Foundation
import MLPModelFile

// Signals, handled on one thread that waits for them (sigwait), so that nothing runs in a signal handler.
// SIGINT, SIGTERM and SIGHUP are blocked in every thread from the start of main (threads created later inherit
// the mask). Any of them removes the temporary files of saves in progress and ends the tool as the signal
// would (exit 128 + n), except the first SIGINT during training with a solver that can stop between epochs:
// that one only asks training to stop at the end of the epoch; the command then saves what it has and exits 130.
// SIGQUIT is reset to its default action (quit with a core dump) and unblocked: the Swift runtime's backtracer
// installs a handler for it at start-up (SWIFT_BACKTRACE is read before main, so it cannot be turned off from
// here), which prints a backtrace and then lets the program go on. Crash signals (SIGSEGV, SIGILL...) keep the
// backtracer.

enum Signals {
    private static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static let state = SignalState()

    /// Call first in main: before any other thread exists.
    static func install() {
        signal(SIGQUIT, SIG_DFL)
        var quit = sigset_t()
        sigemptyset(&quit)
        sigaddset(&quit, SIGQUIT)
        pthread_sigmask(SIG_UNBLOCK, &quit, nil)  // a parent may have left it blocked
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        Thread.detachNewThread { waitForSignals() }
    }

    /// Runs `body` (training) so that a first SIGINT sets `stopRequested` instead of ending the tool, when
    /// `stoppable` (the solver honours `EpochAction.stop`); a second SIGINT still ends it at once.
    static func duringTraining<T>(stoppable: Bool, stopping: StopPoint = .epoch, _ body: () throws -> T) rethrows -> T {
        state.update {
            $0.training = stoppable
            $0.stopPoint = stopping
        }
        defer { state.update { $0.training = false } }
        return try body()
    }

    /// True once a first SIGINT asked training to stop after the current epoch.
    static var stopRequested: Bool { state.read { $0.stopRequested } }

    /// Ends the tool now with `code`, removing temporary files; for when standard error itself is lost.
    static func exitNow(code: Int32) -> Never {
        AtomicFile.abandonAll()
        _exit(code)
    }

    private static func waitForSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        while true {
            var received: Int32 = 0
            guard sigwait(&set, &received) == 0 else { continue }
            let softStop = received == SIGINT ? state.update { state -> StopPoint? in
                guard state.training, !state.stopRequested else { return nil }
                state.stopRequested = true
                return state.stopPoint
            } : nil
            if let softStop {
                _ = Output.writeAll(STDERR_FILENO, Array(softStop.note.utf8))
                continue
            }
            AtomicFile.abandonAll()
            // End as the signal would: default action, unblocked in this thread, raised here.
            signal(received, SIG_DFL)
            var one = sigset_t()
            sigemptyset(&one)
            sigaddset(&one, received)
            pthread_sigmask(SIG_UNBLOCK, &one, nil)
            raise(received)
            _exit(128 + received)
        }
    }
}

/// What a first SIGINT stops, and what it says.
enum StopPoint {
    /// Training, at the end of the epoch; the model so far is saved.
    case epoch
    /// An out-of-core first pass, after the chunk being read; nothing is written.
    case firstPass

    var note: String {
        switch self {
        case .epoch:
            "\nmlp: interrupted: stopping at the end of this epoch to save the model so far "
                + "(Ctrl-C again to abort without saving)\n"
        case .firstPass:
            "\nmlp: interrupted: stopping the first pass after this chunk; no cache is written "
                + "(Ctrl-C again to abort at once)\n"
        }
    }
}

/// The signal thread's shared state, behind a lock.
private final class SignalState: @unchecked Sendable {
    struct Values {
        var training = false
        var stopRequested = false
        var stopPoint = StopPoint.epoch
    }

    private var lock = pthread_mutex_t()
    private var values = Values()

    init() { pthread_mutex_init(&lock, nil) }

    @discardableResult
    func update<T>(_ body: (inout Values) -> T) -> T {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return body(&values)
    }

    func read<T>(_ body: (Values) -> T) -> T { update { body($0) } }
}
