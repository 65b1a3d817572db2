using System.Collections.Immutable;
using OrleansMl.Catalog;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Data.Transforms;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;
using SyntaxUnion = OrleansMl.Data.Sql.UnionRelation;

namespace OrleansMl.Sql;

/// <summary>
/// One query at the coordinator. Planning resolves every relation (datasets to their versions, WITH
/// names, subqueries, UNION ALL, the rows below window functions, files read in place) and plans every
/// SELECT before anything is read. Running a SELECT
/// drives it from one dataset's partition grains when it can: every other relation is read first
/// (a dataset through its own partition grains, only the columns the query reads, filtered by the
/// conditions on it alone), held whole under the query's memory budget, and broadcast to each
/// partition grain, which joins its rows to them. A dataset joined first whose columns are estimated
/// past <see cref="SqlOptions.BroadcastBytes"/> is instead exchanged with the driving one through the
/// store (both split by a hash of the join keys, each bucket joined in an <see cref="ISqlBucketGrain"/>),
/// and a GROUP BY whose partial aggregates pass <see cref="SqlOptions.MergeBytes"/> is merged bucket by
/// bucket the same way. A SELECT over subqueries only, or whose join keeps the unmatched rows of a
/// broadcast relation (RIGHT, FULL), runs at the coordinator.
/// </summary>
internal sealed class SqlExecution(IGrainFactory grains, IArtifactStore store, DatasetImporter files, string text, string id, SqlOptions options)
{
    /// <summary>The most buckets of one hash exchange.</summary>
    public const int MaxBuckets = 1024;

    /// <summary>The row cap of a relation held whole (a subquery's or a broadcast dataset's rows, a result written to a dataset): none but the memory budget.</summary>
    public const int Unlimited = int.MaxValue - 1;

    /// <summary>The most rows of one part file when the coordinator writes a result (one partition's rows are written where they are).</summary>
    private const int RowsPerPart = 1_000_000;

    private readonly Dictionary<PlannedQuery, Task<ColumnBatch>> _held = new(ReferenceEqualityComparer.Instance);
    private long _heldBytes;
    private int _exchanges;

    /// <summary>Where this query's hash exchanges write (under its kept rows' folder, so the retention sweep of those finds what a crash left).</summary>
    private string ExchangeFolder => $"{SqlResultFiles.Folder}{id}/exchange/";

    /// <summary>The dataset versions the query reads, in the order met.</summary>
    public List<DatasetInput> Reads { get; } = [];

    public async Task<PlannedQuery> PlanAsync(SelectStatement statement, int maxRows) =>
        await PlanAsync(statement, ImmutableDictionary.Create<string, PlannedQuery>(StringComparer.OrdinalIgnoreCase), maxRows);

    private async Task<PlannedQuery> PlanAsync(SelectStatement statement, ImmutableDictionary<string, PlannedQuery> named, int maxRows)
    {
        foreach (var common in statement.With)
        {
            named = named.SetItem(common.Name, await PlanAsync(common.Query, named, Unlimited));
        }

        var sources = new List<PlannedInput>();
        foreach (var relation in statement.Relations)
        {
            sources.Add(relation switch
            {
                TableReference { Version: null } table when named.TryGetValue(table.Name, out var common) => new SubqueryInput(common),
                TableReference table => await DatasetAsync(table),
                SubqueryRelation subquery => new SubqueryInput(await PlanAsync(subquery.Query, named, Unlimited)),
                SyntaxUnion union => await UnionAsync(union, named),
                WindowRelation window => await WindowAsync(window, named),
                FileRelation file => await FileAsync(file),
                _ => throw new InvalidOperationException($"Unknown relation {relation.GetType().Name}."),
            });
        }

        var driving = SqlQuery.ChooseDriving(statement, [.. sources.Select(s => s is DatasetInput d ? d.Version.RowCount : (long?)null)]);
        var plan = SqlGrain.Checked(() => SqlQuery.Plan(text, statement, [.. sources.Select(s => s.Schema)], driving, maxRows));
        return new PlannedQuery(plan, text.Substring(statement.Position, statement.Length), sources);
    }

