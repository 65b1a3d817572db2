using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OrleansMl.Gateway.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary>What a request claims in Content-Length buys it nothing: buffers follow the bytes that arrive, and a claim over the limit is a 413 at once.</summary>
public sealed class RequestBodyTests
{
    [Fact]
    public async Task AClaimedLengthOverTheLimitIs413BeforeAnyBuffer()
    {
        var request = Request(declared: 2_000_000_000, body: "{}"u8.ToArray(), limit: 64 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() => RequestBody.ReadAsync(request, CancellationToken.None));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, error.StatusCode);
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "a buffer was allocated for the claimed length");
    }

    [Fact]
    public async Task AClaimedLengthFarBeyondTheBodyAllocatesForTheBodyOnly()
    {
        var payload = new byte[3 << 20]; // larger than the first buffer: it grows as bytes arrive
        Random.Shared.NextBytes(payload);
        var request = Request(declared: 1_500_000_000, body: payload, limit: null);
        var before = GC.GetAllocatedBytesForCurrentThread();

        using var body = await RequestBody.ReadAsync(request, CancellationToken.None);

        Assert.True(body.Span.SequenceEqual(payload));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "buffers followed the claimed length, not the body");
    }

    private static HttpRequest Request(long declared, byte[] body, long? limit)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new Limit(limit));
        context.Request.ContentLength = declared;
        context.Request.Body = new MemoryStream(body);
        return context.Request;
    }

    private sealed class Limit(long? max) : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; } = max;
    }
}
