namespace OrleansMl.Data.Formats;

/// <summary>What an import does with a record it cannot parse.</summary>
public enum BadRecordPolicy
{
    /// <summary>Stop the import with an error that names the file, line and column. Nothing is kept.</summary>
    Fail,

    /// <summary>Leave the record out, count it, and hand it to the quarantine sink.</summary>
    Skip,
}
