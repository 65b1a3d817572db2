using System.Text;
using OrleansMl.Datasets;
using OrleansMl.Gateway.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary>Open Inference Protocol v2 requests (<c>$inference_request</c>) read into the rows of the endpoint's one input.</summary>
public sealed class InferenceRequestTests
{
    /// <summary>
    /// The request body of the protocol's one published example (kserve/open-inference-protocol, specification/protocol/inference_rest.md,
    /// lines 447–468), exactly as published: two inputs, input0 UINT32 [2, 2] and input1 BOOL [3].
    /// </summary>
    private const string PublishedRequest = """
        {
          "id" : "42",
          "inputs" : [
            {
              "name" : "input0",
              "shape" : [ 2, 2 ],
              "datatype" : "UINT32",
              "data" : [ 1, 2, 3, 4 ]
            },
            {
              "name" : "input1",
              "shape" : [ 3 ],
              "datatype" : "BOOL",
              "data" : [ true ]
            }
          ],
          "outputs" : [
            {
              "name" : "output0"
            }
          ]
        }
        """;

    /// <summary>
    /// <see cref="PublishedRequest"/> changed only where our models differ: one input, FP32, and an output our classifiers
    /// have ("scores"; "output0" is not one). The input keeps its name, since <see cref="Input"/> is called input0; the id,
    /// the outputs list and the layout are as published.
    /// </summary>
    private const string AdaptedRequest = """
        {
          "id" : "42",
          "inputs" : [
            {
              "name" : "input0",
              "shape" : [ 2, 2 ],
              "datatype" : "FP32",
              "data" : [ 1, 2, 3, 4 ]
            }
          ],
          "outputs" : [
            {
              "name" : "scores"
            }
          ]
        }
        """;

    private static readonly DatasetColumn Input = new("input0", "vector", 2);

    /// <summary>A classifier's outputs, as the model registry declares them.</summary>
    private static readonly DatasetColumn[] Outputs = [new("label", "int64"), new("scores", "vector", 3)];

    [Fact]
    public void ThePublishedExampleAdaptedToOneFp32InputParses()
    {
        var request = Parse(AdaptedRequest);

        Assert.Equal(2, request.Input.Rows);
        Assert.Equal([1f, 2f, 3f, 4f], request.Input.Features);
        Assert.Equal("42", request.Id);
        Assert.Equal(["scores"], request.Outputs);
    }

    [Fact]
    public void FlatAndNestedDataOfTheSameShapeGiveTheSameInput()
    {
        var flat = Parse(AdaptedRequest);
        var nested = Parse(AdaptedRequest.Replace("\"data\" : [ 1, 2, 3, 4 ]", "\"data\" : [ [ 1, 2 ], [ 3, 4 ] ]", StringComparison.Ordinal));

        Assert.Equal(flat.Input.Rows, nested.Input.Rows);
        Assert.Equal(flat.Input.Features, nested.Input.Features);
    }

    [Fact]
    public void ARequestWithoutIdOrOutputsAsksForAllOutputs()
    {
        var request = Parse("""{"inputs": [{"name": "input0", "shape": [1, 2], "datatype": "FP32", "data": [0.5, -1]}]}""");

        Assert.Null(request.Id);
        Assert.Null(request.Outputs);
        Assert.Equal([0.5f, -1f], request.Input.Features);
    }

    [Fact]
    public void RequestedOutputsAreKeptInOrder()
    {
        var request = Parse(AdaptedRequest.Replace("\"name\" : \"scores\"", "\"name\" : \"scores\" }, { \"name\" : \"label\", \"parameters\" : { \"binary_data\" : false }", StringComparison.Ordinal));

        Assert.Equal(["scores", "label"], request.Outputs);
    }

