import Testing
@testable import MLP

@Test func kernelsAreReexported() { #expect(Double.exp(0) == 1) }
