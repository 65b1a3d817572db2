using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.AzureBlob;
using OrleansMl.Storage.Resilience;
using OrleansMl.Testing;
using Polly.Simmy;
using Polly.Simmy.Fault;
using static OrleansMl.Storage.Tests.Artifacts.StoreHelpers;

namespace OrleansMl.Storage.Tests.AzureBlob;

/// <summary>
/// Writes under injected transient faults, of two kinds: Polly chaos faults before a call reaches
/// storage (503s) and lost responses after storage applied it. Every write must report success
/// once, land once, and lose nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobArtifactStoreChaosTests(AzuriteFixture azurite)
{
    private const int BlockSize = 16 * 1024;

    [Fact]
    public async Task EveryWriteLandsExactlyOnceUnderTransientFaults()
    {
        var (store, clean, lost, injectedBefore) = await CreateChaoticStoreAsync();
        var contents = Enumerable.Range(0, 40).Select(i => RandomBytes((i % 5 * BlockSize) + (i * 37), seed: i)).ToArray();

        var written = await Task.WhenAll(contents.Select(async (content, i) =>
            await store.WriteAsync($"runs/r{i:d3}/model.bin", new NonSeekableStream(new MemoryStream(content)), ArtifactWriteCondition.NotExists)));

        Assert.True(lost.Injected > 0, "no response was lost: the test did not exercise ambiguous retries");
        Assert.True(injectedBefore() > 0, "no chaos fault was injected");
        var listed = await ListAsync(clean, "runs/");

        Assert.Equal(contents.Length, listed.Count);
        for (var i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i].Length, written[i].Length);
            Assert.Equal(contents[i], await ReadAllAsync(clean, $"runs/r{i:d3}/model.bin"));
        }

        await Assert.ThrowsAsync<ArtifactConditionFailedException>(
            () => store.WriteAsync("runs/r000/model.bin", new MemoryStream([1]), ArtifactWriteCondition.NotExists));
    }

    [Fact]
    public async Task ConditionalReadModifyWriteCountsEveryStepOnceUnderTransientFaults()
    {
        var (store, clean, lost, injectedBefore) = await CreateChaoticStoreAsync();
        var current = await store.WriteAsync("counter.txt", new MemoryStream("0"u8.ToArray()), ArtifactWriteCondition.NotExists);

        for (var step = 1; step <= 30; step++)
        {
            var value = int.Parse(System.Text.Encoding.UTF8.GetString(await ReadAllAsync(store, "counter.txt")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(step - 1, value);
            current = await store.WriteAsync(
                "counter.txt",
                new MemoryStream(System.Text.Encoding.UTF8.GetBytes((value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ArtifactWriteCondition.IfMatch(current.ETag));
        }

        Assert.True(lost.Injected + injectedBefore() > 0, "no fault was injected");
        Assert.Equal("30"u8.ToArray(), await ReadAllAsync(clean, "counter.txt"));
        Assert.Equal(current.ETag, (await clean.GetInfoAsync("counter.txt"))!.ETag);
    }

    private async Task<(IArtifactStore Chaotic, IArtifactStore Clean, LostResponsePolicy Lost, Func<int> InjectedBefore)> CreateChaoticStoreAsync()
    {
        var server = await azurite.GetServerAsync();
        var containerName = "chaos" + Guid.NewGuid().ToString("N");
        var lost = new LostResponsePolicy(rate: 0.15, seed: 7);
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.AddPolicy(lost, HttpPipelinePosition.PerRetry);
        var random = new Random(11);
        var injectedBefore = 0;
        var resilience = new StorageResilienceOptions
        {
            MaxRetryAttempts = 12,
            BaseDelay = TimeSpan.FromMilliseconds(5),
            MaxDelay = TimeSpan.FromMilliseconds(50),
            BreakerFailureRatio = 1.0,
            BreakerMinimumThroughput = 1000,
        };
        var pipeline = StorageResiliencePipeline.Create(resilience, configureInnermost: builder => builder.AddChaosFault(new ChaosFaultStrategyOptions
        {
            InjectionRate = 0.2,
            Randomizer = () => { lock (random) { return random.NextDouble(); } },
            FaultGenerator = new FaultGenerator().AddException(() => new RequestFailedException(503, "Injected: server busy.")),
            OnFaultInjected = _ => { Interlocked.Increment(ref injectedBefore); return default; },
        }));
        var chaotic = new AzureBlobArtifactStore(new BlobServiceClient(server.ConnectionString, clientOptions).GetBlobContainerClient(containerName), pipeline, BlockSize);
        var clean = new AzureBlobArtifactStore(
            new BlobServiceClient(server.ConnectionString).GetBlobContainerClient(containerName),
            StorageResiliencePipeline.Create(new StorageResilienceOptions()),
            BlockSize);
        return (chaotic, clean, lost, () => Volatile.Read(ref injectedBefore));
    }
}
