using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrleansMl.Gateway.Serving;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary>The answers written straight to the response body: v1 records and Open Inference Protocol v2 <c>$inference_response</c>.</summary>
public sealed class PredictionResponsesTests
{
    /// <summary>
    /// The protocol's published example response (kserve/open-inference-protocol, specification/protocol/inference_rest.md,
    /// lines 477–487). As published it is not valid JSON: there is no comma after <c>"id" : "42"</c>. The comma is added here,
    /// and our answer is compared with it by structure (field names, tensor fields), not byte for byte.
    /// </summary>
    private const string PublishedResponse = """
        {
          "id" : "42",
          "outputs" : [
            {
              "name" : "output0",
              "shape" : [ 3, 2 ],
              "datatype"  : "FP32",
              "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]
            }
          ]
        }
        """;

    private static readonly Prediction Classified = new("digits", 3, "multiclass", [1, 0, 2], [0.25f, 0.5f, 0.25f, 0.75f, 0.125f, 0.125f, 0f, 0f, 1f], 3);

    private static readonly Prediction Regressed = new("prices", 12, "regression", [], [1.5f, -2.25f], 1);

    [Fact]
    public async Task AnInferenceResponseHasTheShapeOfThePublishedExample()
    {
        var response = await WriteInferenceAsync(Classified, new InferenceRequest(new PredictionInput(new float[6], 3), "42", ["scores"]));
        var published = JsonDocument.Parse(PublishedResponse).RootElement;

        foreach (var field in published.EnumerateObject())
        {
            Assert.Equal(field.Value.ValueKind, response.GetProperty(field.Name).ValueKind);
        }

        var tensorFields = Names(published.GetProperty("outputs")[0]);
        var output = Assert.Single(response.GetProperty("outputs").EnumerateArray());
        Assert.Equal(tensorFields, Names(output));
        Assert.Equal("42", response.GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnInferenceResponseNamesTheEndpointAndVersionAndReturnsAllOutputsByDefault()
    {
        var response = await WriteInferenceAsync(Classified, new InferenceRequest(new PredictionInput(new float[6], 3), "42", null));

        Assert.Equal("my-endpoint", response.GetProperty("model_name").GetString());
        Assert.Equal(JsonValueKind.String, response.GetProperty("model_version").ValueKind);
        Assert.Equal("3", response.GetProperty("model_version").GetString());
        Assert.Equal("42", response.GetProperty("id").GetString());
        var outputs = response.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(2, outputs.Length);

        Assert.Equal("label", outputs[0].GetProperty("name").GetString());
        Assert.Equal("INT64", outputs[0].GetProperty("datatype").GetString());
        Assert.Equal([3], Ints(outputs[0].GetProperty("shape")));
        Assert.Equal([1L, 0L, 2L], outputs[0].GetProperty("data").EnumerateArray().Select(e => e.GetInt64()));

        Assert.Equal("scores", outputs[1].GetProperty("name").GetString());
        Assert.Equal("FP32", outputs[1].GetProperty("datatype").GetString());
        Assert.Equal([3, 3], Ints(outputs[1].GetProperty("shape")));
        Assert.Equal(Classified.Scores, outputs[1].GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Theory]
    [InlineData("label")]
    [InlineData("scores")]
    public async Task AnInferenceResponseReturnsOnlyTheOutputsAskedFor(string wanted)
    {
        var response = await WriteInferenceAsync(Classified, new InferenceRequest(new PredictionInput(new float[6], 3), null, [wanted]));

        var output = Assert.Single(response.GetProperty("outputs").EnumerateArray());
        Assert.Equal(wanted, output.GetProperty("name").GetString());
        Assert.False(response.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task ARegressionInferenceResponseReturnsThePrediction()
    {
        var response = await WriteInferenceAsync(Regressed, new InferenceRequest(new PredictionInput(new float[4], 2), "r", null));

        Assert.Equal("12", response.GetProperty("model_version").GetString());
        var output = Assert.Single(response.GetProperty("outputs").EnumerateArray());
        Assert.Equal("prediction", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal([2], Ints(output.GetProperty("shape")));
        Assert.Equal([1.5f, -2.25f], output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public async Task NonFiniteScoresAreWrittenAsNull()
    {
        var prediction = new Prediction("digits", 1, "multiclass", [0], [float.NaN, float.PositiveInfinity, 0.5f], 3);

        var inference = await WriteInferenceAsync(prediction, new InferenceRequest(new PredictionInput(new float[2], 1), null, ["scores"]));
        var records = await WriteRecordsAsync(prediction);

        var data = inference.GetProperty("outputs")[0].GetProperty("data");
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Number], data.EnumerateArray().Select(e => e.ValueKind));
        var scores = records.GetProperty("predictions")[0].GetProperty("scores");
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Number], scores.EnumerateArray().Select(e => e.ValueKind));
    }

    [Fact]
    public async Task ARecordsResponseGivesEachRowItsLabelAndScores()
    {
        var response = await WriteRecordsAsync(Classified);

        Assert.Equal("my-endpoint", response.GetProperty("endpoint").GetString());
        Assert.Equal("digits", response.GetProperty("model").GetString());
        Assert.Equal(3, response.GetProperty("version").GetInt32());
        var predictions = response.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(3, predictions.Length);
        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(["label", "scores"], Names(predictions[r]));
            Assert.Equal(Classified.Labels[r], predictions[r].GetProperty("label").GetInt64());
            Assert.Equal(Classified.Scores.AsSpan(r * 3, 3).ToArray(), predictions[r].GetProperty("scores").EnumerateArray().Select(e => e.GetSingle()));
        }
    }

    [Fact]
    public async Task ARecordsResponseGivesEachRowItsPredictionForRegression()
    {
        var response = await WriteRecordsAsync(Regressed);

        Assert.Equal(12, response.GetProperty("version").GetInt32());
        var predictions = response.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(2, predictions.Length);
        Assert.Equal(["prediction"], Names(predictions[0]));
        Assert.Equal(1.5f, predictions[0].GetProperty("prediction").GetSingle());
        Assert.Equal(-2.25f, predictions[1].GetProperty("prediction").GetSingle());
    }

    private static Task<JsonElement> WriteInferenceAsync(Prediction prediction, InferenceRequest request) =>
        WriteAsync(response => PredictionResponses.WriteInferenceAsync(response, "my-endpoint", prediction, request));

    private static Task<JsonElement> WriteRecordsAsync(Prediction prediction) =>
        WriteAsync(response => PredictionResponses.WriteRecordsAsync(response, "my-endpoint", prediction));

    /// <summary>What <paramref name="write"/> writes to a response whose body is a memory stream, as parsed JSON.</summary>
    private static async Task<JsonElement> WriteAsync(Func<HttpResponse, Task> write)
    {
        using var body = new MemoryStream();
        var http = new DefaultHttpContext();
        http.Response.Body = body;

        await write(http.Response);

        Assert.Equal("application/json", http.Response.ContentType);
        using var json = JsonDocument.Parse(body.ToArray());
        return json.RootElement.Clone();
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];
}
