using OrleansMl.Gateway.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary>The gateway's five-minute view of an endpoint's traffic: buckets, percentiles, the window rolling on, the cap.</summary>
public sealed class EndpointTrafficTests
{
    [Fact]
    public void PercentilesComeFromTheLatenciesToWithinAQuarter()
    {
        var clock = new Clock();
        var traffic = new EndpointTraffic(clock);
        for (var i = 1; i <= 100; i++)
        {
            traffic.Record("e", "m", 1, rows: 2, milliseconds: i, failed: false); // 1 … 100 ms
        }

        var version = Assert.Single(traffic.Read("e").Versions);
        Assert.Equal(("m", 1), (version.Model, version.Version));
        Assert.Equal(100, version.Requests.Sum());
        Assert.Equal(100, version.Requests[^1]); // all in the newest bucket
        Assert.Equal(200, version.Rows);
        Assert.InRange(version.P50Ms!.Value, 50, 50 * 1.25);
        Assert.InRange(version.P95Ms!.Value, 95, 95 * 1.25);
        Assert.InRange(version.P99Ms!.Value, 99, 99 * 1.25);
        Assert.Empty(traffic.Read("other").Versions);
    }

    [Fact]
    public void OldBucketsLeaveTheWindowAndFailuresAreTheirOwnSeries()
    {
        var clock = new Clock();
        var traffic = new EndpointTraffic(clock);
        traffic.Record("e", "m", 1, 1, 5, failed: false);
        clock.Now += TimeSpan.FromSeconds(EndpointTraffic.BucketSeconds);
        traffic.Record("e", "m", 1, 1, 5, failed: false);
        traffic.Record("e", null, null, 0, 1, failed: true);

        var view = traffic.Read("e");
        Assert.Equal(2, view.Versions.Count);
        var served = view.Versions.Single(v => v.Model == "m");
        Assert.Equal([1L, 1L], served.Requests.TakeLast(2));
        var failed = view.Versions.Single(v => v.Model is null);
        Assert.Equal(1, failed.Errors.Sum());

        clock.Now += TimeSpan.FromSeconds(EndpointTraffic.BucketSeconds * (EndpointTraffic.Buckets - 1));
        Assert.Equal(1, traffic.Read("e").Versions.Single(v => v.Model == "m").Requests.Sum()); // the first bucket has left the window
        clock.Now += TimeSpan.FromSeconds(EndpointTraffic.BucketSeconds);
        Assert.Empty(traffic.Read("e").Versions); // and then the second: a slot reused only for its own time
    }

    [Fact]
    public void MadeUpEndpointNamesCannotGrowItPastTheCap()
    {
        var traffic = new EndpointTraffic(new Clock());
        for (var i = 0; i < EndpointTraffic.MaxSeries + 500; i++)
        {
            traffic.Record($"made-up-{i}", null, null, 0, 1, failed: true);
        }

        Assert.Single(traffic.Read($"made-up-{EndpointTraffic.MaxSeries - 1}").Versions);
        Assert.Empty(traffic.Read($"made-up-{EndpointTraffic.MaxSeries}").Versions);
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 3, 12, 0, 1, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
