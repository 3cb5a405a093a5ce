// Coroutines and the scheduler on .NET: vtlab's await ops as async methods (an async Task<int>
// for a task coroutine, a PoolingAsyncValueTaskMethodBuilder one for a value_task coroutine),
// each awaiting once and returning the value + 1; run_one and run_until_idle on the
// scenario's HarnessContext. Coroutines are numbered in the order started, as vtlab's are,
// so a scheduler step can say which one it resumed.
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Vtlab.Oracle;

public sealed partial class DotnetWorld
{
    public const int AwaitInTask = 12, AwaitInValueTask = 13, AwaitTask = 14, TaskException = 27, RunOne = 22,
                     RunUntilIdle = 23, AwaitUnbound = 34, AwaitTaskUnbound = 48, AwaitTaskChain = 54,
                     AwaitInValueTaskUnbound = 67;

    readonly HarnessContext scheduler = new();
    int coroutinesStarted;
    int starting = -1;  // the coroutine whose synchronous start is running: its await did not suspend
    // What the running scheduler item set off, in order, in vtlab's words: coroutines
    // resumed, raw continuations run (the thread pool's runs are not the step's).
    readonly List<string> events = new();
    readonly int stepsThread = Environment.CurrentManagedThreadId;  // the thread the steps run on
    // The value_task coroutines' boxes a continuation was registered on while pending (a
    // pooled source or core says so itself): .NET lets a generation take one, and a second
    // one from an await is rethrown on the thread pool, ending the process.
    readonly HashSet<object> boxesWithAContinuation = new(ReferenceEqualityComparer.Instance);
    // value_task coroutines that threw before they suspended: vtlab holds the exception in
    // a task, .NET's builder in a pooled box that the first read recycles.
    readonly List<ValueTask<int>> earlyFaults = new();
    // How many coroutines await each pending task: where several do, .NET's order of telling
    // them is not vtlab's, and the unbound ones but one go to the thread pool.
    readonly Dictionary<Task, int> awaitersOf = new(ReferenceEqualityComparer.Instance);

    void NoteAwaiter(Task task)
    {
        if (!task.IsCompleted) awaitersOf[task] = awaitersOf.GetValueOrDefault(task) + 1;
    }

    void NoteAwaiter(ValueTaskSlot slot)
    {
        if (slot.TaskBacked) NoteAwaiter(slot.Task.AsTask());  // the task behind it, not a new one
    }

    List<Task> TasksWithSeveralAwaiters() => awaitersOf.Where(p => p.Value >= 2 && !p.Key.IsCompleted).Select(p => p.Key).ToList();

    // Whether a step consumed an early fault's box: from then on .NET refuses what vtlab
    // reads again (a departure that changes state).
    bool ConsumedAnEarlyFault() =>
        earlyFaults.RemoveAll(box =>
        {
            try
            {
                _ = box.IsCompleted;  // asks the box with the token the value task holds
                return false;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }) > 0;

    Observed? CoroutineStep(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case AwaitInTask:
            case AwaitUnbound:
                return StartAwaiting(valueTasks[b], () => tasks[a] = Start(id => InTask(id, valueTasks[b].Task, step.Code == AwaitInTask)));
            case AwaitTask:
            case AwaitTaskUnbound:
            {
                Task<int> awaited = tasks[b];
                NoteAwaiter(awaited);
                tasks[a] = scheduler.Starting(() => Start(id => OnTask(id, awaited, step.Code == AwaitTask)));
                return new("done");
            }
            case AwaitTaskChain:
            {
                Task<int> previous = tasks[b];
                for (int link = 0; link <= c; ++link)
                {
                    NoteAwaiter(previous);
                    previous = Start(id => OnTask(id, previous, bound: false));
                }
                tasks[a] = previous;
                return new("done");
            }
            case AwaitInValueTask:
            case AwaitInValueTaskUnbound:
                return StartAwaiting(valueTasks[b], () =>
                {
                    ValueTask<int> made = Start(id => InValueTask(id, valueTasks[b].Task, step.Code == AwaitInValueTask));
                    if (made.IsFaulted || made.IsCanceled) earlyFaults.Add(made);
                    // Finished at once with a value: result-backed; otherwise one of the builder's pooled boxes.
                    valueTasks[a] = new ValueTaskSlot { Task = made, Box = made.IsCompletedSuccessfully ? null : new object() };
                });
            case TaskException:
            {
                Task<int> task = tasks[a];
                if (!task.IsFaulted) return new("done");  // no exception stored
                return Observe(() =>
                {
                    ExceptionDispatchInfo.Throw(task.Exception!.InnerExceptions[0]);
                    return "done";
                });
            }
            case RunOne:
                if (scheduler.Count == 0) return new("skipped");
                return new(RunItem(scheduler.Count == 1 ? 0 : a % scheduler.Count, out _));
            case RunUntilIdle:
            {
                int ran = 0;
                while (scheduler.Count > 0)
                {
                    string item = RunItem(0, out bool threw);
                    ++ran;
                    if (threw) return new(item);  // out of it; the rest stays queued
                }
                return new("value " + ran);
            }
            default:
                return null;
        }
    }

