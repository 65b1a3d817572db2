namespace OrleansMl.Data.Sql;

/// <summary>How a relation joins the ones before it in FROM.</summary>
public enum JoinKind
{
    /// <summary><c>CROSS JOIN</c> or a comma: every pair of rows.</summary>
    Cross,

    /// <summary><c>[INNER] JOIN ... ON</c>: the pairs that match.</summary>
    Inner,

    /// <summary><c>LEFT [OUTER] JOIN</c>: the matching pairs, and each row of the left side without a match (the right side null).</summary>
    Left,

    /// <summary><c>RIGHT [OUTER] JOIN</c>: the matching pairs, and each row of the right side without a match.</summary>
    Right,

    /// <summary><c>FULL [OUTER] JOIN</c>: the matching pairs, and the rows of either side without a match.</summary>
    Full,
}
