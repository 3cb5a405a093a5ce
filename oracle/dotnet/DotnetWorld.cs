// One scenario's state on .NET: the slots vtlab's ops name (S pooled sources with the token
// each was rented at, V value_tasks, K cancellation sources) and a pool of three. Each op
// with a .NET meaning that this oracle runs is performed on .NET's own types and observed
// in the words vtlab's traces use (describe(outcome) in harness/src/outcome.cpp).
using System.Threading.Tasks.Sources;

namespace Vtlab.Oracle;

// What one step showed on .NET, and, where .NET's behaviour there departs from vtlab's
// contract in a way that changes state, which departure (Departures.cs).
public sealed record Observed(string Outcome, string? StateDeparture = null);

public sealed class HarnessException(int code) : Exception($"harness error {code}")
{
    public int Code { get; } = code;
}

public sealed class DotnetWorld
{
    // vtlab's frozen op codes (harness/include/vth/scenario.hpp) that this oracle runs.
    public const int Rent = 0, Wrap = 1, WrapWrongToken = 2, Copy = 3, SetResult = 4, SetException = 5,
                     SetCanceled = 6, Result = 8, Status = 9, EqualsOp = 26;
    const int SourceSlots = 4, ValueTaskSlots = 6, CancellationSlots = 2;

    struct SourceSlot
    {
        public PooledSource? Source;
        public short Token;
    }

    struct ValueTaskSlot
    {
        public ValueTask<int> Task;
        public PooledSource? Source;  // what backs it, where a pooled source does
    }

    readonly SourcePool pool;
    readonly bool voidValues;
    readonly SourceSlot[] sources = new SourceSlot[SourceSlots];
    readonly ValueTaskSlot[] valueTasks = new ValueTaskSlot[ValueTaskSlots];
    readonly CancellationTokenSource[] cancellations = new CancellationTokenSource[CancellationSlots];

    public DotnetWorld(Settings settings)
    {
        pool = new SourcePool(settings.StartVersion);
        voidValues = settings.Values == "void";
        for (int k = 0; k < CancellationSlots; ++k) cancellations[k] = new CancellationTokenSource();
    }

    // The step on .NET, or null where this oracle does not run the op.
    public Observed? Run(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case Rent:
            {
                if (Live(a)) return new("skipped");
                PooledSource? source = pool.Rent();
                if (source == null) return new("pool_exhausted");
                sources[a] = new SourceSlot { Source = source, Token = source.Version };
                return new("done");
            }
            case Wrap:
                if (!Live(b)) return new("skipped");
                valueTasks[a] = Backed(sources[b].Source!, sources[b].Token);
                return new("done");
            case WrapWrongToken:
            {
                if (!Live(b)) return new("skipped");
                int offset = c < 128 ? -(c + 1) : c - 127;
                valueTasks[a] = Backed(sources[b].Source!, unchecked((short)(sources[b].Token + offset)));
                return new("done");
            }
            case Copy:
                valueTasks[a] = valueTasks[b];
                return new("done");
            case SetResult:
            case SetException:
            case SetCanceled:
                return Complete(step.Code, a, b);
            case Result:
                return Read(valueTasks[a]);
            case Status:
                return Observe(() => "status " + StatusOf(valueTasks[a].Task));
            case EqualsOp:
                return new("value " + (valueTasks[a].Task.Equals(valueTasks[b].Task) ? 1 : 0));
            default:
                return null;
        }
    }

    static ValueTaskSlot Backed(PooledSource source, short token) => new() { Task = new ValueTask<int>(source, token), Source = source };

    bool Live(int slot) => sources[slot].Source is { Rented: true } s && s.Version == sources[slot].Token;

    Observed Complete(int code, int slot, int value)
    {
        if (!Live(slot)) return new("skipped");
        PooledSource source = sources[slot].Source!;
        try
        {
            if (code == SetResult) source.SetResult(value);
            if (code == SetException) source.SetException(new HarnessException(value));
            if (code == SetCanceled) source.SetException(new OperationCanceledException(cancellations[value].Token));
            return new("done");
        }
        catch (InvalidOperationException)
        {
            // ManualResetValueTaskSourceCore stores the second outcome before it refuses it.
            return new("invalid_operation", Departures.DoubleCompletionOverwrites);
        }
    }

    Observed Read(ValueTaskSlot slot)
    {
        Observed read = Observe(() =>
        {
            int value = slot.Task.Result;
            return "value " + (voidValues ? 0 : value);  // a void result reads as 0, as vtlab's model reports it
        });
        // A refused GetResult on a pooled box recycles it all the same (its `finally`).
        if (read.Outcome == "invalid_operation" && slot.Source != null) return read with { StateDeparture = Departures.RefusedCallRecycles };
        return read;
    }

    static string StatusOf(ValueTask<int> task)
    {
        if (!task.IsCompleted) return "pending";
        if (task.IsCompletedSuccessfully) return "succeeded";
        return task.IsCanceled ? "canceled" : "faulted";
    }

    Observed Observe(Func<string> call)
    {
        try
        {
            return new(call());
        }
        catch (InvalidOperationException)
        {
            return new("invalid_operation");
        }
        catch (HarnessException e)
        {
            return new("error" + e.Code);
        }
        catch (OperationCanceledException e)
        {
            int by = Array.FindIndex(cancellations, k => k.Token == e.CancellationToken);
            return new(by < 0 ? "canceled" : "canceled by K" + by);
        }
    }
}
