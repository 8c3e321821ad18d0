import Foundation

/// Reads a committed JSON fixture from the test bundle's Fixtures folder.
func fixture<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "fixture \(name).json is missing"])
    }
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}
