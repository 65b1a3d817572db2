using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Storage.Tests.Artifacts;

public sealed class ArtifactPathTests
{
    [Theory]
    [InlineData("datasets/iris/v1/part-00000.parquet")]
    [InlineData("a")]
    [InlineData("models/m@1/model.zip")]
    public void ValidPathsAreReturnedUnchanged(string path) => Assert.Equal(path, ArtifactPath.Validate(path));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/abs", "relative")]
    [InlineData("a//b", "empty, '.' or '..' segment at position 2")]
    [InlineData("a/../b", "'..' segment at position 2")]
    [InlineData("a/./b", "'.' or '..'")]
    [InlineData("a/", "segment at position 2")]
    [InlineData("a\\b", "backslash or control character at position 1")]
    [InlineData("a\nb", "position 1")]
    public void InvalidPathsAreRejectedWithTheReason(string path, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ArtifactPath.Validate(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("path", error.ParamName);
    }

    [Fact]
    public void OverlongPathIsRejected() =>
        Assert.Throws<ArgumentException>(() => ArtifactPath.Validate(new string('a', ArtifactPath.MaxLength + 1)));

    [Theory]
    [InlineData("")]
    [InlineData("datasets/")]
    [InlineData("datasets/ir")]
    public void PrefixesMayBeEmptyOrEndWithSlash(string prefix) => Assert.Equal(prefix, ArtifactPath.ValidatePrefix(prefix));

    [Fact]
    public void PrefixWithDotDotIsRejected() =>
        Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => ArtifactPath.ValidatePrefix("../")).ParamName);
}
