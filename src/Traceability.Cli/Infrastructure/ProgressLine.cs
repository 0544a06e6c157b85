using System.Diagnostics;
using System.Globalization;
using System.Text;
using Traceability.Lab;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// Progress of a long command with an estimate of the time left. On a terminal (standard output not
/// redirected) it is one status line, redrawn in place, that the command's own lines scroll above
/// (write them through <see cref="Writer"/>); otherwise it is a plain line now and then (at most every
/// tenth of the work or every 10 seconds), fit for logs and pipes.
/// </summary>
public sealed class ProgressLine : IProgress<WorkProgress>, IDisposable
{
    private readonly TextWriter _target;
    private readonly bool _terminal;
    private readonly Func<TimeSpan> _clock;
    private readonly Lock _gate = new();
    private string? _status;
    private bool _drawn;
    private TimeSpan _lastPlain = TimeSpan.MinValue;
    private long _lastPlainTenth = -1;
    private string? _unit;
    private TimeSpan _unitStart;
    private long _unitBefore;

    /// <summary>Progress written to <paramref name="target"/>; <paramref name="terminal"/> chooses the in-place line.</summary>
    /// <param name="target">Where progress goes.</param>
    /// <param name="terminal">Redraw one line in place (true) or write plain lines (false).</param>
    /// <param name="clock">Time since the work began (default: a stopwatch started now); tests pass their own.</param>
    public ProgressLine(TextWriter target, bool terminal, Func<TimeSpan>? clock = null)
    {
        _target = target;
        _terminal = terminal;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }
        _clock = clock;
        Writer = terminal ? new AboveStatus(this) : target;
    }

    /// <summary>
    /// Progress written to <paramref name="output"/> (kp's standard output or error): in place when standard output is a
    /// terminal and <paramref name="output"/> is the console's (and, for standard error, that is a terminal too); plain lines otherwise.
    /// </summary>
    public static ProgressLine For(TextWriter output) => new(output, !Console.IsOutputRedirected
        && (ReferenceEquals(output, Console.Out) || (ReferenceEquals(output, Console.Error) && !Console.IsErrorRedirected)));

    /// <summary>Whether progress is one line redrawn in place.</summary>
    public bool IsTerminal => _terminal;

    /// <summary>The writer for the command's own lines: on a terminal they go above the status line.</summary>
    public TextWriter Writer { get; }

    /// <summary>
    /// The status sentence for <paramref name="p"/> after <paramref name="elapsed"/> of its unit's work: "120 of 2,000 records
    /// confirmed (6%), about 1 min 10 s left" (the pace of the work done in this run, <see cref="WorkProgress.Before"/> left out).
    /// </summary>
    public static string Describe(WorkProgress p, TimeSpan elapsed)
    {
        var done = Math.Clamp(p.Done, 0, Math.Max(p.Total, p.Done));
        var total = Math.Max(p.Total, done);
        var percent = total == 0 ? 100 : (int)(100 * done / total);
        var text = string.Create(CultureInfo.InvariantCulture, $"{done:N0} of {total:N0} {p.Unit} ({percent}%)");
        var paced = done - Math.Clamp(p.Before, 0, done);
        if (paced == 0 || done >= total) return text;
        var left = TimeSpan.FromSeconds(elapsed.TotalSeconds / paced * (total - done));
        return $"{text}, about {Span(left)} left";
    }

    /// <inheritdoc />
    public void Report(WorkProgress value)
    {
        var now = _clock();
        lock (_gate)
        {
            // a new unit (anchoring done, verifying begins) is paced from its own first report on
            if (value.Unit != _unit)
            {
                if (_unit is not null) (_unitStart, _unitBefore) = (now, value.Done);
                _unit = value.Unit;
                _lastPlainTenth = -1;
            }
            var elapsed = now - _unitStart;
            var text = Describe(value with { Before = Math.Max(value.Before, _unitBefore) }, elapsed);
            if (_terminal)
            {
                _status = text;
                Clear();
                Draw();
                return;
            }
            var tenth = value.Total <= 0 ? 10 : 10 * value.Done / value.Total;
            if (tenth == _lastPlainTenth && now - _lastPlain < TimeSpan.FromSeconds(10) && value.Done < value.Total) return;
            (_lastPlainTenth, _lastPlain) = (tenth, now);
            _target.WriteLine(text);
        }
    }

    /// <summary>Removes the status line (the command's summary follows).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            Clear();
            _status = null;
            _target.Flush();
        }
    }

    private static string Span(TimeSpan t) => t.TotalSeconds < 60 ? $"{Math.Max(1, (int)Math.Round(t.TotalSeconds))} s"
        : t.TotalMinutes < 60 ? $"{(int)t.TotalMinutes} min {t.Seconds} s"
        : $"{(int)t.TotalHours} h {t.Minutes} min";

    private void Clear()
    {
        if (!_drawn) return;
        _target.Write("\r\u001b[2K");
        _drawn = false;
    }

    private void Draw()
    {
        if (_status is null) return;
        _target.Write(_status);
        _target.Flush();
        _drawn = true;
    }

    /// <summary>The command's lines, written above the status line: it is cleared first and drawn again after each line.</summary>
    private sealed class AboveStatus(ProgressLine line) : TextWriter
    {
        public override Encoding Encoding => line._target.Encoding;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            lock (line._gate)
            {
                line.Clear();
                line._target.Write(value);
                if (value.EndsWith('\n')) line.Draw();
            }
        }

        public override void Flush() => line._target.Flush();
    }
}
