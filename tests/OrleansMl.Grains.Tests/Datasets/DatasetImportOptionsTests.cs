using OrleansMl.Datasets;

namespace OrleansMl.Grains.Tests.Datasets;

public sealed class DatasetImportOptionsTests
{
    [Theory]
    [InlineData("/data", "/data/a.csv", true)]
    [InlineData("/data/", "/data/sub/a.csv", true)]
    [InlineData("/data", "/database/a.csv", false)]
    [InlineData("/data", "/data/../etc/passwd", false)]
    [InlineData("/", "/etc/passwd", true)]
    [InlineData("/data", "/data", true)]
    public void AllowsOnlyPathsUnderARoot(string root, string path, bool allowed) =>
        Assert.Equal(allowed, new DatasetImportOptions { ImportRoots = [root] }.Allows(path));

    [Fact]
    public void TheDefaultRootIsAlwaysAllowed() =>
        Assert.True(new DatasetImportOptions { DefaultRoot = "/srv/imports" }.Allows("/srv/imports/x.csv"));
}
