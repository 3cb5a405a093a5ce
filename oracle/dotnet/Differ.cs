// Runs one input's steps on .NET beside vtlab's predictions and classifies every
// difference: a documented departure (Departures.cs) or a finding. Comparison stops at the
// first step .NET cannot take part in (an op this oracle does not run, the harness's drain)
// or after a departure that leaves .NET's state elsewhere than vtlab's.
namespace Vtlab.Oracle;

// Which of vtlab's sides disagreed with .NET at a step: the model (the contract) or the
// runtime (what vt did).
public sealed record Difference(Input Input, int StepIndex, string Observed, string Side);

// A departure met at a step: what vtlab's model predicted there and what .NET showed.
public sealed record DepartureSeen(string Name, Input Input, int StepIndex, string Observed);

public sealed record InputVerdict(
    int Compared,
    string? StoppedAtOp,        // the op this oracle does not run, where it stopped there
    bool StoppedAtDrain,
    IReadOnlyList<DepartureSeen> Departures,
    Difference? Finding);

public static class Differ
{
    public static InputVerdict Compare(Input input)
    {
        var world = new DotnetWorld(input.Settings);
        var departures = new List<DepartureSeen>();
        for (int k = 0; k < input.Steps.Count; ++k)
        {
            Step step = input.Steps[k];
            if (step.Drain) return new(k, null, true, departures, null);
            Observed? observed = world.Run(step);
            if (observed == null) return new(k, step.Name, false, departures, null);
            string? stateDeparture = null;
            foreach ((string side, string vtlab) in new[] { ("model", step.Predicted), ("runtime", step.Shown) })
            {
                if (observed.Outcome == vtlab) continue;
                string? departure = Departures.Explaining(step.Name, vtlab, observed.Outcome);
                // A departure .NET's run of the step itself met may change what the step shows.
                if (departure == null && observed.StateDeparture is { } met && Departures.ShowsAtItsStep(met)) departure = met;
                if (departure == null) return new(k, null, false, departures, new Difference(input, k, observed.Outcome, side));
                if (side == "model") departures.Add(new DepartureSeen(departure, input, k, observed.Outcome));
                if (Departures.ChangesState(departure)) stateDeparture = departure;
            }
            if (stateDeparture != null) return new(k + 1, null, false, departures, null);
            if (observed.StateDeparture != null)
            {
                departures.Add(new DepartureSeen(observed.StateDeparture, input, k, observed.Outcome));
                return new(k + 1, null, false, departures, null);
            }
        }
        return new(input.Steps.Count, null, false, departures, null);
    }

    // The input's steps up to the difference, vtlab's prediction beside .NET's observation.
    public static string SideBySide(Difference d)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"== {d.Input.Name}: step {d.Input.Steps[d.StepIndex].Number}: vtlab's {d.Side} and .NET differ, and no departure explains it");
        text.AppendLine($"   settings: values {d.Input.Settings.Values}, start version {d.Input.Settings.StartVersion}");
        for (int k = 0; k <= d.StepIndex; ++k)
        {
            Step s = d.Input.Steps[k];
            string mark = k == d.StepIndex ? ">>" : "  ";
            string net = k == d.StepIndex ? d.Observed : s.Predicted;
            text.AppendLine($"{mark} {s.Number,3}. {s.Name} {s.A} {s.B} {s.C}: model {s.Predicted}; runtime {s.Shown}; .NET {net}");
        }
        return text.ToString();
    }
}
