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

    [Fact]
    public void ALinkInsideARootThatLeadsOutOfItIsRefused()
    {
        var root = Directory.CreateTempSubdirectory("orleansml-roots-").FullName;
        var outside = Directory.CreateTempSubdirectory("orleansml-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.csv"), "a\n1\n");
            File.CreateSymbolicLink(Path.Combine(root, "file-link.csv"), Path.Combine(outside, "secret.csv"));
            Directory.CreateSymbolicLink(Path.Combine(root, "folder-link"), outside);
            Directory.CreateSymbolicLink(Path.Combine(root, "relative-link"), Path.Combine("..", Path.GetFileName(outside)));
            File.WriteAllText(Path.Combine(root, "own.csv"), "a\n1\n");
            var options = new DatasetImportOptions { ImportRoots = [root] };

            Assert.True(options.Allows(Path.Combine(root, "own.csv")));
            Assert.False(options.Allows(Path.Combine(root, "file-link.csv")));
            Assert.False(options.Allows(Path.Combine(root, "folder-link", "secret.csv")));
            Assert.False(options.Allows(Path.Combine(root, "relative-link", "secret.csv")));
            Assert.False(options.Allows(Path.Combine(root, "folder-link", "..", "own.csv"))); // ".." after a link is not what it reads
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void ARootThatIsALinkAllowsWhatIsInsideIt()
    {
        var target = Directory.CreateTempSubdirectory("orleansml-target-").FullName;
        var link = Path.Combine(Path.GetTempPath(), $"orleansml-root-link-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateSymbolicLink(link, target);
            File.WriteAllText(Path.Combine(target, "a.csv"), "a\n1\n");

            Assert.True(new DatasetImportOptions { ImportRoots = [link] }.Allows(Path.Combine(link, "a.csv")));
            Assert.True(new DatasetImportOptions { ImportRoots = [target] }.Allows(Path.Combine(link, "a.csv")));
        }
        finally
        {
            Directory.Delete(link);
            Directory.Delete(target, recursive: true);
        }
    }

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("/sys/kernel/hostname")]
    [InlineData("/dev/zero")]
    public void TheKernelsVirtualFilesAreRefusedEvenUnderARootOfSlash(string path) =>
        Assert.False(new DatasetImportOptions { ImportRoots = ["/"] }.Allows(path));
}
