namespace OrleansMl.Server.Quickstart;

/// <summary>What <c>quickstart</c> did, for <c>--output json</c>.</summary>
/// <param name="Accuracy">The held-out accuracy of each trainer.</param>
/// <param name="Curl">A prediction request for the deployed endpoint.</param>
public sealed record QuickstartSummary(
    string Dataset,
    int DatasetVersion,
    long Rows,
    IReadOnlyDictionary<string, double> Accuracy,
    string Deployed,
    string Model,
    int ModelVersion,
    string Endpoint,
    int PredictedLabel,
    int TrueLabel,
    string Curl);
