using Orleans.Concurrency;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Datasets;

namespace OrleansMl.Sql;

/// <summary>
/// The coordinator of SQL queries (see <see cref="ISqlGrain"/>): resolves the dataset version, plans
/// the query against its schema (so every error is found before a partition is asked), fans the
/// partition stage out to all partition grains of the version at once and merges their results.
/// </summary>
[StatelessWorker, Reentrant, GrainType("orleansml.sql")]
public sealed class SqlGrain : Grain, ISqlGrain
{
    public const int DefaultMaxRows = 10_000;

    public async Task<SqlResult> QueryAsync(SqlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw FieldError.Invalid("query is required: a SELECT over a dataset, e.g. SELECT label, count(*) FROM mydata GROUP BY label.", "query");
        }

        var maxRows = request.MaxRows ?? DefaultMaxRows;
        if (maxRows is < 0 or > ISqlGrain.MaxRowsLimit)
        {
            throw FieldError.Invalid($"maxRows must be between 0 and {ISqlGrain.MaxRowsLimit}; got {maxRows}.", "maxRows");
        }

        var statement = Checked(() => SqlQuery.Parse(request.Query));
        var table = statement.From;
        ResourceNames.Validate(table.Name, "dataset", "query");
        var dataset = await GrainFactory.GetGrain<IDatasetGrain>(table.Name).GetAsync();
        var version = dataset?.Versions.LastOrDefault(v => table.Version is null || v.Version == table.Version)
            ?? throw FieldError.Invalid(
                dataset is null || dataset.Versions.Count == 0
                    ? $"Dataset '{table.Name}' does not exist (or has no version yet)."
                    : $"Dataset '{table.Name}' has no version {table.Version} (versions: {string.Join(", ", dataset.Versions.Select(v => v.Version))}).",
                "query");
        var plan = Checked(() => SqlQuery.Plan(request.Query, statement, RowJson.Schema(version.Columns), maxRows));
        var parts = await Task.WhenAll(DatasetFiles.Partitions(GrainFactory, table.Name, version).Select(p => p.QueryAsync(request.Query, maxRows, cancellationToken)));
        var partials = new List<Data.Columns.ColumnBatch>(parts.Length);
        foreach (var part in parts)
        {
            partials.Add(await SqlBatches.DecodeAsync(part, plan.PartialSchema, cancellationToken));
        }

        var (rows, truncated) = Checked(() => plan.Finish(partials));
        return new SqlResult(
            RowJson.Columns(rows.Schema), RowJson.Array(Enumerable.Range(0, rows.RowCount).Select(r => RowJson.Row(rows, r))), rows.RowCount, truncated,
            table.Name, version.Version, version.PartitionCount);
    }

    /// <summary>Errors in the query (syntax, names, types, an overflowing sum) are the caller's: a 400 on <c>query</c>.</summary>
    private static T Checked<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is ExpressionException or SchemaException)
        {
            throw FieldError.Invalid(e.Message, "query");
        }
    }
}
