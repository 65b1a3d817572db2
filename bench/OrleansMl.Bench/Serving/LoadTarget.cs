namespace OrleansMl.Bench.Serving;

/// <summary>What a load generator sends: a JSON body read from a file, POSTed to one URL with extra headers (an API key, say).</summary>
/// <param name="Url">The full URL of the endpoint, e.g. http://127.0.0.1:5000/predict.</param>
/// <param name="BodyPath">A file holding the request body, sent as is with Content-Type application/json.</param>
/// <param name="Headers">Headers besides Content-Type, by name.</param>
internal sealed record LoadTarget(Uri Url, string BodyPath, IReadOnlyDictionary<string, string> Headers)
{
    public LoadTarget(Uri url, string bodyPath)
        : this(url, bodyPath, new Dictionary<string, string>())
    {
    }
}
