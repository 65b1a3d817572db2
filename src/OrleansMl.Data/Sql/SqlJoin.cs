using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;

namespace OrleansMl.Data.Sql;

/// <summary>
/// A hash join of the rows so far (the probe side) with one relation held whole (the build side).
/// Both sides' keys are numbered together by <see cref="GroupIds"/>, so equal keys get equal numbers
/// with the same rules as GROUP BY (numbers compare by value across integer and float, -0.0 equals
/// 0.0, NaN equals NaN as in DuckDB); a row with a null key matches nothing. The build rows of each
/// number are chained, and each probe row walks its chain: no per-row allocation.
/// </summary>
internal static class SqlJoin
{
    /// <summary>The most rows one join may make in one partition, so a runaway join is a clear error and not an exhausted silo.</summary>
    public const int MaxRows = 1 << 24;

    /// <param name="selection">The probe rows to join (ascending), or null for all: a filter before the join, so the probe side is not copied twice.</param>
    /// <param name="keep">The columns of either side the joined rows carry (the first probe column when none is, so they still count rows).</param>
    public static ColumnBatch Run(
        ColumnBatch probe, int[]? selection, ColumnBatch build, JoinKind kind, BoundExpression[] probeKeys, BoundExpression[] buildKeys, BoundExpression? residual,
        IReadOnlySet<string> keep)
    {
        var (probeRows, buildRows) = kind == JoinKind.Cross || probeKeys.Length == 0
            ? AllPairs(selection ?? [.. Enumerable.Range(0, probe.RowCount)], build.RowCount)
            : Matches(probe, selection, build, probeKeys, buildKeys);
        var (probeCount, buildCount) = (probe.RowCount, build.RowCount);
        var (probeKept, buildKept) = (Kept(probe, keep), Kept(build, keep));
        if (probeKept.Columns.Count + buildKept.Columns.Count == 0)
        {
            probeKept = new ColumnBatch([probe.Columns[0]]);
        }

        var joined = Combine(probeKept, buildKept, probeRows, buildRows);
        if (residual is not null)
        {
            var kept = residual.SelectRows(joined);
            if (kept.Length != joined.RowCount)
            {
                joined = joined.Take(kept);
                probeRows = [.. kept.Select(i => probeRows[i])];
                buildRows = [.. kept.Select(i => buildRows[i])];
            }
        }

        var parts = new List<ColumnBatch> { joined };
        if (kind is JoinKind.Left or JoinKind.Full && Unmatched(probeRows, probeCount, selection) is { Length: > 0 } lonelyProbe)
        {
            parts.Add(new ColumnBatch([.. probeKept.Take(lonelyProbe).Columns, .. Nulls(buildKept, lonelyProbe.Length)]));
        }

        if (kind is JoinKind.Right or JoinKind.Full && Unmatched(buildRows, buildCount, null) is { Length: > 0 } lonelyBuild)
        {
            parts.Add(new ColumnBatch([.. Nulls(probeKept, lonelyBuild.Length), .. buildKept.Take(lonelyBuild).Columns]));
        }

        return parts.Count == 1 ? joined : ColumnBatch.Concat(joined.Schema, parts);
    }

    /// <summary>The side's columns that <paramref name="keep"/> names, in order (the batch itself when it names them all).</summary>
    private static ColumnBatch Kept(ColumnBatch side, IReadOnlySet<string> keep)
    {
        var columns = side.Columns.Where(c => keep.Contains(c.Name)).ToList();
        return columns.Count == side.Columns.Count ? side : new ColumnBatch(columns);
    }

    /// <summary>The (probe row, build row) pairs whose keys are equal, probe rows ascending.</summary>
    private static (int[] Probe, int[] Build) Matches(ColumnBatch probe, int[]? selection, ColumnBatch build, BoundExpression[] probeKeys, BoundExpression[] buildKeys)
    {
        var nBuild = build.RowCount;
        if (probeKeys.Length == 1 && probeKeys[0].Evaluate(probe, "key") is Int64Column probeInts && buildKeys[0].Evaluate(build, "key") is Int64Column buildInts
            && IntegerMatches(probeInts, selection, buildInts) is { } direct)
        {
            return direct;
        }

        var nProbe = selection?.Length ?? probe.RowCount;
        var keys = new List<Column>(probeKeys.Length);
        var hasNull = new bool[nBuild + nProbe];
        for (var k = 0; k < probeKeys.Length; k++)
        {
            var buildKey = buildKeys[k].Evaluate(build, "key");
            var probeKey = probeKeys[k].Evaluate(probe, "key");
            if (selection is not null)
            {
                probeKey = probeKey.Take(selection);
            }

            if (buildKey.Schema.Type != probeKey.Schema.Type && (buildKey is Float64Column || probeKey is Float64Column))
            {
                (buildKey, probeKey) = (ColumnCast.Cast(buildKey, ColumnType.Float64), ColumnCast.Cast(probeKey, ColumnType.Float64));
            }

            var both = Column.Concat([buildKey, probeKey.WithSchema(buildKey.Schema)]);
            if (both.Nulls is { } nulls)
            {
                for (var i = 0; i < hasNull.Length; i++)
                {
                    hasNull[i] |= nulls[i];
                }
            }

            keys.Add(both);
        }

        var groups = GroupIds.Compute(keys, nBuild + nProbe);
        var ids = groups.Ids;
        var head = new int[groups.Count];
        Array.Fill(head, -1);
        var next = new int[nBuild];
        for (var b = nBuild - 1; b >= 0; b--)
        {
            if (!hasNull[b])
            {
                next[b] = head[ids[b]];
                head[ids[b]] = b;
            }
        }

        var probeRows = new List<int>(nProbe);
        var buildRows = new List<int>(nProbe);
        for (var p = 0; p < nProbe; p++)
        {
            if (hasNull[nBuild + p])
            {
                continue;
            }

            for (var b = head[ids[nBuild + p]]; b >= 0; b = next[b])
            {
                if (probeRows.Count == MaxRows)
                {
                    throw TooMany();
                }

                probeRows.Add(selection?[p] ?? p);
                buildRows.Add(b);
            }
        }

        return ([.. probeRows], [.. buildRows]);
    }