    private async Task<DatasetInput> DatasetAsync(TableReference table)
    {
        ResourceNames.Validate(table.Name, "dataset", "query");
        var dataset = await grains.GetGrain<IDatasetGrain>(table.Name).GetAsync();
        var version = dataset?.Versions.LastOrDefault(v => table.Version is null || v.Version == table.Version)
            ?? throw await UnknownVersionAsync(table, dataset);
        var source = new DatasetInput(table.Name, version);
        if (!Reads.Exists(r => r.Name == source.Name && r.Version.Version == version.Version))
        {
            Reads.Add(source);
        }

        return source;
    }

    /// <summary>The branches planned, and the columns of the union: the first branch's names; a number where one branch has integers and another floats, text where one has categories and another text.</summary>
    private async Task<UnionInput> UnionAsync(SyntaxUnion union, ImmutableDictionary<string, PlannedQuery> named)
    {
        var branches = new List<PlannedQuery>();
        foreach (var branch in union.Branches)
        {
            branches.Add(await PlanAsync(branch, named, Unlimited));
        }

        var columns = branches[0].Plan.ResultSchema.Columns.ToArray();
        for (var b = 1; b < branches.Count; b++)
        {
            var other = branches[b].Plan.ResultSchema.Columns;
            var at = union.Branches[b];
            if (other.Count != columns.Length)
            {
                throw QueryError(at.Position, at.Length, $"This UNION ALL branch has {other.Count} column(s) where the first has {columns.Length}");
            }

            for (var c = 0; c < columns.Length; c++)
            {
                columns[c] = columns[c] with
                {
                    Type = UnionType(columns[c], other[c])
                        ?? throw QueryError(at.Position, at.Length, $"Column {c + 1} of this UNION ALL branch is {other[c].Type.ToString().ToLowerInvariant()} where the first branch's ('{columns[c].Name}') is {columns[c].Type.ToString().ToLowerInvariant()}"),
                };
            }
        }

        return new UnionInput(branches, new DatasetSchema(columns));
    }

    /// <summary>The query below the window functions planned, and the columns they add.</summary>
    private async Task<WindowInput> WindowAsync(WindowRelation window, ImmutableDictionary<string, PlannedQuery> named)
    {
        var below = await PlanAsync(window.Query, named, Unlimited);
        var input = below.Plan.ResultSchema;
        var columns = window.Functions.Select(f => SqlGrain.Checked(() => SqlWindow.ResultColumn(text, f, input))).ToList();
        return new WindowInput(below, window.Functions, columns, new DatasetSchema([.. input.Columns, .. columns]));
    }

    /// <summary>A file read in place: checked as an import would check it (allowed folders, format), its columns read as an import would read them.</summary>
    private async Task<FileInput> FileAsync(FileRelation file)
    {
        var source = file.Path.StartsWith(FileRelation.ArtifactPrefix, StringComparison.Ordinal)
            ? new DatasetSource(Artifact: file.Path[FileRelation.ArtifactPrefix.Length..])
            : new DatasetSource(file.Path);
        var delimiter = file.Options.TryGetValue("delim", out var delim) || file.Options.TryGetValue("sep", out delim) ? delim as string : null;
        var header = file.Options.TryGetValue("header", out var value) ? value as bool? : null;
        if (delimiter is { Length: not 1 } || (file.Options.ContainsKey("header") && header is null))
        {
            throw QueryError(file.Position, file.Length, $"{file.Function}'s options are delim = 'one character' and header = true or false");
        }

        var request = new ImportRequest(source, FileRelation.Formats[file.Function], new ImportOptions(Delimiter: delimiter, HasHeader: header));
        try
        {
            return new FileInput(file, request, await files.ReadSchemaAsync(request, CancellationToken.None));
        }
        catch (Exception e) when (e is ArgumentException or Data.Formats.DataFormatException or SchemaException or ArtifactNotFoundException)
        {
            throw QueryError(file.Position, file.Length, $"{file.Function}('{file.Path}') cannot be read: {e.Message.TrimEnd('.')}");
        }
    }

