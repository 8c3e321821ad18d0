import Foundation
import MLPTestSupport
@testable import MLPCore
import MLPModelFile
import Testing

// Issue 13 in the library: memory estimates, bounded reads of devices and pipes, saves that never rename over
// a device, FIFO or link, the streaming model-file reader, and a scaler that survives huge values.

private func temporaryFolder() throws -> String {
    try TestDirectory.make("reliability")
}

private func smallModelFile() throws -> ModelFile {
    let clf = MLPClassifier<Double>(parameters: {
        var p = MLPParameters()
        p.hiddenLayerSizes = [3]
        p.maxIter = 5
        p.randomState = 0
        return p
    }())
    let pipeline = MLPPipeline(estimator: .classifier(clf))
    try pipeline.fit(try CSVReader.read(text: "a,b,y\n1,2,x\n2,3,y\n3,1,x\n4,4,y\n"))
    return try MLPModel(pipeline: pipeline).modelFile()
}

@Suite struct MemoryEstimateTests {
    @Test func trainingEstimateCountsEveryPart() {
        var p = MLPParameters()
        p.solver = .adam
        p.batchSize = 10
        let e = MemoryEstimate.training(layerSizes: [4, 10, 3], samples: 100, parameters: p, elementBytes: 8)
        let weights = Double(4 * 10 + 10 + 10 * 3 + 3)
        #expect(e.parts[0].bytes == 3 * weights * 8)
        #expect(e.parts[1].bytes == 2 * weights * 8)
        #expect(e.parts[2].bytes == 2 * 10 * 17 * 8)
        #expect(e.parts[3].bytes == 2 * 100 * 10 * 8)
        #expect(e.totalBytes == e.parts.reduce(0) { $0 + $1.bytes })
    }

    @Test func aHugeNetworkIsRefusedNamingItsWeights() {
        let e = MemoryEstimate.training(layerSizes: [2, 100_000, 100_000, 1], samples: 6, parameters: MLPParameters(),
                                        elementBytes: 8)
        #expect(e.totalBytes > 200e9)
        #expect(throws: MemoryLimitError.self) { try e.check(limit: 1e9, request: "training") }
        do { try e.check(limit: 1e9, request: "training") } catch let error as MemoryLimitError {
            #expect(error.description.contains("2 → 100000 → 100000 → 1"))
            #expect(error.description.contains("(CSVLimits.maxMemoryBytes)"))
            #expect(error.description(naming: .flags).contains("(--max-memory)"))
        } catch { Issue.record("\(error)") }
        #expect((try? e.check(limit: 1e15, request: "training")) != nil)
    }

    /// Sizes whose element counts overflow Int give a figure and a refusal, not a trap.
    @Test func sizesBeyondIntAreRefusedWithoutOverflow() {
        let e = MemoryEstimate.training(layerSizes: [4, Int.max, 3], samples: 150, parameters: MLPParameters(),
                                        elementBytes: 8)
        #expect(e.totalBytes > 1e20)
        #expect(e.parts[0].name.contains("4 → \(Int.max) → 3"))
        #expect(throws: MemoryLimitError.self) { try e.check(limit: 1e30, request: "training") }
    }

    /// The estimators check before allocating, so a library user gets an error where an allocation would trap.
    @Test func fittingAHugeNetworkThrowsInsteadOfTrapping() throws {
        let x = Matrix(rows: 4, columns: 2, storage: [0.0, 1, 1, 0, 1, 1, 0, 0])
        for sizes in [[Int.max], [1 << 32, 1 << 32], [1 << 40]] {
            var p = MLPParameters()
            p.hiddenLayerSizes = sizes
            let classifier = MLPClassifier<Double>(parameters: p)
            #expect(throws: MemoryLimitError.self) { try classifier.fit(x, [0, 1, 1, 0] as [Int]) }
            let regressor = MLPRegressor<Float>(parameters: p)
            #expect(throws: MemoryLimitError.self) { try regressor.fit(x.converted(to: Float.self), [0, 1, 1, 0] as [Float]) }
        }
    }

    @Test func availableMemoryIsReadFromTheSystem() throws {
        let available = try #require(MemoryEstimate.availableBytes())
        #expect(available > 0)
    }

    @Test func sizesParseAndPrint() {
        #expect(MemoryEstimate.parseBytes("512M") == Double(512 << 20))
        #expect(MemoryEstimate.parseBytes("1.5GiB") == 1.5 * Double(1 << 30))
        #expect(MemoryEstimate.parseBytes("800") == 800)
        #expect(MemoryEstimate.parseBytes("-1G") == nil)
        #expect(MemoryEstimate.parseBytes("lots") == nil)
        #expect(MemoryEstimate.describe(bytes: 1536) == "1.50 KiB")
        #expect(MemoryEstimate.describe(bytes: 80e9) == "74.5 GiB")
    }

