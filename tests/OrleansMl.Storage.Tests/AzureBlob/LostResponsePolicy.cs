using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OrleansMl.Storage.Tests.AzureBlob;

/// <summary>
/// Fault injection at the transport: lets a write request reach the service and be applied, then
/// throws as if the connection broke before the response arrived. This is the case that makes
/// retries dangerous: the caller cannot know that its write already landed.
/// </summary>
internal sealed class LostResponsePolicy(double rate, int seed) : HttpPipelinePolicy
{
    private readonly Random _random = new(seed);
    private int _injected;

    public int Injected => Volatile.Read(ref _injected);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        bool lose;
        lock (_random)
        {
            lose = message.Request.Method == RequestMethod.Put && message.Response.Status < 300 && _random.NextDouble() < rate;
        }

        if (lose)
        {
            Interlocked.Increment(ref _injected);
            throw new RequestFailedException("Injected: the connection broke after the service applied the request.");
        }
    }
}
