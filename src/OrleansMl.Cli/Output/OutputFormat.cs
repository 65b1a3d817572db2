namespace OrleansMl.Cli.Output;

/// <summary>How results are printed: tables for people, indented JSON for scripts.</summary>
public enum OutputFormat
{
    Table,
    Json,
}
