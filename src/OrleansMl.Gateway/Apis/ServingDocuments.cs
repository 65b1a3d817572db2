using System.Text.Json.Serialization;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// The shapes of the prediction bodies, for the OpenAPI document only: the gateway reads and writes
/// them with hand-written UTF-8 readers and writers (<c>Serving/</c>), not through these types.
/// </summary>
public static class ServingDocuments
{
    /// <param name="Records">One object a row, holding the endpoint's input (e.g. <c>"pixels": [784 numbers]</c>); other fields are ignored.</param>
    public sealed record PredictRequest(IReadOnlyList<Dictionary<string, float[]>> Records);

    public sealed record PredictResponse(string Endpoint, string Model, int Version, IReadOnlyList<RowPrediction> Predictions);

    /// <param name="Label">The predicted class (classifiers).</param>
    /// <param name="Scores">Class probabilities (multiclass), or the probability of 1 or the margin (binary).</param>
    /// <param name="Prediction">The predicted value (regression).</param>
    public sealed record RowPrediction(long? Label, float[]? Scores, float? Prediction);

    /// <summary>Open Inference Protocol v2 <c>$inference_request</c>.</summary>
    public sealed record InferenceRequest(string? Id, IReadOnlyList<Tensor> Inputs, IReadOnlyList<RequestedOutput>? Outputs);

    /// <summary>Open Inference Protocol v2 <c>$inference_response</c>.</summary>
    public sealed record InferenceResponse(
        [property: JsonPropertyName("model_name")] string ModelName,
        [property: JsonPropertyName("model_version")] string ModelVersion,
        string? Id,
        IReadOnlyList<Tensor> Outputs);

    /// <param name="Data">Row-major numbers, flat or nested.</param>
    public sealed record Tensor(string Name, long[] Shape, string Datatype, double[] Data);

    public sealed record RequestedOutput(string Name);

    /// <summary>Open Inference Protocol v2 <c>$metadata_model_response</c>.</summary>
    public sealed record ModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);

    public sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

    public sealed record ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

    public sealed record ModelReady(string Name, bool Ready, string? Error = null);

    public sealed record ServerLive(bool Live);

    public sealed record ServerReady(bool Ready);
}