    @Test func oneHotColumnsBeyondTheLimitAreRefusedByTheReader() throws {
        var text = "id,y\n"
        for i in 0..<2000 { text += "id\(i),\(i % 2)\n" }
        var options = CSVReadOptions(oneHot: ["id"])
        options.limits.maxMemoryBytes = 1_048_576
        #expect(throws: DataError.self) { try CSVReader.read(text: text, options: options) }
        options.limits.maxMemoryBytes = 1_073_741_824
        #expect(try CSVReader.read(text: text, options: options).featureCount == 2000)
    }
}

@Suite struct BoundedReadTests {
    @Test func aDeviceIsReadUpToTheStreamLimit() throws {
        var options = CSVReadOptions()
        options.limits.maxStreamBytes = 1 << 20
        #expect {
            try CSVReader.read(path: "/dev/zero", options: options)
        } throws: { error in
            (error as? DataError)?.description.contains("more than 1048576 bytes from a pipe or device") == true
        }
    }

    @Test func modelReaderRefusesADeviceAtOnce() {
        #expect {
            try ModelFile.read(from: "/dev/zero")
        } throws: { error in
            (error as? ModelFileError)?.kind == .notAModel
        }
    }

    @Test func modelReaderStreamsFromAPipe() throws {
        let dir = try temporaryFolder()
        let bytes = try smallModelFile().encoded()
        #expect(mkfifo(dir + "/pipe", 0o644) == 0)
        let writer = Thread {
            let fd = open(dir + "/pipe", O_WRONLY)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            close(fd)
        }
        writer.start()
        let read = try ModelFile.read(from: dir + "/pipe")
        #expect(try read.encoded() == bytes)
    }

    @Test func aCorruptedLargeFileFailsOnItsHeaderWithoutReadingEverything() throws {
        let dir = try temporaryFolder()
        var bytes = try smallModelFile().encoded()
        let declared = UInt64(3) << 30
        for i in 0..<8 { bytes[16 + i] = UInt8(truncatingIfNeeded: declared >> (8 * UInt64(i))) }
        let path = dir + "/sparse.mlp"
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        #expect(ftruncate(fd, off_t(declared)) == 0)
        close(fd)
        let start = Date()
        #expect {
            try ModelFile.read(from: path)
        } throws: { error in
            (error as? ModelFileError)?.message.contains("does not match its arrays") == true
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aDamagedChecksumIsFoundByTheStreamingPass() throws {
        let dir = try temporaryFolder()
        var bytes = try smallModelFile().encoded()
        bytes[bytes.count - 10] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/bad.mlp"))
        #expect {
            try ModelFile.read(from: dir + "/bad.mlp")
        } throws: { error in
            (error as? ModelFileError)?.message.contains("checksum mismatch") == true
        }
    }
}

@Suite struct AtomicFileTests {
    @Test func devicesAndFIFOsAreWrittenInPlace() throws {
        let dir = try temporaryFolder()
        #expect(mkfifo(dir + "/pipe", 0o644) == 0)
        #expect(try AtomicFile.destination(of: "/dev/null") == .inPlace(path: "/dev/null"))
        #expect(try AtomicFile.destination(of: dir + "/pipe") == .inPlace(path: dir + "/pipe"))
        #expect(try AtomicFile.destination(of: dir + "/new") == .replace(path: dir + "/new"))
        try AtomicFile.write([1, 2, 3], to: "/dev/null")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let dir = try temporaryFolder()
        try Data([0]).write(to: URL(fileURLWithPath: dir + "/target"))
        #expect(symlink("target", dir + "/link") == 0)
        #expect(try AtomicFile.destination(of: dir + "/link") == .replace(path: dir + "/target"))
        try AtomicFile.write([7, 8], to: dir + "/link")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/target")) == Data([7, 8]))
        var info = stat()
        #expect(lstat(dir + "/link", &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        // A dangling link: its target is created.
        #expect(symlink("later", dir + "/dangling") == 0)
        try AtomicFile.write([9], to: dir + "/dangling")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/later")) == Data([9]))
    }

