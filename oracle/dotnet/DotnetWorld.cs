// One scenario's state on .NET: the slots vtlab's ops name (S pooled sources with the token
// each was rented at, V value_tasks, T tasks, K cancellation sources, C bare cores) and a
// pool of three, and the steps on sources, value tasks, tasks and cores. Each op with a
// .NET meaning that this oracle runs is performed on .NET's own types and observed in the
// words vtlab's traces use (describe(outcome) in harness/src/outcome.cpp); the other op
// families are in the DotnetWorld.*.cs files beside this one.
using System.Threading.Tasks.Sources;

namespace Vtlab.Oracle;

// What one step showed on .NET, and, where .NET's behaviour there departs from vtlab's
// contract in a way that changes state, which departure (Departures.cs).
public sealed record Observed(string Outcome, string? StateDeparture = null);

public sealed class HarnessException(int code) : Exception($"harness error {code}")
{
    public int Code { get; } = code;
}

public sealed partial class DotnetWorld
{
    // vtlab's frozen op codes (harness/include/vth/scenario.hpp) that this oracle runs.
    public const int Rent = 0, Wrap = 1, WrapWrongToken = 2, Copy = 3, SetResult = 4, SetException = 5,
                     SetCanceled = 6, Result = 8, Status = 9, AsTask = 10, Recycle = 17, CancelOn = 20, Cancel = 21, Preserve = 11, TaskResult = 15, EqualsOp = 26,
                     CoreWrap = 30, CoreComplete = 31, CoreReset = 32, CoreGetResult = 33, MakeFaulted = 35,
                     MakeCanceled = 36, TaskStatus = 37, TaskEquals = 38, TaskFaulted = 39, TaskCanceled = 40,
                     MakeFaultedByCancellation = 61, CancelCheck = 42, Unregister = 46, SetExceptionCanceled = 62, WrapTask = 69, CancelOnActing = 53,
                     TaskFaultedAggregate = 64;
    const int SourceSlots = 4, ValueTaskSlots = 6, TaskSlots = 4, CancellationSlots = 2, CoreSlots = 2;

    struct SourceSlot
    {
        public PooledSource? Source;
        public short Token;
    }

    struct ValueTaskSlot
    {
        public ValueTask<int> Task;
        public PooledSource? Source;  // what backs it, where a pooled source does
        public BareCoreSource? Core;  // or a bare core
        public short Token;           // the token it holds for either
        public long Generation;        // for a pooled source: the generation its token names, unwrapped
        public bool TaskBacked;       // a Task<int> backs it: its Result waits for it
        public object? Box;           // or a value_task coroutine's box, pooled by .NET's builder: a key of its own
    }

    readonly SourcePool pool;
    readonly bool voidValues;
    int recycleBudget;
    readonly SourceSlot[] sources = new SourceSlot[SourceSlots];
    readonly ValueTaskSlot[] valueTasks = new ValueTaskSlot[ValueTaskSlots];
    readonly CancellationTokenSource[] cancellations = new CancellationTokenSource[CancellationSlots];
    readonly Task<int>[] tasks = new Task<int>[TaskSlots];
    readonly BareCoreSource[] cores = new BareCoreSource[CoreSlots];
    // The one shared completed task: with void values, .NET's Task.CompletedTask (vtlab's completed_task()).
    readonly Task<int> completedTask = Task.FromResult(0);

    public DotnetWorld(Settings settings)
    {
        pool = new SourcePool(settings.StartVersion);
        voidValues = settings.Values == "void";
        recycleBudget = settings.RecycleBudget;
        for (int k = 0; k < CancellationSlots; ++k) cancellations[k] = new CancellationTokenSource();
        for (int k = 0; k < TaskSlots; ++k) tasks[k] = completedTask;  // every task slot starts as one shared completed task
        for (int k = 0; k < CoreSlots; ++k) cores[k] = new BareCoreSource(settings.StartVersion);
    }

    // Ops that are vtlab's own fault injection (a C++ copy or move that throws, an
    // allocation that fails): nothing in .NET to run them on.
    static readonly HashSet<string> WithoutDotnetMeaning = new(StringComparer.Ordinal)
    {
        "set_poisoned", "make_poisoned", "run_poisoned", "allocation_fails",
    };

    public static bool HasDotnetMeaning(string op) => !WithoutDotnetMeaning.Contains(op);