    // Starts a coroutine that awaits `awaited`, unless the await would be a second
    // continuation on a pending generation: vtlab faults that coroutine with
    // invalid_operation, .NET ends the process, so the oracle does not start it.
    Observed StartAwaiting(ValueTaskSlot awaited, Action start)
    {
        if (RegistersASecondContinuation(awaited)) return new("done", Departures.SecondAwaitEndsTheProcess);
        NoteContinuation(awaited);
        NoteAwaiter(awaited);
        scheduler.Starting(() =>
        {
            start();
            return 0;
        });
        return new("done");
    }

    bool RegistersASecondContinuation(ValueTaskSlot slot) =>
        Pending(slot) && (slot.Source?.HoldsAContinuation(slot.Token) ?? slot.Core?.HoldsAContinuation(slot.Token) ??
                          (slot.Box != null && boxesWithAContinuation.Contains(slot.Box)));

    // An await or AsTask of a pending box registers a continuation on it.
    void NoteContinuation(ValueTaskSlot slot)
    {
        if (slot.Box != null && Pending(slot)) boxesWithAContinuation.Add(slot.Box);
    }

    static bool Pending(ValueTaskSlot slot)
    {
        try
        {
            return !slot.Task.IsCompleted;
        }
        catch (InvalidOperationException)
        {
            return false;  // a stale token: the await faults before it registers anything
        }
    }

    // What a scheduler item did, as vtlab prints it: a harness item says so itself; a .NET
    // continuation, by the first thing it set off (the coroutine it resumed).
    // (A harness item keeps what its completion threw as its outcome, as vtlab's does.)
    string RunItem(int index, out bool threw)
    {
        events.Clear();
        threw = false;
        try
        {
            return scheduler.RunAt(index) ?? FirstEvent();
        }
        catch (HarnessException e)  // a continuation the item ran threw: out of run_one
        {
            threw = true;
            return "error" + e.Code;
        }
    }

    string FirstEvent() => events.Count == 0 ? "done" : $"done ({events[0]})";

    void Resumed(int id)
    {
        if (starting != id) Note($"resumed coroutine #{id}");
    }

    void Note(string happened)
    {
        if (Environment.CurrentManagedThreadId == stepsThread) events.Add(happened);
    }

    // Starts coroutine number `id` (the next), noting that what it runs before it returns is
    // its synchronous start, not a resumption.
    T Start<T>(Func<int, T> coroutine)
    {
        int id = coroutinesStarted++;
        starting = id;
        try
        {
            return coroutine(id);
        }
        finally
        {
            starting = -1;
        }
    }

    // Each coroutine awaits once, in its own body (an inner async helper would be a second
    // await, resumed through the context again), and notes when that await resumed it.
    async Task<int> InTask(int id, ValueTask<int> awaited, bool bound)
    {
        int value;
        try
        {
            value = bound ? await awaited : await awaited.ConfigureAwait(false);
        }
        finally
        {
            Resumed(id);
        }
        return value + 1;
    }

    // A coroutine awaiting a task: awaiting a ValueTask over it registers on the task itself.
    Task<int> OnTask(int id, Task<int> awaited, bool bound) => InTask(id, new ValueTask<int>(awaited), bound);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    async ValueTask<int> InValueTask(int id, ValueTask<int> awaited, bool bound)
    {
        int value;
        try
        {
            value = bound ? await awaited : await awaited.ConfigureAwait(false);
        }
        finally
        {
            Resumed(id);
        }
        return value + 1;
    }
}
