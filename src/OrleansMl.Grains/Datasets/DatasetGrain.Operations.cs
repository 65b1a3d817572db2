using OrleansMl.Data.Statistics;

namespace OrleansMl.Datasets;

/// <summary>The background work of transforms and splits: resolving steps, fanning out, writing manifests.</summary>
public sealed partial class DatasetGrain
{
    /// <param name="source">The dataset <paramref name="parent"/> belongs to: this one, or another whose version this one derives.</param>
    private async Task<DatasetVersionInfo?> TransformAsync(string source, DatasetVersionInfo parent, IReadOnlyList<TransformStep> steps, int version, OperationProgress progress)
    {
        var resolved = await ResolveAsync(source, parent, steps);
        return await WriteVersionAsync(source, parent, version, progress,
            (partition, path) => partition.TransformAsync(new PartitionTransform(resolved, [path])),
            new DatasetLineage("transform", string.Join(" | ", resolved.Select(s => s.Op)), source, parent.Version, resolved));
    }

    /// <summary>
    /// Has every partition of <paramref name="parent"/> write its part of this dataset's next version at
    /// once, then writes the manifest; on failure, deletes what was written.
    /// </summary>
    private async Task<DatasetVersionInfo?> WriteVersionAsync(
        string source, DatasetVersionInfo parent, int version, OperationProgress progress, Func<IPartitionGrain, string, Task<PartitionWrite>> write, DatasetLineage lineage)
    {
        try
        {
            // A partition whose silo dies is asked again once it is back elsewhere: it writes the same part to the same path.
            var writes = await Task.WhenAll(Enumerable.Range(0, parent.PartitionCount).Select(i =>
                ClusterFailures.RetryAsync(() => write(Partition(parent, i, source), DatasetPaths.Part(Name, version, i)))));
            var rows = writes.Select(w => w.Rows[0]).ToArray();
            var bytes = writes.Select(w => w.Bytes[0]).ToArray();
            progress.Report(bytes.Sum(), rows.Sum(), 0);
            var info = new DatasetVersionInfo(
                version, timeProvider.GetUtcNow(), writes[0].Columns, rows.Sum(), rows, bytes.Sum(), DatasetPaths.Version(Name, version), lineage);
            await DatasetManifest.WriteAsync(store, Name, info, bytes, null, CancellationToken.None);
            return info;
        }
        catch
        {
            await DatasetManifest.DeleteVersionFilesAsync(store, Name, version, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Writes both sides' parts, then both manifests, then makes both versions visible; the pending
    /// split in this grain's state lets an activation after a crash finish or undo it as a whole.
    /// </summary>
    private async Task<DatasetVersionInfo?> SplitAsync(string operationId, DatasetVersionInfo parent, SplitRequest request, string train, string test, OperationProgress progress)
    {
        var targets = new[] { GrainFactory.GetGrain<IDatasetGrain>(train), GrainFactory.GetGrain<IDatasetGrain>(test) };
        // The sides' grains may sit on a silo that dies under the split: reserve again on their next activation (a lost reservation only skips a number).
        var versions = await Task.WhenAll(targets.Select(t => ClusterFailures.RetryAsync(t.ReserveVersionAsync)));
        var names = new[] { train, test };
        var pending = new PendingSplit(operationId, train, versions[0], test, versions[1]);
        state.State.Splits.Add(pending);
        await WriteStateAsync();
        var committed = false;
        try
        {
            var firstRows = new long[parent.PartitionCount];
            for (var i = 1; i < firstRows.Length; i++)
            {
                firstRows[i] = firstRows[i - 1] + parent.PartitionRows[i - 1];
            }

            var writes = await Task.WhenAll(Enumerable.Range(0, parent.PartitionCount).Select(i => ClusterFailures.RetryAsync(() => Partition(parent, i).TransformAsync(new PartitionTransform(
                [], [DatasetPaths.Part(train, versions[0], i), DatasetPaths.Part(test, versions[1], i)], request.TestFraction, request.Seed, firstRows[i])))));
            progress.Report(writes.Sum(w => w.Bytes.Sum()), parent.RowCount, 0);
            var step = new TransformStep("split", Args: new Dictionary<string, string>
            {
                ["testFraction"] = request.TestFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ["seed"] = request.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            var infos = new DatasetVersionInfo[2];
            for (var o = 0; o < 2; o++)
            {
                var rows = writes.Select(w => w.Rows[o]).ToArray();
                var bytes = writes.Select(w => w.Bytes[o]).ToArray();
                infos[o] = new DatasetVersionInfo(
                    versions[o], timeProvider.GetUtcNow(), parent.Columns, rows.Sum(), rows, bytes.Sum(), DatasetPaths.Version(names[o], versions[o]),
                    new DatasetLineage("split", o == 0 ? "train" : "test", Name, parent.Version, [step]));
                await DatasetManifest.WriteAsync(store, names[o], infos[o], bytes, null, CancellationToken.None);
            }

            // Both manifests are written: the split is done. Should a side fail to record it now, the
            // pending split stays, and this grain's next activation records both.
            committed = true;
            for (var o = 0; o < 2; o++)
            {
                await ClusterFailures.RetryAsync(async () =>
                {
                    await targets[o].AddVersionAsync(infos[o]); // adding a version twice records it once
                    return true;
                });
                AddOwnUses(infos[o]); // its one-way call may come later: the lineage graph has it at once
            }
        }
        catch when (!committed)
        {
            for (var o = 0; o < 2; o++)
            {
                await DatasetManifest.DeleteVersionFilesAsync(store, names[o], versions[o], CancellationToken.None);
            }

            state.State.Splits.Remove(pending);
            throw;
        }

        state.State.Splits.Remove(pending); // written with the operation's outcome
        return null;
    }

    /// <summary>Finishes an interrupted split when both manifests were written, else removes what it wrote; true when finished.</summary>
    private async Task<bool> RecoverSplitAsync(PendingSplit split, CancellationToken cancellationToken)
    {
        var sides = new[] { (split.Train, split.TrainVersion), (split.Test, split.TestVersion) };
        var infos = new List<DatasetVersionInfo>(2);
        foreach (var (dataset, version) in sides)
        {
            if (await DatasetManifest.ReadAsync(store, dataset, version, cancellationToken) is { } info)
            {
                infos.Add(info);
            }
        }

        if (infos.Count == 2)
        {
            await GrainFactory.GetGrain<IDatasetGrain>(split.Train).AddVersionAsync(infos[0]);
            await GrainFactory.GetGrain<IDatasetGrain>(split.Test).AddVersionAsync(infos[1]);
            AddOwnUses(infos[0]);
            AddOwnUses(infos[1]);
            return true;
        }

        foreach (var (dataset, version) in sides)
        {
            if ((await GrainFactory.GetGrain<IDatasetGrain>(dataset).GetAsync())?.Versions.Any(v => v.Version == version) != true)
            {
                await DatasetManifest.DeleteVersionFilesAsync(store, dataset, version, cancellationToken);
            }
        }

        return false;
    }

    /// <summary>The most categories a to_key or one_hot step encodes (one_hot makes a vector this wide).</summary>
    public const int MaxCategories = 10_000;

    /// <summary>Fills in the statistics and category lists that normalize / to_key / one_hot need, computed over the step's own input.</summary>
    private async Task<List<TransformStep>> ResolveAsync(string source, DatasetVersionInfo parent, IReadOnlyList<TransformStep> steps)
    {
        var resolved = new List<TransformStep>(steps.Count);
        foreach (var step in steps)
        {
            var next = step;
            if (StepCompiler.NeedsResolution(step) && step.Op == StepCompiler.Normalize)
            {
                var summary = await SummarizeAsync(source, parent, resolved, step.Columns, CancellationToken.None);
                var statistics = step.Columns!.ToDictionary(c => c, c => NormalizeInputs(summary.Find(c)!, step.Method!), StringComparer.Ordinal);
                next = step with { Resolved = StepCompiler.ResolveNormalize(step.Method!, statistics) };
            }
            else if (StepCompiler.NeedsResolution(step))
            {
                var parts = await Task.WhenAll(Enumerable.Range(0, parent.PartitionCount).Select(i => ClusterFailures.RetryAsync(() => Partition(parent, i, source).DistinctAsync(resolved, step.Column!, MaxCategories))));
                var categories = parts.SelectMany(p => p).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (categories.Count > MaxCategories)
                {
                    // Each partition stays under the cap; together they may not (a one-hot of that width would not fit a silo).
                    throw FieldError.Invalid($"Column '{step.Column}' has {categories.Count} distinct values over its partitions; at most {MaxCategories} can be encoded.", $"steps[{resolved.Count}].column");
                }
                next = step with { Resolved = StepCompiler.ResolveCategories(categories) };
            }

            resolved.Add(next);
        }

        return resolved;
    }

    private static (double[] A, double[] B) NormalizeInputs(ColumnSummary summary, string method)
    {
        if (summary.Slots is { } slots)
        {
            return method == "zscore" ? ([.. slots.Mean], [.. slots.Std]) : ([.. slots.Min], [.. slots.Max]);
        }

        return method == "zscore"
            ? ([summary.Mean ?? 0], [summary.Std ?? 0])
            : ([summary.Min ?? 0], [summary.Max ?? 0]);
    }
}
