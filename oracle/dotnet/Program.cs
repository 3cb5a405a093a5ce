// The .NET oracle: reads `vt_replay --observations` from standard input, runs every
// scenario's steps on .NET's own types beside vtlab's predictions, and prints what it
// compared, the documented departures it met and every difference nothing explains.
// With --departures it prints instead a Markdown table: each departure met, shown by the
// shortest input that reaches it. With --stream it answers each input as it arrives, one
// line (Streaming.cs), for a property that keeps one process alive. Exit status: 0 when every difference is a documented
// departure, 1 otherwise, 2 on a malformed stream or bad usage.
using Vtlab.Oracle;

bool table = args is ["--departures"];
bool stream = args is ["--stream"];
if (!table && !stream && args.Length > 0)
{
    Console.Error.WriteLine("usage: Oracle [--departures | --stream] < observations");
    return 2;
}
if (stream) return Streaming.Run(Console.In, Console.Out);
var shortest = new Dictionary<string, DepartureSeen>();
var comparedOps = new SortedDictionary<string, int>(StringComparer.Ordinal);

int inputs = 0, compared = 0, total = 0, whole = 0, findings = 0;
var stoppedAt = new SortedDictionary<string, int>(StringComparer.Ordinal);
var departures = Departures.All.ToDictionary(name => name, _ => 0);
int drains = 0;
try
{
    foreach (Input input in Observations.Read(Console.In))
    {
        ++inputs;
        total += input.Steps.Count(s => !s.Drain);
        InputVerdict verdict = Differ.Compare(input);
        compared += verdict.Compared;
        foreach (Step s in input.Steps.Take(verdict.Compared)) comparedOps[s.Name] = comparedOps.GetValueOrDefault(s.Name) + 1;
        if (verdict.StoppedAtOp != null) stoppedAt[verdict.StoppedAtOp] = stoppedAt.GetValueOrDefault(verdict.StoppedAtOp) + 1;
        if (verdict.StoppedAtDrain) ++drains;
        if (verdict.StoppedAtOp == null && verdict.Finding == null && verdict.Departures.All(d => !Departures.ChangesState(d.Name))) ++whole;
        foreach (DepartureSeen d in verdict.Departures)
        {
            ++departures[d.Name];
            if (!shortest.TryGetValue(d.Name, out DepartureSeen? best) || d.StepIndex < best.StepIndex) shortest[d.Name] = d;
        }
        if (verdict.Finding != null)
        {
            ++findings;
            Console.Write(Differ.SideBySide(verdict.Finding));
        }
    }
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (table)
{
    Console.WriteLine("| departure | shortest input that shows it | its steps: vtlab's model; .NET |");
    Console.WriteLine("|---|---|---|");
    foreach (string name in Departures.All.Where(shortest.ContainsKey))
    {
        DepartureSeen d = shortest[name];
        IEnumerable<string> steps = d.Input.Steps.Take(d.StepIndex + 1).Select((s, k) =>
            $"{s.Name} {s.A} {s.B} {s.C}: {s.Predicted}" + (k == d.StepIndex ? $"; **.NET: {d.Observed}**" : ""));
        Console.WriteLine($"| `{name}` | `{Path.GetFileName(d.Input.Name)}` | {string.Join("<br>", steps)} |");
    }
    return findings == 0 ? 0 : 1;
}
Console.WriteLine($"dotnet oracle: {inputs} inputs, {compared} of their {total} steps compared on .NET " +
                  $"({(total == 0 ? 0 : 100.0 * compared / total):F1}%); {whole} inputs compared whole");
string Stops(bool meaning)
{
    var stops = stoppedAt.Where(p => DotnetWorld.HasDotnetMeaning(p.Key) == meaning && !DotnetWorld.RunsOnAnotherThread(p.Key))
                         .OrderByDescending(p => p.Value).ToList();
    return $"{stops.Sum(p => p.Value)} inputs" + (stops.Count == 0 ? "" : " (" + string.Join(", ", stops.Select(p => $"{p.Key} {p.Value}")) + ")");
}
Console.WriteLine("  stopped at an op with no .NET meaning: " + Stops(false));
Console.WriteLine("  stopped at an op this oracle does not run yet: " + Stops(true));
var threaded = stoppedAt.Where(p => DotnetWorld.RunsOnAnotherThread(p.Key)).OrderByDescending(p => p.Value).ToList();
Console.WriteLine($"  stopped at an op that runs on another thread: {threaded.Sum(p => p.Value)} inputs" +
                  (threaded.Count == 0 ? "" : " (" + string.Join(", ", threaded.Select(p => $"{p.Key} {p.Value}")) + ")"));
Console.WriteLine($"  reached the harness's drain: {drains} inputs");
Console.WriteLine("  steps compared, by op: " + string.Join(", ", comparedOps.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
string[] neverCompared = DotnetWorld.OpsRun.Where(op => !comparedOps.ContainsKey(op)).ToArray();
Console.WriteLine("  ops the oracle runs that no input reached: " + (neverCompared.Length == 0 ? "none" : string.Join(", ", neverCompared)));
Console.WriteLine("  documented departures met: " + string.Join(", ", departures.Select(p => $"{p.Key} {p.Value}")));
Console.WriteLine($"  differences no departure explains: {findings}");
return findings == 0 ? 0 : 1;
