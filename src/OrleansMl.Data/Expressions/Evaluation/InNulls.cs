namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>The null rule shared by the IN kernels.</summary>
internal static class InNulls
{
    /// <summary>
    /// The null rows of x IN (...) given the matches: the rows where x is null and, when the list holds
    /// null, every row without a match. Clears <paramref name="found"/> on null rows.
    /// </summary>
    public static bool[]? Finish(Span<bool> found, bool[]? operandNulls, bool listHasNull)
    {
        var nulls = operandNulls;
        if (listHasNull)
        {
            var unmatched = new bool[found.Length];
            Masks.Not(found, unmatched);
            nulls = Masks.Union(nulls, unmatched);
        }

        if (nulls is not null)
        {
            Masks.ClearNulls(found, nulls);
        }

        return nulls;
    }
}
