using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.GrainClient;

/// <summary>
/// Writes sampled requests and shadow predictions to the store as JSON lines, in segments per
/// endpoint: <c>endpoints/{name}/predictions/{yyyy-MM-dd}/{HHmmss}-{id}.jsonl</c>. Records queue in
/// memory and are written every few seconds off the request path; when the queue is full (the
/// store is slow), records are dropped and counted rather than slowing requests. The queue is bounded
/// in records and in the values they carry (<see cref="MaxQueuedValues"/>): a sample of one large batch
/// request holds all of its rows.
/// </summary>
public sealed partial class PredictionLog(IArtifactStore store, TimeProvider time, ILogger<PredictionLog> logger) : BackgroundService
{
    private const int Capacity = 10_000;

    /// <summary>Feature values and scores the queued records may hold together: 16M, 64 MB of floats.</summary>
    public const long MaxQueuedValues = 16L << 20;

    private long _queuedValues;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<PredictionRecord> _queue = Channel.CreateBounded<PredictionRecord>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _dropped;

    /// <summary>Records dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(PredictionRecord record)
    {
        var values = ValuesOf(record);
        if (Interlocked.Add(ref _queuedValues, values) > MaxQueuedValues || !_queue.Writer.TryWrite(record))
        {
            Interlocked.Add(ref _queuedValues, -values);
            Interlocked.Increment(ref _dropped);
        }
    }

    private static long ValuesOf(PredictionRecord record)
    {
        long values = (record.Features?.Length ?? 0) + record.Served.Scores.Length + (record.Shadow?.Scores.Length ?? 0);
        foreach (var column in record.Columns ?? [])
        {
            values += (column.Integers?.Length ?? 0) + (column.Numbers?.Length ?? 0) + (column.Flags?.Length ?? 0) + (column.Vectors?.Length ?? 0);
            foreach (var text in column.Texts ?? [])
            {
                values += 1 + ((text?.Length ?? 0) / 4); // a float's worth of memory per 4 characters
            }
        }

        return values;
    }

    /// <summary>Writes what is queued now (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var byEndpoint = new Dictionary<string, List<PredictionRecord>>(StringComparer.Ordinal);
        while (_queue.Reader.TryRead(out var record))
        {
            Interlocked.Add(ref _queuedValues, -ValuesOf(record));
            if (!byEndpoint.TryGetValue(record.Endpoint, out var list))
            {
                byEndpoint[record.Endpoint] = list = [];
            }

            list.Add(record);
        }

        foreach (var (endpoint, records) in byEndpoint)
        {
            try
            {
                using var segment = new MemoryStream();
                foreach (var record in records)
                {
                    JsonSerializer.Serialize(segment, record, Json);
                    segment.WriteByte((byte)'\n');
                }

                segment.Position = 0;
                var now = time.GetUtcNow();
                var path = string.Create(CultureInfo.InvariantCulture, $"endpoints/{endpoint}/predictions/{now:yyyy-MM-dd}/{now:HHmmss}-{Guid.NewGuid():N}.jsonl");
                await store.WriteAsync(path, segment, ArtifactWriteCondition.None, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWriteFailed(logger, e, records.Count, endpoint);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} prediction log records of endpoint {Endpoint}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, string endpoint);
}
