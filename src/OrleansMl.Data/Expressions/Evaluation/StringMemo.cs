using System.Runtime.CompilerServices;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// Remembers a per-string answer by string instance. Categorical columns repeat a few instances over and
/// over, so a small direct-mapped table turns most rows into one hash of the reference and one compare.
/// Only worth it for categorical data: for unique strings every row would miss.
/// </summary>
internal sealed class StringMemo<T>
{
    private const int Size = 64;

    private readonly string?[] _keys = new string?[Size];
    private readonly T[] _answers = new T[Size];

    public bool TryGet(string key, out T answer, out int slot)
    {
        slot = RuntimeHelpers.GetHashCode(key) & (Size - 1);
        if (ReferenceEquals(_keys[slot], key))
        {
            answer = _answers[slot];
            return true;
        }

        answer = default!;
        return false;
    }

    public void Set(int slot, string key, T answer)
    {
        _keys[slot] = key;
        _answers[slot] = answer;
    }
}
