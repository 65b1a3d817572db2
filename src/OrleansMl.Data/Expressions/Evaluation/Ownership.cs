namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>Who may write a value array, and where it goes when done with.</summary>
internal enum Ownership
{
    /// <summary>A column's array (or none): read only.</summary>
    Borrowed,

    /// <summary>A new array of exactly the batch length: the holder may write it or hand it to a column.</summary>
    Owned,

    /// <summary>From the array pool, possibly longer than the batch: the holder may write it and must return it.</summary>
    Rented,
}
