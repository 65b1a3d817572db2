namespace OrleansMl.Datasets;

/// <summary>Live counters of a running operation, updated by the worker and read by status calls; and the signal that stops it.</summary>
public sealed class OperationProgress
{
    private readonly CancellationTokenSource _stop = new();
    private long _bytesRead;
    private long _rowsRead;
    private long _badRecords;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long RowsRead => Interlocked.Read(ref _rowsRead);

    public long BadRecords => Interlocked.Read(ref _badRecords);

    public long? TotalBytes { get; set; }

    public string? QuarantinePath { get; set; }

    /// <summary>Cancelled when someone asks the operation to stop (<see cref="Stop"/>).</summary>
    public CancellationToken Stopping => _stop.Token;

    public bool Stopped => _stop.IsCancellationRequested;

    public void Stop() => _stop.Cancel();

    public void Report(long bytesRead, long rowsRead, long badRecords)
    {
        Interlocked.Exchange(ref _bytesRead, bytesRead);
        Interlocked.Exchange(ref _rowsRead, rowsRead);
        Interlocked.Exchange(ref _badRecords, badRecords);
    }
}
