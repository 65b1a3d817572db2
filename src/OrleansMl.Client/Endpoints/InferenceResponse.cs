using System.Text.Json.Serialization;

namespace OrleansMl.Client;

/// <summary>An Open Inference Protocol v2 <c>$inference_response</c>.</summary>
/// <param name="ModelName">The endpoint (the protocol's model).</param>
/// <param name="ModelVersion">The model version that answered.</param>
public sealed record InferenceResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string? Id,
    IReadOnlyList<InferenceTensor> Outputs);
