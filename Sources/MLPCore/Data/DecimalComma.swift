// A number written with a decimal comma ("1,5", as a spreadsheet in many locales saves it with ';' between fields) is
// not a number to this reader, as to numpy.loadtxt and pandas' defaults; the message says why rather than only
// offering to encode the column as categories.

enum DecimalComma {
    /// "; '1,5' has a decimal comma: …" when `cell` is digits, one comma and digits (an optional sign first), else "".
    static func note(_ cell: UnsafeBufferPointer<UInt8>) -> String {
        var digitsBefore = 0, digitsAfter = 0, commas = 0
        for (i, byte) in cell.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if commas == 0 { digitsBefore += 1 } else { digitsAfter += 1 }
            case UInt8(ascii: ","): commas += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"): if i != 0 { return "" }
            default: return ""
            }
        }
        guard commas == 1, digitsBefore > 0, digitsAfter > 0 else { return "" }
        return "; it has a decimal comma: numbers are read with a decimal point (1.5), as numpy.loadtxt and pandas "
            + "read them, so save the file with '.' as the decimal mark"
    }
}
