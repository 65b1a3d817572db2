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
        var execution = new SqlExecution(GrainFactory, request.Query, MaxMergeBytes);
        var query = await execution.PlanAsync(statement, maxRows);
        var first = execution.Reads[0];
        var reads = execution.Reads.Select(r => $"{r.Name}@{r.Version.Version}").ToList();
        if (statement.Explain)
        {
            var steps = await ExplainAsync(query, "");
            var explained = System.Text.Json.JsonSerializer.Serialize(steps.Select(s => new { stage = s.Stage, step = s.Step }));
            return new SqlResult([new DatasetColumn("stage", "string", 0), new DatasetColumn("step", "string", 0)], explained, steps.Count, false, first.Name, first.Version.Version, first.Version.PartitionCount)
            {
                Reads = reads,
            };
        }

        var (rows, truncated) = await execution.RunAsync(query, cancellationToken);
        return new SqlResult(RowJson.Columns(rows.Schema), RowJson.Rows(rows), rows.RowCount, truncated, first.Name, first.Version.Version, first.Version.PartitionCount)
        {
            Reads = reads,
        };
    }

    /// <summary>
    /// The plan's steps: each relation held whole first (how it is read), then where the SELECT runs
    /// (the silos holding the driving dataset's partitions, activating them, not loading them) and what
    /// each stage does. A subquery's steps come before the query that reads them, prefixed with its name.
    /// </summary>
    private async Task<List<(string Stage, string Step)>> ExplainAsync(PlannedQuery query, string prefix)
    {
        var plan = query.Plan;
        var steps = new List<(string Stage, string Step)>();
        var atCoordinator = plan.RunsAtCoordinator || query.Relations[plan.Driving] is not DatasetInput;
        for (var i = 0; i < query.Relations.Count; i++)
        {
            if (i == plan.Driving && !atCoordinator)
            {
                continue;
            }

            var alias = plan.Statement.Relations[i].Alias ?? (query.Relations[i] as DatasetInput)?.Name ?? $"subquery{i + 1}";
            var held = atCoordinator ? "held whole at the coordinator" : "held whole and sent to every partition grain";
            switch (query.Relations[i])
            {
                case DatasetInput dataset:
                    steps.Add((SqlQuery.MergeStage, $"{prefix}{alias}: {plan.ScanText(i, dataset.Name, dataset.Version.Version)} in its {dataset.Version.PartitionCount} partition grain(s), {held}"));
                    break;
                case SubqueryInput subquery:
                    steps.AddRange(await ExplainAsync(subquery.Query, $"{prefix}{alias}: "));
                    steps.Add((SqlQuery.MergeStage, $"{prefix}{alias}: {held}"));
                    break;
                case UnionInput union:
                    for (var b = 0; b < union.Branches.Count; b++)
                    {
                        steps.AddRange(await ExplainAsync(union.Branches[b], $"{prefix}union branch {b + 1}: "));
                    }

                    steps.Add((SqlQuery.MergeStage, $"{prefix}UNION ALL of {union.Branches.Count} branches, {held}"));
                    break;
            }
        }

        if (atCoordinator)
        {
            steps.Add((SqlQuery.MergeStage, $"{prefix}runs at the coordinator, once over all rows" + (plan.RunsAtCoordinator ? " (a RIGHT or FULL join keeps unmatched rows of a held relation)" : "")));
            steps.AddRange(plan.Explain().Select(s => (SqlQuery.MergeStage, prefix + s.Step)));
            return steps;
        }

        var driving = (DatasetInput)query.Relations[plan.Driving];
        var partitions = await Task.WhenAll(DatasetFiles.Partitions(GrainFactory, driving.Name, driving.Version).Select(p => p.GetInfoAsync()));
        var placement = string.Join("; ", partitions.GroupBy(p => p.Silo).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Index))}{(g.All(p => p.Loaded) ? " (cached)" : "")}"));
        steps.Add((SqlQuery.PartitionStage, $"{prefix}runs in {driving.Version.PartitionCount} partition grains of {driving.Name} v{driving.Version.Version} at once, on silo(s) {placement}"));
        steps.AddRange(plan.Explain().Select(s => (s.Stage, prefix + s.Step)));
        return steps;
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
