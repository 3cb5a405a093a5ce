// Where vtlab's contract departs from .NET on purpose (docs/semantics.md marks each
// "stricter than .NET"), by a stable name, and how the differ recognizes each.
using System.Text.RegularExpressions;

namespace Vtlab.Oracle;

public static partial class Departures
{
    // vtlab's invalid_operation names its misuse and a stale token's distance (section 1);
    // .NET's says nothing a program can read. The outcome is the same exception type.
    public const string MisuseNamed = "misuse_named";
    // .NET's pooled boxes recycle from GetResult's `finally`, even on a refused call; vtlab
    // changes nothing on one (section 3). Everything after it may differ.
    public const string RefusedCallRecycles = "refused_call_recycles";
    // A second completion: .NET stores it, then throws; vtlab keeps the first (section 3).
    public const string DoubleCompletionOverwrites = "double_completion_overwrites";
    // An idle box's own version is accepted by .NET (its next renter's token); vtlab
    // refuses every call on an idle source (section 10).
    public const string IdleSourceAcceptsItsVersion = "idle_source_accepts_its_version";
    // .NET's token is 16 bits: a token 65,536 generations stale is taken as current
    // (section 7; vtlab's default token is wider).
    public const string TokenWrap16Bit = "token_wrap_16_bit";
    // A pending task's result: .NET blocks the caller until it completes; vtlab refuses it
    // with invalid_operation (section 4). The oracle does not make the call.
    public const string PendingResultBlocks = "pending_result_blocks";
    // Reset over a continuation that has not run: .NET drops it (a lost wakeup); vtlab
    // refuses the reset (section 3).
    public const string ResetDropsItsContinuation = "reset_drops_its_continuation";
    // A wrong token on a faulted or canceled generation: .NET's core rethrows the stored
    // exception (it looks for an error before it checks the token); vtlab refuses the
    // token (section 3). Found by the dotnet property.
    public const string FaultRethrownForAnyToken = "fault_rethrown_for_any_token";
    // Two AsTask() of equal small results: .NET hands out one cached completed Task for
    // common results, so they are the same object; vt makes a task per call (section 10).
    // Found by the dotnet property.
    public const string CompletedResultsCached = "completed_results_cached";

    // A second await of a pending generation: vtlab ends that coroutine faulted with
    // invalid_operation (section 3); .NET's builder rethrows the source's refusal on the
    // thread pool, which ends the process. The oracle does not start that coroutine.
    public const string SecondAwaitEndsTheProcess = "second_await_ends_the_process";

    // A value_task coroutine that throws before it first suspends: vtlab gives a task-backed
    // value_task, read any number of times; .NET's pooling builder a pooled box, which the
    // first read recycles (section 10).
    public const string EarlyFaultInAPooledBox = "early_fault_in_a_pooled_box";

    // A task with several awaiters: vtlab tells them in registration order, each unbound one
    // inline in the completion (section 4); .NET tells the first registered last, and runs at
    // most that one inline, posting the others or queuing them to the thread pool first.
    // Found by the oracle (seed-41-a-task-resumes-its-waiters-in-order).
    public const string FirstAwaiterToldLast = "first_awaiter_told_last";

    // Not vtlab's departure but .NET's defect, named so the differ can tell it: a second
    // continuation on a pending generation is refused, but ManualResetValueTaskSourceCore
    // has already stored the context it captured over the first's, so the first continuation
    // is posted to the refused caller's context (and where the first captured a
    // SynchronizationContext, the refusal is an InvalidCastException, not an
    // InvalidOperationException). vtlab refuses it and changes nothing (section 8). Found
    // by the oracle (.NET 10.0.12).
    public const string DotnetRefusedRegistrationMovesTheFirst = "dotnet_refused_registration_moves_the_first";

    // Registrations on a generation that completed before any came: .NET's core takes and
    // schedules every one of them, on the context the last registration left stored (a
    // failed one's included); vtlab takes one per generation, before or after completion,
    // and refuses the next (section 8). Found by the dotnet property.
    public const string LateRegistrationsAllRun = "late_registrations_all_run";

    // A when_all over an input faulted with an aggregate: vtlab flattens it into its own
    // aggregate, at any depth, and awaiting the when_all rethrows the first leaf (section 4);
    // .NET's WhenAll keeps the input's AggregateException whole, as one of its errors, and
    // awaiting rethrows that aggregate. Found by the oracle.
    public const string WhenAllFlattensAggregates = "when_all_flattens_aggregates";

    public static readonly string[] All =
        { MisuseNamed, RefusedCallRecycles, DoubleCompletionOverwrites, IdleSourceAcceptsItsVersion, TokenWrap16Bit,
          PendingResultBlocks, ResetDropsItsContinuation, FaultRethrownForAnyToken, CompletedResultsCached,
          SecondAwaitEndsTheProcess, EarlyFaultInAPooledBox, FirstAwaiterToldLast, DotnetRefusedRegistrationMovesTheFirst, LateRegistrationsAllRun,
          WhenAllFlattensAggregates };

    // Which departure, if any, explains vtlab predicting `predicted` for `op` where .NET
    // showed `observed` (the two differ).
    public static string? Explaining(string op, string predicted, string observed)
    {
        if (op == "task_equals" && predicted == "value 0" && observed == "value 1") return CompletedResultsCached;
        if (predicted == "invalid_operation (second continuation)" && observed == "invalid_cast") return DotnetRefusedRegistrationMovesTheFirst;
        if (predicted == "invalid_operation (second continuation)" && !observed.StartsWith("invalid", StringComparison.Ordinal))
            return LateRegistrationsAllRun;
        if (observed.StartsWith("aggregate_error of ", StringComparison.Ordinal) &&
            (predicted.StartsWith("error", StringComparison.Ordinal) ||
             (predicted.StartsWith("aggregate_error of ", StringComparison.Ordinal) && observed.Contains(" aggregate_error", StringComparison.Ordinal))))
            return WhenAllFlattensAggregates;
        if (!predicted.StartsWith("invalid_operation", StringComparison.Ordinal)) return null;
        if (observed == "invalid_operation") return MisuseNamed;
        if (observed == PendingResultBlocks && predicted == "invalid_operation (result before completion)") return PendingResultBlocks;
        if (observed == "done" && predicted == "invalid_operation (reset over a continuation)") return ResetDropsItsContinuation;
        if ((observed.StartsWith("error", StringComparison.Ordinal) || observed.StartsWith("canceled", StringComparison.Ordinal)) &&
            (predicted.StartsWith("invalid_operation (stale token", StringComparison.Ordinal) || predicted == "invalid_operation (idle source)"))
            return FaultRethrownForAnyToken;
        if (predicted == "invalid_operation (idle source)") return IdleSourceAcceptsItsVersion;
        Match stale = StaleDistance().Match(predicted);
        if (stale.Success && long.Parse(stale.Groups[1].Value) % 65536 == 0) return TokenWrap16Bit;
        return null;
    }

    // Departures that can change the outcome of the step that meets them: what a task's
    // completion runs inline when it has several awaiters.
    public static bool ShowsAtItsStep(string departure) => departure == FirstAwaiterToldLast;

    // Departures after which .NET's state is no longer vtlab's: the rest of the scenario is
    // not compared.
    public static bool ChangesState(string departure) =>
        departure != MisuseNamed && departure != PendingResultBlocks && departure != CompletedResultsCached;

    [GeneratedRegex(@"^invalid_operation \(stale token, (\d+) generations? (?:behind|ahead)\)$")]
    private static partial Regex StaleDistance();
}
