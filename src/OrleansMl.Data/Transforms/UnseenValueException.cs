namespace OrleansMl.Data.Transforms;

/// <summary>A row holds a value the fitted steps never saw (a category missing from the training rows).</summary>
/// <param name="row">The 0-based row of the batch.</param>
public sealed class UnseenValueException(int row, string column, string message) : Exception(message)
{
    public int Row => row;

    public string Column => column;
}
