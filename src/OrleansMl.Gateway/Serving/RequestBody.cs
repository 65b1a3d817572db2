using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// A request body read whole into a pooled buffer (the server's body size limit applies), for the
/// hand-written JSON readers. The buffer starts at the declared length only up to 1 MiB and grows
/// with the bytes that actually arrive, so a request that claims gigabytes in Content-Length gets
/// nothing for it; one that declares more than the limit is a 413 before any buffer.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private const int MaxInitialBytes = 1 << 20;
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public static async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (request.ContentLength is { } declared && declared > (limit ?? int.MaxValue))
        {
            throw new BadHttpRequestException(
                $"The request body is {declared:N0} bytes; the limit is {limit ?? int.MaxValue:N0} (OrleansMl:Gateway:MaxRequestBodyBytes).", StatusCodes.Status413PayloadTooLarge);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength is > 0 ? request.ContentLength.Value : 16 * 1024, MaxInitialBytes));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return new RequestBody(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
