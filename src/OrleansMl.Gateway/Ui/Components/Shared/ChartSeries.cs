namespace OrleansMl.Gateway.Ui.Components.Shared;

/// <summary>One line of a chart: its name in the legend and its points in order.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);
