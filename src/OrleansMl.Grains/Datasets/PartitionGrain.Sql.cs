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
                var schemas = stage.Tables.Select((t, i) => i == stage.Driving ? rows.Schema : RowJson.Schema(t!.Columns)).ToList();
                var plan = SqlGrain.Checked(() => SqlQuery.Plan(stage.Query, SqlQuery.Parse(stage.Query), schemas, stage.Driving, stage.MaxRows));
                var relations = new ColumnBatch[schemas.Count];
                for (var i = 0; i < relations.Length; i++)
                {
                    relations[i] = i == stage.Driving ? rows : await SqlBatches.DecodeAsync(stage.Tables[i]!.Rows, plan.RelationSchema(i), cancellationToken);
                }

                return await SqlBatches.EncodeAsync(SqlGrain.Checked(() => plan.RunPartition(relations)), cancellationToken);
            },
            cancellationToken);
    }
}
