import Foundation
import Testing

// Every public declaration in Sources/ has a doc comment. The same scan as Scripts/count_undocumented.py (keep the
// two in step): a `public`/`open` declaration, a member of a `public extension` without an access modifier of its own,
// a public protocol's requirement or a public enum's case needs `///` or `/** */` right above it (attributes between
// are fine, a blank line is not). Nothing inside a function or accessor body counts.

@Suite struct DocumentationCoverageTests {
    @Test func everyPublicDeclarationHasADocComment() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Tests/MLPTests
            .deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        var missing: [String] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for file in files.sorted() where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (line, declaration) in UndocumentedDeclarationScanner.scan(text) {
                missing.append("Sources/\(file):\(line): \(declaration)")
            }
        }
        // The target is zero: `python3 Scripts/count_undocumented.py` prints the same list.
        #expect(missing.count == 0, "public declarations without a doc comment:\n\(missing.joined(separator: "\n"))")
    }

    @Test func scannerFindsTheDeclarationsItShould() {
        let source = """
            /// Documented.
            public struct A {
                public var undocumented: Int
                /// Documented.
                @inlinable public func documented() {}
                func internalOne() { let local = 1; _ = local }
            }
            public enum E {
                case bare
            }
            public extension A {
                func implicitlyPublic() {}
                private func hidden() {}
            }
            struct Internal { public var notExported: Int }
            """
        let found = UndocumentedDeclarationScanner.scan(source).map(\.line)
        #expect(found == [3, 8, 9, 12])
    }
}

/// The doc-comment scan, line by line with a stack of brace contexts.
enum UndocumentedDeclarationScanner {
    private static let declarationKinds: Set<String> = [
        "func", "init", "var", "let", "subscript", "case", "struct", "class", "enum", "protocol", "typealias",
        "associatedtype", "actor", "extension", "macro", "operator", "precedencegroup",
    ]
    private static let typeKinds: Set<String> = ["struct", "class", "enum", "protocol", "actor", "extension"]
    private static let modifiers: Set<String> = [
        "public", "open", "internal", "private", "fileprivate", "package", "static", "class", "final", "override",
        "mutating", "nonmutating", "nonisolated", "convenience", "required", "lazy", "weak", "unowned", "dynamic",
        "indirect", "optional", "prefix", "postfix", "infix", "consuming", "borrowing", "distributed", "isolated",
    ]
    private static let lowerAccess: Set<String> = ["internal", "private", "fileprivate", "package"]

    private struct Context {
        var kind: String           // "file", a type kind, or "code" (a body of statements)
        var exported: Bool         // members written public are visible outside the module
        var implicitlyPublic: Bool // members without an access modifier are public (a public extension's)
    }

