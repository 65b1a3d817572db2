namespace OrleansMl.Client;

/// <summary>An Open Inference Protocol v2 <c>$inference_request</c>: one input tensor, the endpoint's feature vector.</summary>
/// <param name="Id">Echoed in the answer.</param>
/// <param name="Outputs">The outputs wanted; all when null.</param>
public sealed record InferenceRequest(string? Id, IReadOnlyList<InferenceTensor> Inputs, IReadOnlyList<RequestedOutput>? Outputs = null);
