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
