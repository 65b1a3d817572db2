using System.IO.Hashing;
using System.Runtime.InteropServices;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Statistics;

namespace OrleansMl.Data.Sql;

/// <summary>
/// The hash exchange. Rows of the driving relation and of the relation it joins first are split into
/// buckets by a hash of the join keys, so a bucket's rows can only match the same bucket's: each bucket
/// then runs the partition stage as a partition would, with the two relations' rows of that bucket and
/// the other relations broadcast. Partial aggregates are split the same way by their group keys, so a
/// bucket merges whole groups. Equal keys hash equal under the join's and GROUP BY's equality.
/// </summary>
public sealed partial class SqlQuery
{
    /// <summary>
    /// The relation joined to the driving one first, on equality keys that read the driving relation
    /// alone, when the join can run bucket by bucket (no RIGHT or FULL join with another relation after
    /// it); the two may then be exchanged instead of the relation being broadcast. Null otherwise.
    /// </summary>
    public int? ExchangeRelation =>
        _joins is [var first, ..] && first.ProbeKeys.Length > 0 && first.Kind != JoinKind.Cross && (!RunsAtCoordinator || _joins.Count == 1)
            ? first.Relation
            : null;

    /// <summary>
    /// True when whole groups can be merged bucket by bucket (<see cref="FinishGroups"/>), the buckets' rows
    /// then put in order at the coordinator (<see cref="Order"/>): any GROUP BY.
    /// </summary>
    public bool GroupsMergeByBucket => IsAggregate && _groupKeys.Count > 0;

    /// <summary>
    /// True when, moreover, the buckets' rows are final rows, simply put together: no DISTINCT, ORDER BY,
    /// LIMIT or OFFSET over the groups (so each bucket may write its own part of a result).
    /// </summary>
    public bool MergesByBucket =>
        GroupsMergeByBucket && !_distinctOutputs && _order.Count == 0 && _statement.Limit is null && _statement.Offset == 0;

    /// <summary>The exact quantile aggregates of the query (median, quantile_cont, quantile_disc), whose partial states hold every value of their group.</summary>
    public int ValueAggregates => _aggregates.Count(a => a.Aggregate is QuantileAggregate && !a.Distinct);

    /// <summary>
    /// Relation <paramref name="relation"/>'s rows (the driving one's or <see cref="ExchangeRelation"/>'s,
    /// by their own names) filtered as the partition stage filters them before the join, only the columns
    /// the query reads (<see cref="RelationSchema"/>), split into <paramref name="buckets"/> by a hash of
    /// the join keys. A row with a null key goes to bucket 0: it matches nothing, and an outer join keeps it once.
    /// </summary>
    public ColumnBatch[] Scatter(ColumnBatch rows, int relation, int buckets)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var join = _joins[0];
        if (relation != _driving && relation != join.Relation)
        {
            throw new ArgumentOutOfRangeException(nameof(relation), relation, "Only the driving relation and the one it joins first are exchanged.");
        }

        var own = new ColumnBatch([.. _needed[relation].Select(c => rows[c])]);
        var named = Prune(rows, relation);
        var condition = relation == _driving ? _prefilter : _pushedFilters[relation];
        if (condition?.SelectRows(named) is { } selected && selected.Length != named.RowCount)
        {
            named = named.Take(selected);
            own = own.Take(selected);
        }

        var keys = (relation == _driving ? join.ProbeKeys : join.BuildKeys).Select(k => k.Evaluate(named, "key")).ToList();
        return Split(own, keys, buckets);
    }

    /// <summary>A partition's partial aggregates (<see cref="PartialSchema"/>) split into <paramref name="buckets"/> by a hash of their group keys.</summary>
    public ColumnBatch[] ScatterGroups(ColumnBatch partial, int buckets)
    {
        ArgumentNullException.ThrowIfNull(partial);
        return Split(partial, [.. partial.Columns.Take(_groupKeys.Count)], buckets);
    }

    private static ColumnBatch[] Split(ColumnBatch rows, IReadOnlyList<Column> keys, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        var count = rows.RowCount;
        var hashes = new ulong[count];
        var isNull = new bool[count];
        foreach (var key in keys)
        {
            AddKeyHashes(key, hashes, isNull);
        }

        var sizes = new int[buckets];
        var bucketOf = new int[count];
        for (var i = 0; i < count; i++)
        {
            var bucket = isNull[i] ? 0 : (int)(hashes[i] % (ulong)buckets);
            bucketOf[i] = bucket;
            sizes[bucket]++;
        }

        var members = new int[buckets][];
        for (var b = 0; b < buckets; b++)
        {
            members[b] = new int[sizes[b]];
        }

        Array.Clear(sizes);
        for (var i = 0; i < count; i++)
        {
            var bucket = bucketOf[i];
            members[bucket][sizes[bucket]++] = i;
        }

        return [.. members.Select(m => m.Length == count ? rows : rows.Take(m))];
    }

    /// <summary>
    /// Mixes each row's key into its hash: numbers by value as doubles (3 and 3.0 alike, -0.0 as 0.0,
    /// every NaN alike), text by its characters (text and categories alike), times and booleans by value.
    /// </summary>
    private static void AddKeyHashes(Column key, ulong[] hashes, bool[] isNull)
    {
        Func<int, ulong> hash = key switch
        {
            Int64Column integers when key.Schema.Type == ColumnType.Int64 => i => NumberHash(integers.UnsafeArray[i]),
            Int64Column times => i => unchecked((ulong)times.UnsafeArray[i]),
            Float64Column floats => i => NumberHash(floats.UnsafeArray[i]),
            BooleanColumn booleans => i => booleans.UnsafeArray[i] ? 1UL : 2UL,
            StringColumn strings => i => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(strings.Values[i]!.AsSpan())),
            _ => throw new SchemaException($"A {key.Type.ToString().ToLowerInvariant()} column cannot be a join or group key."),
        };
        for (var i = 0; i < hashes.Length; i++)
        {
            if (key.IsNull(i))
            {
                isNull[i] = true;
            }
            else
            {
                hashes[i] = HyperLogLog.Mix(hashes[i] ^ hash(i));
            }
        }
    }

    private static ulong NumberHash(double value) =>
        BitConverter.DoubleToUInt64Bits(value == 0 ? 0 : double.IsNaN(value) ? double.NaN : value);
}
