namespace OrleansMl.Bench.Storage;

/// <summary>Writes and reads whole objects by name, so a store and its raw reference run the same loop.</summary>
internal interface IObjectIo
{
    Task WriteAsync(string name, byte[] content);

    /// <summary>Reads the object to its end through <paramref name="buffer"/>; returns its length.</summary>
    Task<long> ReadAsync(string name, byte[] buffer);
}
