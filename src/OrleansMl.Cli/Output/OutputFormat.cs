namespace OrleansMl.Cli.Output;

/// <summary>How results are printed: tables for people, indented JSON for scripts, CSV for rows (commands without rows print their table).</summary>
public enum OutputFormat
{
    Table,
    Json,
    Csv,
}
