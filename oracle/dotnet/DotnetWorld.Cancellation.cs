// Cancellation on .NET: a CancellationTokenSource per K slot; cancel_on registers a callback
// that completes S's generation canceled (and, with cancel_on_acting, then throws or
// unregisters the registration before it); cancel runs them latest first and says which
// ran, or the aggregate of what they threw.
namespace Vtlab.Oracle;

public sealed partial class DotnetWorld
{
    // Every cancel_on registration, in the order made; the ones one Cancel() ran, in order.
    readonly List<CancellationTokenRegistration> registrations = new();
    readonly List<int> callbacksRan = new();

    // Cancellation: registrations that complete a source canceled, cancel, checks, unregistering.
    Observed? CancellationStep(Step step)
    {
        int a = step.A, b = step.B, c = step.C;
        switch (step.Code)
        {
            case CancelOn:
                return RegisterCancellation(a, b);
            case CancelOnActing:
                return RegisterCancellation(a, b, c);
            case Cancel:
            {
                callbacksRan.Clear();
                try
                {
                    cancellations[a].Cancel();  // callbacks latest-registered first, as vtlab's
                }
                catch (AggregateException thrown)  // every callback ran; then their errors, in the order they ran
                {
                    return Observe(() => throw thrown);
                }
                return new(Callbacks(callbacksRan));
            }
            case CancelCheck:
                return Observe(() =>
                {
                    cancellations[a].Token.ThrowIfCancellationRequested();
                    return "done";
                });
            case Unregister:
            {
                if (registrations.Count == 0) return new("skipped");
                int index = registrations.Count - 1 - a % registrations.Count;
                if (b == 0) return new("value " + (registrations[index].Unregister() ? 1 : 0));
                registrations[index].Dispose();
                return new("done");
            }
            default:
                return null;
        }
    }

    // With cancel_on_acting, the callback then acts: 0 throws harness error 994, 1
    // unregisters the registration made just before this one.
    Observed RegisterCancellation(int slot, int k, int action = -1)
    {
        if (!Live(slot)) return new("skipped");
        PooledSource source = sources[slot].Source!;
        short token = sources[slot].Token;
        long generation = source.Generation;
        int number = registrations.Count;
        registrations.Add(default);
        CancellationToken cancellation = cancellations[k].Token;
        return Observe(() =>
        {
            registrations[number] = cancellation.Register(() =>
            {
                callbacksRan.Add(number);
                if (source.Generation == generation && source.GetStatus(token) == System.Threading.Tasks.Sources.ValueTaskSourceStatus.Pending)
                    source.SetException(new OperationCanceledException(cancellation));
                if (action == 0) throw new HarnessException(CallbackFaultCode);
                if (action == 1 && number > 0) registrations[number - 1].Unregister();
            });
            return "done";
        });
    }

    const int CallbackFaultCode = 994;  // vtlab's harness error for a callback that throws

    // As vtlab prints what one cancel() ran: how many, and the first two by registration number.
    static string Callbacks(List<int> ran)
    {
        string text = ran.Count + (ran.Count == 1 ? " callback ran" : " callbacks ran");
        if (ran.Count >= 1) text += ": registration #" + ran[0];
        if (ran.Count >= 2) text += ", then #" + ran[1];
        return text;
    }
}
