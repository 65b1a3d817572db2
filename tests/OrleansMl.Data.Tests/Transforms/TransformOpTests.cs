using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;

namespace OrleansMl.Data.Tests.Transforms;

public sealed class TransformOpTests
{
    private static readonly DatasetSchema Schema = new(
    [
        new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("x", ColumnType.Float64), new ColumnSchema("color", ColumnType.Categorical),
        new ColumnSchema("v", ColumnType.Vector, 2),
    ]);

    private static ColumnBatch Batch()
    {
        var nulls = new NullMask(4);
        nulls.SetNull(2);
        return new ColumnBatch(Schema,
        [
            new Int64Column(Schema[0], [1, 2, 3, 4]),
            new Float64Column(Schema[1], [0.5, 1.5, 0, 3.5], nulls),
            new StringColumn(Schema[2], ["red", "blue", null, "red"]),
            new VectorColumn(Schema[3], [1, 10, 2, 20, 3, 30, 4, 40]),
        ]);
    }

    private static ColumnBatch Run(ITransformOp op) => new TransformPipeline([op], Schema).Apply(Batch());

    [Fact]
    public void SelectDropAndRenameReshapeColumns()
    {
        Assert.Equal(["x", "id"], Run(ProjectOp.Select(["x", "id"])).Schema.Columns.Select(c => c.Name));
        Assert.Equal(["id", "v"], Run(ProjectOp.Drop(["x", "color"])).Schema.Columns.Select(c => c.Name));
        var renamed = Run(ProjectOp.Rename(new Dictionary<string, string> { ["x"] = "price" }));
        Assert.Equal(1.5, renamed["price"].GetValue(1));
    }

    [Fact]
    public void UnknownColumnsNameTheStepAndListTheColumns()
    {
        var error = Assert.Throws<SchemaException>(() => new TransformPipeline([ProjectOp.Drop(["id"]), ProjectOp.Select(["id"])], Schema));
        Assert.Equal("steps[1]: select: unknown column 'id'. Columns: x, color, v.", error.Message);
    }

    [Fact]
    public void CastConvertsAndTurnsFailuresIntoNull()
    {
        var text = Run(new CastOp("x", ColumnType.String));
        Assert.Equal("1.5", text["x"].GetValue(1));
        Assert.Null(text["x"].GetValue(2));
        var back = new TransformPipeline([new CastOp("x", ColumnType.String), new CastOp("x", ColumnType.Int64)], Schema).Apply(Batch());
        Assert.Equal(3L, back["x"].GetValue(3));
        var vector = Assert.Throws<SchemaException>(() => new TransformPipeline([new CastOp("v", ColumnType.Float64)], Schema));
        Assert.Contains("use assemble", vector.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalizeScalesScalarsAndEachVectorPosition()
    {
        var op = new NormalizeOp(new Dictionary<string, (double[], double[])>
        {
            ["id"] = NormalizeOp.MinMax([1], [4]),
            ["v"] = NormalizeOp.ZScore([2.5, 25], [1, 10]),
        });
        var result = Run(op);
        Assert.Equal(ColumnType.Float64, result.Schema.Get("id").Type);
        Assert.Equal([0.0, 1 / 3.0, 2 / 3.0, 1.0], ((Float64Column)result["id"]).Values.ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal(new[] { -1.5f, -1.5f }, ((VectorColumn)result["v"]).Row(0).ToArray());
        Assert.Equal(new[] { 1.5f, 1.5f }, ((VectorColumn)result["v"]).Row(3).ToArray());
    }

    [Fact]
    public void CategoriesBecomeKeysOrOneHotVectorsAndUnknownsBecomeNullOrZeros()
    {
        var keys = Run(new CategoricalOp("color", "color_key", ["blue", "red"], oneHot: false));
        Assert.Equal([1L, 0L, null, 1L], Enumerable.Range(0, 4).Select(i => keys["color_key"].GetValue(i)));
        var hot = Run(new CategoricalOp("color", "color", ["blue"], oneHot: true));
        Assert.False(hot["color"].IsNull(0)); // red is not a known category: all zeros, as scikit-learn's handle_unknown='ignore'
        Assert.Equal(new[] { 0f }, (float[])hot["color"].GetValue(0)!);
        Assert.Equal(new[] { 1f }, (float[])hot["color"].GetValue(1)!);
        Assert.True(hot["color"].IsNull(2)); // a null stays null
    }

    [Fact]
    public void FittedToKeyRefusesAnUnseenCategoryNamingItsRow()
    {
        var op = new CategoricalOp("color", "color_key", ["blue"], oneHot: false, rejectUnseen: true);
        var error = Assert.Throws<UnseenValueException>(() => Run(op));
        Assert.Equal((0, "color"), (error.Row, error.Column));
        Assert.Contains("'red' was never seen in the training rows; known values: blue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssembleConcatenatesNumbersAndVectorsAndPropagatesNulls()
    {
        var result = Run(new AssembleOp(["x", "v", "id"], "features"));
        var features = (VectorColumn)result["features"];
        Assert.Equal(4, features.Dimension);
        Assert.Equal(new[] { 1.5f, 2, 20, 2 }, features.Row(1).ToArray());
        Assert.True(features.IsNull(2));
        var text = Assert.Throws<SchemaException>(() => new TransformPipeline([new AssembleOp(["color"], "f")], Schema));
        Assert.Contains("use to_key or one_hot", text.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowHashIsDeterministicAndRoughlyUniform()
    {
        Assert.Equal(RowHash.Key(7, 123), RowHash.Key(7, 123));
        Assert.NotEqual(RowHash.Key(7, 123), RowHash.Key(8, 123));
        var below = Enumerable.Range(0, 100_000).Count(i => RowHash.Unit(42, i) < 0.3);
        Assert.InRange(below, 29_000, 31_000);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
