using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Sql;

namespace OrleansMl.Datasets;

/// <summary>The partition stage of SQL queries, on the cached rows.</summary>
public sealed partial class PartitionGrain
{
    public async Task<byte[]> QueryAsync(string query, int maxRows, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(cancellationToken);
        return await Task.Run(async () =>
        {
            ColumnBatch partial;
            try
            {
                partial = SqlQuery.Plan(query, SqlQuery.Parse(query), rows.Schema, maxRows).RunPartition(rows);
            }
            catch (Exception e) when (e is ExpressionException or SchemaException)
            {
                throw FieldError.Invalid(e.Message, "query");
            }

            return await SqlBatches.EncodeAsync(partial, cancellationToken);
        }, cancellationToken);
    }
}