    private static ColumnType? UnionType(ColumnSchema first, ColumnSchema other) => (first.Type, other.Type) switch
    {
        var (a, b) when a == b && first.VectorLength == other.VectorLength => a,
        (ColumnType.Int64, ColumnType.Float64) or (ColumnType.Float64, ColumnType.Int64) => ColumnType.Float64,
        (ColumnType.String, ColumnType.Categorical) or (ColumnType.Categorical, ColumnType.String) => ColumnType.String,
        _ => null,
    };

    /// <summary>Runs a planned SELECT: its rows, and whether rows past its row cap were cut.</summary>
    public async Task<(ColumnBatch Rows, bool Truncated)> RunAsync(PlannedQuery query, CancellationToken cancellationToken) =>
        await GatherAsync(query, await ExecuteAsync(query, cancellationToken), cancellationToken);

    /// <summary>The result of an executed SELECT: the merged one, or the buckets' groups put together (under the budget) and put in order.</summary>
    private async Task<(ColumnBatch Rows, bool Truncated)> GatherAsync(
        PlannedQuery query, ((ColumnBatch Rows, bool Truncated)? Merged, SqlBucket[]? Groups) executed, CancellationToken cancellationToken)
    {
        if (executed.Merged is { } result)
        {
            return result;
        }

        var schema = query.Plan.ProjectedSchema;
        var parts = new List<ColumnBatch>();
        var rows = 0L;
        foreach (var bytes in await Task.WhenAll(executed.Groups!.Select(b => Bucket(b).RunAsync(b, cancellationToken))))
        {
            var part = await SqlBatches.DecodeAsync(bytes, schema, cancellationToken);
            rows += part.RowCount;
            Hold(part.EstimatedBytes, () => $"This query's groups take over {options.QueryBytes >> 20} MiB to answer ({rows:N0} rows so far); write them to a dataset (?into=name) or page them (pages) instead.");
            parts.Add(part);
        }

        var all = ColumnBatch.Concat(schema, parts);
        return await Task.Run(() => query.Plan.Order(all), cancellationToken);
    }

    /// <summary>
    /// Runs a planned SELECT and writes every row as part files (part <c>i</c> to <paramref name="partPath"/>(i)): where the partitions' rows are final (<see cref="SqlQuery.Streams"/>),
    /// each partition grain (or bucket of a hash exchange) writes its own part and no row travels; a GROUP BY merged
    /// bucket by bucket writes a part per bucket; otherwise the coordinator writes the result it merged, in parts of at
    /// most a million rows. The rows and bytes of each part, and the columns.
    /// </summary>
    public async Task<(long[] Rows, long[] Bytes, DatasetSchema Schema)> WriteAsync(PlannedQuery query, Func<int, string> partPath, CancellationToken cancellationToken)
    {
        var plan = query.Plan;
        var exchanged = Exchanged(query);
        PartitionWrite[]? writes = null;
        if (plan.Streams && exchanged is { } relation)
        {
            var buckets = await ExchangeAsync(query, await StageAsync(query, await HoldAllAsync(query, relation, cancellationToken), relation, cancellationToken), relation, cancellationToken);
            writes = await Task.WhenAll(buckets.Select((b, i) => Bucket(b).WriteAsync(b, partPath(i), cancellationToken)));
        }
        else if (plan.Streams && !query.AtCoordinator)
        {
            var (driving, stage) = await StageAsync(query, await HoldAllAsync(query, null, cancellationToken), null, cancellationToken);
            writes = await Task.WhenAll(DatasetFiles.Partitions(grains, driving.Name, driving.Version)
                .Select((p, i) => p.WriteQueryAsync(stage, partPath(i), cancellationToken)));
        }
        else if (await ExecuteAsync(query, cancellationToken) is var executed && executed is (null, { } groups) && plan.MergesByBucket)
        {
            writes = await Task.WhenAll(groups.Select((b, i) => Bucket(b).WriteAsync(b, partPath(i), cancellationToken)));
        }
        else
        {
            return await WriteMergedAsync((await GatherAsync(query, executed, cancellationToken)).Rows, partPath, cancellationToken);
        }

        return ([.. writes.Select(w => w.Rows[0])], [.. writes.Select(w => w.Bytes[0])], plan.ResultSchema);
    }

