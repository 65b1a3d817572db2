using Microsoft.Extensions.Options;
using Orleans.Placement;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Sql;

/// <summary>
/// One bucket of a hash exchange (see <see cref="ISqlBucketGrain"/>): reads the bucket's files from the
/// store, under the query's memory budget, and runs the stage on them as a partition grain runs it on
/// its rows. Used once; it goes when idle.
/// </summary>
[RandomPlacement, GrainType("orleansml.sql-bucket")]
public sealed class SqlBucketGrain(IArtifactStore store, IOptions<SqlOptions> options) : Grain, ISqlBucketGrain
{
    public async Task<byte[]> RunAsync(SqlBucket bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        try
        {
            var (_, rows) = await RunStageAsync(bucket, cancellationToken);
            return await SqlBatches.EncodeAsync(rows, cancellationToken);
        }
        finally
        {
            DeactivateOnIdle();
        }
    }

    public async Task<PartitionWrite> WriteAsync(SqlBucket bucket, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        try
        {
            var (plan, rows) = await RunStageAsync(bucket, cancellationToken);
            // A join's bucket of a query whose rows need no merge, or whole groups needing no order: its rows are final rows.
            rows = await Task.Run(
                () => SqlGrain.Checked(() => bucket.Stage.Exchange!.Relation == SqlExchange.Groups ? plan.Order(rows).Rows : plan.Finish([rows]).Rows), cancellationToken);

            return new PartitionWrite([rows.RowCount], [await PartFiles.WriteAsync(store, path, rows, cancellationToken)], RowJson.Columns(rows.Schema));
        }
        finally
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// The stage over the bucket: a join's bucket answers the partition stage over the two relations' rows of
    /// the bucket (and the broadcast ones); a group exchange's bucket answers its groups merged and projected
    /// (<see cref="SqlQuery.FinishGroups"/>), which the coordinator puts in order.
    /// </summary>
    private async Task<(SqlQuery Plan, ColumnBatch Rows)> RunStageAsync(SqlBucket bucket, CancellationToken cancellationToken)
    {
        var stage = bucket.Stage;
        var exchange = stage.Exchange ?? throw new ArgumentException("The stage is not part of a hash exchange.", nameof(bucket));
        var plan = SqlGrain.Checked(() => SqlQuery.Plan(stage.Query, SqlQuery.ParseStage(stage.Query), [.. stage.Tables.Select(t => RowJson.Schema(t!.Columns))], stage.Driving, stage.MaxRows));
        long held = 0;
        if (exchange.Relation == SqlExchange.Groups)
        {
            var partials = await LoadAsync(bucket.DrivingFiles, plan.PartialSchema, "partial aggregates", cancellationToken);
            return (plan, await Task.Run(() => SqlGrain.Checked(() => plan.FinishGroups(partials)), cancellationToken));
        }

        var relations = new ColumnBatch[stage.Tables.Count];
        for (var i = 0; i < relations.Length; i++)
        {
            var schema = plan.RelationSchema(i);
            relations[i] = i == stage.Driving || i == exchange.Relation
                ? ColumnBatch.Concat(schema, await LoadAsync(i == stage.Driving ? bucket.DrivingFiles : bucket.RelationFiles, schema, "rows", cancellationToken))
                : await SqlBatches.DecodeAsync(stage.Tables[i]!.Rows, schema, cancellationToken);
        }

        return (plan, await Task.Run(() => SqlGrain.Checked(() => plan.RunPartition(relations)), cancellationToken));

        async Task<List<ColumnBatch>> LoadAsync(IReadOnlyList<string> files, DatasetSchema schema, string what, CancellationToken token)
        {
            var batches = new List<ColumnBatch>(files.Count);
            foreach (var file in files)
            {
                var rows = await SqlBatches.LoadAsync(store, file, schema, token);
                held += rows.EstimatedBytes;
                if (held > options.Value.QueryBytes)
                {
                    var advice = exchange.Relation == SqlExchange.Groups && plan.ValueAggregates > 0
                        ? "an exact quantile or median holds every value of its group; use approx_quantile, group by more keys, or filter first"
                        : "a join or group key has a value with very many rows; join or group on more keys, or filter first";
                    throw FieldError.Invalid(
                        $"One bucket of this query's hash exchange holds over {options.Value.QueryBytes >> 20} MiB of {what} ({batches.Sum(b => b.RowCount) + rows.RowCount:N0} rows so far): {advice}.", "query");
                }

                batches.Add(rows);
            }

            return batches;
        }
    }
}
