using System.Globalization;
using OrleansMl.Models;
using OrleansMl.Pipelines;
using OrleansMl.Serving;

namespace OrleansMl.Datasets;

/// <summary>Batch scoring: a model version scores every partition of a version where its rows are cached, into this dataset's next version.</summary>
public sealed partial class DatasetGrain
{
    public async Task<DatasetOperation> StartScoreAsync(ScoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResourceNames.Validate(Name, "dataset");
        if (string.IsNullOrWhiteSpace(request.Input))
        {
            throw FieldError.Invalid("Name the dataset to score.", "input");
        }

        var parent = await VersionOfAsync(request.Input, request.Version, "input");
        var (model, version) = await ModelVersionAsync(request);
        var keep = request.Columns ?? [.. parent.Columns.Select(c => c.Name).Where(c => !IsPredictionColumn(c))];
        foreach (var column in keep)
        {
            if (parent.Columns.All(c => c.Name != column))
            {
                throw FieldError.Invalid($"columns: '{request.Input}' has no column '{column}'. Columns: {string.Join(", ", parent.Columns.Select(c => c.Name))}.", "columns");
            }

            if (IsPredictionColumn(column))
            {
                throw FieldError.Invalid($"columns: '{column}' is the name of a prediction column; rename it first (a transform with rename).", "columns");
            }
        }

        foreach (var input in version.Inputs)
        {
            if (parent.Columns.FirstOrDefault(c => c.Name == input.Name) is not { } column || !PipelineCheck.SameKind(column, input))
            {
                throw FieldError.Invalid(
                    $"Model '{model}' version {version.Version} reads '{input.Name}' ({input.Type}{(input.VectorLength > 0 ? $"[{input.VectorLength}]" : "")}); '{request.Input}' v{parent.Version} has {(parent.Columns.Any(c => c.Name == input.Name) ? "it with another type" : "no such column")}.",
                    "input");
            }
        }

        var step = new TransformStep("predict", Args: new Dictionary<string, string>
        {
            ["model"] = model,
            ["version"] = version.Version.ToString(CultureInfo.InvariantCulture),
            ["flavor"] = version.Flavor,
            ["endpoint"] = request.Endpoint ?? "",
        });
        var lineage = new DatasetLineage("predictions", $"{model} version {version.Version}", request.Input, parent.Version, [step]);
        return await StartAsync("predictions", (number, progress) => WriteVersionAsync(request.Input, parent, number, progress,
            (partition, path) => partition.ScoreAsync(new PartitionScore(model, version.Version, keep, path)), lineage));
    }

    private static bool IsPredictionColumn(string name) => name is PredictionColumns.Prediction or PredictionColumns.Class or PredictionColumns.Scores;

    /// <summary>The model version a request names, or the one its endpoint sends the largest share of traffic to.</summary>
    private async Task<(string Model, ModelVersionInfo Version)> ModelVersionAsync(ScoreRequest request)
    {
        var (name, number, alias, field) = (request.Model, request.ModelVersion, request.Alias, "model");
        if (request.Endpoint is { } endpoint)
        {
            var info = await GrainFactory.GetGrain<IEndpointGrain>(endpoint).GetAsync()
                ?? throw FieldError.Invalid($"There is no endpoint '{endpoint}'.", "endpoint");
            var route = info.Routes.MaxBy(r => r.Weight)!;
            (name, number, alias, field) = (route.Model, route.Version, null, "endpoint");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw FieldError.Invalid("Name a model (with version or alias) or an endpoint to score with.", "model");
        }

        var model = await GrainFactory.GetGrain<IModelGrain>(name).GetAsync() ?? throw FieldError.Invalid($"There is no model '{name}'.", field);
        number ??= alias is null ? model.Versions.LastOrDefault()?.Version
            : model.Aliases.TryGetValue(alias, out var aliased) ? aliased
            : throw FieldError.Invalid($"Model '{name}' has no alias '{alias}'. Aliases: {string.Join(", ", model.Aliases.Keys)}.", "alias");
        var version = model.Versions.FirstOrDefault(v => v.Version == number)
            ?? throw FieldError.Invalid($"Model '{name}' has no version {number}. Versions: {string.Join(", ", model.Versions.Select(v => v.Version))}.", field);
        return (name, version);
    }
}
