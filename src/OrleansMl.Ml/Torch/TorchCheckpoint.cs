using System.Buffers.Binary;

namespace OrleansMl.Ml.Torch;

/// <summary>
/// Where data-parallel training stands: the next step to take (<see cref="Epoch"/>, <see cref="Batch"/>, and the
/// global <see cref="Step"/> count), the weights as a model file (<see cref="TorchModelFile"/>) and the
/// optimiser's state (momentum, Adam's moments: TorchSharp's own format). Bytes: <c>OMLTCKP1</c>, step
/// (int64), epoch and batch (int32), then the two parts, each after its int32 length; all little-endian.
/// </summary>
public sealed record TorchCheckpoint(long Step, int Epoch, int Batch, byte[] Model, byte[] Optimizer)
{
    private static readonly byte[] Magic = "OMLTCKP1"u8.ToArray();

    public byte[] ToBytes()
    {
        var bytes = new byte[Magic.Length + 8 + 4 + 4 + 4 + Model.Length + 4 + Optimizer.Length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        var at = Magic.Length;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], Step);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], Epoch);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 12)..], Batch);
        at += 16;
        foreach (var part in (byte[][])[Model, Optimizer])
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], part.Length);
            part.CopyTo(span[(at + 4)..]);
            at += 4 + part.Length;
        }

        return bytes;
    }

    /// <exception cref="InvalidDataException">The bytes are not a checkpoint.</exception>
    public static TorchCheckpoint FromBytes(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.Length < Magic.Length + 24 || !span[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a torch checkpoint: it does not start with OMLTCKP1.");
        }

        var at = Magic.Length;
        var step = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        var epoch = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 8)..]);
        var batch = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 12)..]);
        at += 16;
        var parts = new byte[2][];
        for (var i = 0; i < 2; i++)
        {
            var length = at + 4 <= span.Length ? BinaryPrimitives.ReadInt32LittleEndian(span[at..]) : -1;
            if (length < 0 || length > span.Length - at - 4)
            {
                throw new InvalidDataException("not a torch checkpoint: it is cut short.");
            }

            parts[i] = span.Slice(at + 4, length).ToArray();
            at += 4 + length;
        }

        return step < 0 || epoch < 0 || batch < 0
            ? throw new InvalidDataException("not a torch checkpoint: its position is negative.")
            : new TorchCheckpoint(step, epoch, batch, parts[0], parts[1]);
    }
}
