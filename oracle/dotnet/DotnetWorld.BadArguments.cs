// bad_argument on .NET: each call vtlab's harness makes with a null or empty argument
// (harness/include/vth/scenario.hpp, bad_argument_call), made on .NET's own API with null
// where vtlab passes an empty one. .NET refuses each with an ArgumentException
// (ArgumentNullException among them), which vtlab calls invalid_argument.
using System.Threading.Tasks.Sources;

namespace Vtlab.Oracle;

public sealed partial class DotnetWorld
{
    public const int BadArgument = 58;

    Observed? BadArgumentStep(Step step)
    {
        if (step.Code != BadArgument) return null;
        int b = step.B;
        BareCoreSource core = cores[b % CoreSlots];
        Task<int> someTask = tasks[b % TaskSlots];
        CancellationToken token = cancellations[b % CancellationSlots].Token;
        Action? call = step.A switch
        {
            0 => () => core.SetException(null!),
            1 => () => core.OnCompleted(null!, null, core.Version, ValueTaskSourceOnCompletedFlags.None),
            2 => () => _ = new ValueTask<int>((IValueTaskSource<int>)null!, 0),
            3 => () => _ = new ValueTask<int>((Task<int>)null!),
            4 => () => _ = ValueTask.FromException<int>(null!),
            5 => () => _ = Task.FromException<int>(null!),
            6 => () => token.Register((Action)null!),
            7 => () => _ = Task.WhenAll(new[] { someTask, null! }),
            8 => () => _ = Task.WhenAll(someTask, null!),
            9 => () => _ = Task.WhenAny(Array.Empty<Task<int>>()),
            10 => () => _ = Task.WhenAny(someTask, null!),
            _ => null,
        };
        if (call == null) return null;
        return Observe(() =>
        {
            call();
            return "done";
        });
    }
}