    /// <summary>A result merged at the coordinator written in parts of at most a million rows.</summary>
    private async Task<(long[] Rows, long[] Bytes, DatasetSchema Schema)> WriteMergedAsync(ColumnBatch rows, Func<int, string> partPath, CancellationToken cancellationToken)
    {
        var count = Math.Max(1, (rows.RowCount + RowsPerPart - 1) / RowsPerPart);
        var partRows = new long[count];
        var partBytes = new long[count];
        for (var i = 0; i < count; i++)
        {
            var part = rows.Slice(i * RowsPerPart, Math.Min(RowsPerPart, rows.RowCount - (i * RowsPerPart)));
            partRows[i] = part.RowCount;
            partBytes[i] = await PartFiles.WriteAsync(store, partPath(i), part, cancellationToken);
        }

        return (partRows, partBytes, rows.Schema);
    }

    /// <summary>
    /// The relation a SELECT exchanges with its driving dataset instead of broadcasting it: the dataset it joins first
    /// on equality keys, when the columns the query reads of it are estimated over <see cref="SqlOptions.BroadcastBytes"/>. Null when none.
    /// </summary>
    public int? Exchanged(PlannedQuery query) =>
        query.Plan.ExchangeRelation is { } relation && query.Relations[query.Plan.Driving] is DatasetInput
        && query.Relations[relation] is DatasetInput dataset && EstimateBytes(dataset, query.Plan.RelationSchema(relation)) > options.BroadcastBytes
            ? relation
            : null;

    /// <summary>The bytes a dataset's <paramref name="columns"/> take in memory, estimated from its row count: 8 per number, 32 per text value.</summary>
    private static long EstimateBytes(DatasetInput dataset, DatasetSchema columns) =>
        dataset.Version.RowCount * columns.Columns.Sum(c => c.Type switch
        {
            ColumnType.String or ColumnType.Categorical => 32L,
            ColumnType.Boolean => 1L,
            _ => 8L * Math.Max(1, c.VectorLength),
        });

    /// <summary>
    /// Runs a SELECT to its result merged at the coordinator, or, when its partial aggregates are more than
    /// <see cref="SqlOptions.MergeBytes"/> and its groups can be merged bucket by bucket, to the buckets of a
    /// hash exchange by group, written and ready to run.
    /// </summary>
    private async Task<((ColumnBatch Rows, bool Truncated)? Merged, SqlBucket[]? Groups)> ExecuteAsync(PlannedQuery query, CancellationToken cancellationToken)
    {
        var plan = query.Plan;
        var exchanged = Exchanged(query);
        var relations = await HoldAllAsync(query, exchanged, cancellationToken);
        if (exchanged is null && query.AtCoordinator)
        {
            // Off the grain's turn: a merge over millions of rows (an exact median of 2M values: about a second) must not hold the scheduler.
            return (await Task.Run(() => SqlGrain.Checked(() => plan.Finish([plan.RunPartition(relations!)])), cancellationToken), null);
        }

        var (driving, stage) = await StageAsync(query, relations, exchanged, cancellationToken);
        var byGroup = exchanged is null && plan.GroupsMergeByBucket;
        if (byGroup && HoldsManyValues(plan, driving))
        {
            return (null, await ScatterGroupsAsync(query, stage, driving, cancellationToken));
        }

        var parts = exchanged is { } relation
            ? await Task.WhenAll((await ExchangeAsync(query, (driving, stage), relation, cancellationToken)).Select(b => Bucket(b).RunAsync(b, cancellationToken)))
            : await Task.WhenAll(DatasetFiles.Partitions(grains, driving.Name, driving.Version).Select(p => p.QueryAsync(stage, cancellationToken)));
        var limit = byGroup ? Math.Min(options.MergeBytes, options.QueryBytes - _heldBytes) : options.QueryBytes - _heldBytes;
        var partials = new List<ColumnBatch>(parts.Length);
        long bytes = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var partial = await SqlBatches.DecodeAsync(parts[i], plan.PartialSchema, cancellationToken);
            bytes += partial.EstimatedBytes;
            if (bytes > limit && byGroup)
            {
                // Too many groups to merge here: the parts (all received) are split by group key into the store, and each bucket merges its own.
                partials.Clear();
                var estimate = bytes * parts.Length / (i + 1);
                return (null, await ExchangeGroupsAsync(query, stage, parts, Buckets(estimate, driving.Version.PartitionCount), cancellationToken));
            }

            if (bytes > limit)
            {
                throw FieldError.Invalid(
                    $"This query's parts from the partitions of {driving.Name} take over {options.QueryBytes >> 20} MiB to merge ({partials.Sum(p => p.RowCount) + partial.RowCount:N0} rows or groups so far); group by fewer distinct values, filter, or add LIMIT.", "query");
            }

            partials.Add(partial);
        }

