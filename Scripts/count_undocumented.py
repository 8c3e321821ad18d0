#!/usr/bin/env python3
"""List the public declarations in Sources/**/*.swift that have no doc comment.

    python3 Scripts/count_undocumented.py [--check] [ROOT]

Prints `path:line: declaration` for each public or open declaration without a `///` or `/** */` comment right
above it (attribute lines in between are fine; a blank line is not, since DocC would not attach the comment), then
the total. With --check it exits 1 when the total is above zero. Tests/MLPTests/DocumentationCoverageTests.swift
runs the same scan in Swift; keep the two rules in step.

What counts as public:
- a declaration written `public` or `open` whose enclosing types are public too;
- a member of a `public extension` with no access modifier of its own (the extension itself needs no comment);
- a requirement of a public protocol;
- an enum case of a public enum (a user reads the cases).
Nothing inside a function, initializer or accessor body counts.
"""
import os
import re
import sys

DECL_KINDS = ("func", "init", "var", "let", "subscript", "case", "struct", "class", "enum", "protocol",
              "typealias", "associatedtype", "actor", "extension", "macro", "operator", "precedencegroup")
TYPE_KINDS = {"struct", "class", "enum", "protocol", "actor", "extension"}
MODIFIERS = {"public", "open", "internal", "private", "fileprivate", "package", "static", "class", "final",
             "override", "mutating", "nonmutating", "nonisolated", "convenience", "required", "lazy", "weak",
             "unowned", "dynamic", "indirect", "optional", "prefix", "postfix", "infix", "consuming", "borrowing",
             "distributed", "isolated"}
LOWER_ACCESS = {"internal", "private", "fileprivate", "package"}
ATTRIBUTE = re.compile(r"@\w+(?:\([^()]*(?:\([^()]*\)[^()]*)*\))?\s*")
WORD = re.compile(r"[A-Za-z_]\w*")
MODIFIER_ARGUMENT = re.compile(r"\([^)]*\)")  # private(set)
STRING = re.compile(r'"(?:\\.|[^"\\])*"')


def strip_attributes(text):
    """The line without its leading attributes (`@inlinable @_specialize(...) public func` → `public func`)."""
    while True:
        match = ATTRIBUTE.match(text)
        if not match:
            return text
        text = text[match.end():]


def parse_declaration(code):
    """(modifiers, kind) when `code` starts a declaration, else None."""
    text = strip_attributes(code)
    modifiers = []
    while True:
        match = WORD.match(text)
        if not match:
            return None
        name = word = match.group(0)
        rest = text[match.end():]
        if name in DECL_KINDS and not (name == "class" and re.match(r"\s*(func|var|let|subscript|init)\b", rest)):
            if name == "init" and not re.match(r"\s*[(<?!]", rest):
                return None
            if not (rest == "" or rest[0] in " \t<(:{?!"):
                return None
            return modifiers, name
        if name not in MODIFIERS:
            return None
        modifiers.append(word)
        argument = MODIFIER_ARGUMENT.match(rest)
        text = (rest[argument.end():] if argument else rest).lstrip()


class Context:
    """One brace level: what its body is and whether declarations in it can be public."""

    def __init__(self, kind, exported, implicit_public):
        self.kind = kind                    # "file", a type kind, or "code" (a body of statements)
        self.exported = exported            # members written public are visible outside the module
        self.implicit_public = implicit_public  # members without an access modifier are public (public extension)


def code_lines(source):
    """Yields (line number, raw line, code) with comments and string contents removed from `code`."""
    in_block_comment = False
    in_multiline_string = False
    for number, raw in enumerate(source.split("\n"), start=1):
        line = raw
        code = ""
        i = 0
        while i < len(line):
            if in_block_comment:
                end = line.find("*/", i)
                if end < 0:
                    i = len(line)
                else:
                    in_block_comment = False
                    i = end + 2
            elif in_multiline_string:
                end = line.find('"""', i)
                if end < 0:
                    i = len(line)
                else:
                    in_multiline_string = False
                    code += '""'
                    i = end + 3
            elif line.startswith("//", i):
                break
            elif line.startswith("/*", i):
                in_block_comment = True
                i += 2
            elif line.startswith('"""', i):
                in_multiline_string = True
                i += 3
            elif line[i] == '"':
                match = STRING.match(line, i)
                code += '""'
                i = match.end() if match else len(line)
            else:
                code += line[i]
                i += 1
        yield number, raw, code


def has_doc_comment(lines, index):
    """Whether the declaration at lines[index] has `///` or `/** */` right above it, past its attribute lines."""
    i = index - 1
    while i >= 0 and lines[i].strip().startswith("@"):
        i -= 1
    if i < 0:
        return False
    above = lines[i].strip()
    if above.startswith("///"):
        return True
    if above.endswith("*/"):
        while i >= 0 and "/*" not in lines[i]:
            i -= 1
        return i >= 0 and lines[i].strip().startswith("/**")
    return False


def undocumented(source):
    """(line number, declaration text) for each public declaration in `source` without a doc comment."""
    lines = source.split("\n")
    stack = [Context("file", True, False)]
    pending = None
    found = []
    for number, raw, code in code_lines(source):
        stripped = code.strip()
        parent = stack[-1]
        parsed = parse_declaration(stripped) if stripped and parent.kind != "code" else None
        if parsed:
            modifiers, kind = parsed
            names = {m.split("(")[0] for m in modifiers}
            explicit_public = bool(names & {"public", "open"})
            lower = bool(names & LOWER_ACCESS)
            if kind == "case":
                public = parent.kind == "enum" and parent.exported
            elif parent.kind == "protocol":
                public = parent.exported
            else:
                public = parent.exported and (explicit_public or (parent.implicit_public and not lower))
            if kind == "extension":
                pending = Context("extension", parent.exported and not lower,
                                  parent.exported and explicit_public)
            else:
                if public and kind not in ("operator", "precedencegroup") and not has_doc_comment(lines, number - 1):
                    found.append((number, raw.strip()))
                if kind in TYPE_KINDS:
                    pending = Context(kind, public, False)
                else:
                    pending = Context("code", False, False)
        for character in code:
            if character == "{":
                stack.append(pending or Context("code", False, False))
                pending = None
            elif character == "}" and len(stack) > 1:
                stack.pop()
    return found


def scan(root):
    """(relative path, line, declaration) for every undocumented public declaration under root/Sources."""
    results = []
    for directory, subdirectories, files in os.walk(os.path.join(root, "Sources")):
        subdirectories.sort()
        for name in sorted(files):
            if name.endswith(".swift"):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as handle:
                    for line, text in undocumented(handle.read()):
                        results.append((os.path.relpath(path, root), line, text))
    return results


def main(arguments):
    check = "--check" in arguments
    roots = [a for a in arguments if not a.startswith("--")]
    root = roots[0] if roots else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    results = scan(root)
    for path, line, text in results:
        print(f"{path}:{line}: {text}")
    print(f"{len(results)} undocumented public declarations")
    return 1 if check and results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
