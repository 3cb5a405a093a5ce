// What the harness posts to its scheduler, on .NET: a completion of a pooled source's
// current generation (post_completion), and a function whose Task the scenario holds
// (run_on, run_throws on the scheduler); and raw continuations registered on a value
// task's source (register_raw, register_raw_with), counted by number as vtlab counts them.
using System.Threading.Tasks.Sources;

namespace Vtlab.Oracle;

public sealed partial class DotnetWorld
{
    public const int PostCompletion = 7, RegisterRaw = 16, RegisterRawWith = 24, RunOn = 41, RunThrows = 60;

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
            default:
                return null;
        }
    }

    // On V's source with V's token (a pooled source or a bare core; the oracle cannot reach
    // a .NET builder's box). Registered after completion without a context, .NET runs it on
    // the thread pool, as vtlab runs it on its default executor.
    Observed? RegisterRawContinuation(ValueTaskSlot slot, ValueTaskSourceOnCompletedFlags flags)
    {
        if (slot.Box != null) return null;
        IValueTaskSource<int>? source = (IValueTaskSource<int>?)slot.Source ?? slot.Core;
        if (source == null) return new("skipped");
        int number = rawContinuations;
        bool second = (slot.Source?.HoldsAContinuation(slot.Token) ?? slot.Core?.HoldsAContinuation(slot.Token)) == true;
        Observed registered = Observe(() =>
        {
            scheduler.Starting(() =>
            {
                source.OnCompleted(_ => Note($"raw continuation #{number}"), null, slot.Token, flags);
                return 0;
            });
            return "done";
        });
        if (registered.Outcome == "done") ++rawContinuations;
        return second ? registered with { StateDeparture = Departures.DotnetRefusedRegistrationMovesTheFirst } : registered;
    }
}
