using System.Globalization;
using System.Text;
using OrleansMl.Data.Formats;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>Records skipped under the skip policy, spooled to a local CSV (line, column, reason, record) and uploaded at the end.</summary>
public sealed class QuarantineFile : IAsyncDisposable
{
    private readonly string _path = Path.GetTempFileName();
    private StreamWriter? _writer;

    public long Count { get; private set; }

    public void Add(BadRecord record)
    {
        _writer ??= new StreamWriter(_path, append: false, new UTF8Encoding(false));
        if (Count == 0)
        {
            _writer.WriteLine("line,column,reason,record");
        }

        Count++;
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{record.Line},{record.Column},{Quote(record.Reason)},{Quote(record.Text)}"));
    }

    public async Task UploadAsync(IArtifactStore store, string path, CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }

        await using var file = File.OpenRead(_path);
        await store.WriteAsync(path, file, ArtifactWriteCondition.None, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        File.Delete(_path);
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
