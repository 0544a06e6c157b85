using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Demo;

/// <summary>Progress lines while the demo runs, and the summary table at the end.</summary>
internal sealed class DemoReport(TextWriter output)
{
    private readonly List<(string Actor, string Action, string Outcome, bool Ok)> _rows = [];

    public bool AllOk => _rows.All(r => r.Ok);

    public void Section(string title)
    {
        output.WriteLine();
        output.WriteLine($"── {title}");
    }

    public void Done(string actor, string action, string outcome, bool ok = true)
    {
        _rows.Add((actor, action, outcome, ok));
        output.WriteLine($"  {(ok ? "✓" : "✗")} {actor}: {action}");
        output.WriteLine($"      {outcome}");
    }

    public void Summary()
    {
        output.WriteLine();
        output.WriteLine("SUMMARY");
        Output.WriteTable(output, ["#", "ACTOR", "STEP", "OK", "OUTCOME"],
            _rows.Select((r, i) => (IReadOnlyList<string>)[(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), r.Actor, r.Action, r.Ok ? "yes" : "NO", r.Outcome]));
    }
}