    /// <summary>
    /// One integer key whose build values span a range not much wider than the build side (ids, dense
    /// codes, days): the build rows chained from a table indexed by value, so a probe row is one
    /// subtraction and one load. Null when the range is too sparse for a table.
    /// </summary>
    private static (int[] Probe, int[] Build)? IntegerMatches(Int64Column probe, int[]? selection, Int64Column build)
    {
        var buildValues = build.Values;
        var (min, max) = GroupIds.Range(build);
        if (min > max)
        {
            return ([], []);
        }

        var range = (ulong)(max - min) + 1;
        if (range > (ulong)(8L * buildValues.Length) + 1024)
        {
            return null;
        }

        var head = GC.AllocateUninitializedArray<int>((int)range);
        Array.Fill(head, -1);
        var next = GC.AllocateUninitializedArray<int>(buildValues.Length); // read only where written
        var unique = true;
        for (var b = buildValues.Length - 1; b >= 0; b--)
        {
            if (!build.IsNull(b))
            {
                ref var slot = ref head[buildValues[b] - min];
                unique &= slot < 0;
                next[b] = slot;
                slot = b;
            }
        }

        return unique ? UniqueMatches(probe, selection, head, min) : ChainedMatches(probe, selection, head, next, min);
    }

    /// <summary>
    /// Each build key once (a key of the build side, as in a dimension table): a probe row matches at most one
    /// build row, so the pairs fit arrays as long as the probe rows. A value outside the table's range wraps to an
    /// offset past its end, so one comparison bounds it on both sides.
    /// </summary>
    private static (int[] Probe, int[] Build) UniqueMatches(Int64Column probe, int[]? selection, int[] head, long min)
    {
        var probeValues = probe.Values;
        var nulls = probe.Nulls;
        var count = selection?.Length ?? probeValues.Length;
        var probeRows = GC.AllocateUninitializedArray<int>(count);
        var buildRows = GC.AllocateUninitializedArray<int>(count);
        var range = (ulong)head.Length;
        var matched = 0;
        for (var i = 0; i < count; i++)
        {
            var p = selection is null ? i : selection[i];
            var offset = (ulong)(probeValues[p] - min);
            if (offset < range && head[offset] is var b and >= 0 && (nulls is null || !nulls[p]))
            {
                probeRows[matched] = p;
                buildRows[matched++] = b;
            }
        }

        return (probeRows[..matched], buildRows[..matched]);
    }

    private static (int[] Probe, int[] Build) ChainedMatches(Int64Column probe, int[]? selection, int[] head, int[] next, long min)
    {
        var probeValues = probe.Values;
        var count = selection?.Length ?? probeValues.Length;
        var range = (ulong)head.Length;
        var probeRows = new List<int>(count);
        var buildRows = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            var p = selection is null ? i : selection[i];
            var offset = (ulong)(probeValues[p] - min);
            if (offset >= range || probe.IsNull(p))
            {
                continue;
            }

            for (var b = head[offset]; b >= 0; b = next[b])
            {
                if (probeRows.Count == MaxRows)
                {
                    throw TooMany();
                }

                probeRows.Add(p);
                buildRows.Add(b);
            }
        }

        return ([.. probeRows], [.. buildRows]);
    }

    private static (int[] Probe, int[] Build) AllPairs(int[] probe, int nBuild)
    {
        var nProbe = probe.Length;
        if ((long)nProbe * nBuild > MaxRows)
        {
            throw TooMany();
        }

        var probeRows = new int[nProbe * nBuild];
        var buildRows = new int[nProbe * nBuild];
        for (var p = 0; p < nProbe; p++)
        {
            Array.Fill(probeRows, probe[p], p * nBuild, nBuild);
            for (var b = 0; b < nBuild; b++)
            {
                buildRows[(p * nBuild) + b] = b;
            }
        }

        return (probeRows, buildRows);
    }

    private static ColumnBatch Combine(ColumnBatch probe, ColumnBatch build, int[] probeRows, int[] buildRows) =>
        new([.. probe.Take(probeRows).Columns, .. build.Take(buildRows).Columns]);

    /// <summary>The rows of a side (<paramref name="selection"/>, or 0..<paramref name="count"/>) that appear in no pair.</summary>
    private static int[] Unmatched(int[] paired, int count, int[]? selection)
    {
        var matched = new bool[count];
        foreach (var row in paired)
        {
            matched[row] = true;
        }

        var lonely = new List<int>();
        for (var i = 0; i < (selection?.Length ?? count); i++)
        {
            var row = selection?[i] ?? i;
            if (!matched[row])
            {
                lonely.Add(row);
            }
        }

        return [.. lonely];
    }

    /// <summary>The columns of <paramref name="side"/>, all null, <paramref name="rows"/> long: the missing side of an outer join's unmatched rows.</summary>
    private static IEnumerable<Column> Nulls(ColumnBatch side, int rows) => side.Columns.Select(column =>
    {
        var builder = ColumnBuilder.Create(column.Schema, rows);
        for (var i = 0; i < rows; i++)
        {
            builder.AppendNull();
        }

        return builder.Build();
    });

    private static SchemaException TooMany() =>
        new($"A join makes more than {MaxRows:N0} rows in one partition; join on more keys, filter first, or aggregate what you join.");
}
