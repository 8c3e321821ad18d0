import Foundation
import MLPTestSupport
@testable import MLPCore

/// What the streamed-training tests share: a scratch directory, the estimator of a setting, a fit's parameters.
enum StreamedFitSupport {
    /// A new empty directory under the temporary directory; the caller removes it.
    static func scratchDirectory() throws -> String {
        let dir = try TestDirectory.make("ooc")
        return dir
    }

    /// The network's parameters as Double (Float widens exactly).
    static func weights(_ pipeline: MLPPipeline) -> [Double] {
        switch pipeline.estimator {
        case .classifier(let e): e.network!.parameters
        case .floatClassifier(let e): e.network!.parameters.map(Double.init)
        case .regressor(let e): e.network!.parameters
        case .floatRegressor(let e): e.network!.parameters.map(Double.init)
        }
    }

    /// A new estimator of `p`: classifier or regressor, Float32 or Float64.
    static func estimator(_ p: MLPParameters, float: Bool, regression: Bool) -> PipelineEstimator {
        switch (regression, float) {
        case (false, false): .classifier(MLPClassifier(parameters: p))
        case (false, true): .floatClassifier(MLPClassifier(parameters: p))
        case (true, false): .regressor(MLPRegressor(parameters: p))
        case (true, true): .floatRegressor(MLPRegressor(parameters: p))
        }
    }
}