        return (await Task.Run(() => SqlGrain.Checked(() => plan.Finish(partials)), cancellationToken), null);
    }

    /// <summary>
    /// The hash exchange of a join: the driving dataset's and <paramref name="relation"/>'s partition grains each write
    /// their rows (filtered, only the columns read) split by a hash of the join keys; one bucket per part of the answer.
    /// </summary>
    private async Task<SqlBucket[]> ExchangeAsync(PlannedQuery query, (DatasetInput Driving, SqlStage Stage) staged, int relation, CancellationToken cancellationToken)
    {
        var (driving, stage) = staged;
        var other = (DatasetInput)query.Relations[relation];
        var estimate = EstimateBytes(driving, query.Plan.RelationSchema(query.Plan.Driving)) + EstimateBytes(other, query.Plan.RelationSchema(relation));
        var exchange = NewExchange(relation, Buckets(estimate, Math.Max(driving.Version.PartitionCount, other.Version.PartitionCount)));
        stage = stage with { Exchange = exchange };
        var sides = await Task.WhenAll(
            ScatterAsync(driving, stage, query.Plan.Driving, cancellationToken),
            ScatterAsync(other, stage, relation, cancellationToken));
        return [.. Enumerable.Range(0, exchange.Buckets).Select(b => new SqlBucket(stage, b, Files(exchange, sides[0], query.Plan.Driving, b), Files(exchange, sides[1], relation, b)))];
    }

    /// <summary>
    /// The hash exchange of GROUP BY: the partitions' parts, decoded one at a time, split by a hash of the group keys
    /// and written to the store (part <c>p</c>'s share of bucket <c>b</c> as one file); no partition runs its stage again.
    /// </summary>
    private async Task<SqlBucket[]> ExchangeGroupsAsync(PlannedQuery query, SqlStage stage, byte[][] parts, int buckets, CancellationToken cancellationToken)
    {
        var exchange = NewExchange(SqlExchange.Groups, buckets);
        stage = stage with { Exchange = exchange, Tables = WithColumns(stage.Tables, query, query.Plan.Driving) };
        var counts = new long[parts.Length][];
        for (var p = 0; p < parts.Length; p++)
        {
            var partial = await SqlBatches.DecodeAsync(parts[p], query.Plan.PartialSchema, cancellationToken);
            var split = await Task.Run(() => query.Plan.ScatterGroups(partial, buckets), cancellationToken);
            counts[p] = await SqlBatches.StoreBucketsAsync(store, split, b => exchange.File(SqlExchange.Groups, b, p), cancellationToken);
        }

        return [.. Enumerable.Range(0, buckets).Select(b => new SqlBucket(stage, b, Files(exchange, counts, SqlExchange.Groups, b), []))];
    }

    /// <summary>
    /// True when the states of the query's exact quantiles (every value of a group) may pass what a partition may send
    /// back or the coordinator merge: the driving dataset's rows, 8 bytes a value, over a quarter of either.
    /// </summary>
    public bool HoldsManyValues(SqlQuery plan, DatasetInput driving)
    {
        var bytes = ValueBytes(plan, driving);
        return bytes > options.MergeBytes / 4 || bytes / Math.Max(1, driving.Version.PartitionCount) > SqlBatches.MaxPartBytes / 4;
    }

    /// <summary>At most what the exact quantiles' states hold over the driving dataset: every row's value, 8 bytes each.</summary>
    private static long ValueBytes(SqlQuery plan, DatasetInput driving) => driving.Version.RowCount * 8L * plan.ValueAggregates;

    /// <summary>
    /// The hash exchange of GROUP BY straight from the partitions: each partition grain writes its partial aggregates
    /// split by a hash of the group keys to the store, and nothing comes back through the coordinator but counts.
    /// </summary>
    private async Task<SqlBucket[]> ScatterGroupsAsync(PlannedQuery query, SqlStage stage, DatasetInput driving, CancellationToken cancellationToken)
    {
        var exchange = NewExchange(SqlExchange.Groups, Buckets(ValueBytes(query.Plan, driving), driving.Version.PartitionCount));
        var counts = await ScatterAsync(driving, stage with { Exchange = exchange }, SqlExchange.Groups, cancellationToken);
        var buckets = stage with { Exchange = exchange, Tables = WithColumns(stage.Tables, query, query.Plan.Driving) };
        return [.. Enumerable.Range(0, exchange.Buckets).Select(b => new SqlBucket(buckets, b, Files(exchange, counts, SqlExchange.Groups, b), []))];
    }

    private Task<long[][]> ScatterAsync(DatasetInput dataset, SqlStage stage, int relation, CancellationToken cancellationToken) =>
        Task.WhenAll(DatasetFiles.Partitions(grains, dataset.Name, dataset.Version).Select((p, i) => p.ScatterQueryAsync(stage, relation, i, cancellationToken)));

    /// <summary>The files of bucket <paramref name="bucket"/>: those of the partitions that wrote rows to it.</summary>
    private static string[] Files(SqlExchange exchange, long[][] counts, int relation, int bucket) =>
        [.. Enumerable.Range(0, counts.Length).Where(p => counts[p][bucket] > 0).Select(p => exchange.File(relation, bucket, p))];

    /// <summary>Buckets for an exchange of about <paramref name="bytes"/>: at least one per partition, and enough that one bucket holds a quarter of a query's budget.</summary>
    private int Buckets(long bytes, int partitions) =>
        (int)Math.Clamp(Math.Max(partitions, (bytes / Math.Max(1, options.QueryBytes / 4)) + 1), 1, MaxBuckets);

    private SqlExchange NewExchange(int relation, int buckets) => new($"{ExchangeFolder}{++_exchanges}/", relation, buckets);

    private ISqlBucketGrain Bucket(SqlBucket bucket) => grains.GetGrain<ISqlBucketGrain>($"{bucket.Stage.Exchange!.Folder}{bucket.Number:D5}");

    /// <summary>Counts <paramref name="bytes"/> more against the query's budget; past it, a 400 with <paramref name="problem"/>'s text.</summary>
    private void Hold(long bytes, Func<string> problem)
    {
        _heldBytes += bytes;
        if (_heldBytes > options.QueryBytes)
        {
            throw FieldError.Invalid(problem(), "query");
        }
    }

    /// <summary>Deletes the files every hash exchange of this query wrote (a crash leaves them to the retention sweep of <c>sql-results/</c>).</summary>
    public async Task CleanUpAsync()
    {
        if (_exchanges == 0)
        {
            return;
        }

        await foreach (var file in store.ListAsync(ExchangeFolder))
        {
            await store.DeleteAsync(file.Path);
        }
    }

    /// <summary>Every relation the coordinator holds whole: all but the driving one and the one exchanged with it, or all when the SELECT runs at the coordinator.</summary>
    private async Task<ColumnBatch?[]> HoldAllAsync(PlannedQuery query, int? exchanged, CancellationToken cancellationToken)
    {
        var relations = new ColumnBatch?[query.Relations.Count];
        for (var i = 0; i < relations.Length; i++)
        {
            if ((i != query.Plan.Driving || (query.AtCoordinator && exchanged is null)) && i != exchanged)
            {
                relations[i] = await HoldAsync(query, i, cancellationToken);
            }
        }

        return relations;
    }

    /// <summary>
    /// The stage the driving dataset's partition grains run: the SELECT's text and every other relation, held, encoded once;
    /// in a hash exchange with <paramref name="exchanged"/>, that relation and the driving one as their columns only.
    /// </summary>
    private async Task<(DatasetInput Driving, SqlStage Stage)> StageAsync(PlannedQuery query, ColumnBatch?[] relations, int? exchanged, CancellationToken cancellationToken)
    {
        var tables = new SqlTable?[relations.Length];
        for (var i = 0; i < relations.Length; i++)
        {
            if (relations[i] is { } rows)
            {
                // Only the columns the query reads travel (a subquery's rows hold all of its columns); the partitions decode them as RelationSchema.
                var read = new ColumnBatch([.. query.Plan.RelationColumns(i).Select(c => rows[c])]);
                tables[i] = new SqlTable(RowJson.Columns(query.Relations[i].Schema), await SqlBatches.EncodeBroadcastAsync(read, Describe(query, i), cancellationToken));
            }
        }

        if (exchanged is { } relation)
        {
            tables = WithColumns(tables, query, query.Plan.Driving, relation);
        }

        return ((DatasetInput)query.Relations[query.Plan.Driving], new SqlStage(query.Text, query.Plan.MaxRows, query.Plan.Driving, tables));
    }

    /// <summary>The stage's tables with <paramref name="relations"/> given as their columns without rows (what a bucket plans with).</summary>
    private static SqlTable?[] WithColumns(IReadOnlyList<SqlTable?> tables, PlannedQuery query, params int[] relations)
    {
        var copy = tables.ToArray();
        foreach (var relation in relations)
        {
            copy[relation] = new SqlTable(RowJson.Columns(query.Relations[relation].Schema), []);
        }

        return copy;
    }

    /// <summary>Relation <paramref name="index"/> of <paramref name="query"/> read whole (only the columns the query reads), counted against the budget.</summary>
    private async Task<ColumnBatch> HoldAsync(PlannedQuery query, int index, CancellationToken cancellationToken)
    {
        var rows = query.Relations[index] switch
        {
            DatasetInput dataset => await ScanAsync(query.Plan, index, dataset, cancellationToken),
            SubqueryInput subquery => await SharedAsync(subquery.Query, cancellationToken),
            UnionInput union => await ConcatAsync(union, cancellationToken),
            WindowInput window => await WindowRowsAsync(window, cancellationToken),
            FileInput file => await ReadFileAsync(file, cancellationToken),
            var other => throw new InvalidOperationException($"Unknown relation {other.GetType().Name}."),
        };
        Hold(rows.EstimatedBytes, () =>
            $"{Describe(query, index)} is too large to hold for this query: the relations it holds whole take over {options.QueryBytes >> 20} MiB ({rows.RowCount:N0} rows in this one); drive the query from the largest dataset, filter the others, or read fewer columns.");

        return rows;
    }

    private async Task<ColumnBatch> ScanAsync(SqlQuery plan, int index, DatasetInput dataset, CancellationToken cancellationToken)
    {
        var scanText = plan.ScanText(index, dataset.Name, dataset.Version.Version);
        var scan = SqlGrain.Checked(() => SqlQuery.Plan(scanText, SqlQuery.Parse(scanText), dataset.Schema, Unlimited));
        return (await RunAsync(new PlannedQuery(scan, scanText, [dataset]), cancellationToken)).Rows;
    }

    /// <summary>A subquery's or WITH query's rows, run once however often the query reads them.</summary>
    private Task<ColumnBatch> SharedAsync(PlannedQuery query, CancellationToken cancellationToken)
    {
        if (!_held.TryGetValue(query, out var rows))
        {
            rows = RunWholeAsync(query, cancellationToken);
            _held[query] = rows;
        }

        return rows;
    }

    private async Task<ColumnBatch> RunWholeAsync(PlannedQuery query, CancellationToken cancellationToken) => (await RunAsync(query, cancellationToken)).Rows;

    private async Task<ColumnBatch> ReadFileAsync(FileInput file, CancellationToken cancellationToken)
    {
        var (function, path) = (file.Relation.Function, file.Relation.Path);
        try
        {
            return await files.ReadWholeAsync(file.Request, options.QueryBytes - _heldBytes, rows => FieldError.Invalid(
                $"{function}('{path}') holds more than this query may hold ({options.QueryBytes >> 20} MiB, passed after {rows:N0} rows); import it as a dataset to query it in parallel.", "query"), cancellationToken);
        }
        catch (Exception e) when (e is Data.Formats.DataFormatException or SchemaException)
        {
            throw FieldError.Invalid($"{function}('{path}') cannot be read: {e.Message}", "query");
        }
    }

    /// <summary>The rows below the window functions, with their columns: the rows run like any query, the windows over all of them here.</summary>
    private async Task<ColumnBatch> WindowRowsAsync(WindowInput window, CancellationToken cancellationToken)
    {
        var rows = (await RunAsync(window.Below, cancellationToken)).Rows;
        return await Task.Run(() => SqlGrain.Checked(() => SqlWindow.Compute(rows, window.Functions, window.Columns)), cancellationToken);
    }

    private async Task<ColumnBatch> ConcatAsync(UnionInput union, CancellationToken cancellationToken)
    {
        var parts = new List<ColumnBatch>(union.Branches.Count);
        foreach (var branch in union.Branches)
        {
            var rows = (await RunAsync(branch, cancellationToken)).Rows;
            // A branch's column as the union's: integers as floats where another branch has floats; the union's names.
            parts.Add(new ColumnBatch(union.Schema, [.. rows.Columns.Select((c, i) => ColumnCast.Cast(c, union.Schema[i].Type).WithSchema(union.Schema[i]))]));
        }

        return ColumnBatch.Concat(union.Schema, parts);
    }

    private static string Describe(PlannedQuery query, int index) => query.Relations[index] switch
    {
        DatasetInput dataset => $"Dataset {dataset.Name} v{dataset.Version.Version}",
        SubqueryInput => $"Subquery {query.Plan.Statement.Relations[index].Alias ?? (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        UnionInput => "The UNION ALL",
        FileInput file => $"{file.Relation.Function}('{file.Relation.Path}')",
        _ => "The rows below the window functions",
    };

    /// <summary>A 400 pointing at the dataset in the query: no such dataset (and the closest name there is), or no such version.</summary>
    private async Task<ArgumentException> UnknownVersionAsync(TableReference table, DatasetInfo? dataset)
    {
        string problem, detail;
        if (dataset is null || dataset.Versions.Count == 0)
        {
            var names = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).ListAsync();
            problem = $"Dataset '{table.Name}' does not exist (or has no version yet)";
            detail = NameSuggestions.Closest(table.Name, names) is { } closest ? $"; did you mean '{closest}'?" : ".";
        }
        else
        {
            problem = $"Dataset '{table.Name}' has no version {table.Version}";
            detail = $" (versions: {string.Join(", ", dataset.Versions.Select(v => v.Version))}).";
        }

        return QueryError(table.Position, table.Length, problem, detail);
    }

    private ArgumentException QueryError(int position, int length, string problem, string detail = ".") =>
        FieldError.Invalid(new ExpressionException(text, position, length, problem, detail).Message, "query");
}
