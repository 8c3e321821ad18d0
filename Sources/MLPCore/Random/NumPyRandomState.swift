// A Mersenne Twister that reproduces `numpy.random.RandomState(seed)` bit for bit.
//
// numpy keeps the legacy generator frozen for backward compatibility; scikit-learn draws every random
// number (Glorot init, per-epoch shuffles, train/test splits) from it. The C sources followed here are
// numpy/random/src/mt19937/mt19937.c (seeding, generation, next_double),
// numpy/random/src/distributions/distributions.c (random_interval, random_bounded_uint64_fill),
// numpy/random/mtrand.pyx (RandomState.uniform, randint, shuffle, permutation, choice).

/// `numpy.random.RandomState`: MT19937 with numpy's legacy seeding and sampling algorithms.
///
/// Every method consumes the underlying 32-bit stream exactly as numpy does, so a sequence of calls
/// here yields the same numbers as the same sequence of calls on `numpy.random.RandomState(seed)`.
public struct NumPyRandomState: Sendable {
    static let stateCount = 624      // N
    static let shift = 397           // M
    static let matrixA: UInt32 = 0x9908_b0df
    static let upperMask: UInt32 = 0x8000_0000
    static let lowerMask: UInt32 = 0x7fff_ffff

    /// The 624-word MT19937 state (`get_state()[1]`).
    public private(set) var key: [UInt32]
    /// The read position in `key` (`get_state()[2]`); 624 means "regenerate before the next draw".
    public private(set) var position: Int

    /// `numpy.random.RandomState(seed)` for an integer seed in 0...2³²−1 (`_legacy_seeding` → `mt19937_seed`,
    /// Knuth's `init_genrand`).
    ///
    /// - Parameter seed: The seed (`random_state`).
    public init(seed: UInt32) {
        var key = [UInt32](repeating: 0, count: Self.stateCount)
        var s = seed
        for i in 0..<Self.stateCount {
            key[i] = s
            s = 1_812_433_253 &* (s ^ (s >> 30)) &+ UInt32(i + 1)
        }
        self.key = key
        self.position = Self.stateCount
    }

    /// `numpy.random.RandomState(seed)` for an `Int` seed. numpy rejects seeds outside 0...2³²−1;
    /// so does this initializer (it traps), matching numpy's `ValueError`.
    ///
    /// - Parameter seed: The seed (`random_state`), in 0...2³²−1.
    public init(seed: Int) {
        precondition(seed >= 0 && seed <= Int(UInt32.max), "Seed must be between 0 and 2**32 - 1")
        self.init(seed: UInt32(seed))
    }

    /// `numpy.random.RandomState(array)` for a 1-d array of 32-bit seeds (`mt19937_init_by_array`).
    ///
    /// - Parameter initKey: The seed words; at least one.
    public init(seedArray initKey: [UInt32]) {
        precondition(!initKey.isEmpty, "Seed array must not be empty")
        let n = Self.stateCount
        var mt = NumPyRandomState(seed: UInt32(19_650_218)).key
        var i = 1
        var j = 0
        for _ in 0..<max(n, initKey.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ initKey[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1
            j += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            if j >= initKey.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
        }
        mt[0] = 0x8000_0000
        self.key = mt
        self.position = n
    }

    /// Restores a state saved by numpy's `get_state()`: `('MT19937', key, pos, has_gauss, gauss)`.
    /// The Gaussian cache is not modelled (no normal draws are implemented).
    ///
    /// - Parameters:
    ///   - key: The 624 state words.
    ///   - position: The read position, in 0...624.
    public init(key: [UInt32], position: Int) {
        precondition(key.count == Self.stateCount, "MT19937 state must hold 624 words")
        precondition((0...Self.stateCount).contains(position), "position must be in 0...624")
        self.key = key
        self.position = position
    }

    // MARK: The raw stream

    /// Refills the state block (`mt19937_gen`).
    private mutating func generate() {
        let n = Self.stateCount, m = Self.shift
        key.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func twist(_ i: Int, _ next: Int, _ far: Int) {
                let y = (mt[i] & Self.upperMask) | (mt[next] & Self.lowerMask)
                mt[i] = mt[far] ^ (y >> 1) ^ ((0 &- (y & 1)) & Self.matrixA)
            }
            for i in 0..<(n - m) { twist(i, i + 1, i + m) }
            for i in (n - m)..<(n - 1) { twist(i, i + 1, i + m - n) }
            twist(n - 1, 0, m - 1)
        }
        position = 0
    }