    @Test func aPreparedWriteCommitsOrLeavesNothing() throws {
        let dir = try temporaryFolder()
        let path = dir + "/m.mlp"
        do {
            let prepared = try AtomicFile.prepare([1, 2], to: path)
            #expect(AtomicFile.pendingTemporaryFiles.contains { $0.hasPrefix(dir) })
            prepared.discard()
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        try AtomicFile.prepare([3], to: path).commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([3]))
        #expect(!AtomicFile.pendingTemporaryFiles.contains { $0.hasPrefix(dir) })
    }

    @Test func aStreamedWriteAppearsWholeAtCommitOrNotAtAll() throws {
        let dir = try temporaryFolder()
        let path = dir + "/out.csv"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        do {
            let stream = try AtomicFile.Stream(path: path)
            try stream.write("a,b\n")
            try stream.write("1,2\n")
            // Until commit the target keeps its old bytes and the pieces sit in one registered temporary file.
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
            #expect(AtomicFile.pendingTemporaryFiles.filter { $0.hasPrefix(dir) }.count == 1)
            stream.discard()
            #expect(throws: ModelFileError.self) { try stream.write("late") }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])

        let stream = try AtomicFile.Stream(path: path)
        for i in 0..<1000 { try stream.write("\(i)\n") }
        try stream.commit()
        let expected = (0..<1000).map { "\($0)\n" }.joined()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])
        #expect(!AtomicFile.pendingTemporaryFiles.contains { $0.hasPrefix(dir) })
    }

    @Test func aStreamedWriteToADeviceGoesInPlaceAndAFullDeviceIsAnError() throws {
        let null = try AtomicFile.Stream(path: "/dev/null")
        try null.write("x")
        try null.commit()
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        #if os(Linux)
        let full = try AtomicFile.Stream(path: "/dev/full")
        #expect { try full.write("x") } throws: { ($0 as? ModelFileError)?.message.contains("No space left") == true }
        #endif
        let dir = try temporaryFolder()
        #expect(throws: ModelFileError.self) { try AtomicFile.Stream(path: dir) }
        #expect(throws: ModelFileError.self) { try AtomicFile.Stream(path: dir + "/missing/out.csv") }
    }

    @Test func sameFileComparesInodes() throws {
        let dir = try temporaryFolder()
        try Data([0]).write(to: URL(fileURLWithPath: dir + "/a"))
        #expect(link(dir + "/a", dir + "/b") == 0)
        #expect(AtomicFile.sameFile(dir + "/a", dir + "/b"))
        #expect(AtomicFile.sameFile(dir + "/a", dir + "/./a"))
        #expect(!AtomicFile.sameFile(dir + "/a", dir + "/missing"))
        #expect(throws: ModelFileError.self) { try AtomicFile.destination(of: dir) }
        #expect(throws: ModelFileError.self) { try AtomicFile.destination(of: "/nonexistent/x") }
    }
}

@Suite struct RobustScalerTests {
    @Test func valuesNear1e200GiveFiniteStatistics() throws {
        let column: [Double] = [1e200, 2e200, 3e200, 4e200, -5e200, 6e200]
        var scaler = StandardScaler()
        try scaler.fit(Matrix(rows: 6, columns: 1, storage: column))
        let mean = column.map { $0 / 1e200 }.reduce(0, +) / 6
        let deviation = (column.map { ($0 / 1e200 - mean) * ($0 / 1e200 - mean) }.reduce(0, +) / 6).squareRoot()
        #expect(abs(scaler.mean[0] / 1e200 - mean) < 1e-14)
        #expect(abs(scaler.scale[0] / 1e200 - deviation) < 1e-14)
        let scaled = try scaler.transform(Matrix(rows: 6, columns: 1, storage: column))
        #expect(scaled.storage.allSatisfy { $0.isFinite })
    }

    @Test func valuesNearTheTopOfTheRangeStayFinite() throws {
        var scaler = StandardScaler()
        try scaler.fit(Matrix(rows: 3, columns: 1, storage: [1.7e308, -1.7e308, 1.0e308]))
        #expect(scaler.mean[0].isFinite && scaler.scale[0].isFinite && scaler.scale[0] > 1e308)
    }

    @Test func ordinaryColumnsKeepTheTwoPassFormula() throws {
        let x: [Double] = [0.1, 0.2, 0.7, 1.3]
        var scaler = StandardScaler()
        try scaler.fit(Matrix(rows: 4, columns: 1, storage: x))
        let mean = (((0.1 + 0.2) + 0.7) + 1.3) / 4
        let centred = x.map { $0 - mean }
        let correction = centred.reduce(0, +)
        let variance = (centred.map { $0 * $0 }.reduce(0, +) - correction * correction / 4) / 4
        #expect(scaler.mean[0] == mean)
        #expect(scaler.scale[0] == variance.squareRoot())
    }
}
