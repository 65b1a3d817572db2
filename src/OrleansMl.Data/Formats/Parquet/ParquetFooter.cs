using System.Buffers;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// A part file's footer (Parquet's FileMetaData in the Thrift compact protocol): the schema (every column
/// nullable; int64 INT64, float64 DOUBLE, boolean BOOLEAN, string and categorical UTF8, timestamp
/// TIMESTAMP(MICROS, UTC), vector a three-level LIST of required FLOAT), the row groups and their column chunks, and
/// the dataset schema under <see cref="ParquetSchemaMapping.SchemaMetadataKey"/>.
/// </summary>
internal static class ParquetFooter
{
    private const int Required = 0;
    private const int Optional = 1;
    private const int Repeated = 2;
    private const int Utf8 = 0;
    private const int List = 3;
    private const int TimestampMicros = 10;

    public static void Write(
        IBufferWriter<byte> output, DatasetSchema schema, IReadOnlyList<ParquetColumnChunk> columns,
        IReadOnlyList<(long Rows, long Offset, ParquetColumnChunk.Metadata[] Chunks)> rowGroups, long rows)
    {
        var thrift = new ThriftCompactWriter(output);
        thrift.BeginStructValue();
        thrift.Int32(1, 1);
        thrift.StructList(2, 1 + columns.Sum(c => c.Path.Length));
        thrift.BeginStructValue();
        thrift.String(4, "schema");
        thrift.Int32(5, columns.Count);
        thrift.EndStruct();
        foreach (var column in columns)
        {
            WriteSchema(thrift, column);
        }

        thrift.Int64(3, rows);
        thrift.StructList(4, rowGroups.Count);
        foreach (var (groupRows, offset, chunks) in rowGroups)
        {
            thrift.BeginStructValue();
            thrift.StructList(1, chunks.Length);
            for (var c = 0; c < chunks.Length; c++)
            {
                WriteChunk(thrift, columns[c], chunks[c]);
            }

            thrift.Int64(2, chunks.Sum(c => c.Uncompressed));
            thrift.Int64(3, groupRows);
            thrift.Int64(5, offset);
            thrift.Int64(6, chunks.Sum(c => c.Compressed));
            thrift.EndStruct();
        }

        thrift.StructList(5, 1);
        thrift.BeginStructValue();
        thrift.String(1, ParquetSchemaMapping.SchemaMetadataKey);
        thrift.String(2, SchemaJson.Serialize(schema));
        thrift.EndStruct();
        thrift.String(6, "OrleansMl");

        // Every leaf column in its type's defined order, which is what makes min_value and max_value valid statistics.
        thrift.StructList(7, columns.Count);
        foreach (var column in columns)
        {
            thrift.BeginStructValue();
            thrift.BeginStruct(1); // TYPE_ORDER
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.EndStruct();
    }

    /// <summary>SchemaElement: 1 type, 3 repetition_type, 4 name, 5 num_children, 6 converted_type, 10 logicalType.</summary>
    private static void WriteSchema(ThriftCompactWriter thrift, ParquetColumnChunk column)
    {
        var type = column.Column.Type;
        if (type == ColumnType.Vector)
        {
            thrift.BeginStructValue();
            thrift.Int32(3, Optional);
            thrift.String(4, column.Column.Name);
            thrift.Int32(5, 1);
            thrift.Int32(6, List);
            thrift.BeginStruct(10);
            thrift.BeginStruct(3); // LIST
            thrift.EndStruct();
            thrift.EndStruct();
            thrift.EndStruct();

            thrift.BeginStructValue();
            thrift.Int32(3, Repeated);
            thrift.String(4, "list");
            thrift.Int32(5, 1);
            thrift.EndStruct();

            thrift.BeginStructValue();
            thrift.Int32(1, column.PhysicalType);
            thrift.Int32(3, Required);
            thrift.String(4, "element");
            thrift.EndStruct();
            return;
        }

        thrift.BeginStructValue();
        thrift.Int32(1, column.PhysicalType);
        thrift.Int32(3, Optional);
        thrift.String(4, column.Column.Name);
        if (type is ColumnType.String or ColumnType.Categorical)
        {
            thrift.Int32(6, Utf8);
            thrift.BeginStruct(10);
            thrift.BeginStruct(1); // STRING
            thrift.EndStruct();
            thrift.EndStruct();
        }
        else if (type == ColumnType.Timestamp)
        {
            thrift.Int32(6, TimestampMicros);
            thrift.BeginStruct(10);
            thrift.BeginStruct(8); // TIMESTAMP
            thrift.Bool(1, true); // isAdjustedToUTC
            thrift.BeginStruct(2); // unit
            thrift.BeginStruct(2); // MICROS
            thrift.EndStruct();
            thrift.EndStruct();
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.EndStruct();
    }

    /// <summary>
    /// ColumnChunk: 2 file_offset, 3 meta_data. ColumnMetaData: 1 type, 2 encodings, 3 path_in_schema, 4 codec,
    /// 5 num_values, 6 total_uncompressed_size, 7 total_compressed_size, 9 data_page_offset,
    /// 11 dictionary_page_offset, 12 statistics (3 null_count, 5 max_value, 6 min_value).
    /// </summary>
    private static void WriteChunk(ThriftCompactWriter thrift, ParquetColumnChunk column, ParquetColumnChunk.Metadata chunk)
    {
        thrift.BeginStructValue();
        thrift.Int64(2, chunk.DictionaryPageOffset ?? chunk.DataPageOffset);
        thrift.BeginStruct(3);
        thrift.Int32(1, column.PhysicalType);
        thrift.Int32List(2, chunk.Dictionary ? [2, 3] : [0, 3]); // PLAIN_DICTIONARY or PLAIN, and RLE levels
        thrift.StringList(3, column.Path);
        thrift.Int32(4, chunk.Snappy ? 1 : 0);
        thrift.Int64(5, chunk.Values);
        thrift.Int64(6, chunk.Uncompressed);
        thrift.Int64(7, chunk.Compressed);
        thrift.Int64(9, chunk.DataPageOffset);
        if (chunk.DictionaryPageOffset is { } dictionary)
        {
            thrift.Int64(11, dictionary);
        }

        thrift.BeginStruct(12);
        thrift.Int64(3, chunk.Statistics.Nulls);
        if (chunk.Statistics is { Min: { } min, Max: { } max })
        {
            thrift.Bytes(5, max);
            thrift.Bytes(6, min);
        }

        thrift.EndStruct();
        thrift.EndStruct();
        thrift.EndStruct();
    }
}
