namespace OrleansMl.Client.Tests.Artifacts;

[Collection(PlatformCollection.Name)]
public sealed class ArtifactsClientTests(PlatformFixture platform)
{
    [Fact]
    public async Task ArtifactsRoundTripThroughTheStore()
    {
        var path = $"client-tests/{Guid.NewGuid():N}/notes.txt";
        using var content = new MemoryStream("still here"u8.ToArray());

        var written = await platform.Scientist.Artifacts.UploadAsync(path, content);

        Assert.Equal((path, 10L), (written.Path, written.Length));
        await using (var read = await platform.Reader.Artifacts.DownloadAsync(path))
        {
            using var text = new StreamReader(read);
            Assert.Equal("still here", await text.ReadToEndAsync());
        }

        Assert.Equal(written.ETag, Assert.Single(await platform.Reader.Artifacts.ListAsync(path[..^"notes.txt".Length])).ETag);
    }
}
