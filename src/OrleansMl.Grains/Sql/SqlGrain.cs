using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Sql;

/// <summary>
/// The coordinator of SQL queries (see <see cref="ISqlGrain"/> and <see cref="SqlExecution"/>): plans
/// the whole query (so every error is found before a partition is asked), runs each SELECT in the
/// partition grains of the dataset it is driven from and merges their results, or writes them as a
/// new dataset version.
/// </summary>
[StatelessWorker, Reentrant, GrainType("orleansml.sql")]
public sealed class SqlGrain(IArtifactStore store, DatasetImporter files, RunningQueries running, TimeProvider time, IOptions<SqlOptions> options) : Grain, ISqlGrain
{
    public const int DefaultMaxRows = ISqlGrain.DefaultPageRows;

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
        if (request.Into is not null && statement.Into is not null && request.Into != statement.Into)
        {
            throw FieldError.Invalid($"into names dataset '{request.Into}' but the query creates '{statement.Into}'; give one.", "into");
        }

        var into = request.Into ?? statement.Into;
        if (into is not null)
        {
            ResourceNames.Validate(into, "dataset", "into");
        }

        if (into is not null && request.Pages)
        {
            throw FieldError.Invalid("pages keeps a query's rows to read page by page; into writes them to a dataset: give one.", "pages");
        }

