namespace OrleansMl.Data.Schema;

/// <summary>The logical type of a dataset column. Every column may hold nulls.</summary>
public enum ColumnType
{
    /// <summary>64-bit signed integer.</summary>
    Int64,
    /// <summary>64-bit IEEE floating point.</summary>
    Float64,
    /// <summary>true / false.</summary>
    Boolean,
    /// <summary>Free text.</summary>
    String,
    /// <summary>A point in time, stored as microseconds since the Unix epoch (UTC).</summary>
    Timestamp,
    /// <summary>Text drawn from a small set of values (labels, categories); stored dictionary-encoded.</summary>
    Categorical,
    /// <summary>A fixed-length vector of 32-bit floats (image pixels, assembled features).</summary>
    Vector,
}
