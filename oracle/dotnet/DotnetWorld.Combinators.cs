// The combinators on .NET: when_all and when_any as task coroutines that await
// Task.WhenAll / Task.WhenAny of two task slots once (the sum of the results, modulo
// 1,000,000 as vtlab's; the index of the winner), and the W slots that hold a WhenAll task
// itself, inspected as vtlab prints one (its sum, its cancellation, or every error in input
// order).
namespace Vtlab.Oracle;

public sealed partial class DotnetWorld
{
    public const int WhenAll = 18, WhenAny = 19, WhenAllInto = 28, InspectWhenAll = 29, WhenAllOfNone = 59, WhenAllNested = 57;
    const int WhenAllSlots = 2;

    readonly Task<int[]>?[] whenAlls = new Task<int[]>?[WhenAllSlots];

    Observed? CombinatorStep(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case WhenAll:
            case WhenAny:
            {
                Task<int> first = tasks[b], second = tasks[c];
                NoteAwaiter(first);
                NoteAwaiter(second);
                tasks[a] = scheduler.Starting(() => Start(id => step.Code == WhenAll ? SumOfAll(id, first, second) : IndexOfAny(id, first, second)));
                return new("done");
            }
            case WhenAllInto:
                NoteAwaiter(tasks[b]);
                NoteAwaiter(tasks[c]);
                whenAlls[a] = Task.WhenAll(tasks[b], tasks[c]);
                return new("done");
            case WhenAllOfNone:
                whenAlls[a] = Task.WhenAll(Array.Empty<Task<int>>());
                return new("done");
            case WhenAllNested:  // T[a] = sum of when_all(W[b], T[c])
            {
                if (whenAlls[b] is not { } inner) return new("skipped");
                Task<int> other = tasks[c];
                NoteAwaiter(inner);
                NoteAwaiter(other);
                tasks[a] = scheduler.Starting(() => Start(id => SumOfNested(id, inner, other)));
                return new("done");
            }
            case InspectWhenAll:
                return whenAlls[a] is { } inspected ? new(Inspect(inspected)) : new("skipped");
            default:
                return null;
        }
    }

    async Task<int> SumOfAll(int id, Task<int> first, Task<int> second)
    {
        Task<int[]> all = Task.WhenAll(first, second);
        int[] results;
        try
        {
            results = await all;
        }
        finally
        {
            Resumed(id);
        }
        return results.Aggregate(0, (sum, value) => (sum + value) % 1_000_000);
    }

    // A WhenAll whose first input is a WhenAll: .NET gathers that input's errors (its
    // Exception's inner ones) into its own, and awaiting it rethrows the first.
    async Task<int> SumOfNested(int id, Task<int[]> inner, Task<int> other)
    {
        Task all = Task.WhenAll(inner, other);
        try
        {
            await all;
        }
        finally
        {
            Resumed(id);
        }
        return inner.Result.Append(other.Result).Aggregate(0, (sum, value) => (sum + value) % 1_000_000);
    }

    async Task<int> IndexOfAny(int id, Task<int> first, Task<int> second)
    {
        Task<Task<int>> any = Task.WhenAny(first, second);
        Task<int> winner;
        try
        {
            winner = await any;
        }
        finally
        {
            Resumed(id);
        }
        return ReferenceEquals(winner, first) ? 0 : 1;
    }

    string Inspect(Task<int[]> all)
    {
        if (!all.IsCompleted) return "status pending";
        if (all.IsCompletedSuccessfully) return "value " + ValueOf(all.Result.Aggregate(0, (sum, value) => (sum + value) % 1_000_000));
        if (all.IsCanceled) return Observe(() => all.GetAwaiter().GetResult().Length.ToString()).Outcome;
        return Observe(() => throw all.Exception!).Outcome;
    }

    static string InnerName(Exception error) =>
        error switch
        {
            HarnessException h => "error" + h.Code,
            InvalidOperationException => "invalid_operation",
            OperationCanceledException => "operation_canceled",
            OutOfMemoryException => "bad_alloc",
            AggregateException => "aggregate_error",
            _ => error.GetType().Name,
        };
}