    /// (line, declaration) for each public declaration in `source` without a doc comment.
    static func scan(_ source: String) -> [(line: Int, text: String)] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var stack = [Context(kind: "file", exported: true, implicitlyPublic: false)]
        var pending: Context?
        var found: [(line: Int, text: String)] = []
        var state = CommentState()
        for (index, raw) in lines.enumerated() {
            let code = state.code(of: raw)
            let stripped = code.trimmingCharacters(in: .whitespaces)
            let parent = stack[stack.count - 1]
            if parent.kind != "code", let (words, kind) = parseDeclaration(stripped) {
                let explicitlyPublic = !words.isDisjoint(with: ["public", "open"])
                let lower = !words.isDisjoint(with: lowerAccess)
                let isPublic = if kind == "case" {
                    parent.kind == "enum" && parent.exported
                } else if parent.kind == "protocol" {
                    parent.exported
                } else {
                    parent.exported && (explicitlyPublic || (parent.implicitlyPublic && !lower))
                }
                if kind == "extension" {
                    pending = Context(kind: kind, exported: parent.exported && !lower,
                                      implicitlyPublic: parent.exported && explicitlyPublic)
                } else {
                    if isPublic, kind != "operator", kind != "precedencegroup", !hasDocComment(lines, index) {
                        found.append((index + 1, raw.trimmingCharacters(in: .whitespaces)))
                    }
                    pending = typeKinds.contains(kind)
                        ? Context(kind: kind, exported: isPublic, implicitlyPublic: false)
                        : Context(kind: "code", exported: false, implicitlyPublic: false)
                }
            }
            for character in code {
                if character == "{" {
                    stack.append(pending ?? Context(kind: "code", exported: false, implicitlyPublic: false))
                    pending = nil
                } else if character == "}", stack.count > 1 {
                    stack.removeLast()
                }
            }
        }
        return found
    }

    /// The modifiers (without arguments) and the keyword when `code` starts a declaration.
    private static func parseDeclaration(_ code: String) -> (Set<String>, String)? {
        var rest = Substring(code)
        skipAttributes(&rest)
        var words: Set<String> = []
        while let word = leadingWord(&rest) {
            let next = rest.drop(while: { $0 == " " || $0 == "\t" })
            let isClassModifier = word == "class"
                && ["func", "var", "let", "subscript", "init"].contains(where: { next.hasPrefix($0) })
            if declarationKinds.contains(word), !isClassModifier {
                if word == "init", !(next.first.map { "(<?!".contains($0) } ?? false) { return nil }
                if let first = rest.first, !" \t<(:{?!".contains(first) { return nil }
                return (words, word)
            }
            guard modifiers.contains(word) else { return nil }
            words.insert(word)
            if rest.first == "(" { rest = rest.drop(while: { $0 != ")" }).dropFirst() }   // private(set)
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
        }
        return nil
    }

    private static func leadingWord(_ text: inout Substring) -> String? {
        guard let first = text.first, first.isLetter || first == "_" else { return nil }
        let word = text.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        text = text.dropFirst(word.count)
        return String(word)
    }

    /// Drops leading `@attribute` and `@attribute(arguments)` (with nested parentheses).
    private static func skipAttributes(_ text: inout Substring) {
        while text.first == "@" {
            text = text.dropFirst()
            _ = leadingWord(&text)
            if text.first == "(" {
                var depth = 0
                while let character = text.first {
                    text = text.dropFirst()
                    if character == "(" { depth += 1 }
                    if character == ")" { depth -= 1; if depth == 0 { break } }
                }
            }
            text = text.drop(while: { $0 == " " || $0 == "\t" })
        }
    }

    /// Whether lines[index] has `///` or `/** */` right above it, past its attribute lines.
    private static func hasDocComment(_ lines: [String], _ index: Int) -> Bool {
        var i = index - 1
        while i >= 0, lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("@") { i -= 1 }
        guard i >= 0 else { return false }
        let above = lines[i].trimmingCharacters(in: .whitespaces)
        if above.hasPrefix("///") { return true }
        guard above.hasSuffix("*/") else { return false }
        while i >= 0, !lines[i].contains("/*") { i -= 1 }
        return i >= 0 && lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("/**")
    }

    /// Removes comments and the contents of string literals, carrying block comments and multi-line strings over
    /// line ends.
    private struct CommentState {
        var inBlockComment = false
        var inMultilineString = false

        mutating func code(of line: String) -> String {
            let characters = Array(line)
            var code = ""
            var i = 0
            func starts(_ token: String) -> Bool {
                let token = Array(token)
                return i + token.count <= characters.count && Array(characters[i..<(i + token.count)]) == token
            }
            while i < characters.count {
                if inBlockComment {
                    if starts("*/") { inBlockComment = false; i += 2 } else { i += 1 }
                } else if inMultilineString {
                    if starts("\"\"\"") { inMultilineString = false; code += "\"\""; i += 3 } else { i += 1 }
                } else if starts("//") {
                    break
                } else if starts("/*") {
                    inBlockComment = true
                    i += 2
                } else if starts("\"\"\"") {
                    inMultilineString = true
                    i += 3
                } else if characters[i] == "\"" {
                    i += 1
                    while i < characters.count, characters[i] != "\"" { i += characters[i] == "\\" ? 2 : 1 }
                    i += 1
                    code += "\"\""
                } else {
                    code.append(characters[i])
                    i += 1
                }
            }
            return code
        }
    }
}
