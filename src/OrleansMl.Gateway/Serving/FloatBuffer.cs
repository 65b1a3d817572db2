using System.Buffers;

namespace OrleansMl.Gateway.Serving;

/// <summary>A growing run of floats on pooled arrays; <see cref="ToArray"/> gives the exact-length copy and <see cref="Dispose"/> returns the pool's array.</summary>
internal sealed class FloatBuffer(int capacity) : IDisposable
{
    private float[] _items = ArrayPool<float>.Shared.Rent(Math.Max(capacity, 16));

    public int Count { get; private set; }

    public void Add(float value)
    {
        if (Count == _items.Length)
        {
            var larger = ArrayPool<float>.Shared.Rent(_items.Length * 2);
            _items.AsSpan(0, Count).CopyTo(larger);
            ArrayPool<float>.Shared.Return(_items);
            _items = larger;
        }

        _items[Count++] = value;
    }

    public float[] ToArray() => _items.AsSpan(0, Count).ToArray();

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_items);
        _items = [];
    }
}
