namespace OrleansMl.Hosting.GrainStorage;

/// <summary>Options of one <see cref="LocalFileGrainStorage"/> provider.</summary>
public sealed class LocalFileGrainStorageOptions
{
    /// <summary>Directory that holds the state files; created when missing. Required.</summary>
    public string RootDirectory { get; set; } = "";

    /// <summary>Whether ClearStateAsync deletes the file (true, default) or writes the default state.</summary>
    public bool DeleteStateOnClear { get; set; } = true;
}