    [Fact]
    public void AnUnknownOutputIsRejectedNamingIt()
    {
        // The published example's output0 is not an output of ours.
        var error = Invalid(AdaptedRequest.Replace("\"scores\"", "\"output0\"", StringComparison.Ordinal));

        Assert.Equal("outputs[0].name", FieldError.FieldOf(error));
        Assert.Contains("label, scores", error.Message, StringComparison.Ordinal);
        Assert.Contains("'output0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSecondOutputIsRejectedNamingItsIndex()
    {
        var error = Invalid(AdaptedRequest.Replace("\"name\" : \"scores\"", "\"name\" : \"scores\" }, { \"name\" : \"probabilities\"", StringComparison.Ordinal));

        Assert.Equal("outputs[1].name", FieldError.FieldOf(error));
    }

    [Fact]
    public void AWrongInputNameIsRejected()
    {
        var error = Invalid(AdaptedRequest.Replace("\"input0\"", "\"pixels\"", StringComparison.Ordinal));

        Assert.Equal("inputs[0].name", FieldError.FieldOf(error));
        Assert.Contains("'input0', not 'pixels'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BYTES")]
    [InlineData("BOOL")]
    [InlineData("fp32")]
    public void ANonNumericDatatypeIsRejected(string datatype)
    {
        var error = Invalid(AdaptedRequest.Replace("\"FP32\"", $"\"{datatype}\"", StringComparison.Ordinal));

        Assert.Equal("inputs[0].datatype", FieldError.FieldOf(error));
    }

    [Theory]
    [InlineData("FP64")]
    [InlineData("UINT32")]
    [InlineData("INT64")]
    public void OtherNumericDatatypesAreRead(string datatype)
    {
        var request = Parse(AdaptedRequest.Replace("\"FP32\"", $"\"{datatype}\"", StringComparison.Ordinal));

        Assert.Equal([1f, 2f, 3f, 4f], request.Input.Features);
    }

    [Theory]
    [InlineData("[ 1, 2, 3 ]")]
    [InlineData("[ 1, 2, 3, 4, 5, 6 ]")]
    [InlineData("[ [ 1, 2 ] ]")]
    public void DataThatDoesNotFillTheShapeIsRejected(string data)
    {
        var error = Invalid(AdaptedRequest.Replace("[ 1, 2, 3, 4 ]", data, StringComparison.Ordinal));

        Assert.Equal("inputs[0].data", FieldError.FieldOf(error));
        Assert.Contains("needs 4 numbers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonNumberInTheDataIsRejectedNamingItsIndex()
    {
        var error = Invalid(AdaptedRequest.Replace("[ 1, 2, 3, 4 ]", "[ [ 1, 2 ], [ true, 4 ] ]", StringComparison.Ordinal));

        Assert.Equal("inputs[0].data[2]", FieldError.FieldOf(error));
    }

    [Theory]
    [InlineData("[ 2, 3 ]")]
    [InlineData("[ 4 ]")]
    [InlineData("[ 1, 2, 2 ]")]
    [InlineData("[ 0, 2 ]")]
    [InlineData("[ ]")]
    public void AShapeOfTheWrongWidthOrRankIsRejected(string shape)
    {
        var error = Invalid(AdaptedRequest.Replace("[ 2, 2 ]", shape, StringComparison.Ordinal));

        Assert.Equal("inputs[0].shape", FieldError.FieldOf(error));
        Assert.Contains("[-1, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePublishedExampleWithTwoInputsIsRejected()
    {
        var error = Invalid(PublishedRequest);

        Assert.Equal("inputs", FieldError.FieldOf(error));
        Assert.Contains("one input, 'input0'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id": "1"}""")]
    [InlineData("""{"inputs": []}""")]
    [InlineData("""{"inputs": {"name": "input0"}}""")]
    public void MissingOrEmptyInputsAreRejected(string body)
    {
        var error = Invalid(body);

        Assert.Equal("inputs", FieldError.FieldOf(error));
    }

    [Fact]
    public void AShapeOfTheFeatureLengthAloneIsOneRow()
    {
        var request = Parse(AdaptedRequest.Replace("[ 2, 2 ]", "[ 2 ]", StringComparison.Ordinal).Replace("[ 1, 2, 3, 4 ]", "[ 7, 8 ]", StringComparison.Ordinal));

        Assert.Equal(1, request.Input.Rows);
        Assert.Equal([7f, 8f], request.Input.Features);
    }

    [Theory]
    [InlineData("""{"id": 42, "inputs": []}""", "id")]
    [InlineData("""[{"name": "input0"}]""", "body")]
    [InlineData("""{"inputs": [""", "body")]
    [InlineData("""{"id" : "42" "inputs": []}""", "body")]
    public void MalformedBodiesAreRejectedNamingTheField(string body, string field)
    {
        var error = Invalid(body);

        Assert.Equal(field, FieldError.FieldOf(error));
    }

    /// <summary>A body that goes on after its JSON object is not JSON, so it is not scored.</summary>
    [Fact]
    public void ContentAfterTheJsonObjectIsRejectedAsTheBody()
    {
        var error = Invalid(AdaptedRequest + " junk");

        Assert.Equal("body", FieldError.FieldOf(error));
    }

    private static InferenceRequest Parse(string body) => InferenceRequest.Parse(Encoding.UTF8.GetBytes(body), Input, Outputs);

    private static ArgumentException Invalid(string body) => Assert.Throws<ArgumentException>(() => Parse(body));
}
