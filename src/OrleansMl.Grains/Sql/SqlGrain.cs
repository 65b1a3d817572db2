using Orleans.Concurrency;
using OrleansMl.Catalog;
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

    /// <summary>The most bytes (in memory) the partitions' parts of one query may take at the coordinator, so one query cannot exhaust a silo.</summary>
    public const long MaxMergeBytes = 1L << 30;

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
            ?? throw await UnknownVersionAsync(request.Query, table, dataset);
        var plan = Checked(() => SqlQuery.Plan(request.Query, statement, RowJson.Schema(version.Columns), maxRows));
        if (plan.IsExplain)
        {
            return await ExplainAsync(plan, table.Name, version);
        }

        var parts = await Task.WhenAll(DatasetFiles.Partitions(GrainFactory, table.Name, version).Select(p => p.QueryAsync(request.Query, maxRows, cancellationToken)));
        var partials = new List<Data.Columns.ColumnBatch>(parts.Length);
        long bytes = 0;
        foreach (var part in parts)
        {
            var partial = await SqlBatches.DecodeAsync(part, plan.PartialSchema, cancellationToken);
            bytes += partial.EstimatedBytes;
            if (bytes > MaxMergeBytes)
            {
                throw FieldError.Invalid(
                    $"This query's parts from the partitions take over {MaxMergeBytes >> 20} MiB to merge ({partials.Sum(p => p.RowCount) + partial.RowCount:N0} rows or groups so far); group by fewer distinct values, filter, or add LIMIT.", "query");
            }

            partials.Add(partial);
        }

        var (rows, truncated) = Checked(() => plan.Finish(partials));
        return new SqlResult(
            RowJson.Columns(rows.Schema), RowJson.Rows(rows), rows.RowCount, truncated,
            table.Name, version.Version, version.PartitionCount);
    }

    /// <summary>A 400 pointing at the dataset in the query: no such dataset (and the closest name there is), or no such version.</summary>
    private async Task<ArgumentException> UnknownVersionAsync(string query, TableReference table, DatasetInfo? dataset)
    {
        string problem, detail;
        if (dataset is null || dataset.Versions.Count == 0)
        {
            var names = await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).ListAsync();
            problem = $"Dataset '{table.Name}' does not exist (or has no version yet)";
            detail = NameSuggestions.Closest(table.Name, names) is { } closest ? $"; did you mean '{closest}'?" : ".";
        }
        else
        {
            problem = $"Dataset '{table.Name}' has no version {table.Version}";
            detail = $" (versions: {string.Join(", ", dataset.Versions.Select(v => v.Version))}).";
        }

        return FieldError.Invalid(new ExpressionException(query, table.Position, table.Length, problem, detail).Message, "query");
    }

    /// <summary>The plan's steps, and where the partition stage runs: the silos holding the version's partitions (activating them, not loading them).</summary>
    private async Task<SqlResult> ExplainAsync(SqlQuery plan, string dataset, DatasetVersionInfo version)
    {
        var partitions = await Task.WhenAll(DatasetFiles.Partitions(GrainFactory, dataset, version).Select(p => p.GetInfoAsync()));
        var placement = string.Join("; ", partitions.GroupBy(p => p.Silo).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Index))}{(g.All(p => p.Loaded) ? " (cached)" : "")}"));
        var steps = plan.Explain().Prepend((Stage: SqlQuery.PartitionStage, Step: $"runs in {version.PartitionCount} partition grains of {dataset} v{version.Version} at once, on silo(s) {placement}"));
        var rows = System.Text.Json.JsonSerializer.Serialize(steps.Select(s => new { stage = s.Stage, step = s.Step }));
        return new SqlResult([new DatasetColumn("stage", "string", 0), new DatasetColumn("step", "string", 0)], rows, steps.Count(), false, dataset, version.Version, version.PartitionCount);
    }

    /// <summary>Errors in the query (syntax, names, types, an overflowing sum) are the caller's: a 400 on <c>query</c>.</summary>
    internal static T Checked<T>(Func<T> step)
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