        var id = request.Id ?? $"q-{Guid.NewGuid():N}";
        ResourceNames.Validate(id, "query", "id");
        using var registration = running.Start(id, cancellationToken);
        var control = GrainFactory.GetGrain<ISqlQueryGrain>(id);
        await control.AttachAsync();
        try
        {
            return await RunAsync(request, statement, into, maxRows, id, registration.Token) with { Id = id };
        }
        catch (OperationCanceledException) when (registration.Token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ResourceConflictException($"Query '{id}' was cancelled (DELETE /v1/sql/{id}).");
        }
        finally
        {
            await control.DetachAsync();
        }
    }

    public async Task<SqlResult> ReadPageAsync(string id, long offset, int rows, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(id, "query", "id");
        if (offset < 0 || rows is < 0 or > ISqlGrain.MaxRowsLimit)
        {
            throw FieldError.Invalid($"offset must be 0 or more and rows between 0 and {ISqlGrain.MaxRowsLimit}; got offset {offset}, rows {rows}.", offset < 0 ? "offset" : "rows");
        }

        var (page, total) = await SqlResultFiles.ReadAsync(store, id, offset, rows, cancellationToken);
        return new SqlResult(RowJson.Columns(page.Schema), RowJson.Rows(page), page.RowCount, offset + page.RowCount < total, "", 0, 0) { Id = id, TotalRows = total };
    }

    public async Task<bool> StopAsync(string id)
    {
        ResourceNames.Validate(id, "query", "id");
        var cancelled = await GrainFactory.GetGrain<ISqlQueryGrain>(id).CancelAsync();
        return cancelled | await SqlResultFiles.DeleteAsync(store, id) > 0;
    }

    private async Task<SqlResult> RunAsync(SqlRequest request, SelectStatement statement, string? into, int maxRows, string id, CancellationToken cancellationToken)
    {
        var execution = new SqlExecution(GrainFactory, store, files, request.Query, id, options.Value);
        try
        {
            return await RunAsync(execution, request, statement, into, maxRows, id, cancellationToken);
        }
        finally
        {
            await execution.CleanUpAsync();
        }
    }

    private async Task<SqlResult> RunAsync(SqlExecution execution, SqlRequest request, SelectStatement statement, string? into, int maxRows, string id, CancellationToken cancellationToken)
    {
        var query = await execution.PlanAsync(statement, into is null && !request.Pages ? maxRows : SqlExecution.Unlimited);
        var (name, version, partitions) = execution.Reads is [var first, ..] ? (first.Name, first.Version.Version, first.Version.PartitionCount) : ("", 0, 0); // a query over files only reads no dataset
        var reads = execution.Reads.Select(r => $"{r.Name}@{r.Version.Version}").ToList();
        if (statement.Explain)
        {
            var steps = await ExplainAsync(execution, query, "");
            var explained = System.Text.Json.JsonSerializer.Serialize(steps.Select(s => new { stage = s.Stage, step = s.Step }));
            return new SqlResult([new DatasetColumn("stage", "string", 0), new DatasetColumn("step", "string", 0)], explained, steps.Count, false, name, version, partitions)
            {
                Reads = reads,
            };
        }

        if (into is not null)
        {
            return await CreateVersionAsync(execution, query, into, request.Query, cancellationToken) with { Reads = reads };
        }

        if (request.Pages)
        {
            return await KeepAsync(execution, query, id, maxRows, cancellationToken) with { Dataset = name, Version = version, Partitions = partitions, Reads = reads };
        }

        var (rows, truncated) = await execution.RunAsync(query, cancellationToken);
        return new SqlResult(RowJson.Columns(rows.Schema), RowJson.Rows(rows), rows.RowCount, truncated, name, version, partitions)
        {
            Reads = reads,
        };
    }

    /// <summary>Writes every row of the query under <c>sql-results/{id}/</c> (nothing held whole where the partitions' rows are final) and answers the first page.</summary>
    private async Task<SqlResult> KeepAsync(SqlExecution execution, PlannedQuery query, string id, int pageRows, CancellationToken cancellationToken)
    {
        await SqlResultFiles.DeleteAsync(store, id); // rows an earlier query kept under this id
        try
        {
            var (rows, _, schema) = await execution.WriteAsync(query, i => SqlResultFiles.Part(id, i), cancellationToken);
            await SqlResultFiles.WriteManifestAsync(store, id, schema, rows, cancellationToken);
        }
        catch
        {
            await SqlResultFiles.DeleteAsync(store, id);
            throw;
        }

        return await ReadPageAsync(id, 0, pageRows, cancellationToken);
    }

    /// <summary>
    /// Writes the query's rows as a new version of <paramref name="dataset"/>: a version number reserved,
    /// the parts written (see <see cref="SqlExecution.WriteAsync"/>), then the manifest, then the version
    /// made visible with lineage holding the query and every version it read. Until the manifest is
    /// written a failure deletes what was written; after it, the version is complete and recorded.
    /// </summary>
    private async Task<SqlResult> CreateVersionAsync(SqlExecution execution, PlannedQuery query, string dataset, string text, CancellationToken cancellationToken)
    {
        var target = GrainFactory.GetGrain<IDatasetGrain>(dataset);
        var version = await target.ReserveVersionAsync();
        DatasetVersionInfo info;
        try
        {
            var (rows, bytes, schema) = await execution.WriteAsync(query, i => DatasetPaths.Part(dataset, version, i), cancellationToken);
            var first = execution.Reads.FirstOrDefault();
            info = new DatasetVersionInfo(
                version, time.GetUtcNow(), RowJson.Columns(schema), rows.Sum(), rows, bytes.Sum(), DatasetPaths.Version(dataset, version),
                new DatasetLineage("sql", text, first?.Name, first?.Version.Version, []) { Reads = [.. execution.Reads.Select(r => $"{r.Name}@{r.Version.Version}")] });
            await DatasetManifest.WriteAsync(store, dataset, info, bytes, null, cancellationToken);
        }
        catch
        {
            await DatasetManifest.DeleteVersionFilesAsync(store, dataset, version, CancellationToken.None);
            throw;
        }

        await target.AddVersionAsync(info);
        return new SqlResult(info.Columns, "[]", 0, false, dataset, version, info.PartitionCount) { Written = info.RowCount };
    }

    /// <summary>
    /// The plan's steps: each relation held whole first (how it is read), then where the SELECT runs
    /// (the silos holding the driving dataset's partitions, activating them, not loading them) and what
    /// each stage does. A subquery's steps come before the query that reads them, prefixed with its name.
    /// </summary>
    private async Task<List<(string Stage, string Step)>> ExplainAsync(SqlExecution execution, PlannedQuery query, string prefix)
    {
        var plan = query.Plan;
        var steps = new List<(string Stage, string Step)>();
        var exchanged = execution.Exchanged(query);
        var atCoordinator = query.AtCoordinator && exchanged is null;
        for (var i = 0; i < query.Relations.Count; i++)
        {
            if (i == plan.Driving && !atCoordinator)
            {
                continue;
            }

            if (i == exchanged)
            {
                var other = (DatasetInput)query.Relations[i];
                steps.Add((SqlQuery.PartitionStage, $"{prefix}{plan.Statement.Relations[i].Alias ?? other.Name}: {plan.ScanText(i, other.Name, other.Version.Version)} in its {other.Version.PartitionCount} partition grain(s), each writing its rows to the store split by a hash of the join keys (a hash exchange: too large to send to every partition)"));
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
                    steps.AddRange(await ExplainAsync(execution, subquery.Query, $"{prefix}{alias}: "));
                    steps.Add((SqlQuery.MergeStage, $"{prefix}{alias}: {held}"));
                    break;
                case UnionInput union:
                    for (var b = 0; b < union.Branches.Count; b++)
                    {
                        steps.AddRange(await ExplainAsync(execution, union.Branches[b], $"{prefix}union branch {b + 1}: "));
                    }

                    steps.Add((SqlQuery.MergeStage, $"{prefix}UNION ALL of {union.Branches.Count} branches, {held}"));
                    break;
                case FileInput file:
                    steps.Add((SqlQuery.MergeStage, $"{prefix}{alias}: {file.Relation.Function}('{file.Relation.Path}') read in place at the coordinator, {held}"));
                    break;
                case WindowInput window:
                    steps.AddRange(await ExplainAsync(execution, window.Below, prefix));
                    steps.Add((SqlQuery.MergeStage, $"{prefix}window functions over all those rows, held whole at the coordinator: {string.Join("; ", window.Functions.Select(f => f.Written))}"));
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
        if (exchanged is not null)
        {
            steps.Add((SqlQuery.PartitionStage, $"{prefix}{driving.Name} v{driving.Version.Version}: its {driving.Version.PartitionCount} partition grains (on silo(s) {placement}) write their rows to the store split by a hash of the join keys; each bucket of both is joined in its own grain, placed at random over the silos, and the stage below runs there"));
        }
        else
        {
            steps.Add((SqlQuery.PartitionStage, $"{prefix}runs in {driving.Version.PartitionCount} partition grains of {driving.Name} v{driving.Version.Version} at once, on silo(s) {placement}"));
        }

        if (plan.GroupsMergeByBucket && exchanged is null)
        {
            var order = plan.MergesByBucket ? "" : "; the coordinator puts the buckets' rows in order";
            steps.Add((SqlQuery.MergeStage, execution.HoldsManyValues(plan, driving)
                ? $"{prefix}the exact quantiles' states hold every value of their group: each partition grain writes its partial aggregates to the store split by a hash of the group keys, and each bucket's groups are merged in their own grain{order}"
                : $"{prefix}if the groups take over {options.Value.MergeBytes >> 20} MiB to merge, the partitions' partial aggregates are written to the store split by a hash of the group keys and each bucket's groups are merged in their own grain{order}"));
        }

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
