using System.Text;
using OrleansMl.Datasets;
using OrleansMl.Gateway.Serving;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Tests.Serving;

/// <summary>The v1 predict body, <c>{"records": [{"x": [...]}, ...]}</c>, read into one float array; errors name the field.</summary>
public sealed class RecordsRequestTests
{
    private static readonly DatasetColumn Input = new("x", "vector", 3);

    [Fact]
    public void ValidRecordsParseToRowMajorFloats()
    {
        var input = Parse("""{"records": [{"x": [1, 2, 3]}, {"x": [4.5, -6e-1, 0]}]}""");

        Assert.Equal(2, input.Rows);
        Assert.Equal([1f, 2f, 3f, 4.5f, -0.6f, 0f], input.Features);
    }

    [Fact]
    public void FieldsOtherThanTheInputAreIgnored()
    {
        var input = Parse("""
            {
              "model": "ignored",
              "records": [
                {"id": "a", "nested": {"x": [9, 9, 9, 9]}, "x": [1, 2, 3], "tags": [1, "two", null]},
                {"x": [4, 5, 6], "x2": [7]}
              ],
              "parameters": {"records": []}
            }
            """);

        Assert.Equal(2, input.Rows);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], input.Features);
    }

    [Fact]
    public void ARecordOfTheWrongLengthIsRejectedNamingItsField()
    {
        var error = Invalid("""{"records": [{"x": [1, 2, 3]}, {"x": [1, 2]}]}""");

        Assert.Equal("records[1].x", FieldError.FieldOf(error));
        Assert.Contains("expected a list of 3 numbers, found 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordWithTooManyNumbersIsRejectedCountingThemAll()
    {
        var error = Invalid("""{"records": [{"x": [1, 2, 3]}, {"x": [1, 2, 3, 4, 5]}]}""");

        Assert.Equal("records[1].x", FieldError.FieldOf(error));
        Assert.Contains("expected a list of 3 numbers, found 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonNumberIsRejectedNamingItsElement()
    {
        var error = Invalid("""{"records": [{"x": [1, 2, "3"]}]}""");

        Assert.Equal("records[0].x[2]", FieldError.FieldOf(error));
        Assert.Contains("expected a number, found a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInputThatIsNotAListIsRejectedNamingIt()
    {
        var error = Invalid("""{"records": [{"x": 1}]}""");

        Assert.Equal("records[0].x", FieldError.FieldOf(error));
    }

    [Fact]
    public void ARecordWithoutTheInputIsRejectedNamingTheMissingField()
    {
        var error = Invalid("""{"records": [{"x": [1, 2, 3]}, {"x": [4, 5, 6]}, {"y": [1, 2, 3]}]}""");

        Assert.Equal("records[2].x", FieldError.FieldOf(error));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordThatIsNotAnObjectIsRejectedNamingIt()
    {
        var error = Invalid("""{"records": [{"x": [1, 2, 3]}, [1, 2, 3]]}""");

        Assert.Equal("records[1]", FieldError.FieldOf(error));
    }

    [Theory]
    [InlineData("{records")]
    [InlineData("""{"records": [{"x": [1, 2, 3]}""")]
    [InlineData("")]
    [InlineData("[{\"x\": [1, 2, 3]}]")]
    [InlineData("not json")]
    public void ABodyThatIsNotAJsonObjectIsRejectedAsTheBody(string body)
    {
        var error = Invalid(body);

        Assert.Equal("body", FieldError.FieldOf(error));
    }

    /// <summary>A body that goes on after its JSON object is not JSON, so it is not scored.</summary>
    [Theory]
    [InlineData("""{"records": [{"x": [1, 2, 3]}]} trailing""")]
    [InlineData("""{"records": [{"x": [1, 2, 3]}]}{"records": 5}""")]
    public void ContentAfterTheJsonObjectIsRejectedAsTheBody(string body)
    {
        var error = Invalid(body);

        Assert.Equal("body", FieldError.FieldOf(error));
    }

    [Fact]
    public void NumbersOutsideFloat32AreRejectedNamingTheElement()
    {
        var error = Invalid("""{"records": [{"x": [1e39, 2, 3]}]}""");

        Assert.Equal("records[0].x[0]", FieldError.FieldOf(error));
        Assert.Contains("outside float32's range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyRecordsAreRejected()
    {
        var error = Invalid("""{"records": []}""");

        Assert.Equal("records", FieldError.FieldOf(error));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"rows": [{"x": [1, 2, 3]}]}""")]
    public void MissingRecordsAreRejected(string body)
    {
        var error = Invalid(body);

        Assert.Equal("records", FieldError.FieldOf(error));
        Assert.Contains("'x' (a list of 3 numbers)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsThatAreNotAListAreRejected()
    {
        var error = Invalid("""{"records": {"x": [1, 2, 3]}}""");

        Assert.Equal("records", FieldError.FieldOf(error));
    }

    private static PredictionInput Parse(string body) => RecordsRequest.Parse(Encoding.UTF8.GetBytes(body), Input);

    private static ArgumentException Invalid(string body) => Assert.Throws<ArgumentException>(() => Parse(body));
}
