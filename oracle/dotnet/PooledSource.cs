// A pooled IValueTaskSource<int> built the way .NET's own boxes are (the pooling async
// method builder's StateMachineBox, the sockets' awaitable event args): a
// ManualResetValueTaskSourceCore<int> whose Reset moves the version on, handed back to its
// pool from GetResult's `finally`, whatever GetResult did.
using System.Threading.Tasks.Sources;

namespace Vtlab.Oracle;

public sealed class PooledSource : IValueTaskSource<int>
{
    ManualResetValueTaskSourceCore<int> core;
    bool holdsAContinuation;
    readonly SourcePool pool;

    public PooledSource(SourcePool pool, long startVersion, int index)
    {
        this.pool = pool;
        Index = index;
        for (long k = 0; k < startVersion % 65536; ++k) core.Reset();  // its first version, as vtlab's pools start theirs
    }

    public bool Rented { get; set; }
    public int Index { get; }  // the order its pool made it in (vtlab numbers a pool's sources so)
    public long Generation { get; private set; }  // how many times it was recycled: its version, unwrapped
    public short Version => core.Version;

    public void SetResult(int value) => core.SetResult(value);
    public void SetException(Exception error) => core.SetException(error);

    public int GetResult(short token)
    {
        bool refused = true;
        try
        {
            int result = core.GetResult(token);
            refused = false;
            return result;
        }
        finally
        {
            // Idle already (a stale read): .NET would return it a second time; the oracle
            // stops comparing at this departure and keeps its pool whole.
            if (Rented) pool.GiveBack(this);
            if (refused) ++pool.RefusedCallsRecycled;
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        bool pending = core.GetStatus(token) == ValueTaskSourceStatus.Pending;
        core.OnCompleted(continuation, state, token, flags);
        if (pending) holdsAContinuation = true;
    }

    // Whether this generation holds a continuation registered while it was pending: the
    // core refuses any other, and an await's refusal ends a .NET process.
    public bool HoldsAContinuation(short token) => holdsAContinuation && token == core.Version;

    internal void Recycle()
    {
        core.Reset();
        ++Generation;
        holdsAContinuation = false;
    }
}

// vtlab's scenarios rent from a pool of three: the most recently returned idle source
// first, a new one while fewer than three exist, none past that (pool_exhausted).
public sealed class SourcePool
{
    public const int Capacity = 3;
    readonly Stack<PooledSource> idle = new();
    readonly long startVersion;
    int created;

    public SourcePool(long startVersion) => this.startVersion = startVersion;

    // How many refused GetResult calls recycled their source (anywhere: a read, a
    // coroutine's resumption), for the refused_call_recycles departure.
    public int RefusedCallsRecycled { get; set; }

    public PooledSource? Rent()
    {
        PooledSource? source = idle.Count > 0 ? idle.Pop() : null;
        if (source == null && created < Capacity)
        {
            source = new PooledSource(this, startVersion, created);
            ++created;
        }
        if (source != null) source.Rented = true;
        return source;
    }

    internal void GiveBack(PooledSource source)
    {
        source.Recycle();
        source.Rented = false;
        idle.Push(source);
    }
}

// A bare core as its owner holds it (vtlab's core ops): not pooled, its result a copy that
// may be read again with the same token until Reset.
public sealed class BareCoreSource : IValueTaskSource<int>
{
    ManualResetValueTaskSourceCore<int> core;
    bool holdsAContinuation;

    public BareCoreSource(long startVersion)
    {
        for (long k = 0; k < startVersion % 65536; ++k) core.Reset();
    }

    public short Version => core.Version;
    public void Reset()
    {
        core.Reset();
        holdsAContinuation = false;
    }
    public void SetResult(int value) => core.SetResult(value);
    public void SetException(Exception error) => core.SetException(error);
    public int GetResult(short token) => core.GetResult(token);
    public ValueTaskSourceStatus GetStatus(short token) => core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        bool pending = core.GetStatus(token) == ValueTaskSourceStatus.Pending;
        core.OnCompleted(continuation, state, token, flags);
        if (pending) holdsAContinuation = true;
    }

    // Whether this generation holds a continuation registered while it was pending: the
    // core refuses any other, and an await's refusal ends a .NET process.
    public bool HoldsAContinuation(short token) => holdsAContinuation && token == core.Version;
}
