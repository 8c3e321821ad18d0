/// A dense row-major matrix: element (i, j) lives at `storage[i * columns + j]`, as in a C-ordered numpy array.
public struct Matrix<T: KernelFloat>: Equatable, Sendable {
    /// The number of rows.
    public private(set) var rows: Int
    /// The number of columns.
    public private(set) var columns: Int
    /// The rows × columns elements, row-major.
    public var storage: [T]

    /// A rows × columns matrix with every element `value`.
    /// - Parameters:
    ///   - rows: the number of rows, at least 0.
    ///   - columns: the number of columns, at least 0.
    ///   - value: the value of every element.
    public init(rows: Int, columns: Int, repeating value: T = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [T](repeating: value, count: rows * columns)
    }

    /// A rows × columns matrix over existing row-major elements.
    /// - Parameters:
    ///   - rows: the number of rows.
    ///   - columns: the number of columns.
    ///   - storage: the elements, row-major; exactly rows × columns of them.
    public init(rows: Int, columns: Int, storage: [T]) {
        precondition(storage.count == rows * columns, "storage holds \(storage.count) values, not \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Builds a matrix from equal-length rows.
    /// - Parameter rowArrays: the rows, all of one length; an empty array gives a 0 × 0 matrix.
    public init(_ rowArrays: [[T]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows have different lengths")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// The element at (row, column).
    /// - Parameters:
    ///   - row: the row, in 0..<rows.
    ///   - column: the column, in 0..<columns.
    public subscript(row: Int, column: Int) -> T {
        get { storage[index(row: row, column: column)] }
        set { storage[index(row: row, column: column)] = newValue }
    }

    /// The storage index of (row, column); the storage's own check alone would let a column past the last one
    /// read the next row.
    @inline(__always)
    private func index(row: Int, column: Int) -> Int {
        precondition(UInt(bitPattern: column) < UInt(bitPattern: columns), "column \(column) is out of range for \(columns) columns")
        return row * columns + column
    }

    /// One row, as a slice of `storage` (numpy's `X[index]`).
    /// - Parameter index: the row, in 0..<rows.
    /// - Returns: the row's `columns` elements; the slice keeps `storage`'s indices.
    public func row(_ index: Int) -> ArraySlice<T> {
        storage[(index * columns)..<((index + 1) * columns)]
    }

    /// The rows at `indices`, in that order (numpy's `X[indices]`).
    /// - Parameter indices: rows to copy, each in 0..<rows (another one traps, as an Array subscript does); repeats are
    ///   allowed.
    public func rows(at indices: [Int]) -> Matrix<T> {
        // The copy below goes through pointers: an index outside the rows (or a replaced `storage` too short for
        // them) would read past the buffer, so it stops here as an Array subscript would.
        precondition(storage.count == rows * columns, "storage holds \(storage.count) values, not \(rows)×\(columns)")
        if let bad = indices.first(where: { !(0..<rows).contains($0) }) {
            preconditionFailure("row index \(bad) is out of range for a matrix of \(rows) rows")
        }
        var result = Matrix(rows: indices.count, columns: columns)
        storage.withUnsafeBufferPointer { source in
            result.storage.withUnsafeMutableBufferPointer { target in
                for (r, index) in indices.enumerated() {
                    let from = source.baseAddress! + index * columns
                    (target.baseAddress! + r * columns).update(from: from, count: columns)
                }
            }
        }
        return result
    }

    /// The transpose, (columns, rows) (numpy's `X.T`, copied).
    public var transposed: Matrix<T> {
        var result = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { result.storage[j * rows + i] = storage[i * columns + j] } }
        return result
    }

    /// Converts every element to another precision (numpy's `astype`).
    public func converted<U: KernelFloat>(to _: U.Type = U.self) -> Matrix<U> {
        Matrix<U>(rows: rows, columns: columns, storage: storage.map { U($0) })
    }
}
