import Foundation

/// The committed reference files of the test targets (written by the scripts in Scripts/), found in the source tree
/// from this file's own path, so a test target needs no resource bundle.
public enum FixtureFiles {
    /// The path of `name` under `Tests/<testTarget>/Fixtures/`.
    ///
    /// - Parameters:
    ///   - name: The file's path inside the Fixtures folder, e.g. `"sklearn/cases.json"`.
    ///   - testTarget: The test target that owns the fixture, e.g. `"MLPTests"`.
    public static func url(_ name: String, in testTarget: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(testTarget).appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// The bytes of a fixture file.
    ///
    /// - Parameters:
    ///   - name: The file's path inside the Fixtures folder.
    ///   - testTarget: The test target that owns the fixture.
    /// - Throws: The file system's error when the file cannot be read.
    public static func bytes(_ name: String, in testTarget: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name, in: testTarget)))
    }

    /// Decodes a JSON fixture with `JSONDecoder`.
    ///
    /// - Parameters:
    ///   - name: The file's path inside the Fixtures folder, e.g. `"core_reference.json"`.
    ///   - testTarget: The test target that owns the fixture.
    ///   - type: The type to decode.
    /// - Throws: A read or decoding error.
    public static func decode<T: Decodable>(_ name: String, in testTarget: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name, in: testTarget)))
    }

    /// Parses a JSON fixture with ``ExactJSON``, so every number arrives bit for bit.
    ///
    /// - Parameters:
    ///   - name: The file's path inside the Fixtures folder.
    ///   - testTarget: The test target that owns the fixture.
    /// - Throws: A read or parse error.
    public static func exactJSON(_ name: String, in testTarget: String) throws -> Any {
        try ExactJSON.parse(bytes(name, in: testTarget))
    }
}