    // Ops whose work runs on another thread (a worker, a timer, the default executor, or
    // continuations sent to the thread pool): .NET has them, but what they show depends on
    // a race, so there is no step-for-step run of them to compare.
    static readonly HashSet<string> OnAnotherThread = new(StringComparer.Ordinal)
    {
        "complete_on_worker", "complete_on_own_pool", "complete_after_delay", "result_on_worker", "result_race",
        "cancel_on_worker", "run_default", "suspend_without_executor", "run_asynchronously",
    };

    public static bool RunsOnAnotherThread(string op) => OnAnotherThread.Contains(op);

    // The ops Run performs, by vtlab's names.
    public static readonly string[] OpsRun =
    {
        "rent", "wrap", "wrap_wrong_token", "copy", "set_result", "set_exception", "set_canceled", "result", "status",
        "as_task", "preserve", "recycle", "task_result", "equals", "core_wrap", "core_complete", "core_reset",
        "core_get_result", "make_faulted", "make_canceled", "task_status", "task_equals", "task_faulted", "task_canceled",
        "make_faulted_by_cancellation", "cancel_on", "cancel", "cancel_check", "unregister", "await_in_task",
        "await_in_value_task", "await_task", "task_exception", "run_one", "run_until_idle", "await_unbound",
        "await_task_unbound", "await_task_chain", "await_in_value_task_unbound", "when_all", "when_any", "when_all_into",
        "inspect_when_all", "when_all_of_none", "post_completion", "run_on", "run_throws", "register_raw",
        "register_raw_with", "set_exception_canceled", "wrap_task", "cancel_on_acting", "bad_argument",
        "task_faulted_aggregate", "register_throwing", "register_post_fails", "when_all_nested",
    };

    // The step on .NET, or null where this oracle does not run the op.
    public Observed? Run(Step step)
    {
        int refusedBefore = pool.RefusedCallsRecycled;
        List<Task> crowded = TasksWithSeveralAwaiters();
        Observed? observed = SourceStep(step) ?? ValueTaskStep(step) ?? TaskStep(step) ?? CoreStep(step) ??
                             CancellationStep(step) ?? CoroutineStep(step) ?? CombinatorStep(step) ?? PostedStep(step) ??
                             BadArgumentStep(step);
        if (observed is { StateDeparture: null } && itemStateDeparture != null) observed = observed with { StateDeparture = itemStateDeparture };
        itemStateDeparture = null;
        // A refused GetResult recycled a box, wherever it ran (a coroutine resumed inside the step, say).
        if (observed is { StateDeparture: null } && pool.RefusedCallsRecycled != refusedBefore)
            observed = observed with { StateDeparture = Departures.RefusedCallRecycles };
        if (observed is { StateDeparture: null } && crowded.Any(task => task.IsCompleted))
            observed = observed with { StateDeparture = Departures.FirstAwaiterToldLast };
        if (observed is { StateDeparture: null } && HoldsAWrappedToken())
            observed = observed with { StateDeparture = Departures.TokenWrap16Bit };
        if (observed is { StateDeparture: null } && ConsumedAnEarlyFault())
            observed = observed with { StateDeparture = Departures.EarlyFaultInAPooledBox };
        return observed;
    }

