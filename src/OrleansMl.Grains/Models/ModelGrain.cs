using Microsoft.ML;
using OrleansMl.Catalog;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Ml.Serving;
using OrleansMl.Serving;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Workspaces;

namespace OrleansMl.Models;

/// <summary>
/// The registry entry of one model. A version registered from a run takes a copy of the run's model
/// artifact, its held-out metrics, the trainer's flavour, and a signature and lineage from the experiment's
/// pinned spec; an imported artifact takes the flavour it is given. Alias moves are appended to the
/// history and never rewritten, so a rollback is a move back to the previous target.
/// </summary>
[GrainType("orleansml.model")]
public sealed class ModelGrain(
    [PersistentState("model", GrainStorageNames.Metadata)] IPersistentState<ModelState> state,
    IArtifactStore store,
    ModelLoader loader,
    TimeProvider timeProvider) : Grain, IModelGrain
{
    private string Name => this.GetPrimaryKeyString();

    public Task<byte[]?> ExportStateAsync() => Backups.GrainStateBackup.ExportAsync(this, state);

    public Task RestoreStateAsync(byte[] snapshot) => Backups.GrainStateBackup.RestoreAsync(this, state, snapshot);

    public async Task<ModelVersionInfo> RegisterAsync(ModelSource source, string by)
    {
        ArgumentNullException.ThrowIfNull(source);
        ResourceNames.Validate(Name, "model");

        var version = source switch
        {
            { Experiment: { } experiment, Run: { } run } => await FromRunAsync(experiment, run, by),
            { Artifact: { } artifact, Flavor: "mlnet" or "onnx" } => await FromArtifactAsync(artifact, source.Flavor!, by),
            { Artifact: not null } => throw FieldError.Invalid("An imported model needs flavor 'mlnet' (an ML.NET .zip) or 'onnx'.", "source.flavor"),
            _ => throw FieldError.Invalid("source needs 'experiment' and 'run', or 'artifact' and 'flavor'.", "source"),
        };
        state.State.Versions.Add(version);
        state.State.NextVersion++;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Models).AddAsync(Name);
        await RecordTrainingDataAsync(version);
        return version;
    }

    /// <summary>The dataset version it was trained on shows the model version in its lineage graph (one-way call).</summary>
    private Task RecordTrainingDataAsync(ModelVersionInfo version) =>
        version.Lineage is { Dataset: { } dataset, DatasetVersion: { } read }
            ? GrainFactory.GetGrain<IDatasetGrain>(dataset).RecordUseAsync(new DatasetUse(DatasetUse.ModelKind, Name, version.Version, read, null, timeProvider.GetUtcNow()))
            : Task.CompletedTask;

    public Task<ModelInfo?> GetAsync() => Task.FromResult(state.State.Versions.Count == 0 && state.State.History.Count == 0 ? null : Info());

    public async Task<ModelInfo> SetAliasAsync(string alias, int version, string by)
    {
        if (string.IsNullOrWhiteSpace(alias) || alias.Length > 64)
        {
            throw FieldError.Invalid("An alias needs 1-64 characters.", "alias");
        }

        if (state.State.Versions.All(v => v.Version != version))
        {
            throw FieldError.Invalid($"Model '{Name}' has no version {version}. Versions: {string.Join(", ", state.State.Versions.Select(v => v.Version))}.", "version");
        }

        return await MoveAsync(alias, version, by);
    }

    public Task<ModelInfo> RollBackAsync(string alias, string by)
    {
        var previous = state.State.History.LastOrDefault(c => c.Alias == alias)
            ?? throw new KeyNotFoundException($"Model '{Name}' has no alias '{alias}'.");
        return previous.From is { } from && state.State.Versions.Any(v => v.Version == from)
            ? MoveAsync(alias, from, by)
            : throw FieldError.Invalid($"Alias '{alias}' has no earlier version to roll back to.", "alias");
    }

    public Task<ModelInfo> RemoveAliasAsync(string alias, string by) =>
        state.State.Aliases.ContainsKey(alias) ? MoveAsync(alias, null, by) : throw new KeyNotFoundException($"Model '{Name}' has no alias '{alias}'.");

    public async Task<ModelInfo> DeleteVersionAsync(int version)
    {
        var index = state.State.Versions.FindIndex(v => v.Version == version);
        if (index < 0)
        {
            throw new KeyNotFoundException($"Model '{Name}' has no version {version}.");
        }

        var aliases = state.State.Aliases.Where(a => a.Value == version).Select(a => a.Key).ToList();
        if (aliases.Count > 0)
        {
            throw FieldError.Invalid($"Version {version} is used by the alias(es) {string.Join(", ", aliases)}; move them first.", "version");
        }

        var endpoints = state.State.EndpointUses.Where(u => u.Value.Contains(version)).Select(u => u.Key).ToList();
        if (endpoints.Count > 0)
        {
            throw FieldError.Invalid($"Version {version} is served by the endpoint(s) {string.Join(", ", endpoints)}; update them first.", "version");
        }

        var deleted = state.State.Versions[index];
        state.State.Versions.RemoveAt(index);
        await state.WriteStateAsync();
        await CollectAsync(deleted);
        return Info();
    }

    /// <summary>
    /// Deletes a deleted version's files, once no state points at them. Versions registered before
    /// registration copied their artifact point into the run's folder, which still owns it: those are
    /// left alone. A crash half-way leaves files no version lists; they cost space, never a wrong answer.
    /// </summary>
    private async Task CollectAsync(ModelVersionInfo deleted)
    {
        var folder = VersionFolder(deleted.Version);
        if (deleted.ArtifactPath.StartsWith(folder, StringComparison.Ordinal))
        {
            await store.DeleteAllAsync(folder);
        }
    }

    public async Task SetEndpointUseAsync(string endpoint, IReadOnlyList<int> versions)
    {
        if (versions.Count == 0)
        {
            if (!state.State.EndpointUses.Remove(endpoint))
            {
                return;
            }
        }
        else
        {
            state.State.EndpointUses[endpoint] = [.. versions];
        }

        await state.WriteStateAsync();
    }

    private async Task<ModelInfo> MoveAsync(string alias, int? version, string by)
    {
        int? from = state.State.Aliases.TryGetValue(alias, out var current) ? current : null;
        if (version is { } to)
        {
            state.State.Aliases[alias] = to;
        }
        else
        {
            state.State.Aliases.Remove(alias);
        }

        state.State.History.Add(new AliasChange(alias, from, version, timeProvider.GetUtcNow(), by));
        await state.WriteStateAsync();
        return Info();
    }

    private async Task<ModelVersionInfo> FromRunAsync(string experiment, int run, string by)
    {
        var info = await GrainFactory.GetGrain<IRunGrain>(IRunGrain.KeyOf(experiment, run)).GetAsync()
            ?? throw FieldError.Invalid($"Experiment '{experiment}' has no run {run}.", "source.run");
        if (info.Summary.Status != RunSummary.Succeeded || !info.Artifacts.TryGetValue("model", out var artifact) && !info.Artifacts.ContainsKey("member0"))
        {
            throw FieldError.Invalid($"Run {run} of '{experiment}' is {info.Summary.Status} and has no model to register.", "source.run");
        }

        var experimentInfo = (await GrainFactory.GetGrain<IExperimentGrain>(experiment).GetAsync())!;
        var (spec, pipeline) = (experimentInfo.Spec, experimentInfo.Pipeline);
        var dataset = (await GrainFactory.GetGrain<IDatasetGrain>(spec.Train.Name).GetAsync())?.Versions.FirstOrDefault(v => v.Version == spec.Train.Version);
        var features = dataset?.Columns.FirstOrDefault(c => c.Name == spec.FeatureColumn) ?? new DatasetColumn(spec.FeatureColumn, "vector");
        var flavor = info.Trainer switch
        {
            "knn" => "knn",
            "logistic_regression" or "linear_svm" or "linear_regression" => "linear",
            "tree_ensemble" => "ensemble",
            "torch" => "torch",
            _ => "mlnet",
        };
        var outputs = Outputs(spec.Task switch { "regression" => ScorerKind.Regression, "binary" => ScorerKind.Binary, _ => ScorerKind.Multiclass }, spec.Task == "multiclass" ? 0 : 1, pipeline);
        var copy = await CopyRunArtifactAsync(artifact ?? info.Artifacts["member0"], flavor);
        return new ModelVersionInfo(
            state.State.NextVersion, flavor, copy, pipeline?.Inputs ?? [features], outputs,
            new ModelLineage(experiment, run, info.Trainer, spec.Train.Name, spec.Train.Version), info.Summary.Metrics, timeProvider.GetUtcNow(), by, pipeline);
    }

    /// <summary>
    /// A registered version is a copy under the registry's own folder (<c>models/{name}/{version}/</c>), so
    /// nothing done to the run later (a re-run, a deletion) changes what the version serves. An
    /// ensemble's members are every model file in its artifact's folder: all of them are copied.
    /// Returns the copy's path. A crash before the state write leaves copies that the next registration
    /// (the same version number) overwrites.
    /// </summary>
    private async Task<string> CopyRunArtifactAsync(string artifact, string flavor)
    {
        var folder = VersionFolder(state.State.NextVersion);
        if (flavor != "ensemble")
        {
            var target = folder + artifact[(artifact.LastIndexOf('/') + 1)..];
            await CopyAsync(artifact, target);
            return target;
        }

        var members = artifact[..(artifact.LastIndexOf('/') + 1)];
        var first = "";
        await foreach (var member in store.ListAsync(members))
        {
            var target = folder + "ensemble/" + member.Path[members.Length..];
            await CopyAsync(member.Path, target);
            first = member.Path == artifact ? target : first;
        }

        return first;
    }

    private async Task CopyAsync(string from, string to)
    {
        await using var content = await store.OpenReadAsync(from);
        await store.WriteAsync(to, content);
    }

    /// <summary>
    /// An imported model is copied under the registry's own path, so a later write to the uploaded
    /// artifact cannot change a registered version, then loaded once to check it and read its signature.
    /// </summary>
    private async Task<ModelVersionInfo> FromArtifactAsync(string artifact, string flavor, string by)
    {
        _ = await store.GetInfoAsync(ArtifactPath.Validate(artifact)) ?? throw FieldError.Invalid($"There is no artifact '{artifact}'.", "source.artifact");
        var path = VersionPath(flavor);
        await using (var content = await store.OpenReadAsync(artifact))
        {
            await store.WriteAsync(path, content);
        }

        using var scorer = await CheckLoadsAsync(flavor, path, $"'{artifact}' does not load as a {flavor} model", "source.artifact");
        return new ModelVersionInfo(state.State.NextVersion, flavor, path, [new DatasetColumn(scorer.InputName, "vector", scorer.Dimension)], Outputs(scorer.Kind, scorer.ScoreWidth),
            new ModelLineage(null, null, null, null, null), new Dictionary<string, double>(), timeProvider.GetUtcNow(), by);
    }

    public async Task<ModelVersionInfo> ExportOnnxAsync(int version, string by)
    {
        var source = state.State.Versions.Find(v => v.Version == version) ?? throw new KeyNotFoundException($"Model '{Name}' has no version {version}.");
        if (source.Flavor != "mlnet")
        {
            throw FieldError.Invalid($"Only ML.NET versions export to ONNX; version {version} is {source.Flavor}.", "version");
        }

        var ml = new MLContext(seed: 0);
        using var onnx = new MemoryStream();
        await using (var zip = await store.OpenReadAsync(source.ArtifactPath))
        {
            using var local = new MemoryStream();
            await zip.CopyToAsync(local);
            local.Position = 0;
            try
            {
                OnnxExport.Export(ml, ml.Model.Load(local, out _), source.Inputs[0].VectorLength, onnx);
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
            {
                throw FieldError.Invalid($"Version {version} does not convert to ONNX: {e.Message}", "version", e);
            }
        }

        onnx.Position = 0;
        var path = VersionPath("onnx");
        await store.WriteAsync(path, onnx);
        using (await CheckLoadsAsync("onnx", path, $"The ONNX export of version {version} does not load", "version"))
        {
        }

        var exported = source with
        {
            Version = state.State.NextVersion, Flavor = "onnx", ArtifactPath = path, Lineage = source.Lineage with { ExportedFrom = version },
            CreatedAt = timeProvider.GetUtcNow(), CreatedBy = by,
        };
        state.State.Versions.Add(exported);
        state.State.NextVersion++;
        await state.WriteStateAsync();
        await RecordTrainingDataAsync(exported);
        return exported;
    }

    /// <summary>Where the registry keeps the artifact of the next version.</summary>
    private string VersionPath(string flavor) => VersionFolder(state.State.NextVersion) + (flavor == "onnx" ? "model.onnx" : "model.zip");

    /// <summary>The folder that holds everything of one version: <c>models/{name}/{version}/</c>.</summary>
    private string VersionFolder(int version) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"models/{Name}/{version}/");

    private async Task<IScorer> CheckLoadsAsync(string flavor, string path, string failure, string field)
    {
        try
        {
            return await loader.LoadLocalAsync(flavor, path);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or InvalidOperationException or FormatException or ArgumentException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            await store.DeleteAsync(path);
            throw FieldError.Invalid($"{failure}: {e.Message}", field, e);
        }
    }

    /// <summary>
    /// What a version returns: a label and its scores for classifiers, a value for regression. Through a
    /// pipeline, the label is the class value in the raw label's type and <c>class</c> its index.
    /// </summary>
    private static DatasetColumn[] Outputs(ScorerKind kind, int scoreWidth, Pipelines.ModelPipeline? pipeline = null) => (kind, pipeline) switch
    {
        (ScorerKind.Regression, _) => [new DatasetColumn("prediction", "float64")],
        (_, { Classes: { } classes }) => [new DatasetColumn("label", pipeline.LabelType), new DatasetColumn("class", "int64"), new DatasetColumn("scores", "vector", classes.Count)],
        _ => [new DatasetColumn("label", "int64"), new DatasetColumn("scores", "vector", scoreWidth)],
    };

    private ModelInfo Info() =>
        new(Name, [.. state.State.Versions], new Dictionary<string, int>(state.State.Aliases, StringComparer.Ordinal), [.. state.State.History]);
}
