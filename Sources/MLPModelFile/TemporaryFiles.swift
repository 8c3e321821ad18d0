#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The temporary files of saves in progress, so that a signal can remove them. Creating, renaming and removing
// happen under one lock; `abandonAll()` takes it for good, so no file is created or renamed after it.

final class TemporaryFiles: @unchecked Sendable {
    static let shared = TemporaryFiles()

    private var lock = pthread_mutex_t()
    private var registered = Set<String>()

    private init() { pthread_mutex_init(&lock, nil) }

    var paths: [String] { locked { Array(registered) } }

    /// Creates `temporary` (exclusively) and registers it.
    func create(_ temporary: String, reportingAs path: String, directory: String) throws -> Int32 {
        try locked {
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AtomicFile.failure("cannot create a file in '\(directory)'", path) }
            registered.insert(temporary)
            return fd
        }
    }

    func rename(_ temporary: String, to target: String, reportingAs path: String) throws {
        try locked {
            registered.remove(temporary)
            guard systemRename(temporary, target) == 0 else {
                let failure = AtomicFile.failure("cannot replace", path)
                unlink(temporary)
                throw failure
            }
        }
    }

    /// Registers a file some other writer creates, so that `abandonAll` removes it too.
    func register(_ path: String) { locked { _ = registered.insert(path) } }

    /// Forgets a registered file without touching it.
    func unregister(_ path: String) { locked { _ = registered.remove(path) } }

    func remove(_ temporary: String) {
        locked {
            if registered.remove(temporary) != nil { unlink(temporary) }
        }
    }

    func abandonAll() {
        pthread_mutex_lock(&lock)
        for path in registered { unlink(path) }
        registered.removeAll()
        // The lock stays taken: the process is about to exit.
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return try body()
    }
}

@inline(__always)
private func systemRename(_ from: String, _ to: String) -> Int32 {
    #if canImport(Glibc)
    Glibc.rename(from, to)
    #else
    Darwin.rename(from, to)
    #endif
}
