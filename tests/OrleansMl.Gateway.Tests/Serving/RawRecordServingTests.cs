using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary>An endpoint whose model was trained through fitted steps takes raw records and answers in class values.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class RawRecordServingTests(EmbeddedPlatformFixture platform)
{
    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// x, y (numbers), kind (p|q), size (s|m|l) → label left|right: right when x, plus 4 for kind q, is over 5.
    /// Trained by logistic regression through one_hot(kind), to_key(size), normalize(x, y) and assemble.
    /// </summary>
    private async Task<string> EndpointAsync()
    {
        var random = new Random(5);
        var csv = new StringBuilder("x,y,kind,size,label,note\n");
        for (var i = 0; i < 400; i++)
        {
            var x = random.NextDouble() * 10;
            var kind = i % 3 == 0 ? "q" : "p";
            csv.Append(CultureInfo.InvariantCulture, $"{x:F3},{random.NextDouble():F3},{kind},{"sml"[i % 3]},{(x + (kind == "q" ? 4 : 0) > 5 ? "right" : "left")},n{i}\n");
        }

        var dataset = NewName("shapes");
        (await platform.Scientist.PostAsync($"/v1/datasets/{dataset}/uploads?fileName=shapes.csv&wait=60", new StringContent(csv.ToString()))).EnsureSuccessStatusCode();
        var experiment = NewName("exp");
        var spec = new
        {
            train = new { name = dataset }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer = "logistic_regression",
            steps = new object[]
            {
                new { op = "one_hot", column = "kind" },
                new { op = "to_key", column = "size", output = "size_key" },
                new { op = "normalize", columns = new[] { "x", "y" }, method = "zscore" },
                new { op = "assemble", columns = new[] { "x", "y", "kind_onehot", "size_key" }, output = "features" },
            },
        };
        var started = await (await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{experiment}?wait=120", spec)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", started.GetProperty("state").GetString());
        Assert.True(started.GetProperty("best").GetProperty("metrics").GetProperty("accuracy").GetDouble() > 0.9);

        var model = NewName("model");
        var version = await (await platform.Scientist.PostAsJsonAsync($"/v1/models/{model}/versions", new { experiment, run = 0 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["x", "y", "kind", "size"], version.GetProperty("inputs").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var endpoint = NewName("ep");
        (await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{endpoint}", new { targets = new[] { new { model, version = 1 } } })).EnsureSuccessStatusCode();
        return endpoint;
    }

    [Fact]
    public async Task RawRecordsAreAnsweredWithClassValuesAndBadRecordsNameTheirRowAndColumn()
    {
        var endpoint = await EndpointAsync();

        var response = await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(
            """{"records":[{"x":1.0,"y":0.5,"kind":"p","size":"m"},{"x":9.0,"y":0.5,"kind":"p","size":"s","extra":1},{"x":2.0,"y":0.5,"kind":"q","size":"l"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions");
        Assert.Equal(["left", "right", "right"], rows.EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.Equal([0, 1, 1], rows.EnumerateArray().Select(r => r.GetProperty("class").GetInt32()));
        var probabilities = rows[0].GetProperty("probabilities");
        Assert.True(probabilities.GetProperty("left").GetDouble() > 0.5);
        Assert.Equal(1.0, probabilities.GetProperty("left").GetDouble() + probabilities.GetProperty("right").GetDouble(), 5);

        // A kind never seen in training: all-zero one-hot, the documented policy, so it is answered.
        Assert.Equal(HttpStatusCode.OK, (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json("""{"records":[{"x":1,"y":0.5,"kind":"r","size":"m"}]}"""))).StatusCode);

        foreach (var (body, field, says) in new[]
        {
            ("""{"records":[{"x":1,"y":0.5,"kind":"p","size":"m"},{"x":1,"kind":"p","size":"m"}]}""", "records[1].y", "missing"),
            ("""{"records":[{"x":"one","y":0.5,"kind":"p","size":"m"}]}""", "records[0].x", "expected a number, found a string"),
            ("""{"records":[{"x":1,"y":0.5,"kind":7,"size":"m"}]}""", "records[0].kind", "expected text"),
            ("""{"records":[{"x":1,"y":null,"kind":"p","size":"m"}]}""", "records[0].y", "found null"),
            ("""{"records":[{"x":1,"y":0.5,"kind":"p","size":"m"},{"x":1,"y":0.5,"kind":"p","size":"xl"}]}""", "records[1].size", "'xl' was never seen in the training rows"),
        })
        {
            var refused = await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Contains(field, problem);
            Assert.Contains(says, problem);
        }
    }

    [Fact]
    public async Task TheInferenceProtocolTakesOneTensorPerRawColumnAndAnswersClassValues()
    {
        var endpoint = await EndpointAsync();

        var metadata = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v2/models/{endpoint}");
        Assert.Equal(["x:FP64", "y:FP64", "kind:BYTES", "size:BYTES"], metadata.GetProperty("inputs").EnumerateArray().Select(i => $"{i.GetProperty("name").GetString()}:{i.GetProperty("datatype").GetString()}"));

        var response = await platform.Reader.PostAsync($"/v2/models/{endpoint}/infer", Json("""
            { "id": "7", "inputs": [
                { "name": "kind", "shape": [2], "datatype": "BYTES", "data": ["p", "p"] },
                { "name": "x", "shape": [2, 1], "datatype": "FP64", "data": [[1.0], [9.0]] },
                { "name": "y", "shape": [2], "datatype": "FP32", "data": [0.5, 0.5] },
                { "name": "size", "shape": [2], "datatype": "BYTES", "data": ["m", "s"] } ] }
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outputs = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal("BYTES", outputs["label"].GetProperty("datatype").GetString());
        Assert.Equal(["left", "right"], outputs["label"].GetProperty("data").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([0, 1], outputs["class"].GetProperty("data").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([2, 2], outputs["scores"].GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));

        foreach (var (body, field) in new[]
        {
            ("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":[1]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]},{"name":"kind","shape":[1],"datatype":"FP32","data":[1]},{"name":"size","shape":[1],"datatype":"BYTES","data":["m"]}]}""", "inputs[2].datatype"),
            ("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":[1]},{"name":"kind","shape":[1],"datatype":"BYTES","data":["p"]},{"name":"size","shape":[1],"datatype":"BYTES","data":["m"]}]}""", "the tensor 'y' (FP64) is missing"),
            ("""{"inputs":[{"name":"x","shape":[2],"datatype":"FP64","data":[1,2]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]},{"name":"kind","shape":[1],"datatype":"BYTES","data":["p"]},{"name":"size","shape":[1],"datatype":"BYTES","data":["m"]}]}""", "inputs[1].shape"),
            ("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":["one"]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]},{"name":"kind","shape":[1],"datatype":"BYTES","data":["p"]},{"name":"size","shape":[1],"datatype":"BYTES","data":["m"]}]}""", "inputs[0].data[0]"),
        })
        {
            var refused = await platform.Reader.PostAsync($"/v2/models/{endpoint}/infer", Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(field, await refused.Content.ReadAsStringAsync());
        }
    }
}
