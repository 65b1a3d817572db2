using System.Text;
using OrleansMl.Datasets;
using OrleansMl.Gateway.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

public sealed class RecordsRequestProbeTmp
{
    [Theory]
    [InlineData("""{"records": [{"x": [1e39, 2, 3]}]}""")]
    [InlineData("""{"records": [{"x": [1, 2, 3]}]} trailing""")]
    [InlineData("""{"records": [{"x": [1, 2, 3]}]}{"records": 5}""")]
    [InlineData("""{"records": [{"x": [1, 2, 3], "x": [4, 5]}]}""")]
    [InlineData("""{"records": [{"x": [1, 2, 3]}], "records": [{"x": [4, 5, 6]}]}""")]
    public void Probe(string body)
    {
        try
        {
            var r = RecordsRequest.Parse(Encoding.UTF8.GetBytes(body), new DatasetColumn("x", "vector", 3));
            Assert.Fail($"OK rows={r.Rows} [{string.Join(",", r.Features)}]");
        }
        catch (ArgumentException e)
        {
            Assert.Fail($"{FieldError.FieldOf(e)}: {e.Message}");
        }
    }

    [Theory]
    [InlineData("""{"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP32", "data": [[1, 2, 3, 4], [5, 6]]}]}""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3, 4, 5, 1e39]}]}""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]} junk""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}], "outputs": []}""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3], "data": [4,5,6]}]}""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32"}]}""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [[[1, 2, 3]]]}]}""")]
    public void ProbeInference(string body)
    {
        try
        {
            var r = InferenceRequest.Parse(Encoding.UTF8.GetBytes(body), new DatasetColumn("x", "vector", 3), [new("label", "int64"), new("scores", "vector", 2)]);
            Assert.Fail($"OK rows={r.Input.Rows} [{string.Join(",", r.Input.Features)}] outputs={(r.Outputs is null ? "null" : string.Join(",", r.Outputs))}");
        }
        catch (ArgumentException e)
        {
            Assert.Fail($"{FieldError.FieldOf(e)}: {e.Message}");
        }
    }
}
