using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Knn;
using OrleansMl.Ml.Linear;
using OrleansMl.Ml.Serving;
using OrleansMl.Models;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Serving;

/// <summary>
/// Builds the scorer of a registered version from its artifact, by flavour: <c>linear</c> (the
/// platform's linear model bytes), <c>mlnet</c> (an ML.NET .zip), <c>ensemble</c> (every member .zip
/// in the folder of the version's artifact), <c>onnx</c>, <c>torch</c> (<see cref="Ml.Torch.TorchModelFile"/>), and <c>knn</c> (model.json naming the
/// training dataset version, scored through its partition grains).
/// </summary>
public sealed class ModelLoader(IArtifactStore store, IGrainFactory grains)
{
    private static readonly JsonSerializerOptions KnnJson = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Loads a scorer that runs in this process: every flavour but knn.</summary>
    /// <exception cref="InvalidDataException">The artifact is not a model of that flavour; the message says why.</exception>
    public async Task<IScorer> LoadLocalAsync(string flavor, string artifact, CancellationToken cancellationToken = default)
    {
        switch (flavor)
        {
            case "linear":
                return new LinearScorer(LinearModel.FromBytes(await ReadAsync(artifact, cancellationToken)));
            case "mlnet":
                return MlNetScorer.Load(new MemoryStream(await ReadAsync(artifact, cancellationToken)));
            case "onnx":
                return OnnxScorer.Load(await ReadAsync(artifact, cancellationToken));
            case "torch":
                return Ml.Torch.TorchScorer.Load(await ReadAsync(artifact, cancellationToken));
            case "ensemble":
                var folder = artifact[..(artifact.LastIndexOf('/') + 1)];
                var members = new List<IScorer>();
                await foreach (var member in store.ListAsync(folder, cancellationToken))
                {
                    if (member.Path.EndsWith(".zip", StringComparison.Ordinal))
                    {
                        members.Add(MlNetScorer.Load(new MemoryStream(await ReadAsync(member.Path, cancellationToken))));
                    }
                }

                return new EnsembleScorer(members);
            default:
                throw new NotSupportedException($"Flavor '{flavor}' does not score in-process.");
        }
    }

    internal async Task<IBatchScorer> LoadAsync(ModelVersionInfo version, CancellationToken cancellationToken = default)
    {
        if (version.Flavor != "knn")
        {
            return new LocalBatchScorer(await LoadLocalAsync(version.Flavor, version.ArtifactPath, cancellationToken));
        }

        var model = JsonSerializer.Deserialize<KnnModelFile>(await ReadAsync(version.ArtifactPath, cancellationToken), KnnJson)
            ?? throw new InvalidDataException($"'{version.ArtifactPath}' is not a k-NN model.");
        var dataset = (await grains.GetGrain<IDatasetGrain>(model.Dataset).GetAsync())?.Versions.FirstOrDefault(v => v.Version == model.Version)
            ?? throw new InvalidDataException($"The k-NN model's training data, dataset '{model.Dataset}' version {model.Version}, no longer exists.");
        var dimension = dataset.Columns.FirstOrDefault(c => c.Name == model.FeatureColumn)?.VectorLength ?? 0;
        var options = new KnnClassifierOptions(model.FeatureColumn, model.LabelColumn, model.K, model.Distance, model.DistanceWeighted, Classes: model.Classes);
        return new KnnBatchScorer(new DistributedKnnClassifier(grains, model.Dataset, dataset, options), dimension, model.Classes);
    }

    private async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var content = await store.OpenReadAsync(path, cancellationToken);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    /// <summary>model.json as the knn trainer writes it.</summary>
    private sealed record KnnModelFile(string Dataset, int Version, string FeatureColumn, string LabelColumn, int K, string Distance, bool DistanceWeighted, int Classes);
}
