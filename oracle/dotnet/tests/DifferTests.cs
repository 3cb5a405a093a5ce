// The differ's verdicts on small inputs written by hand: agreement, a departure it knows,
// and a difference nothing explains.
using Vtlab.Oracle;
using Xunit;

namespace Vtlab.Oracle.Tests;

public class DifferTests
{
    static Input Scenario(params Step[] steps) => new("by hand", new Settings("int", 0, 32, 512), steps);

    // S0 rented, V0 = S0's value task, S0 completed with 5, then V0 read: vtlab predicting `read`.
    static Input RentCompleteRead(string read) =>
        Scenario(new Step(1, DotnetWorld.Rent, 0, 0, 0, "rent", "done", "done", false),
                 new Step(2, DotnetWorld.Wrap, 0, 0, 0, "wrap", "done", "done", false),
                 new Step(3, DotnetWorld.SetResult, 0, 5, 0, "set_result", "done", "done", false),
                 new Step(4, DotnetWorld.Result, 0, 0, 0, "result", read, read, false));

    [Fact]
    public void Agreement_is_compared_to_the_end()
    {
        InputVerdict verdict = Differ.Compare(RentCompleteRead("value 5"));
        Assert.Null(verdict.Finding);
        Assert.Equal(4, verdict.Compared);
    }

    [Fact]
    public void A_difference_no_departure_explains_is_a_finding_at_its_step()
    {
        InputVerdict verdict = Differ.Compare(RentCompleteRead("value 6"));
        Assert.NotNull(verdict.Finding);
        Assert.Equal(3, verdict.Finding!.StepIndex);
        Assert.Equal("value 5", verdict.Finding.Observed);
        Assert.Contains(">>   4. result 0 0 0: model value 6; runtime value 6; .NET value 5", Differ.SideBySide(verdict.Finding));
    }

    [Fact]
    public void A_named_misuse_is_the_departure_that_names_it()
    {
        Assert.Equal(Departures.MisuseNamed,
                     Departures.Explaining("result", "invalid_operation (stale token, 1 generation behind)", "invalid_operation"));
        Assert.Equal(Departures.TokenWrap16Bit,
                     Departures.Explaining("result", "invalid_operation (stale token, 65536 generations behind)", "value 0"));
        Assert.Null(Departures.Explaining("status", "status faulted", "invalid_operation"));
    }

    [Fact]
    public void A_scheduler_step_says_which_coroutine_it_resumed()
    {
        // T0 awaits V0 (S0, pending) on the scheduler's context; S0 completes; run_one resumes coroutine 0.
        Input input = Scenario(new Step(1, DotnetWorld.Rent, 0, 0, 0, "rent", "done", "done", false),
                               new Step(2, DotnetWorld.Wrap, 0, 0, 0, "wrap", "done", "done", false),
                               new Step(3, DotnetWorld.AwaitInTask, 0, 0, 0, "await_in_task", "done", "done", false),
                               new Step(4, DotnetWorld.SetResult, 0, 5, 0, "set_result", "done", "done", false),
                               new Step(5, DotnetWorld.TaskStatus, 0, 0, 0, "task_status", "status pending", "status pending", false),
                               new Step(6, DotnetWorld.RunOne, 0, 0, 0, "run_one", "done (resumed coroutine #0)",
                                        "done (resumed coroutine #0)", false),
                               new Step(7, DotnetWorld.TaskResult, 0, 0, 0, "task_result", "value 6", "value 6", false));
        InputVerdict verdict = Differ.Compare(input);
        Assert.Null(verdict.Finding);
        Assert.Equal(7, verdict.Compared);
    }
}
