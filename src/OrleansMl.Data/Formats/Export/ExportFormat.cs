namespace OrleansMl.Data.Formats.Export;

/// <summary>The file formats a dataset version exports to as one file.</summary>
public enum ExportFormat
{
    Csv,
    JsonLines,
    Parquet,
}
