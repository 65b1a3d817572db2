namespace OrleansMl.Client.Tests.Errors;

[Collection(PlatformCollection.Name)]
public sealed class ProblemTests(PlatformFixture platform)
{
    [Fact]
    public async Task AnInvalidSpecIs400WhoseProblemNamesTheField()
    {
        var dataset = await TwoBlobs.UploadAsync(platform.Scientist, 20);

        var error = await Assert.ThrowsAsync<OrleansMlApiException>(() =>
            platform.Scientist.Experiments.StartAsync(TwoBlobs.NewName("bad"), TwoBlobs.KnnSpec(dataset) with { Trainer = "alchemy" }));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(400, error.Problem.Status);
        Assert.Contains("Trainers: knn", Assert.Single(error.Problem.Errors["trainer"]), StringComparison.Ordinal);
        Assert.Contains("\ntrainer: ", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Problem.TraceId));
    }

    [Fact]
    public async Task AnOutOfRangeQueryValueIs400NamingTheParameter()
    {
        var dataset = await TwoBlobs.UploadAsync(platform.Scientist, 20);

        var error = await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Datasets.HeadAsync(dataset, rows: 20_000));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("rows", error.Problem.Errors.Keys);
    }

    [Fact]
    public async Task WhatDoesNotExistIs404WithTheProblem()
    {
        var name = TwoBlobs.NewName("none");

        var dataset = await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Datasets.GetAsync(name));
        var experiment = await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Experiments.GetAsync(name));
        var artifact = await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Artifacts.DownloadAsync($"nothing/{name}.bin"));

        Assert.All([dataset, experiment, artifact], e => Assert.Equal((404, "Not found."), (e.StatusCode, e.Problem.Title)));
        Assert.Contains(name, dataset.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(dataset.Problem.Errors);
    }

    [Fact]
    public async Task AnUnknownKeyIs401AndTooLowARoleIs403()
    {
        var stranger = platform.CreateClient("not-a-key-0123456789");

        Assert.Equal(401, (await Assert.ThrowsAsync<OrleansMlApiException>(() => stranger.Models.ListAsync())).StatusCode);
        Assert.Equal(403, (await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Experiments.CancelAsync(TwoBlobs.NewName("exp")))).StatusCode);
    }

    [Fact]
    public async Task APreCancelledTokenThrowsWithoutCalling()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => platform.Reader.Datasets.ListAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => platform.Reader.Experiments.WaitAsync("any", ct: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in platform.Reader.Experiments.WatchAsync("any", cancelled.Token))
            {
            }
        });
    }
}
