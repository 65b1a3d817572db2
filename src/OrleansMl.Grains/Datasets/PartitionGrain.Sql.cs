using OrleansMl.Data.Sql;
using OrleansMl.Sql;

namespace OrleansMl.Datasets;

/// <summary>The partition stage of SQL queries, on the cached rows.</summary>
public sealed partial class PartitionGrain
{
    public async Task<byte[]> QueryAsync(string query, int maxRows, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(cancellationToken);
        return await Task.Run(
            () => SqlBatches.EncodeAsync(SqlGrain.Checked(() => SqlQuery.Plan(query, SqlQuery.Parse(query), rows.Schema, maxRows).RunPartition(rows)), cancellationToken),
            cancellationToken);
    }
}
