using System.Net;

namespace OrleansMl.Client;

/// <summary>
/// Sends a caller's stream without taking ownership of it: a seekable stream is rewound to
/// <paramref name="start"/> before every send (so a retry sends the same bytes) and its length is
/// announced; a non-seekable one is sent chunked, once. Disposing the content leaves the stream open.
/// </summary>
internal sealed class ReplayableStreamContent(Stream source, long start) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (source.CanSeek)
        {
            source.Position = start;
        }

        await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = source.CanSeek ? source.Length - start : 0;
        return source.CanSeek;
    }
}
