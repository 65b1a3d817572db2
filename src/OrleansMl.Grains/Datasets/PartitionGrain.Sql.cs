using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Sql;

namespace OrleansMl.Datasets;

/// <summary>The partition stage of SQL queries, on the cached rows.</summary>
public sealed partial class PartitionGrain
{
    public async Task<byte[]> QueryAsync(SqlStage stage, CancellationToken cancellationToken)
    {
        var (plan, rows) = await PrepareAsync(stage, stage.Driving, cancellationToken);
        return await Task.Run(
            async () =>
            {
                var relations = await RelationsAsync(stage, plan, rows, cancellationToken);
                return await SqlBatches.EncodeAsync(SqlGrain.Checked(() => plan.RunPartition(relations)), cancellationToken);
            },
            cancellationToken);
    }

    public async Task<PartitionWrite> WriteQueryAsync(SqlStage stage, string path, CancellationToken cancellationToken)
    {
        var (plan, rows) = await PrepareAsync(stage, stage.Driving, cancellationToken);
        return await Task.Run(
            async () =>
            {
                var relations = await RelationsAsync(stage, plan, rows, cancellationToken);
                var (result, _) = SqlGrain.Checked(() => plan.Finish([plan.RunPartition(relations)]));
                return new PartitionWrite([result.RowCount], [await PartFiles.WriteAsync(store, path, result, cancellationToken)], RowJson.Columns(result.Schema));
            },
            cancellationToken);
    }

    public async Task<long[]> ScatterQueryAsync(SqlStage stage, int relation, int partition, CancellationToken cancellationToken)
    {
        var exchange = stage.Exchange ?? throw new ArgumentException("The stage is not part of a hash exchange.", nameof(stage));
        var groups = relation == SqlExchange.Groups;
        var (plan, rows) = await PrepareAsync(stage, groups ? stage.Driving : relation, cancellationToken);
        return await Task.Run(
            async () =>
            {
                var relations = groups ? await RelationsAsync(stage, plan, rows, cancellationToken) : null;
                var buckets = groups
                    ? SqlGrain.Checked(() => plan.ScatterGroups(plan.RunPartition(relations!), exchange.Buckets))
                    : SqlGrain.Checked(() => plan.Scatter(rows, relation, exchange.Buckets));
                return await SqlBatches.StoreBucketsAsync(store, buckets, b => exchange.File(relation, b, partition), cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// The stage planned against this partition's columns (as relation <paramref name="local"/> of the query, the driving one
    /// unless it is the relation exchanged with it) and the other relations' (as the coordinator planned it), and this
    /// partition's rows with only the columns the plan reads (so a cold partition decodes no others), or none when its
    /// footer's column ranges show that no row can pass the query's conditions on the driving relation. When the columns
    /// are not cached and the ranges of its row groups rule out at least half of them, only the others are read, for this
    /// query alone (<see cref="RowGroupsToRead"/>).
    /// </summary>
    private async Task<(SqlQuery Plan, ColumnBatch Rows)> PrepareAsync(SqlStage stage, int local, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var schema = await SchemaAsync(cancellationToken);
        var schemas = stage.Tables.Select((t, i) => i == local ? schema : RowJson.Schema(t!.Columns)).ToList();
        var plan = SqlGrain.Checked(() => SqlQuery.Plan(stage.Query, SqlQuery.ParseStage(stage.Query), schemas, stage.Driving, stage.MaxRows));
        var columns = plan.RelationColumns(local);
        if (local == stage.Driving && _ranges is not null && !plan.CanMatch(_ranges))
        {
            // The footer's ranges show no row can pass the conditions: nothing is read.
            return (plan, ColumnBatch.Empty(new DatasetSchema(columns.Select(schema.Get))));
        }

        if (local == stage.Driving && RowGroupsToRead(plan, columns) is { } rowGroups)
        {
            var read = await Task.Run(() => DatasetFiles.ReadPartRowGroupsAsync(store, _path, columns, rowGroups, cancellationToken), cancellationToken);
            return (plan, new ColumnBatch(new DatasetSchema(columns.Select(read.Schema.Get)), [.. columns.Select(c => read[c])]));
        }

        return (plan, await LoadAsync(columns, cancellationToken));
    }

    /// <summary>
    /// The row groups a query on columns not all cached needs to read, when their footer ranges rule out at least half of
    /// them (a narrow range of a sorted key, a recent time window), for the first such query of this activation; null when
    /// the whole partition is better loaded and cached, as it is once selective queries repeat (a blob store sends the
    /// whole part file for each read).
    /// </summary>
    private bool[]? RowGroupsToRead(SqlQuery plan, IReadOnlyList<string> columns)
    {
        if (_readSomeRowGroups || _rowGroupRanges.Count < 2 || columns.All(c => Cached(c) is not null))
        {
            return null;
        }

        var read = _rowGroupRanges.Select(plan.CanMatch).ToArray();
        if (read.Count(r => r) * 2 > read.Length)
        {
            return null;
        }

        _readSomeRowGroups = true;
        return read;
    }

    /// <summary>Every relation's rows: this partition's for the driving one, the broadcast ones decoded.</summary>
    private static async Task<ColumnBatch[]> RelationsAsync(SqlStage stage, SqlQuery plan, ColumnBatch rows, CancellationToken cancellationToken)
    {
        var relations = new ColumnBatch[stage.Tables.Count];
        for (var i = 0; i < relations.Length; i++)
        {
            relations[i] = i == stage.Driving ? rows : await SqlBatches.DecodeAsync(stage.Tables[i]!.Rows, plan.RelationSchema(i), cancellationToken);
        }

        return relations;
    }
}
