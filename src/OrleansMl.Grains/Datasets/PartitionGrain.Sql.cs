using OrleansMl.Data.Columns;
using OrleansMl.Data.Sql;
using OrleansMl.Sql;

namespace OrleansMl.Datasets;

/// <summary>The partition stage of SQL queries, on the cached rows.</summary>
public sealed partial class PartitionGrain
{
    public async Task<byte[]> QueryAsync(SqlStage stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var rows = await LoadAsync(cancellationToken);
        return await Task.Run(
            async () =>
            {
                var (plan, relations) = await PlanStageAsync(stage, rows, cancellationToken);
                return await SqlBatches.EncodeAsync(SqlGrain.Checked(() => plan.RunPartition(relations)), cancellationToken);
            },
            cancellationToken);
    }

    public async Task<PartitionWrite> WriteQueryAsync(SqlStage stage, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var rows = await LoadAsync(cancellationToken);
        return await Task.Run(
            async () =>
            {
                var (plan, relations) = await PlanStageAsync(stage, rows, cancellationToken);
                var (result, _) = SqlGrain.Checked(() => plan.Finish([plan.RunPartition(relations)]));
                return new PartitionWrite([result.RowCount], [await PartFiles.WriteAsync(store, path, result, cancellationToken)], RowJson.Columns(result.Schema));
            },
            cancellationToken);
    }

    /// <summary>The stage planned against this partition's columns and the broadcast relations' (as the coordinator planned it), and every relation's rows.</summary>
    private static async Task<(SqlQuery Plan, ColumnBatch[] Relations)> PlanStageAsync(SqlStage stage, ColumnBatch rows, CancellationToken cancellationToken)
    {
        var schemas = stage.Tables.Select((t, i) => i == stage.Driving ? rows.Schema : RowJson.Schema(t!.Columns)).ToList();
        var plan = SqlGrain.Checked(() => SqlQuery.Plan(stage.Query, SqlQuery.Parse(stage.Query), schemas, stage.Driving, stage.MaxRows));
        var relations = new ColumnBatch[schemas.Count];
        for (var i = 0; i < relations.Length; i++)
        {
            relations[i] = i == stage.Driving ? rows : await SqlBatches.DecodeAsync(stage.Tables[i]!.Rows, plan.RelationSchema(i), cancellationToken);
        }

        return (plan, relations);
    }
}
