// The stream `vt_replay --observations` prints (harness/include/vth/observations.hpp): per
// input its settings, then each step's op code, argument bytes, name, the outcome vtlab's
// model predicts and the one vtlab's runtime showed.
namespace Vtlab.Oracle;

public sealed record Step(int Number, int Code, int A, int B, int C, string Name, string Predicted, string Shown, bool Drain);

public sealed record Settings(string Values, long StartVersion, int TokenBits, int RecycleBudget);

public sealed record Input(string Name, Settings Settings, IReadOnlyList<Step> Steps);

public static class Observations
{
    // Every input in the stream, in order; a malformed line is an error that names it.
    public static IEnumerable<Input> Read(TextReader reader)
    {
        string? line;
        int lineNumber = 0;
        string? name = null;
        Settings? settings = null;
        var steps = new List<Step>();
        bool drain = false;
        while ((line = reader.ReadLine()) != null)
        {
            ++lineNumber;
            if (line.StartsWith("input ", StringComparison.Ordinal))
            {
                name = line["input ".Length..];
                settings = null;
                steps = new List<Step>();
                drain = false;
            }
            else if (line.StartsWith("settings ", StringComparison.Ordinal))
            {
                string[] f = line.Split(' ');
                if (f.Length != 9 || f[1] != "values" || f[3] != "start_version" || f[5] != "token_bits" || f[7] != "recycle_budget")
                    throw Malformed(lineNumber, line);
                settings = new Settings(f[2], long.Parse(f[4]), int.Parse(f[6]), int.Parse(f[8]));
            }
            else if (line == "drain")
            {
                drain = true;
            }
            else if (line == "end")
            {
                if (name == null || settings == null) throw Malformed(lineNumber, line);
                yield return new Input(name, settings, steps);
                name = null;
            }
            else
            {
                int arrow = line.IndexOf(" => ", StringComparison.Ordinal);
                string[] f = arrow < 0 ? Array.Empty<string>() : line[..arrow].Split(' ');
                string[] outcomes = arrow < 0 ? Array.Empty<string>() : line[(arrow + 4)..].Split(" | ");
                if (name == null || f.Length != 6 || outcomes.Length != 2) throw Malformed(lineNumber, line);
                steps.Add(new Step(int.Parse(f[0]), int.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]), int.Parse(f[4]), f[5],
                                   outcomes[0], outcomes[1], drain));
            }
        }
        if (name != null) throw new FormatException($"observations: the stream ends inside input {name}");
    }

    static FormatException Malformed(int lineNumber, string line) =>
        new($"observations: line {lineNumber} is not in the format vt_replay --observations prints: {line}");
}
