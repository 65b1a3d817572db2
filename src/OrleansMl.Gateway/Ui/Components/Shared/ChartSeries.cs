namespace OrleansMl.Gateway.Ui.Components.Shared;

/// <summary>One line of a chart: its name in the legend and its points in order.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>How the UI's charts choose their scales.</summary>
public static class ChartScale
{
    /// <summary>A positive range spanning three orders of magnitude or more (a learning rate, a penalty searched that way) reads on a log scale.</summary>
    public static bool IsLogarithmic(double min, double max) => min > 0 && max / min >= 1_000;
}
