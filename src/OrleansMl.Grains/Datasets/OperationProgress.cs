namespace OrleansMl.Datasets;

/// <summary>Live counters of a running operation, updated by the worker and read by status calls.</summary>
public sealed class OperationProgress
{
    private long _bytesRead;
    private long _rowsRead;
    private long _badRecords;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long RowsRead => Interlocked.Read(ref _rowsRead);

    public long BadRecords => Interlocked.Read(ref _badRecords);

    public long? TotalBytes { get; set; }

    public string? QuarantinePath { get; set; }

    public void Report(long bytesRead, long rowsRead, long badRecords)
    {
        Interlocked.Exchange(ref _bytesRead, bytesRead);
        Interlocked.Exchange(ref _rowsRead, rowsRead);
        Interlocked.Exchange(ref _badRecords, badRecords);
    }
}
