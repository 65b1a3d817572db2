using System.Buffers.Binary;
using System.Numerics;
using OrleansMl.Data.Columns;

namespace OrleansMl.Data.Sql;

/// <summary>
/// A distinct-count sketch: the exact set of 64-bit hashes while it holds at most <see cref="SparseLimit"/>,
/// then HyperLogLog with 2^12 registers (standard error 1.6%, linear counting for small estimates).
/// Hashes are the same on every silo (no per-process seed), so sketches of different partitions merge.
/// </summary>
internal sealed class HyperLogLog
{
    private const int Precision = 12;
    private const int Registers = 1 << Precision;
    private const int SparseLimit = 1024;

    private HashSet<ulong>? _hashes = [];
    private byte[]? _registers;

    public void Add(ulong hash)
    {
        if (_hashes is not null)
        {
            if (_hashes.Add(hash) && _hashes.Count > SparseLimit)
            {
                _registers = new byte[Registers];
                foreach (var h in _hashes)
                {
                    Set(h);
                }

                _hashes = null;
            }

            return;
        }

        Set(hash);
    }

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

        if (_hashes is not null)
        {
            _registers = new byte[Registers];
            foreach (var h in _hashes)
            {
                Set(h);
            }

            _hashes = null;
        }

        for (var i = 0; i < Registers; i++)
        {
            _registers![i] = Math.Max(_registers[i], bytes[i]);
        }
    }

    public long Estimate()
    {
        if (_hashes is not null)
        {
            return _hashes.Count;
        }

        double sum = 0;
        var zeros = 0;
        foreach (var register in _registers!)
        {
            sum += Math.ScaleB(1, -register);
            zeros += register == 0 ? 1 : 0;
        }

        const double m = Registers;
        var estimate = 0.7213 / (1 + (1.079 / m)) * m * m / sum;
        return (long)Math.Round(estimate <= 2.5 * m && zeros > 0 ? m * Math.Log(m / zeros) : estimate);
    }

    public string Encode()
    {
        if (_hashes is null)
        {
            return "D" + Convert.ToBase64String(_registers!);
        }

        var bytes = new byte[_hashes.Count * 8];
        var i = 0;
        foreach (var hash in _hashes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i), hash);
            i += 8;
        }

        return "S" + Convert.ToBase64String(bytes);
    }

    /// <summary>The hash of each row's value (nulls are skipped by the caller): equal values hash equal, -0.0 as 0.0, every NaN alike.</summary>
    public static ulong Hash(Column column, int row) => column switch
    {
        Int64Column integers => Mix((ulong)integers.UnsafeArray[row]),
        Float64Column floats => Mix((ulong)BitConverter.DoubleToInt64Bits(floats.UnsafeArray[row] is var v && v == 0 ? 0.0 : double.IsNaN(v) ? double.NaN : v)),
        BooleanColumn booleans => Mix(booleans.UnsafeArray[row] ? 1UL : 0UL),
        StringColumn strings => Text(strings.Values[row]!),
        _ => throw new Schema.SchemaException($"approx_count_distinct does not take a {column.Type.ToString().ToLowerInvariant()} column."),
    };

    private void Set(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        _registers![index] = Math.Max(_registers[index], rank);
    }

    private static ulong Text(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return Mix(hash);
    }

    /// <summary>SplitMix64's finalizer: every input bit reaches every output bit.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
