// What the harness posts to its scheduler, on .NET: a completion of a pooled source's
// current generation (post_completion), and a function whose Task the scenario holds
// (run_on, run_throws on the scheduler); and raw continuations registered on a value
// task's source (register_raw, register_raw_with), counted by number as vtlab counts them.
using System.Threading.Tasks.Sources;

namespace Vtlab.Oracle;

public sealed partial class DotnetWorld
{
    public const int PostCompletion = 7, RegisterRaw = 16, RegisterRawWith = 24, RunOn = 41, RunThrows = 60,
                     RegisterThrowing = 51, RegisterPostFails = 52;
    const int ContinuationFaultCode = 996, PostFaultCode = 995;  // vtlab's harness errors for these faults

    // The context of an executor whose post throws (register_post_fails).
    sealed class FailingContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback callback, object? state) => throw new HarnessException(PostFaultCode);
    }

    int rawContinuations;  // registered so far: the next one's number
    // A departure a scheduler item met (it returns only its outcome): the step reports it.
    string? itemStateDeparture;

    Observed? PostedStep(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case PostCompletion:
            {
                if (!Live(a)) return new("skipped");
                PooledSource source = sources[a].Source!;
                long generation = source.Generation;
                scheduler.PostItem(() =>
                {
                    if (source.Generation != generation) return "skipped";  // that generation is gone
                    Observed completed = Completing(() =>
                    {
                        if (b == 0) source.SetResult(c);
                        else if (b == 1) source.SetException(new HarnessException(c));
                        else source.SetException(new OperationCanceledException());
                    });
                    itemStateDeparture ??= completed.StateDeparture;
                    return completed.Outcome == "done" ? $"done (completion of pooled source #{source.Index})" : completed.Outcome;
                });
                return new("done");
            }
            case RunOn:
            case RunThrows when c == 0:
            {
                var completion = new TaskCompletionSource<int>();
                scheduler.PostItem(() =>
                {
                    if (step.Code == RunOn) completion.SetResult(b);
                    else completion.SetException(new HarnessException(b));
                    return FirstEvent();  // what its completion resumed inline, if anything
                });
                tasks[a] = completion.Task;
                return new("done");
            }
            case RegisterRaw:
                return RegisterRawContinuation(valueTasks[a], ValueTaskSourceOnCompletedFlags.UseSchedulingContext);
            case RegisterRawWith:
                return RegisterRawContinuation(valueTasks[a], (ValueTaskSourceOnCompletedFlags)b);
            case RegisterThrowing:
                return RegisterRawContinuation(valueTasks[a], (ValueTaskSourceOnCompletedFlags)b, throws: true);
            case RegisterPostFails:
                return RegisterRawContinuation(valueTasks[a], ValueTaskSourceOnCompletedFlags.UseSchedulingContext, context: new FailingContext());
            default:
                return null;
        }
    }

    // On V's source with V's token (a pooled source or a bare core; the oracle cannot reach
    // a .NET builder's box). Registered after completion without a context, .NET runs it on
    // the thread pool, as vtlab runs it on its default executor.
    // `throws`: the continuation throws harness error 996 after it ran; `context`: the one it
    // captures instead of the scheduler's.
    Observed? RegisterRawContinuation(ValueTaskSlot slot, ValueTaskSourceOnCompletedFlags flags, bool throws = false,
                                      SynchronizationContext? context = null)
    {
        if (slot.Box != null) return null;
        IValueTaskSource<int>? source = (IValueTaskSource<int>?)slot.Source ?? slot.Core;
        if (source == null) return new("skipped");
        // Thrown on the thread pool, it would end the process (vtlab's default executor has
        // nobody to throw to): not run.
        bool completed = Observe(() => source.GetStatus(slot.Token) == ValueTaskSourceStatus.Pending ? "pending" : "completed").Outcome == "completed";
        if (throws && completed && (flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) == 0) return null;
        int number = rawContinuations;
        bool second = (slot.Source?.HoldsAContinuation(slot.Token) ?? slot.Core?.HoldsAContinuation(slot.Token)) == true;
        Observed registered = Observe(() =>
        {
            Action<object?> continuation = _ =>
            {
                Note($"raw continuation #{number}");
                if (throws) throw new HarnessException(ContinuationFaultCode);
            };
            return HarnessContext.With(context ?? scheduler, () =>
            {
                source.OnCompleted(continuation, null, slot.Token, flags);
                return "done";
            });
        });
        if (registered.Outcome == "done") ++rawContinuations;
        return second ? registered with { StateDeparture = Departures.DotnetRefusedRegistrationMovesTheFirst } : registered;
    }
}
