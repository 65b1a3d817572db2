namespace OrleansMl.Bench.Serving;

/// <summary>A prediction endpoint under test and the two bodies it is driven with (same rows for every endpoint, each in its own JSON shape).</summary>
/// <param name="Name">What it is, for messages: "floor", "gateway".</param>
/// <param name="PredictUrl">Where the bodies are POSTed.</param>
/// <param name="SingleRowBodyPath">A body holding one row.</param>
/// <param name="BatchBodyPath">A body holding <paramref name="BatchRows"/> rows.</param>
/// <param name="Headers">Headers sent with every request besides Content-Type (X-Api-Key for the gateway).</param>
/// <param name="ServerCpu">CPU time the serving process has used so far: read before and after a run for the CPU each request costs.</param>
internal sealed record ServingEndpoint(
    string Name, Uri PredictUrl, string SingleRowBodyPath, string BatchBodyPath, int BatchRows, IReadOnlyDictionary<string, string> Headers, Func<TimeSpan> ServerCpu)
{
    public LoadTarget SingleRow => new(PredictUrl, SingleRowBodyPath, Headers);

    public LoadTarget Batch => new(PredictUrl, BatchBodyPath, Headers);
}
