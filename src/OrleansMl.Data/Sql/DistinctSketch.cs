using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Statistics;

namespace OrleansMl.Data.Sql;

/// <summary>
/// approx_count_distinct's state per group: the exact set of 64-bit hashes while it holds at most
/// <see cref="SparseLimit"/> (so a group of few values costs a few bytes and counts exactly), then the
/// describe statistics' <see cref="HyperLogLog"/> (2^14 registers, about 0.8% standard error). Values
/// hash as that sketch hashes them, the same on every silo, so the states of different partitions merge.
/// </summary>
internal sealed class DistinctSketch
{
    private const int SparseLimit = 1024;

    private HashSet<ulong>? _hashes = [];
    private HyperLogLog? _dense;

    /// <summary>The hash of a non-null row: equal values hash equal, -0.0 as 0.0, every NaN alike.</summary>
    public static ulong Hash(Column column, int row) => column switch
    {
        Int64Column integers => HyperLogLog.Mix(unchecked((ulong)integers.UnsafeArray[row])),
        Float64Column floats => HyperLogLog.Mix(BitConverter.DoubleToUInt64Bits(floats.UnsafeArray[row] is var v && v == 0 ? 0 : double.IsNaN(v) ? double.NaN : v)),
        BooleanColumn booleans => HyperLogLog.Mix(booleans.UnsafeArray[row] ? 1UL : 0UL),
        StringColumn strings => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(strings.Values[row]!.AsSpan())),
        _ => throw new Schema.SchemaException($"approx_count_distinct does not take a {column.Type.ToString().ToLowerInvariant()} column."),
    };

    public void Add(ulong hash)
    {
        if (_dense is not null)
        {
            _dense.AddHash(hash);
        }
        else if (_hashes!.Add(hash) && _hashes.Count > SparseLimit)
        {
            Densify();
        }
    }

    /// <summary>Adds the values of an encoded state (<see cref="Encode"/>).</summary>
    public void Merge(string encoded)
    {
        var bytes = Convert.FromBase64String(encoded[1..]);
        if (encoded[0] == 'S')
        {
            for (var i = 0; i < bytes.Length; i += 8)
            {
                Add(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i)));
            }

            return;
        }

        var reader = new SketchReader(bytes);
        var other = HyperLogLog.Read(ref reader);
        Densify().Merge(other);
    }

    /// <summary>The dense sketch, made from the exact set the first time.</summary>
    private HyperLogLog Densify()
    {
        if (_dense is null)
        {
            _dense = new HyperLogLog();
            foreach (var hash in _hashes!)
            {
                _dense.AddHash(hash);
            }

            _hashes = null;
        }

        return _dense;
    }

    public long Estimate() => _dense?.Estimate() ?? _hashes!.Count;

    public string Encode()
    {
        if (_dense is not null)
        {
            var writer = new SketchWriter();
            _dense.Write(writer);
            return "D" + Convert.ToBase64String(writer.ToArray());
        }

        var bytes = new byte[_hashes!.Count * 8];
        var i = 0;
        foreach (var hash in _hashes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i), hash);
            i += 8;
        }

        return "S" + Convert.ToBase64String(bytes);
    }
}
