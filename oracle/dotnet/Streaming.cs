// One verdict line per input, written and flushed as soon as its "end" is read, so that a
// property can keep one .NET process alive and feed it scenario after scenario:
//
//   agrees <steps compared> <steps in the input>
//   differs <the side-by-side report, its lines joined by " | ">
namespace Vtlab.Oracle;

public static class Streaming
{
    public static int Run(TextReader input, TextWriter output)
    {
        try
        {
            foreach (Input scenario in Observations.Read(input))
            {
                InputVerdict verdict = Differ.Compare(scenario);
                output.WriteLine(verdict.Finding == null
                    ? $"agrees {verdict.Compared} {scenario.Steps.Count(s => !s.Drain)}"
                    : "differs " + Differ.SideBySide(verdict.Finding).TrimEnd().Replace("\n", " | "));
                output.Flush();
            }
        }
        catch (FormatException e)
        {
            output.WriteLine("malformed " + e.Message);
            output.Flush();
            return 2;
        }
        return 0;
    }
}
