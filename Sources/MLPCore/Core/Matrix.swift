/// A dense row-major matrix: element (i, j) lives at `storage[i * columns + j]`, as in a C-ordered numpy array.
public struct Matrix<T: KernelFloat>: Equatable, Sendable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var storage: [T]

    public init(rows: Int, columns: Int, repeating value: T = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [T](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [T]) {
        precondition(storage.count == rows * columns, "storage holds \(storage.count) values, not \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Builds a matrix from equal-length rows.
    public init(_ rowArrays: [[T]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows have different lengths")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> T {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    public func row(_ index: Int) -> ArraySlice<T> {
        storage[(index * columns)..<((index + 1) * columns)]
    }

    /// The rows at `indices`, in that order (numpy's `X[indices]`).
    public func rows(at indices: [Int]) -> Matrix<T> {
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
