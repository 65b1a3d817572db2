using Microsoft.Extensions.Logging;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Statistics;
using OrleansMl.Data.Transforms;
using OrleansMl.Knn;
using OrleansMl.Linear;
using OrleansMl.Ml.Knn;
using OrleansMl.Pipelines;
using OrleansMl.Serving;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>
/// One partition of a dataset version. The Parquet file's columns are read on first use into an in-memory
/// columnar cache that lives as long as the activation, column by column (a SQL query decodes only the
/// columns it reads; other work reads them all): idle partitions are deactivated after
/// <see cref="CollectionAgeLimitAttribute"/> and their memory is freed. Heavy work runs off the
/// grain scheduler (Task.Run), one request at a time per partition; partitions of a version run in parallel.
/// </summary>
[GrainType("orleansml.partition")]
[PartitionPlacement]
[CollectionAgeLimit(Minutes = 10)]
public sealed partial class PartitionGrain(
    IArtifactStore store, PartitionTransformRegistry udfs, PredictorCache predictors, TimeProvider time, ILocalSiloDetails silo, PartitionCacheBudget cache,
    ILogger<PartitionGrain> logger)
    : Grain, IPartitionGrain
{
    /// <summary>The part file's columns, from its footer, once anything was read.</summary>
    private DatasetSchema? _schema;

    /// <summary>What the part file's footer says of its integer and timestamp columns (for skipping it), once read.</summary>
    private IReadOnlyDictionary<string, Data.Sql.ColumnRange>? _ranges;

    /// <summary>The same for each row group of the part file (for reading only some of them), once read.</summary>
    private IReadOnlyList<IReadOnlyDictionary<string, Data.Sql.ColumnRange>> _rowGroupRanges = [];

    /// <summary>Whether this activation has answered a query from some row groups of the file without caching them.</summary>
    private bool _readSomeRowGroups;

    /// <summary>The cached columns, by their index in <see cref="_schema"/>; null where not read yet.</summary>
    private Column?[] _columns = [];
    private (string Key, KnnIndex Index, long[] Labels)? _knn;
    private (string Dataset, int Version, int Index) _key;
    private string _path = "";

    /// <summary>The cached columns' bytes as last reported to the silo's <see cref="PartitionCacheBudget"/>.</summary>
    private long _reportedBytes;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = DatasetPaths.ParsePartitionKey(this.GetPrimaryKeyString());
        _path = DatasetPaths.Part(_key.Dataset, _key.Version, _key.Index);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        cache.Use(this.GetPrimaryKeyString(), 0);
        StopTorchReplicas();
        return Task.CompletedTask;
    }

    public Task DropCacheAsync()
    {
        // Queries running now keep the columns they hold; the next use reads them again from the store.
        _columns = new Column?[_columns.Length];
        _knn = null;
        ReportCache();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Tells the silo's budget that this partition was used and what its columns hold now, and asks the least recently
    /// used partitions to let theirs go when the silo holds more than the budget.
    /// </summary>
    private void ReportCache()
    {
        var bytes = _knn?.Index.EstimatedBytes ?? 0;
        foreach (var column in _columns)
        {
            bytes += column?.EstimatedBytes ?? 0;
        }

        _reportedBytes = bytes;
        Touch();
    }

    /// <summary>Marks this partition used now; partitions the budget picks to make room are asked to let go (not awaited).</summary>
    private void Touch()
    {
        foreach (var victim in cache.Use(this.GetPrimaryKeyString(), _reportedBytes))
        {
            GrainFactory.GetGrain<IPartitionGrain>(victim).DropCacheAsync().Ignore();
        }
    }

    public Task<PartitionInfo> GetInfoAsync() => Task.FromResult(Info());

    public async Task<byte[]> SketchAsync(IReadOnlyList<TransformStep> steps, IReadOnlyList<string>? columns, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(cancellationToken);
        return await Task.Run(() => DatasetSketch.Compute(Apply(rows, steps), columns).ToBytes(), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DistinctAsync(IReadOnlyList<TransformStep> steps, string column, int maxValues)
    {
        var rows = Apply(await LoadAsync(CancellationToken.None), steps);
        var values = new SortedSet<string>(StringComparer.Ordinal);
        if (rows[column] is not StringColumn text)
        {
            throw new ArgumentException($"Column '{column}' is {rows[column].Type.ToString().ToLowerInvariant()}; categories need a string or categorical column.");
        }

        foreach (var value in text.Values)
        {
            if (value is not null && values.Add(value) && values.Count > maxValues)
            {
                throw new ArgumentException($"Column '{column}' has more than {maxValues} distinct values; that is too many categories to encode.");
            }
        }

        return [.. values];
    }

    public async Task<IReadOnlyList<string>> HeadAsync(int rows)
    {
        var batch = await LoadAsync(CancellationToken.None);
        var count = Math.Min(rows, batch.RowCount);
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = RowJson.Row(batch, i);
        }

        return result;
    }

    public async Task<PartitionSample> SampleAsync(int rows, long seed)
    {
        var batch = await LoadAsync(CancellationToken.None);
        var keys = new ulong[batch.RowCount];
        var order = new int[batch.RowCount];
        var basis = (long)_key.Index << 40;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = RowHash.Key(seed, basis + i);
            order[i] = i;
        }

        Array.Sort(keys, order);
        var count = Math.Min(rows, keys.Length);
        return new PartitionSample(keys[..count], [.. order[..count].Select(i => RowJson.Row(batch, i))]);
    }

    public async Task<KnnNeighbors> KnnSearchAsync(KnnSearch search, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(cancellationToken);
        var (index, labels) = KnnIndexFor(rows, search);
        if (index.Dimension != search.Dimension || search.Queries.Length % search.Dimension != 0)
        {
            throw new ArgumentException($"The queries have {search.Dimension} values each; '{search.FeatureColumn}' has {index.Dimension}.");
        }

        var k = search.K;
        var neighbors = new Neighbor[search.Queries.Length / search.Dimension * k];
        await Ml.LongWork.Run(() => index.Search(search.Queries, k, neighbors), cancellationToken);
        var distances = new float[neighbors.Length];
        var found = new int[neighbors.Length];
        var classes = new long[neighbors.Length];
        for (var i = 0; i < neighbors.Length; i++)
        {
            distances[i] = neighbors[i].Distance;
            found[i] = neighbors[i].Index;
            classes[i] = neighbors[i].Index >= 0 ? labels[neighbors[i].Index] : -1;
        }

        return new KnnNeighbors(distances, found, classes);
    }

    public async Task<LinearGradient> LinearGradientAsync(LinearGradientRequest request, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(cancellationToken);
        var features = Features(rows, request.FeatureColumn, "Linear training");

        if (rows.Schema.IndexOf(request.LabelColumn) < 0 || rows[request.LabelColumn].Nulls is not null)
        {
            throw new ArgumentException($"Linear training needs a label column '{request.LabelColumn}' without nulls.");
        }

        var objective = LinearObjectives.Create(request.Kind, request.Classes);
        var gradient = new double[request.Weights.Length];
        var loss = await Task.Run(() => rows[request.LabelColumn] switch
        {
            Int64Column labels => objective.AddLossAndGradient(features.Values, features.Dimension, labels.Values, request.Weights, gradient),
            Float64Column targets => objective.AddLossAndGradient(features.Values, features.Dimension, targets.Values, request.Weights, gradient),
            var other => throw new ArgumentException($"Label column '{request.LabelColumn}' is {other.Type.ToString().ToLowerInvariant()}; it needs int64 classes or float64 targets."),
        }, cancellationToken);
        return new LinearGradient(loss, gradient, rows.RowCount);
    }

    public async Task<byte[]> TrainLocalModelAsync(LocalModelRequest request, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(cancellationToken);
        var features = Features(rows, request.FeatureColumn, "Training");

        var labels = ((Float64Column)ColumnCast.Cast(rows[request.LabelColumn], ColumnType.Float64)).Values.ToArray();
        return await Task.Run(() =>
        {
            var ml = new Microsoft.ML.MLContext(request.Seed);
            var (model, schema) = Ml.MlNet.MlNetTrainer.Train(ml, request.Task, request.Algorithm, features.UnsafeArray, features.Dimension, labels, request.Params);
            using var zip = new MemoryStream();
            ml.Model.Save(model, schema, zip);
            return zip.ToArray();
        }, cancellationToken);
    }

    public async Task<PartitionWrite> TransformAsync(PartitionTransform transform, CancellationToken cancellationToken)
    {
        var input = await LoadAsync(cancellationToken);
        return await Task.Run(async () =>
        {
            var output = Apply(input, transform.Steps);
            var outputs = transform.TestFraction is { } fraction ? Split(output, fraction, transform.Seed, transform.FirstRow) : [output];
            var rows = new long[outputs.Length];
            var bytes = new long[outputs.Length];
            for (var i = 0; i < outputs.Length; i++)
            {
                rows[i] = outputs[i].RowCount;
                bytes[i] = await PartFiles.WriteAsync(store, transform.OutputPaths[i], outputs[i], cancellationToken);
            }

            return new PartitionWrite(rows, bytes, RowJson.Columns(output.Schema));
        }, cancellationToken);
    }

    public async Task<PartitionWrite> ScoreAsync(PartitionScore score, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(cancellationToken);
        var model = await predictors.GetAsync(IPredictorGrain.KeyOf(score.Model, score.Version), score.Model, score.Version);
        return await Task.Run(async () =>
        {
            var (labels, scores, missing) = await model.ScoreRowsAsync(rows, time.GetTimestamp());
            var predictions = PredictionColumns.Schema(model.Version, model.Kind, model.ScoreWidth);
            var kept = score.Keep.Select(name => rows[name]).ToList();
            var schema = new DatasetSchema([.. kept.Select(c => c.Schema), .. predictions]);
            var output = new ColumnBatch(schema, [.. kept, .. PredictionColumns.Build(predictions, model.Version, labels, scores, missing)]);
            return new PartitionWrite([output.RowCount], [await PartFiles.WriteAsync(store, score.OutputPath, output, cancellationToken)], RowJson.Columns(schema));
        }, cancellationToken);
    }

    private static ColumnBatch[] Split(ColumnBatch batch, double fraction, long seed, long firstRow)
    {
        var train = new List<int>(batch.RowCount);
        var test = new List<int>((int)(batch.RowCount * fraction) + 16);
        for (var i = 0; i < batch.RowCount; i++)
        {
            (RowHash.Unit(seed, firstRow + i) < fraction ? test : train).Add(i);
        }

        return [batch.Take(train.ToArray()), batch.Take(test.ToArray())];
    }

    /// <summary>
    /// The k-NN index over a feature column, built once per activation and column. An L2 index holds a copy of the vectors in order
    /// of norm; what it holds counts in the partition's cached bytes.
    /// </summary>
    private (KnnIndex Index, long[] Labels) KnnIndexFor(ColumnBatch rows, KnnSearch search)
    {
        var key = $"{search.FeatureColumn}|{search.LabelColumn}|{search.Distance}";
        if (_knn is { } cached && cached.Key == key)
        {
            return (cached.Index, cached.Labels);
        }

        var features = Features(rows, search.FeatureColumn, "k-NN");

        if (rows.Schema.IndexOf(search.LabelColumn) < 0 || rows[search.LabelColumn] is not Int64Column { Nulls: null } labels)
        {
            throw new ArgumentException($"k-NN needs '{search.LabelColumn}' to be an int64 column without nulls (use to_key on a text label first).");
        }

        var index = new KnnIndex(features.UnsafeArray, features.Dimension, KnnDistances.Parse(search.Distance));
        _knn = (key, index, labels.UnsafeArray);
        ReportCache();
        return (index, labels.UnsafeArray);
    }

    private static VectorColumn Features(ColumnBatch rows, string column, string purpose) =>
        rows.Schema.IndexOf(column) >= 0 && rows[column] is VectorColumn { Nulls: null } features
            ? features
            : throw new ArgumentException($"{purpose} needs '{column}' to be a vector column without nulls (assemble one from numeric columns first).");

    private ColumnBatch Apply(ColumnBatch rows, IReadOnlyList<TransformStep> steps) =>
        steps.Count == 0 ? rows : StepCompiler.Compile(steps, rows.Schema, udfs).Apply(rows);

    private Task<ColumnBatch> LoadAsync(CancellationToken cancellationToken) => LoadAsync(null, cancellationToken);

    /// <summary>The partition's rows with the named <paramref name="columns"/> (every column when null), reading from the file only the columns not cached yet.</summary>
    private async Task<ColumnBatch> LoadAsync(IReadOnlyList<string>? columns, CancellationToken cancellationToken)
    {
        if (_reportedBytes > 0)
        {
            Touch(); // recently used: the others go first
        }

        if (columns is not null)
        {
            await SchemaAsync(cancellationToken);
        }

        var missing = _schema is null ? null : (columns ?? _schema.Columns.Select(c => c.Name)).Where(name => Cached(name) is null).ToList();
        if (missing is null or { Count: > 0 })
        {
            var read = await Task.Run(() => DatasetFiles.ReadPartAsync(store, _path, missing, cancellationToken), cancellationToken);
            if (_schema is null)
            {
                _schema = read.Schema;
                _columns = [.. read.Columns];
                ReportCache();
                return read;
            }

            for (var i = 0; i < read.Columns.Count; i++)
            {
                _columns[_schema.IndexOf(read.Schema[i].Name)] = read.Columns[i];
            }

            ReportCache();
        }

        var schema = _schema!;
        var wanted = columns is null ? [.. Enumerable.Range(0, schema.Count)] : columns.Select(schema.IndexOf).ToArray();
        return new ColumnBatch(new DatasetSchema(wanted.Select(i => schema[i])), [.. wanted.Select(i => _columns[i]!)]);
    }

    /// <summary>The part file's columns, read from its footer (with its column ranges) when nothing is cached yet.</summary>
    private async Task<DatasetSchema> SchemaAsync(CancellationToken cancellationToken)
    {
        if (_schema is null)
        {
            var (schema, ranges, rowGroups) = await Task.Run(() => DatasetFiles.ReadPartFooterAsync(store, _path, cancellationToken), cancellationToken);
            if (_schema is null) // an interleaved call (k-NN) may have loaded every column meanwhile
            {
                (_schema, _ranges, _rowGroupRanges, _columns) = (schema, ranges, rowGroups, new Column?[schema.Count]);
            }
        }

        return _schema;
    }

    private Column? Cached(string name)
    {
        var index = _schema!.IndexOf(name);
        if (index < 0)
        {
            throw new SchemaException($"Partition {_key.Index} of {_key.Dataset}@{_key.Version} has no column '{name}'.");
        }

        return _columns[index];
    }

    private PartitionInfo Info()
    {
        var cached = _columns.Where(c => c is not null).ToList();
        return new(_key.Index, silo.SiloAddress.ToString(), cached.Count > 0 ? cached[0]!.Length : -1, cached.Count > 0, cached.Sum(c => c!.EstimatedBytes), _path);
    }
}
