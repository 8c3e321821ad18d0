import Foundation

/// Temporary folders for tests, all inside one folder per test process that is removed when the process exits, so
/// a run leaves nothing behind in the system's temporary directory however many tests write files.
public enum TestDirectory {
    /// The process's folder, `<tmp>/mlp-tests-<pid>-<UUID>`, made on first use.
    public static let root: String = {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("mlp-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { TestDirectory.removeRoot() }
        return path
    }()

    /// A new, empty folder `<prefix>-<UUID>` inside ``root``.
    /// - Parameter prefix: Names the folder, for a reader who finds it while the tests run.
    /// - Throws: The file system's error when the folder cannot be made.
    public static func make(_ prefix: String = "test") throws -> String {
        let path = root + "/\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes ``root`` and everything in it, making unreadable folders (the permission tests') removable first.
    static func removeRoot() {
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let name as String in walker { chmod(root + "/" + name, 0o700) }
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}
