namespace OrleansMl.Data.Formats;

/// <summary>A record left out under <see cref="BadRecordPolicy.Skip"/>: where it was, why, and its text.</summary>
public sealed record BadRecord(long Line, int? Column, string Reason, string Text);
