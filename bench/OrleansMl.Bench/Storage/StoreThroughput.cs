using System.Diagnostics;
using OrleansMl.Bench.Measurement;

namespace OrleansMl.Bench.Storage;

/// <summary>
/// Write and read MiB/s of a store against its raw reference: each repetition writes every object,
/// then reads every object back, one after another, the store and the reference in turn.
/// </summary>
internal static class StoreThroughput
{
    private const double MiB = 1 << 20;

    public static async Task<BenchResult[]> MeasureAsync(string store, IObjectIo subject, string referenceName, IObjectIo reference, BenchSettings settings, string? writeNote = null, string? readNote = null)
    {
        Console.WriteLine($"{store}: {settings.Repetitions} x {settings.ObjectCount} objects of {settings.ObjectBytes / MiB:0.#} MiB");
        var content = new byte[settings.ObjectBytes];
        new Random(42).NextBytes(content);
        var buffer = new byte[1 << 20];
        await RoundAsync(subject, content, buffer, settings);
        await RoundAsync(reference, content, buffer, settings);

        var (write, read) = (new double[settings.Repetitions], new double[settings.Repetitions]);
        var (referenceWrite, referenceRead) = (new double[settings.Repetitions], new double[settings.Repetitions]);
        for (var i = 0; i < settings.Repetitions; i++)
        {
            (write[i], read[i]) = await RoundAsync(subject, content, buffer, settings);
            (referenceWrite[i], referenceRead[i]) = await RoundAsync(reference, content, buffer, settings);
        }

        return
        [
            BenchResult.FromSamples($"{store} write", referenceName, "MiB/s", higherIsBetter: true, write, referenceWrite, writeNote),
            BenchResult.FromSamples($"{store} read", referenceName, "MiB/s", higherIsBetter: true, read, referenceRead, readNote),
        ];
    }

    private static async Task<(double Write, double Read)> RoundAsync(IObjectIo io, byte[] content, byte[] buffer, BenchSettings settings)
    {
        var bytes = (double)settings.ObjectBytes * settings.ObjectCount;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < settings.ObjectCount; i++)
        {
            await io.WriteAsync(Name(i), content);
        }

        var writeSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < settings.ObjectCount; i++)
        {
            var length = await io.ReadAsync(Name(i), buffer);
            if (length != content.Length)
            {
                throw new InvalidOperationException($"Read {length} bytes of object {Name(i)}; {content.Length} were written.");
            }
        }

        var readSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (bytes / MiB / writeSeconds, bytes / MiB / readSeconds);
    }

    private static string Name(int index) => $"object-{index:d3}.bin";
}
