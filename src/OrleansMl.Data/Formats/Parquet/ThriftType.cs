namespace OrleansMl.Data.Formats.Parquet;

/// <summary>The field and element types of Thrift's compact protocol, as page headers and footers carry them.</summary>
internal static class ThriftType
{
    public const int True = 1;
    public const int False = 2;
    public const int Byte = 3;
    public const int I16 = 4;
    public const int I32 = 5;
    public const int I64 = 6;
    public const int Double = 7;
    public const int Binary = 8;
    public const int List = 9;
    public const int Set = 10;
    public const int Map = 11;
    public const int Struct = 12;
}
