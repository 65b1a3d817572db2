namespace OrleansMl.Testing;

/// <summary>Where things are in this repository, found from the running assembly.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansMl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"OrleansMl.sln was not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    /// <summary>Tools the tests and scripts install for themselves (Azurite), outside version control.</summary>
    public static string Tools => Path.Combine(Root, ".tools");
}
