// Each documented departure (Departures.cs) shown on .NET's own types alone, without the
// oracle: the C# a reader runs to see .NET's side of it. vtlab's side is in
// docs/semantics.md, at the section each departure names.
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Vtlab.Oracle;
using Xunit;

namespace Vtlab.Oracle.Tests;

[AttributeUsage(AttributeTargets.Method)]
public sealed class ShowsAttribute(string departure) : Attribute
{
    public string Departure { get; } = departure;
}

public class DepartureReproducers
{
    sealed class Source : IValueTaskSource<int>
    {
        public ManualResetValueTaskSourceCore<int> Core;
        public int GetResult(short token) => Core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => Core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            Core.OnCompleted(continuation, state, token, flags);
    }

    sealed class Posting : SynchronizationContext
    {
        public override void Post(SendOrPostCallback callback, object? state) { }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    static async ValueTask<int> AwaitingOnce(Task<int> awaited) => await awaited + 1;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    static async ValueTask<int> ThrowingAtOnce()
    {
        await Task.CompletedTask;  // completes at once: the method never suspends
        throw new HarnessException(7);
    }

    [Fact, Shows(Departures.MisuseNamed)]
    public void A_refused_token_is_an_invalid_operation_that_names_nothing()
    {
        var source = new Source();
        source.Core.Reset();
        var refused = Assert.Throws<InvalidOperationException>(() => source.GetResult((short)(source.Core.Version - 1)));
        Assert.DoesNotContain("token", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact, Shows(Departures.RefusedCallRecycles)]
    public void A_pooled_box_read_too_early_is_recycled_all_the_same()
    {
        var never = new TaskCompletionSource<int>();  // left pending: the box is back in its pool
        ValueTask<int> pending = AwaitingOnce(never.Task);
        Assert.Throws<InvalidOperationException>(() => pending.Result);
        Assert.Throws<InvalidOperationException>(() => pending.IsCompleted);  // its token is stale now
    }

    [Fact, Shows(Departures.DoubleCompletionOverwrites)]
    public void A_second_completion_is_stored_then_refused()
    {
        var source = new Source();
        source.Core.SetResult(1);
        Assert.Throws<InvalidOperationException>(() => source.Core.SetResult(2));
        Assert.Equal(2, source.GetResult(source.Core.Version));
    }

    [Fact, Shows(Departures.IdleSourceAcceptsItsVersion)]
    public void A_reset_core_accepts_the_token_its_next_user_will_hold()
    {
        var source = new Source();
        source.Core.SetResult(1);
        source.GetResult(source.Core.Version);
        source.Core.Reset();  // idle, as in a pool: nobody holds this version yet
        Assert.Equal(ValueTaskSourceStatus.Pending, source.GetStatus(source.Core.Version));
    }

    [Fact, Shows(Departures.TokenWrap16Bit)]
    public void A_token_65536_generations_stale_is_taken_as_current()
    {
        var source = new Source();
        short stale = source.Core.Version;
        for (int k = 0; k < 65536; ++k) source.Core.Reset();
        source.Core.SetResult(5);
        Assert.Equal(5, source.GetResult(stale));
    }

    [Fact, Shows(Departures.PendingResultBlocks)]
    public async Task A_pending_tasks_result_waits_for_it()
    {
        var completion = new TaskCompletionSource<int>();
        Task<int> reader = Task.Run(() => BlockingRead(completion.Task));
        Assert.NotSame(reader, await Task.WhenAny(reader, Task.Delay(50)));  // still blocked: nothing refused it
        completion.SetResult(3);
        Assert.Equal(3, await reader);
    }

    static int BlockingRead(Task<int> task) => task.Result;

    [Fact, Shows(Departures.ResetDropsItsContinuation)]
    public void Reset_over_a_registered_continuation_drops_it()
    {
        var source = new Source();
        bool ran = false;
        source.OnCompleted(_ => ran = true, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None);
        source.Core.Reset();
        source.Core.SetResult(1);
        Assert.False(ran);
    }

    [Fact, Shows(Departures.FaultRethrownForAnyToken)]
    public void A_faulted_core_rethrows_for_a_wrong_token()
    {
        var source = new Source();
        source.Core.SetException(new HarnessException(7));
        var error = Assert.Throws<HarnessException>(() => source.GetResult((short)(source.Core.Version + 5)));
        Assert.Equal(7, error.Code);
    }

    [Fact, Shows(Departures.CompletedResultsCached)]
    public void Two_AsTask_of_one_small_result_are_one_task()
    {
        Assert.Same(new ValueTask<int>(1).AsTask(), new ValueTask<int>(1).AsTask());
    }

    // The builder rethrows this refusal on the thread pool, which ends the process: shown
    // here up to the refusal, which a test process survives.
    [Fact, Shows(Departures.SecondAwaitEndsTheProcess)]
    public void A_second_continuation_on_one_generation_is_refused()
    {
        var source = new Source();
        source.OnCompleted(_ => { }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None);
        Assert.Throws<InvalidOperationException>(
            () => source.OnCompleted(_ => { }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None));
    }

    // Found by the oracle: with a SynchronizationContext captured by the first continuation
    // (an await, which flows no ExecutionContext), the second registration's refusal is an
    // InvalidCastException, not the InvalidOperationException the core documents.
    sealed class Counting : SynchronizationContext
    {
        public int Posts;
        public override void Post(SendOrPostCallback callback, object? state) => ++Posts;
    }

    [Fact, Shows(Departures.DotnetRefusedRegistrationMovesTheFirst)]
    public void A_refused_second_registration_moves_the_first_to_its_context()
    {
        var source = new Source();
        bool ranInline = false;
        var refusedCallers = new Counting();
        source.OnCompleted(_ => ranInline = true, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None);
        SynchronizationContext? outer = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(refusedCallers);
        try
        {
            Assert.Throws<InvalidOperationException>(() =>
                source.OnCompleted(_ => { }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.UseSchedulingContext));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(outer);
        }
        source.Core.SetResult(1);
        Assert.False(ranInline);  // the first asked for no context, yet it was posted
        Assert.Equal(1, refusedCallers.Posts);
    }

    [Fact, Shows(Departures.LateRegistrationsAllRun)]
    public void Every_registration_after_completion_runs()
    {
        var source = new Source();
        source.Core.SetResult(1);
        int ran = 0;
        using var both = new CountdownEvent(2);
        for (int k = 0; k < 2; ++k)
        {
            source.OnCompleted(_ =>
            {
                Interlocked.Increment(ref ran);
                both.Signal();
            }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None);
        }
        Assert.True(both.Wait(TimeSpan.FromSeconds(30)));  // on the thread pool, both of them
        Assert.Equal(2, ran);
    }

    [Fact, Shows(Departures.WhenAllFlattensAggregates)]
    public async Task A_when_all_keeps_an_inputs_aggregate_whole()
    {
        var inner = new AggregateException(new HarnessException(3), new HarnessException(5));
        Task<int[]> all = Task.WhenAll(Task.FromException<int>(inner), Task.FromResult(1));
        Assert.Same(inner, await Assert.ThrowsAsync<AggregateException>(() => all));
        Assert.Same(inner, Assert.Single(all.Exception!.InnerExceptions));
    }

    [Fact]
    public void With_a_context_captured_the_second_registration_throws_an_invalid_cast()
    {
        var source = new Source();
        SynchronizationContext? outer = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new Posting());
        try
        {
            source.OnCompleted(_ => { }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.UseSchedulingContext);
            Assert.Throws<InvalidCastException>(() =>
                source.OnCompleted(_ => { }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.UseSchedulingContext));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(outer);
        }
    }