    /// The next tempered 32-bit word (`mt19937_next32`; numpy's `randint(2**32, dtype=np.uint32)` and
    /// `RandomState.tomaxint` build on it).
    ///
    /// - Returns: 32 uniformly random bits.
    @inline(__always)
    public mutating func nextUInt32() -> UInt32 {
        if position == Self.stateCount { generate() }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// Two 32-bit words, high word first (`mt19937_next64`).
    ///
    /// - Returns: 64 uniformly random bits.
    public mutating func nextUInt64() -> UInt64 {
        let high = UInt64(nextUInt32())
        return (high << 32) | UInt64(nextUInt32())
    }

    // MARK: Floating point

    /// `RandomState.random_sample()` (also `random()`, `rand()`): a double in [0, 1) with 53 random bits,
    /// `(a >> 5) · 2²⁶ + (b >> 6)) / 2⁵³` (`genrand_res53`).
    ///
    /// - Returns: A uniform double in [0, 1).
    public mutating func randomSample() -> Double {
        let a = Double(nextUInt32() >> 5)
        let b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `RandomState.random_sample(size=count)`: `count` doubles in [0, 1), in C order.
    ///
    /// - Parameter count: How many to draw; not negative.
    /// - Returns: The draws.
    public mutating func randomSample(count: Int) -> [Double] {
        precondition(count >= 0, "count must be non-negative")
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count { out[i] = randomSample() }
        return out
    }

    /// `RandomState.uniform(low, high)`: `low + (high − low) · random_sample()` (`random_uniform`).
    /// As in numpy, `high` may be below `low`; the result then lies in (high, low].
    ///
    /// - Parameters:
    ///   - low: The lower bound (included).
    ///   - high: The upper bound (excluded).
    /// - Returns: A uniform double between the bounds.
    public mutating func uniform(low: Double = 0, high: Double = 1) -> Double {
        let range = high - low
        return low + range * randomSample()
    }

    /// `RandomState.uniform(low, high, size=count)`: `count` draws in C order.
    ///
    /// - Parameters:
    ///   - low: The lower bound (included); finite.
    ///   - high: The upper bound (excluded); finite.
    ///   - count: How many to draw; not negative.
    /// - Returns: The draws.
    public mutating func uniform(low: Double = 0, high: Double = 1, count: Int) -> [Double] {
        precondition(count >= 0, "count must be non-negative")
        precondition(low.isFinite && high.isFinite && (high - low).isFinite, "uniform bounds must be finite")
        let range = high - low
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count { out[i] = low + range * randomSample() }
        return out
    }

    // MARK: Integers

    /// A uniform integer in 0...max by masked rejection sampling (`random_interval`, used by the legacy
    /// `shuffle`, `permutation` and `choice`). Draws 32-bit words when `max` fits in 32 bits, else 64-bit.
    ///
    /// - Parameter max: The largest value that may be returned.
    /// - Returns: A uniform integer in 0...max.
    @inline(__always)
    public mutating func randomInterval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        let mask = Self.mask(covering: max)
        if max <= UInt64(UInt32.max) {
            while true {
                let value = UInt64(nextUInt32()) & mask
                if value <= max { return value }
            }
        } else {
            while true {
                let value = nextUInt64() & mask
                if value <= max { return value }
            }
        }
    }

    /// `RandomState.randint(low, high)` with the default int64 dtype: a uniform integer in low..<high.
    /// numpy's legacy path uses masked rejection (`random_bounded_uint64_fill` with `use_masked=True`):
    /// 32-bit words when `high − 1 − low` fits in 32 bits, else 64-bit words.
    ///
    /// - Parameters:
    ///   - low: The smallest value that may be returned.
    ///   - high: One past the largest value; above `low`.
    /// - Returns: A uniform integer in low..<high.
    public mutating func randint(low: Int, high: Int) -> Int {
        precondition(low < high, "low >= high")
        let range = UInt64(bitPattern: Int64(high &- 1 &- low))   // rng in numpy, high inclusive
        return low &+ Int(truncatingIfNeeded: boundedMasked(range))
    }

    /// `RandomState.randint(high)`: a uniform integer in 0..<high.
    ///
    /// - Parameter high: One past the largest value; positive.
    /// - Returns: A uniform integer in 0..<high.
    public mutating func randint(_ high: Int) -> Int { randint(low: 0, high: high) }

    /// `RandomState.randint(low, high, size=count)`.
    ///
    /// - Parameters:
    ///   - low: The smallest value that may be returned.
    ///   - high: One past the largest value; above `low`.
    ///   - count: How many to draw; not negative.
    /// - Returns: The draws, each in low..<high.
    public mutating func randint(low: Int, high: Int, count: Int) -> [Int] {
        precondition(low < high, "low >= high")
        precondition(count >= 0, "count must be non-negative")
        var out = [Int](repeating: 0, count: count)
        for i in 0..<count { out[i] = randint(low: low, high: high) }
        return out
    }

    /// 0...range by masked rejection, as `random_bounded_uint64_fill` (use_masked) draws one value.
    private mutating func boundedMasked(_ range: UInt64) -> UInt64 {
        if range == 0 { return 0 }
        if range <= UInt64(UInt32.max) {
            if range == UInt64(UInt32.max) { return UInt64(nextUInt32()) }
            let mask = UInt32(truncatingIfNeeded: Self.mask(covering: range))
            while true {
                let value = nextUInt32() & mask
                if UInt64(value) <= range { return UInt64(value) }
            }
        }
        if range == UInt64.max { return nextUInt64() }
        let mask = Self.mask(covering: range)
        while true {
            let value = nextUInt64() & mask
            if value <= range { return value }
        }
    }

    /// The smallest all-ones bit mask ≥ value (`gen_mask`).
    @inline(__always)
    static func mask(covering value: UInt64) -> UInt64 {
        value == 0 ? 0 : UInt64.max >> UInt64(value.leadingZeroBitCount)
    }

    // MARK: Permutations

    /// `RandomState.shuffle(x)` for a 1-d array: Fisher–Yates from the end (`_shuffle_raw`):
    /// for i in n−1 down to 1: j = random_interval(i); swap x[i], x[j].
    ///
    /// - Parameter x: The collection to shuffle in place.
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ x: inout C) where C.Index == Int {
        // Contiguous storage (an Array, every epoch's sample order): no uniqueness or bounds check per swap.
        let contiguous: Void? = x.withContiguousMutableStorageIfAvailable { buffer in
            guard buffer.count > 1 else { return }
            for i in stride(from: buffer.count - 1, through: 1, by: -1) {
                buffer.swapAt(i, Int(truncatingIfNeeded: randomInterval(UInt64(i))))
            }
        }
        if contiguous != nil { return }
        let n = x.count
        guard n > 1 else { return }
        let start = x.startIndex
        for i in stride(from: n - 1, through: 1, by: -1) {
            let j = Int(truncatingIfNeeded: randomInterval(UInt64(i)))
            x.swapAt(start + i, start + j)
        }
    }

