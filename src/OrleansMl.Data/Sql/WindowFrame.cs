namespace OrleansMl.Data.Sql;

/// <summary>
/// The rows an aggregate over a window reads for each row: <c>ROWS BETWEEN start AND end</c> counts rows
/// from the current one (negative before it; null for UNBOUNDED); <c>RANGE</c> with CURRENT ROW reaches
/// the current row's last peer (rows equal in the ORDER BY).
/// </summary>
public sealed record WindowFrame(bool Rows, long? Start, long? End)
{
    /// <summary>What a window with ORDER BY and no frame reads: from the partition's first row to the current row's last peer.</summary>
    public static WindowFrame Running { get; } = new(false, null, 0);

    /// <summary>What a window without ORDER BY reads: its whole partition.</summary>
    public static WindowFrame Whole { get; } = new(false, null, null);

    public override string ToString() =>
        $"{(Rows ? "ROWS" : "RANGE")} BETWEEN {Bound(Start, "PRECEDING")} AND {Bound(End, "FOLLOWING")}";

    private static string Bound(long? offset, string unbounded) => offset switch
    {
        null => $"UNBOUNDED {unbounded}",
        0 => "CURRENT ROW",
        < 0 => $"{-offset} PRECEDING",
        _ => $"{offset} FOLLOWING",
    };
}
