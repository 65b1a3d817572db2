using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMl.Server;
using OrleansMl.Testing;

namespace OrleansMl.Cli.Tests.Quickstart;

/// <summary>The README's first command in its reduced form (<c>--subset</c>: the 10,000 test images), to the end.</summary>
public sealed class QuickstartTests
{
    [Fact]
    public async Task QuickstartRunsTheWholeLoopAndPrintsARequestThatWorks()
    {
        FashionMnist.EnsureInstalled();
        var data = Directory.CreateTempSubdirectory("orleansml-quickstart-").FullName;
        try
        {
            var ports = FreePorts.Take(3).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray();
            var url = $"http://127.0.0.1:{ports[0]}";
            using var output = new StringWriter();
            using var error = new StringWriter();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var context = new CliContext(Cli.Recording(TextWriter.Synchronized(output)), Cli.Recording(TextWriter.Synchronized(error)));
            var run = CliApp.InvokeAsync(
                ServerCli.BuildRootCommand(context), context,
                ["quickstart", "--subset", "--url", url, "--silo-port", ports[1], "--gateway-port", ports[2], "--data-dir", data, "--OrleansMl:Dashboard=false"], stop.Token);

            // The request file is written just before the curl line; the platform then keeps serving.
            var request = Path.Combine(data, "quickstart", "request.json");
            while (!File.Exists(request) && !run.IsCompleted)
            {
                await Task.Delay(200);
            }

            Assert.False(run.IsCompleted, $"exit {(run.IsCompleted ? await run : -1)}\n{output}\n{error}");
            await Task.Delay(500);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using var body = new StringContent(await File.ReadAllTextAsync(request), System.Text.Encoding.UTF8, "application/json");
            var answer = await (await http.PostAsync("/v1/endpoints/fashion/predict", body)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            Assert.InRange(answer.GetProperty("predictions")[0].GetProperty("label").GetInt64(), 0, 9);

            await stop.CancelAsync();
            Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(60)));
            var printed = output.ToString();
            Assert.Contains("10,000 images", printed, StringComparison.Ordinal);
            Assert.Contains("k-NN", printed, StringComparison.Ordinal);
            Assert.Contains("logistic regression", printed, StringComparison.Ordinal);
            Assert.Contains($"curl -X POST {url}/v1/endpoints/fashion/predict", printed, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
