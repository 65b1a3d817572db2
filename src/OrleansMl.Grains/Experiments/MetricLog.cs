using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Experiments;

/// <summary>
/// A run's per-step metrics, appended to the artifact store in batches (one JSON-lines object per
/// batch under <c>…/metrics/</c>), never kept in grain state, so runs with long histories stay cheap.
/// </summary>
public sealed class MetricLog(IArtifactStore store, string prefix, int batchSize = 100)
{
    /// <summary>Where run <paramref name="index"/> of an experiment logs its metrics.</summary>
    public static string PrefixOf(string experiment, int index) => string.Create(CultureInfo.InvariantCulture, $"runs/{experiment}/{index:D5}/metrics/");

    /// <summary>
    /// The (epoch, value) pairs of <paramref name="metric"/> in a run's log, in the order logged: the entries that carry an
    /// <c>epoch</c> (what a trainer logs at an epoch's end). Lines that do not parse are passed over.
    /// </summary>
    public static async Task<List<(int Epoch, double Value)>> EpochValuesAsync(IArtifactStore store, string prefix, string metric, CancellationToken cancellationToken = default)
    {
        var segments = new List<string>();
        await foreach (var segment in store.ListAsync(prefix, cancellationToken))
        {
            segments.Add(segment.Path);
        }

        segments.Sort(StringComparer.Ordinal);
        var values = new List<(int, double)>();
        foreach (var segment in segments)
        {
            using var reader = new StreamReader(await store.OpenReadAsync(segment, cancellationToken), Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (Parse(line, metric) is { } entry)
                {
                    values.Add(entry);
                }
            }
        }

        return values;
    }

    private static (int, double)? Parse(string line, string metric)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("values", out var values)
                && values.TryGetProperty("epoch", out var epoch) && epoch.TryGetDouble(out var number) && number is >= 1 and <= int.MaxValue
                && values.TryGetProperty(metric, out var value) && value.TryGetDouble(out var measured)
                ? ((int)number, measured)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private readonly StringBuilder _pending = new();
    private int _pendingLines;
    private int _segment;

    public async Task LogAsync(long step, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken = default)
    {
        _pending.Append(JsonSerializer.Serialize(new { step, values })).Append('\n');
        if (++_pendingLines >= batchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pendingLines == 0)
        {
            return;
        }

        var path = string.Create(CultureInfo.InvariantCulture, $"{prefix}{_segment++:D6}.jsonl");
        await store.WriteAsync(path, new MemoryStream(Encoding.UTF8.GetBytes(_pending.ToString())), ArtifactWriteCondition.None, cancellationToken);
        _pending.Clear();
        _pendingLines = 0;
    }

    /// <summary>Continues after the segments an earlier attempt wrote.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var _ in store.ListAsync(prefix, cancellationToken))
        {
            _segment++;
        }
    }
}
