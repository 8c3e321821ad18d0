import MLPCore
/// The question's data: ten (x1, x2) rows and whether each was a sale, in the order it lists them.
/// The targets come from the public version of the question (two lines were lost in our copy).
public enum SeedData {
    /// The ten (x1, x2) rows, (10, 2).
    public static let inputs = Matrix<Double>([
        [7, 4.7], [6.3, 6], [6.9, 4.9], [6.4, 5.3], [5.8, 5.1],
        [5.5, 4], [7.1, 5.9], [6.3, 5.6], [6.4, 4.5], [7.7, 6.7],
    ])
    /// Whether each row was a sale (1) or not (0), (10, 1).
    public static let targets = Matrix<Double>(rows: 10, columns: 1, storage: [0, 1, 0, 1, 1, 0, 0, 1, 0, 1])
}
