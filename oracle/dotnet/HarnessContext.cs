// vtlab's manual scheduler on .NET: a SynchronizationContext whose posts wait in a list
// until a step runs one (run_one: the item at a chosen index) or all of them (run_until_idle,
// first in, first out). A coroutine captures it by being started while it is current.
//
// It is current only while a coroutine starts. The steps and the items themselves run
// with no context, as vtlab's do: so .NET's inline shortcut (a continuation whose captured
// context is current at completion runs at once) never applies, and a continuation that
// captured nothing (ConfigureAwait(false)) runs inline in the completion, which .NET
// allows only where no context is current.
namespace Vtlab.Oracle;

public sealed class HarnessContext : SynchronizationContext
{
    // A continuation .NET posted, or an item of the harness's own (Func: what it did).
    readonly List<(SendOrPostCallback? Callback, object? State, Func<string>? HarnessItem)> ready = new();

    public int Count => ready.Count;

    public override void Post(SendOrPostCallback callback, object? state) => ready.Add((callback, state, null));

    // An item of the harness's (a posted completion, a function run on the scheduler),
    // which says in vtlab's words what it did.
    public void PostItem(Func<string> item) => ready.Add((null, null, item));

    public override void Send(SendOrPostCallback callback, object? state) =>
        throw new NotSupportedException("vtlab's scheduler never runs an item synchronously for its poster");

    public override SynchronizationContext CreateCopy() => this;

    // Runs the ready item at `index` with no context current: what a harness item says it
    // did, or null for a .NET continuation.
    public string? RunAt(int index)
    {
        (SendOrPostCallback? callback, object? state, Func<string>? harnessItem) = ready[index];
        ready.RemoveAt(index);
        return With(null, () =>
        {
            if (harnessItem != null) return harnessItem();
            callback!(state);
            return null;
        });
    }

    // Runs `start` with this context current: whatever it awaits captures it.
    public T Starting<T>(Func<T> start) => With(this, start);

    // Runs `run` with `context` current, and the caller's current again after it.
    public static T With<T>(SynchronizationContext? context, Func<T> run)
    {
        SynchronizationContext? outer = Current;
        SetSynchronizationContext(context);
        try
        {
            return run();
        }
        finally
        {
            SetSynchronizationContext(outer);
        }
    }
}