    [Fact, Shows(Departures.EarlyFaultInAPooledBox)]
    public void An_early_fault_is_read_once_from_a_pooled_box()
    {
        ValueTask<int> faulted = ThrowingAtOnce();
        ValueTask<int> copy = faulted;
        Assert.Equal(7, Assert.Throws<HarnessException>(() => faulted.Result).Code);
        Assert.Throws<InvalidOperationException>(() => copy.Result);
    }

    sealed class Queue : SynchronizationContext
    {
        public readonly List<(SendOrPostCallback Callback, object? State)> Posted = new();
        public override void Post(SendOrPostCallback callback, object? state) => Posted.Add((callback, state));
    }

    static async Task<int> Awaiting(Task<int> awaited, List<int> resumed, int number, bool bound)
    {
        int value = bound ? await awaited : await awaited.ConfigureAwait(false);
        lock (resumed) resumed.Add(number);
        return value;
    }

    [Fact, Shows(Departures.FirstAwaiterToldLast)]
    public void Of_three_awaiters_on_a_context_the_first_is_posted_last()
    {
        var queue = new Queue();
        var completion = new TaskCompletionSource<int>();
        var resumed = new List<int>();
        SynchronizationContext? outer = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(queue);
        for (int k = 0; k < 3; ++k) _ = Awaiting(completion.Task, resumed, k, bound: true);
        SynchronizationContext.SetSynchronizationContext(outer);
        completion.SetResult(1);
        foreach ((SendOrPostCallback callback, object? state) in queue.Posted) callback(state);
        Assert.Equal(new[] { 1, 2, 0 }, resumed);
    }

    [Fact]
    public async Task Of_three_unbound_awaiters_the_first_runs_inline_and_all_finish()
    {
        var completion = new TaskCompletionSource<int>();
        var resumed = new List<int>();
        Task<int>[] awaiting = Enumerable.Range(0, 3).Select(k => Awaiting(completion.Task, resumed, k, bound: false)).ToArray();
        int[] inline;
        SynchronizationContext? outer = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);  // .NET inlines only where no context is current
        try
        {
            completion.SetResult(1);
            lock (resumed) inline = resumed.ToArray();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(outer);
        }
        Assert.Contains(0, inline);  // the rest were queued to the thread pool, and may have run by now
        await Task.WhenAll(awaiting);
        Assert.Equal(3, resumed.Count);
    }

    [Fact]
    public void Every_departure_has_its_reproducer()
    {
        var shown = typeof(DepartureReproducers).GetMethods()
                                                .SelectMany(m => m.GetCustomAttributes<ShowsAttribute>())
                                                .Select(a => a.Departure)
                                                .ToHashSet();
        Assert.All(Departures.All, departure => Assert.Contains(departure, shown));
    }
}
