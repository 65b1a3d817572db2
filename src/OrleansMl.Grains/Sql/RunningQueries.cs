using System.Collections.Concurrent;

namespace OrleansMl.Sql;

/// <summary>The queries a silo's coordinators run now, by id, each with the source that cancels it (one per silo, see <see cref="SqlQueryGrain"/>).</summary>
public sealed class RunningQueries
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    /// <summary>Registers a query; the returned source is cancelled by <see cref="Cancel"/> or with <paramref name="caller"/>; dispose it when the query ends.</summary>
    /// <exception cref="ArgumentException">A query with this id runs already.</exception>
    public Registration Start(string id, CancellationToken caller)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(caller);
        if (!_running.TryAdd(id, source))
        {
            source.Dispose();
            throw FieldError.Invalid($"A query with id '{id}' is running already; give another id, or cancel it with DELETE /v1/sql/{id}.", "id");
        }

        return new Registration(this, id, source);
    }

    public bool Cancel(string id)
    {
        if (!_running.TryGetValue(id, out var source))
        {
            return false;
        }

        source.Cancel();
        return true;
    }

    /// <summary>A running query: its token, and its end when disposed.</summary>
    public sealed class Registration(RunningQueries owner, string id, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            owner._running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, source));
            source.Dispose();
        }
    }
}
