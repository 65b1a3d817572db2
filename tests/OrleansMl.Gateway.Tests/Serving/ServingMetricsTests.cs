using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrleansMl.Gateway.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary>The serving meter, observed in this process (the embedded platform runs in it) while requests go over HTTP.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ServingMetricsTests(EmbeddedPlatformFixture platform)
{
    [Fact]
    public async Task EveryRequestIsMeasuredPerEndpointAndVersion()
    {
        var (model, endpoint) = await DeployAsync();
        var measurements = new ConcurrentQueue<Measurement>();
        using (Listen(endpoint, measurements))
        {
            var body = new StringContent("""{"records":[{"Features":[0.1,0.2]},{"Features":[10.5,0.3]}]}""", Encoding.UTF8, "application/json");
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", body)).StatusCode);
            }

            var bad = new StringContent("""{"records":[{"Features":[1]}]}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.BadRequest, (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", bad)).StatusCode);
        }

        var requests = measurements.Where(m => m.Instrument == "orleansml.serving.requests").ToList();
        Assert.Equal(3, requests.Sum(m => m.Value));
        Assert.All(requests, m => Assert.Equal((model, 1, "v1"), ((string?)m.Tags["model"], (int?)m.Tags["version"], (string?)m.Tags["protocol"])));
        Assert.Equal(6, measurements.Where(m => m.Instrument == "orleansml.serving.rows").Sum(m => m.Value));
        var error = Assert.Single(measurements, m => m.Instrument == "orleansml.serving.errors");
        Assert.Equal(400, error.Tags["status"]);
        var durations = measurements.Where(m => m.Instrument == "orleansml.serving.duration").ToList();
        Assert.Equal(4, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value > 0));

        // The gateway's own five-minute view, as the endpoint's page shows it.
        var traffic = System.Text.Json.JsonDocument.Parse(await platform.Reader.GetStringAsync($"/v1/endpoints/{endpoint}/traffic")).RootElement.GetProperty("versions");
        var served = traffic.EnumerateArray().Single(v => v.GetProperty("model").ValueKind == System.Text.Json.JsonValueKind.String);
        Assert.Equal((model, 1), (served.GetProperty("model").GetString(), served.GetProperty("version").GetInt32()));
        Assert.Equal(3, served.GetProperty("requests").EnumerateArray().Sum(r => r.GetInt64()));
        Assert.Equal(6, served.GetProperty("rows").GetInt64());
        Assert.True(served.GetProperty("p95Ms").GetDouble() > 0);
        var failed = traffic.EnumerateArray().Single(v => v.GetProperty("model").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal(1, failed.GetProperty("errors").EnumerateArray().Sum(r => r.GetInt64()));
    }

    [Fact]
    public async Task PredictionsRefusedToAKeyLimitedToOtherEndpointsAreCountedAs403()
    {
        var (_, endpoint) = await DeployAsync();
        var measurements = new ConcurrentQueue<Measurement>();
        using (Listen(endpoint, measurements))
        {
            var body = new StringContent("""{"records":[{"Features":[0.1,0.2]}]}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Forbidden, (await platform.App.PostAsync($"/v1/endpoints/{endpoint}/predict", body)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await platform.App.PostAsync($"/v2/models/{endpoint}/infer", body)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await platform.App.GetAsync($"/v1/endpoints/{endpoint}")).StatusCode); // not a prediction: not counted
        }

        var errors = measurements.Where(m => m.Instrument == "orleansml.serving.errors").ToList();
        Assert.Equal([("v1", 403), ("v2", 403)], errors.Select(e => ((string?)e.Tags["protocol"], (int?)e.Tags["status"])).Order());
        Assert.DoesNotContain(measurements, m => m.Instrument == "orleansml.serving.requests");
    }

    private sealed record Measurement(string Instrument, double Value, Dictionary<string, object?> Tags);

    /// <summary>Registers an uploaded ML.NET model over 2 features and deploys it on a new endpoint.</summary>
    private async Task<(string Model, string Endpoint)> DeployAsync()
    {
        var artifact = $"uploads/tests/{Guid.NewGuid():N}/model.zip";
        (await platform.Scientist.PutAsync($"/v1/artifacts/{artifact}", new ByteArrayContent(TestModels.MlNetZip()))).EnsureSuccessStatusCode();
        var model = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        (await platform.Scientist.PostAsJsonAsync($"/v1/models/{model}/versions", new { artifact, flavor = "mlnet" })).EnsureSuccessStatusCode();
        var endpoint = "ep-" + model;
        (await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{endpoint}", new { targets = new[] { new { model, version = 1 } } })).EnsureSuccessStatusCode();
        return (model, endpoint);
    }

    /// <summary>Collects the serving meter's measurements tagged with <paramref name="endpoint"/> until disposed.</summary>
    private static MeterListener Listen(string endpoint, ConcurrentQueue<Measurement> measurements)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var all = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                all[tag.Key] = tag.Value;
            }

            if (Equals(all.GetValueOrDefault("endpoint"), endpoint))
            {
                measurements.Enqueue(new Measurement(instrument.Name, value, all));
            }
        }

        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        return listener;
    }
}