    /// `RandomState.permutation(n)`: a shuffled `arange(n)`.
    ///
    /// - Parameter n: The number of indices; not negative.
    /// - Returns: 0..<n in random order.
    public mutating func permutation(_ n: Int) -> [Int] {
        precondition(n >= 0, "n must be non-negative")
        var indices = Array(0..<n)
        shuffle(&indices)
        return indices
    }

    /// `RandomState.permutation(array)` for a 1-d array: a shuffled copy.
    ///
    /// - Parameter array: The elements to permute.
    /// - Returns: The elements in random order.
    public mutating func permutation<T>(of array: [T]) -> [T] {
        var copy = array
        shuffle(&copy)
        return copy
    }

    /// `RandomState.choice(array, size, replace=False)` without weights: `permutation(len(array))[:size]`
    /// applied to `array` (the legacy algorithm, which shuffles the whole population).
    ///
    /// - Parameters:
    ///   - array: The population.
    ///   - count: How many to take, in 0...array.count.
    /// - Returns: `count` distinct elements of `array`.
    public mutating func choiceWithoutReplacement<T>(_ array: [T], count: Int) -> [T] {
        precondition(count >= 0 && count <= array.count,
                     "Cannot take a larger sample than population when 'replace=False'")
        return permutation(array.count).prefix(count).map { array[$0] }
    }
}
