using System.Buffers;
using OrleansMl.Data.Formats.Parquet;

namespace OrleansMl.Data.Tests.Formats.Parquet;

public sealed class RleHybridTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 8)]
    [InlineData(5, 9)]
    [InlineData(12, 1000)]
    [InlineData(17, 4099)]
    [InlineData(31, 777)]
    public void WhatEncodeWritesDecodesToTheSameValues(int bitWidth, int count)
    {
        // Stretches of one value (long enough for runs, and not), between random values, at every alignment.
        var random = new Random(bitWidth * 1000 + count);
        var values = new int[count];
        for (var i = 0; i < count;)
        {
            var value = random.Next() & (int)((1L << bitWidth) - 1);
            var length = random.Next(4) == 0 ? random.Next(1, 60) : 1;
            for (var k = 0; k < length && i < count; k++)
            {
                values[i++] = value;
            }
        }

        var encoded = new ArrayBufferWriter<byte>();
        RleHybrid.Encode(values, bitWidth, encoded);
        var decoded = new int[count];
        RleHybrid.Decode(encoded.WrittenSpan, bitWidth, decoded);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void ALongRepeatIsOneRunAndRandomValuesArePacked()
    {
        var encoded = new ArrayBufferWriter<byte>();
        RleHybrid.Encode(Enumerable.Repeat(3, 100_000).ToArray(), 2, encoded);
        Assert.Equal(4, encoded.WrittenCount); // a three-byte header and the value

        encoded.ResetWrittenCount();
        var random = new Random(3);
        RleHybrid.Encode(Enumerable.Range(0, 80_000).Select(_ => random.Next(4)).ToArray(), 2, encoded);
        Assert.InRange(encoded.WrittenCount, 20_000, 20_100); // two bits a value
    }
}
