using System.Runtime.CompilerServices;

namespace OrleansMl.Testing;

/// <summary>Where things are in this repository, found from the running assembly (or, for builds with an artifacts path elsewhere, from this source file).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(SourceFile()) ?? "/" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OrleansMl.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"OrleansMl.sln was not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    /// <summary>Tools the tests and scripts install for themselves (Azurite), outside version control.</summary>
    public static string Tools => Path.Combine(Root, ".tools");

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
