using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrleansMl.Audit;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Gateway.Audit;

/// <summary>
/// The audit log in the artifact store: one small JSON file per entry,
/// <c>audit/{yyyy-MM-dd}/{HHmmssfffffff}-{id}.json</c>, so gateways never contend for a file, nothing
/// is rewritten, and a day's entries list in time order. Refused calls (401, 403) are recorded up to
/// <see cref="RefusalsPerMinute"/> a minute; the rest of that minute is counted and recorded as one
/// summary entry (written with the next refusal after that minute), so a flood of bad keys cannot fill
/// the store.
/// </summary>
public sealed class AuditLog(IArtifactStore store, TimeProvider time)
{
    public const string Folder = AuditPaths.Folder;

    public const int RefusalsPerMinute = 60;

    private readonly Lock _gate = new();
    private long _minute;
    private int _refusals;
    private int _suppressed;

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        if (entry.Status is 401 or 403)
        {
            int suppressedBefore;
            lock (_gate)
            {
                var minute = entry.At.ToUnixTimeSeconds() / 60;
                suppressedBefore = minute == _minute ? 0 : _suppressed;
                if (minute != _minute)
                {
                    (_minute, _refusals, _suppressed) = (minute, 0, 0);
                }

                if (++_refusals > RefusalsPerMinute)
                {
                    _suppressed++;
                    return;
                }
            }

            if (suppressedBefore > 0)
            {
                await WriteAsync(entry with { Who = "(various)", Operation = "refusals suppressed", Method = "", Path = "", TraceId = "", Client = null, Suppressed = suppressedBefore }, cancellationToken);
            }
        }

        await WriteAsync(entry, cancellationToken);
    }

    /// <summary>Entries from <paramref name="from"/> to <paramref name="to"/> in time order, each kept when <paramref name="keep"/> says so.</summary>
    public async IAsyncEnumerable<AuditEntry> ReadAsync(DateTimeOffset from, DateTimeOffset to, Func<AuditEntry, bool> keep, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime.Date; day = day.AddDays(1))
        {
            var paths = new List<string>();
            await foreach (var file in store.ListAsync(DayFolder(day), cancellationToken))
            {
                paths.Add(file.Path);
            }

            foreach (var path in paths)
            {
                AuditEntry? entry;
                await using (var content = await store.OpenReadAsync(path, cancellationToken))
                {
                    entry = await JsonSerializer.DeserializeAsync(content, AuditJsonContext.Default.AuditEntry, cancellationToken);
                }

                if (entry is not null && entry.At >= from && entry.At <= to && keep(entry))
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>Now, for callers that stamp entries.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    private async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var at = entry.At.UtcDateTime;
        var path = string.Create(CultureInfo.InvariantCulture, $"{DayFolder(at)}{at:HHmmssfffffff}-{Guid.NewGuid():N}.json");
        await store.WriteAsync(path, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(entry, AuditJsonContext.Default.AuditEntry)), ArtifactWriteCondition.NotExists, cancellationToken);
    }

    private static string DayFolder(DateTime day) => string.Create(CultureInfo.InvariantCulture, $"{Folder}{day:yyyy-MM-dd}/");
}