    // Pooled sources: renting, wrapping a token, completing, recycling.
    Observed? SourceStep(Step step)
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
                valueTasks[a] = Backed(sources[b].Source!, sources[b].Token, sources[b].Source!.Generation);
                return new("done");
            case WrapWrongToken:
            {
                if (!Live(b)) return new("skipped");
                int offset = c < 128 ? -(c + 1) : c - 127;
                valueTasks[a] = Backed(sources[b].Source!, unchecked((short)(sources[b].Token + offset)), sources[b].Source!.Generation + offset);
                return new("done");
            }
            case Recycle:
                return RecycleSlot(a, b * 256 + c + 1);
            case SetResult:
            case SetException:
            case SetCanceled:
                return Complete(step.Code, a, b);
            case SetExceptionCanceled:  // as set_canceled with K[b]'s token
                return Complete(SetCanceled, a, b);
            default:
                return null;
        }
    }

    // Value tasks: copies, reads, status, equality, factories, AsTask and Preserve.
    Observed? ValueTaskStep(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case Copy:
                valueTasks[a] = valueTasks[b];
                return new("done");
            case Result:
                return Read(valueTasks[a]);
            case Status:
                return Observe(() => "status " + StatusOf(valueTasks[a].Task));
            case EqualsOp:
            {
                // Void values: .NET's non-generic ValueTask holds no result, so any two result-backed ones are equal.
                bool equal = voidValues && ResultBacked(valueTasks[a]) && ResultBacked(valueTasks[b]) ||
                             valueTasks[a].Task.Equals(valueTasks[b].Task);
                return new("value " + (equal ? 1 : 0));
            }
            case WrapTask:
                valueTasks[a] = new ValueTaskSlot { Task = new ValueTask<int>(tasks[b]), TaskBacked = true };
                return new("done");
            case MakeFaulted:
                valueTasks[a] = new ValueTaskSlot { Task = ValueTask.FromException<int>(new HarnessException(b)), TaskBacked = true };
                return new("done");
            case MakeFaultedByCancellation:
                valueTasks[a] = new ValueTaskSlot
                {
                    Task = ValueTask.FromException<int>(new OperationCanceledException(cancellations[b].Token)), TaskBacked = true,
                };
                return new("done");
            case MakeCanceled:
                return Observe(() =>
                {
                    valueTasks[a] = new ValueTaskSlot { Task = ValueTask.FromCanceled<int>(cancellations[b].Token), TaskBacked = true };
                    return "done";
                });
            case AsTask:
            {
                ValueTaskSlot from = valueTasks[b];
                return Observe(() =>
                {
                    tasks[a] = AsTaskOf(from);
                    NoteContinuation(from);
                    return "done";
                });
            }
            case Preserve:
            {
                ValueTaskSlot from = valueTasks[b];
                return Observe(() =>
                {
                    // Preserve keeps a result-backed value_task as it is, and puts a task behind the
                    // others (.NET's Preserve is new ValueTask(AsTask())).
                    valueTasks[a] = ResultBacked(from) ? from : new ValueTaskSlot { Task = new ValueTask<int>(AsTaskOf(from)), TaskBacked = true };
                    NoteContinuation(from);
                    return "done";
                });
            }
            default:
                return null;
        }
    }

    // Tasks: factories, results, status, equality.
    Observed? TaskStep(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case TaskFaulted:
                tasks[a] = Task.FromException<int>(new HarnessException(b));
                return new("done");
            case TaskCanceled:
                return Observe(() =>
                {
                    tasks[a] = Task.FromCanceled<int>(cancellations[b].Token);
                    return "done";
                });
            case TaskResult:
            {
                Task<int> task = tasks[a];
                // .NET blocks on a pending task's result; vtlab refuses it (not performed here).
                if (!task.IsCompleted) return new(Departures.PendingResultBlocks);
                return Observe(() => "value " + ValueOf(task.GetAwaiter().GetResult()));
            }
            case TaskStatus:
                return new("status " + StatusOf(tasks[a]));
            case TaskFaultedAggregate:
            {
                // User code's aggregate: T[b]'s exception where it is a harness error or an
                // aggregate, then harness error c.
                var inner = new List<Exception>();
                if (tasks[b].IsFaulted && tasks[b].Exception!.InnerExceptions[0] is (HarnessException or AggregateException) and var held)
                    inner.Add(held);
                inner.Add(new HarnessException(c));
                tasks[a] = Task.FromException<int>(new AggregateException(inner));
                return new("done");
            }
            case TaskEquals:
                return new("value " + (ReferenceEquals(tasks[a], tasks[b]) ? 1 : 0));
            default:
                return null;
        }
    }

    // Bare cores, owned by the scenario.
    Observed? CoreStep(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case CoreWrap:
                valueTasks[a] = new ValueTaskSlot { Task = new ValueTask<int>(cores[b], cores[b].Version), Core = cores[b], Token = cores[b].Version };
                return new("done");
            case CoreComplete:
                return CompleteCore(cores[a], b, c);
            case CoreReset:
                cores[a].Reset();
                return new("done");
            case CoreGetResult:
            {
                BareCoreSource core = cores[a];
                return Observe(() => "value " + ValueOf(core.GetResult(unchecked((short)(core.Version - b)))));
            }
            default:
                return null;
        }
    }

    int ValueOf(int value) => voidValues ? 0 : value;  // a void result reads as 0, as vtlab's model reports it

    static string StatusOf(Task task) =>
        task.Status switch
        {
            System.Threading.Tasks.TaskStatus.RanToCompletion => "succeeded",
            System.Threading.Tasks.TaskStatus.Faulted => "faulted",
            System.Threading.Tasks.TaskStatus.Canceled => "canceled",
            _ => "pending",
        };

    static Observed CompleteCore(BareCoreSource core, int how, int value) =>
        Completing(() =>
        {
            if (how == 0) core.SetResult(value);
            if (how == 1) core.SetException(new HarnessException(value));
            if (how == 2) core.SetException(new OperationCanceledException());
        });

    // A completion; a second one on the same generation is refused, after
    // ManualResetValueTaskSourceCore has stored it (a departure that changes state).
    static Observed Completing(Action complete)
    {
        try
        {
            complete();
            return new("done");
        }
        catch (InvalidOperationException)
        {
            return new("invalid_operation", Departures.DoubleCompletionOverwrites);
        }
        catch (HarnessException e)  // a continuation it ran inline threw; the outcome stays published
        {
            return new("error" + e.Code);
        }
    }

    // With void values, vtlab's value_task<void> and task<void> are .NET's non-generic ValueTask
    // and Task: AsTask of one that succeeded (result-backed, or over a source that succeeded)
    // is the one shared Task.CompletedTask.
    Task<int> AsTaskOf(ValueTaskSlot from)
    {
        if (voidValues && ResultBacked(from)) return completedTask;
        bool succeeded = voidValues && !from.TaskBacked && from.Task.IsCompletedSuccessfully;
        Task<int> task = from.Task.AsTask();
        return succeeded ? completedTask : task;
    }

    static bool ResultBacked(ValueTaskSlot slot) => slot.Source == null && slot.Core == null && !slot.TaskBacked && slot.Box == null;

    static ValueTaskSlot Backed(PooledSource source, short token, long generation) =>
        new() { Task = new ValueTask<int>(source, token), Source = source, Token = token, Generation = generation };

    // A copy whose token .NET's 16 bits take for its source's current one, 65,536 generations on.
    bool HoldsAWrappedToken() =>
        valueTasks.Any(v => v.Source != null && v.Source.Generation != v.Generation && v.Source.Version == v.Token);

    bool Live(int slot) => sources[slot].Source is { Rented: true } s && s.Version == sources[slot].Token;

    // K[k]'s cancellation will set_canceled S[slot]'s current generation, if still pending
    // then; registered on a canceled token, the callback runs at once.
    // S[slot]'s generation, `count` times over: completed, consumed (back to the pool) and
    // rented again, within the scenario's budget of recycles.
    Observed RecycleSlot(int slot, int count)
    {
        if (!Live(slot) || count > recycleBudget) return new("skipped");
        recycleBudget -= count;
        for (int i = 0; i < count; ++i)
        {
            PooledSource source = sources[slot].Source!;
            Observed completed = Complete(SetResult, slot, 0);
            if (completed.Outcome != "done") return completed;
            Observed consumed = Observe(() => "value " + source.GetResult(sources[slot].Token));
            if (consumed.Outcome == "invalid_operation") return consumed with { StateDeparture = Departures.RefusedCallRecycles };
            PooledSource again = pool.Rent()!;  // the one just returned, or another idle one
            sources[slot] = new SourceSlot { Source = again, Token = again.Version };
        }
        return new("done");
    }

    Observed Complete(int code, int slot, int value)
    {
        if (!Live(slot)) return new("skipped");
        PooledSource source = sources[slot].Source!;
        return Completing(() =>
        {
            if (code == SetResult) source.SetResult(value);
            if (code == SetException) source.SetException(new HarnessException(value));
            if (code == SetCanceled) source.SetException(new OperationCanceledException(cancellations[value].Token));
        });
    }

    Observed Read(ValueTaskSlot slot)
    {
        // .NET blocks on a pending task's result; vtlab refuses it (not performed here).
        if (slot.TaskBacked && !slot.Task.IsCompleted) return new(Departures.PendingResultBlocks);
        // A refused GetResult on a pooled box recycles it all the same (its `finally`). The
        // builder's boxes are the process's, not the scenario's: one recycled while its
        // coroutine runs, or while another coroutine holds it, would be handed to a coroutine
        // of a later scenario too. So the oracle does not make a call the box would refuse.
        if (slot.Box != null && Observe(() => slot.Task.IsCompleted ? "completed" : "pending").Outcome != "completed")
            return new("invalid_operation", Departures.RefusedCallRecycles);
        Observed read = Observe(() => "value " + ValueOf(slot.Task.Result));
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
        catch (ArgumentException)
        {
            return new("invalid_argument");
        }
        catch (AggregateException e)  // as vtlab prints one: how many it holds, the first three
        {
            return new($"aggregate_error of {e.InnerExceptions.Count}:" + string.Concat(e.InnerExceptions.Take(3).Select(x => " " + InnerName(x))));
        }
        catch (InvalidCastException)
        {
            return new("invalid_cast");  // .NET's own defect (a second registration with a context captured)
        }
        catch (OperationCanceledException e)
        {
            int by = Array.FindIndex(cancellations, k => k.Token == e.CancellationToken);
            return new(by < 0 ? "canceled" : "canceled by K" + by);
        }
    }
}
