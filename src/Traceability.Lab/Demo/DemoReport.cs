namespace Traceability.Lab.Demo;

/// <summary>One step of the demo: who did what, and what came of it.</summary>
/// <param name="Actor">Who acted (governance, an authority, a member, an attacker).</param>
/// <param name="Action">What was done.</param>
/// <param name="Outcome">What came of it.</param>
/// <param name="Ok">Whether it went as it must.</param>
public sealed record DemoStep(string Actor, string Action, string Outcome, bool Ok);

/// <summary>Progress lines while the demo runs, and the steps for the summary at the end.</summary>
public sealed class DemoReport(TextWriter output)
{
    private readonly List<DemoStep> _steps = [];

    /// <summary>The steps so far, in order.</summary>
    public IReadOnlyList<DemoStep> Steps => _steps;

    /// <summary>Told after each step: steps done of <see cref="DemoStory.Steps"/> (null: nobody listens).</summary>
    public IProgress<WorkProgress>? Work { get; set; }

    /// <summary>Whether every step went as it must.</summary>
    public bool AllOk => _steps.All(r => r.Ok);

    /// <summary>Starts a section of the story.</summary>
    public void Section(string title)
    {
        output.WriteLine();
        output.WriteLine($"── {title}");
    }

    /// <summary>Records and prints a step.</summary>
    public void Done(string actor, string action, string outcome, bool ok = true)
    {
        _steps.Add(new DemoStep(actor, action, outcome, ok));
        output.WriteLine($"  {(ok ? "✓" : "✗")} {actor}: {action}");
        output.WriteLine($"      {outcome}");
        Work?.Report(new WorkProgress("steps", _steps.Count, Math.Max(DemoStory.Steps, _steps.Count)));
    }
}
